"""Editions as data: several editions side by side, the default one loaded, diffs and publication ages."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import numpy as np
import pytest

from budget.cli import main as cli
from budget.editions import diff, diff_lines, published, stale
from budget.history import DATA, EditionError, countries, lines, load_country, load_sources, series_rows
from budget.importers.__main__ import SNAPSHOTS
from budget.importers.__main__ import main as importer

IMF_OLD, IMF_NEW = "IMF WEO 2025-10", "IMF WEO 2026-04"
NATO_OLD, NATO_NEW = "NATO 2025", "NATO 2026 (core defence basis)"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
TODAY = dt.date(2026, 12, 2)


def editions_of(key: str, indicator: str) -> set[str]:
    return {r.edition for r in series_rows(load_country(key).folder) if r.indicator == indicator and r.value == r.value}


@pytest.mark.parametrize("key", countries())
def test_two_imf_editions_ship_for_every_country(key: str) -> None:
    c = load_country(key)
    gdp = f"gdp_{'eur' if key == 'bulgaria' else c.cur}_bn"  # IMF WEO April 2026 states Bulgaria in euro
    assert editions_of(key, f"gdp_{c.cur}_bn") >= {IMF_OLD}
    assert editions_of(key, gdp) >= {IMF_NEW}
    for indicator in ("real_gdp_growth_pct", "gg_expenditure_pct_gdp", "gg_gross_debt_pct_gdp"):
        assert editions_of(key, indicator) == {IMF_OLD, IMF_NEW}, indicator


def test_the_default_editions_are_loaded_and_unchanged() -> None:
    assert {k: line.default for k, line in lines().items()} == {"imf_weo": IMF_OLD, "nato": NATO_OLD}
    c = load_country("czechia")
    assert c.editions == (IMF_OLD, NATO_OLD)
    assert c.array("gdp_czk_bn", np.array([2025, 2030, 2031])).tolist()[:2] == [8410.931, 10261.645]  # October 2025
    assert np.isnan(c.array("gdp_czk_bn", np.array([2031]))[0])  # that edition ends in 2030
    assert c.status_list("gdp_czk_bn", np.array([2025])) == ["projection"]
    assert {r.edition for r in c.rows} == {"", IMF_OLD, NATO_OLD}
    assert load_country("czechia") is c  # read once


def test_choosing_another_edition_changes_gdp_and_nothing_else() -> None:
    old, new = load_country("czechia"), load_country("czechia", [IMF_NEW])
    years = np.array([2025, 2031])
    assert new.editions == (IMF_NEW, NATO_OLD)
    assert new.array("gdp_czk_bn", years).tolist() == [8512.534, 10885.117]  # April 2026, to 2031
    assert new.status_list("gdp_czk_bn", years) == ["actual", "projection"]  # 2025 is an actual year there
    assert new.deflator == old.deflator == "gdp_deflator_2020_100"
    share = np.arange(2014, 2026)
    assert np.array_equal(new.array("defense_pct_gdp", share), old.array("defense_pct_gdp", share))  # NATO untouched
    assert "imf_weo_2026_04" in new.source_ids() and "imf_weo_2025_10" not in new.source_ids()
    assert load_country("czechia", [IMF_NEW]) is new  # its own cache entry


def test_natos_2026_edition_is_its_own_line_on_its_own_basis() -> None:
    poland = np.array([2025])
    assert load_country("poland").array("defense_pct_gdp", poland)[0] == 4.48
    core = load_country("poland", [NATO_NEW])
    assert core.array("defense_pct_gdp", poland)[0] == 4.25  # restated on the core defence basis
    assert {r.unit for r in core.rows if r.indicator == "defense_pct_gdp"} == {
        "percent of GDP, core defence basis (NATO 2026 edition)"
    }
    assert NATO_NEW not in editions_of("czechia", "defense_pct_gdp")  # no Czech row was found: none is invented


def test_an_edition_in_another_currency_loads_in_that_currency() -> None:
    lev, euro = load_country("bulgaria"), load_country("bulgaria", [IMF_NEW])
    assert (lev.currency, euro.currency) == ("BGN", "EUR")  # April 2026 states Bulgaria in euro
    year = np.array([2024])
    assert lev.array("gdp_bgn_bn", year)[0] == 202.861 and np.isnan(lev.array("gdp_eur_bn", year)[0])
    assert euro.array("gdp_eur_bn", year)[0] == 104.767 and np.isnan(euro.array("gdp_bgn_bn", year)[0])
    assert euro.array("eur_per_usd", year)[0] == pytest.approx(104.767 / 113.364)  # the rate April 2026 implies


def test_diff_hand_checked_value() -> None:
    changes, one_sided = diff(IMF_OLD, IMF_NEW, "czechia")
    gdp_2025 = next(c for c in changes if (c.indicator, c.year) == ("gdp_czk_bn", 2025))
    assert (gdp_2025.old, gdp_2025.new) == (8410.931, 8512.534)
    assert gdp_2025.difference == 101.603  # 8512.534 - 8410.931, by hand
    assert (gdp_2025.old_status, gdp_2025.new_status) == ("projection", "actual")
    assert not one_sided
    assert not [c for c in changes if c.indicator == "defense_pct_gdp" and c.year < 2025]  # NATO's line: not IMF's
    text = diff_lines(IMF_OLD, IMF_NEW, "czechia")
    assert text[0] == "IMF WEO 2025-10 (published 2025-10-14) -> IMF WEO 2026-04 (published 2026-04-14)"
    row = next(line for line in text if line.startswith("czechia") and " gdp_czk_bn " in line and " 2025 " in line)
    assert row.split() == [
        "czechia",
        "gdp_czk_bn",
        "2025",
        "8410.931",
        "8512.534",
        "+101.603",
        "projection",
        "->",
        "actual",
    ]
    new_year = next(line for line in text if " gdp_czk_bn " in line and " 2031 " in line)
    assert new_year.split() == ["czechia", "gdp_czk_bn", "2031", "-", "10885.117"]  # only the newer edition has it


def test_diff_says_when_the_basis_differs_and_who_is_not_covered() -> None:
    text = diff_lines(NATO_OLD, NATO_NEW)
    assert any(line.startswith("defense_pct_gdp: another basis in each edition") for line in text)
    assert "czechia" in text[-1] and text[-1].startswith("in only one of the two editions")
    changes, _ = diff(NATO_OLD, NATO_NEW, "germany")
    germany_2025 = next(c for c in changes if (c.indicator, c.year) == ("defense_pct_gdp", 2025))
    assert (germany_2025.old, germany_2025.new) == (None, 2.22)  # NATO 2025 gave no German estimate


def test_unknown_edition_is_exit_2_naming_the_allowed_ones(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(["data", "diff", IMF_OLD, "IMF WEO 2026-10"]) == 2
    err = capsys.readouterr().err
    assert "EDITION_B" in err and "'IMF WEO 2026-10' is not a shipped edition" in err
    assert f"allowed: {IMF_OLD}, {IMF_NEW}, {NATO_OLD}, {NATO_NEW}" in err
    assert cli(["data", "diff", IMF_OLD, NATO_OLD]) == 2
    assert "editions of different series" in capsys.readouterr().err
    assert cli(["data", "diff", IMF_OLD, IMF_NEW, "--country", "narnia"]) == 2
    assert "allowed: albania" in capsys.readouterr().err
    with pytest.raises(EditionError, match="allowed: IMF WEO 2025-10"):
        load_country("czechia", ["IMF WEO 2026-10"])
    with pytest.raises(
        EditionError, match=r"has no values for czechia; allowed: IMF WEO 2025-10, IMF WEO 2026-04, NATO 2025$"
    ):
        load_country("czechia", [NATO_NEW])  # shipped, but no Czech row was found


def test_data_diff_command_prints_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(["data", "diff", IMF_OLD, IMF_NEW, "--country", "czechia"]) == 0
    out = capsys.readouterr().out
    assert (
        "czechia  gdp_czk_bn" in out
        and "+101.603" in out
        and out.rstrip().endswith("values differ (-: not in that edition)")
    )


def test_max_age_judges_the_publication_date() -> None:
    assert published(IMF_OLD) == dt.date(2025, 10, 14) and published(NATO_NEW) == dt.date(2026, 7, 10)
    old = stale(["imf_weo_2025_10", "imf_weo_2025_10_fx"], 365, TODAY)
    assert len(old) == 1 and old[0].startswith(f"warning: edition {IMF_OLD} ")  # one warning per edition
    assert "published on 2025-10-14, 414 days ago" in old[0] and "IMF WEO 2026-04 (published 2026-04-14)" in old[0]
    assert stale(["imf_weo_2026_04"], 365, TODAY) == []  # 232 days: fresh
    assert stale(["imf_weo_2025_10"], 414, TODAY) == []  # exactly the limit is not older than it
    src = load_sources()["imf_weo_2025_10"]
    assert src.accessed > src.published  # the access date would have passed: it is not what is judged


def test_validate_max_age_warns_about_the_scenarios_editions(capsys: pytest.CaptureFixture[str]) -> None:
    scenario = str(Path(__file__).resolve().parents[1] / "scenarios" / "stated-targets.toml")
    assert cli(["validate", scenario, "--max-age", "0"]) == 0
    out = capsys.readouterr().out
    assert f"warning: edition {IMF_OLD}" in out and f"warning: edition {NATO_OLD}" in out
    assert cli(["validate", scenario, "--max-age", "100000"]) == 0
    assert "warning: edition" not in capsys.readouterr().out


def test_every_edition_is_listed_and_dated() -> None:
    shipped = {e for line in lines().values() for e in line.editions}
    for key in countries():
        assert {r.edition for r in series_rows(load_country(key).folder)} <= shipped | {""}, key
    for edition in shipped:
        assert published(edition) is not None, edition
    for line in lines().values():
        assert line.default in line.editions


def test_side_series_are_cited_only_where_shown() -> None:
    c = load_country("czechia")
    assert c.array("mod_outturn_czk_bn", np.array([2023]))[0] == 100.7  # state closing accounts 2023
    assert c.status_list("mod_budget_passed_czk_bn", np.array([2023, 2026])) == ["estimate", "estimate"]
    assert c.array("mod_budget_outlook_czk_bn", np.array([2027, 2028])).tolist() == [215.3, 238.2]
    assert c.status_list("mod_budget_outlook_czk_bn", np.array([2027])) == ["projection"]  # an outlook, not a budget
    assert "cz_budget_2026" not in c.source_ids() and "imf_weo_2025_10_fiscal" not in c.source_ids()
    cited = c.sources_of(["mod_outturn_czk_bn", "gg_gross_debt_pct_gdp"])  # the outturns 2015-2025: one a year or so
    assert cited[0] == "imf_weo_2025_10_fiscal" and "cz_mod_2023_outturn" in cited and "cz_mod_2016_01" in cited


@pytest.mark.skipif(not (SHARED / "imf_weo_2025oct_nato32_kor.csv").is_file(), reason="needs ../shared/data")
def test_importer_rerun_prints_no_change(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    assert importer([str(SHARED), str(SNAPSHOTS), "--data", str(data)]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.strip() == "33 countries, 0 changes"
    for key in countries():
        assert (data / key / "series.csv").read_bytes() == (DATA / key / "series.csv").read_bytes(), key
