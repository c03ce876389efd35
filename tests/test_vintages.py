"""GDP vintages: a scenario under every shipped GDP edition (``economy.gdp_edition``, ``budget.vintages``).

The editions are read from the data (``budget.schema.gdp_line``), never typed here; the numbers
are checked by hand from ``series.csv``.
"""

from __future__ import annotations

import csv
import dataclasses
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import REPO_ROOT, SCENARIOS, call
from matplotlib.text import Text

from budget import charts, load_scenario, project
from budget.history import DATA, load_country
from budget.i18n import use
from budget.pledges import lines_for
from budget.scenario import DEFAULT_GDP_EDITION, Scenario, ScenarioError, Target
from budget.schema import FIELDS, gdp_line
from budget.tables import summary_markdown
from budget.vintages import Flip, comparable, editions, flips, vintage_table, vintages, vintages_markdown

EDITIONS = gdp_line().editions
OTHER = next(e for e in EDITIONS if e != DEFAULT_GDP_EDITION)
STATED = SCENARIOS / "stated-targets.toml"


def stated() -> Scenario:
    return load_scenario(STATED)


def flipping() -> Scenario:
    """Stated targets plus USD 8.05 bn in 2026: about 2.01 % of the default edition's GDP, 1.98 % of
    the other's, so NATO's 2 % flips with the edition in 2026.
    """
    s = stated()
    return dataclasses.replace(s, name="flip", targets=(Target(2026, 8.05, 8.05, "usd_bn"), *s.targets))


def _series(country: str, indicator: str, edition: str = "") -> dict[int, float]:
    with (DATA / country / "series.csv").open(encoding="utf-8", newline="") as f:
        return {
            int(r["year"]): float(r["value"])
            for r in csv.DictReader(f)
            if r["indicator"] == indicator and r["value"] and r["edition"] == edition
        }


# --- The data and the key ---------------------------------------------------------------------------


def test_two_imf_editions_ship_for_czechia_and_the_default_is_the_datas() -> None:
    assert len(EDITIONS) >= 2 and gdp_line().default == DEFAULT_GDP_EDITION
    assert editions(stated()) == EDITIONS
    assert FIELDS["economy.gdp_edition"].choices == EDITIONS
    assert stated().gdp_edition == DEFAULT_GDP_EDITION


def test_the_czech_2030_share_is_usd_15_bn_over_each_editions_gdp_in_usd() -> None:
    t = vintage_table(stated())
    rate = _series("czechia", "czk_per_usd")[2025]  # held from the last actual year (CNB, one edition)
    shares = {}
    for edition in EDITIONS:
        gdp_usd = _series("czechia", "gdp_czk_bn", edition)[2030] / rate
        shares[edition] = 15.0 / gdp_usd * 100
        for end in ("low", "high"):
            assert t.at[(edition, 2030, end), "defense_share_pct_gdp"] == pytest.approx(shares[edition], rel=1e-9)
            assert t.at[(edition, 2030, end), "defense_spending_usd_bn"] == pytest.approx(15.0)
            assert t.at[(edition, 2030, end), "gdp_usd_bn"] == pytest.approx(gdp_usd, rel=1e-9)
    assert abs(shares[EDITIONS[0]] - shares[EDITIONS[1]]) > 0.03  # a money target: another share per edition


def test_a_share_target_gives_other_money_not_another_share() -> None:
    s = load_scenario(SCENARIOS / "nato-core-3.5.toml")
    t = vintage_table(s)
    a, b = (t.xs(e, level="edition") for e in EDITIONS[:2])
    assert np.allclose(a["defense_share_pct_gdp"], b["defense_share_pct_gdp"])
    assert (abs(a["defense_spending_usd_bn"] - b["defense_spending_usd_bn"]) > 0.05).all()


def test_the_default_edition_gives_the_golden_projection() -> None:
    s = stated()
    explicit = dataclasses.replace(s, gdp_edition=DEFAULT_GDP_EDITION)
    pd.testing.assert_frame_equal(project(explicit), project(s))
    want = pd.read_csv(REPO_ROOT / "tests" / "golden" / "stated-targets.projection.csv", index_col="year")
    got = project(s)[want.columns]
    pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=1e-9, check_dtype=False)


def test_a_file_picks_its_edition_and_only_gdp_series_change(write_scenario: Callable[..., Path]) -> None:
    path = write_scenario(f'extends = "{STATED.as_posix()}"\ntitle = "x"\n[economy]\ngdp_edition = "{OTHER}"\n')
    s = load_scenario(path)
    assert s.gdp_edition == OTHER
    a, b = project(stated()), project(s)
    t0 = s.data.last_data_year
    # NATO's shares are not an IMF edition: history is the same; GDP is not.
    pd.testing.assert_series_equal(a.loc[:t0, "defense_pct_gdp"], b.loc[:t0, "defense_pct_gdp"])
    assert (a.loc[2026:2030, "gdp_czk_bn"] != b.loc[2026:2030, "gdp_czk_bn"]).all()
    assert b.loc[2030, "gdp_czk_bn"] == pytest.approx(_series("czechia", "gdp_czk_bn", OTHER)[2030])
    assert OTHER in s.data.editions and DEFAULT_GDP_EDITION not in s.data.editions
    assert set(s.data.editions) - {OTHER} == set(load_country("czechia").editions) - {DEFAULT_GDP_EDITION}


def test_bad_gdp_edition_exits_2_naming_file_key_and_editions(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(f'extends = "{STATED.as_posix()}"\ntitle = "x"\n[economy]\ngdp_edition = "WEO 1999"\n')
    out = tmp_path / "out"
    result = call("run", str(bad), "--out", str(out), "--draws", "0")
    assert result.status == 2
    line = next(x for x in result.stderr.splitlines() if "economy.gdp_edition" in x)
    assert str(bad) in line and "'WEO 1999'" in line and all(e in line for e in EDITIONS)
    assert not out.exists()
    with pytest.raises(ScenarioError, match="gdp_edition"):
        dataclasses.replace(stated(), gdp_edition="WEO 1999")


# --- Flips ----------------------------------------------------------------------------------------


def test_a_flip_is_found_where_a_money_target_sits_on_a_level() -> None:
    s = flipping()
    found = flips(vintage_table(s), s)
    nato = [f for f in found if f.line.id == "nato_2pct"]
    assert {(f.year, f.end) for f in nato} == {(2026, "low"), (2026, "high")}
    assert nato[0].met == (DEFAULT_GDP_EDITION,) and nato[0].missed == (OTHER,)
    assert {f.year for f in found} == {2026}  # 2030 and 2035 agree under both editions
    assert flips(vintage_table(stated()), stated()) == []


def test_flips_on_a_constructed_table_one_range_end_and_unknowns() -> None:
    s = stated()
    line = next(ln for ln in lines_for(s.data) if ln.id == "nato_core")
    index = pd.MultiIndex.from_tuples(
        [(e, 2035, end) for e in ("A", "B", "C") for end in ("low", "high")], names=["edition", "year", "end"]
    )
    met = pd.array([False, True, True, True, None, True], dtype="boolean")  # A low misses; C low unknown
    table = pd.DataFrame({"meets_nato_core_level": met}, index=index)
    assert flips(table, s) == [Flip(line, 2035, "low", ("B",), ("A",))]
    table["meets_nato_core_level"] = pd.array([True] * 6, dtype="boolean")
    assert flips(table, s) == []


# --- Outputs ---------------------------------------------------------------------------------------


def test_the_summary_has_the_section_and_says_when_a_verdict_flips() -> None:
    s = stated()
    md = summary_markdown(project(s), s)
    assert "## GDP edition" in md and "| Edition | Published | Year |" in md
    assert "No verdict flips" in md and OTHER in md
    f = flipping()
    lines = vintages_markdown(f)
    text = "\n".join(lines)
    assert "The verdict flips with the GDP edition:" in text
    assert f"NATO 2 % in 2026: met with GDP of {DEFAULT_GDP_EDITION}, missed with GDP of {OTHER}." in text
    with use("cs"):
        assert "## Vydání HDP" in summary_markdown(project(f), f)


def test_the_chart_draws_each_edition_each_level_and_marks_the_flip() -> None:
    s = flipping()
    fig = charts.plot_vintages(s)
    ax, diff = fig.axes[:2]
    gids = {line.get_gid() for line in ax.get_lines()}
    assert {f"vintage:{e}" for e in EDITIONS} <= gids
    assert {f"line:{ln.id}:level" for ln in lines_for(s.data)} <= gids
    assert {f"vintage:{e}:diff" for e in EDITIONS} <= {line.get_gid() for line in diff.get_lines()}
    assert "flip:2026" in {line.get_gid() for line in diff.get_lines()}
    own = next(line for line in ax.get_lines() if line.get_gid() == f"vintage:{DEFAULT_GDP_EDITION}")
    other = next(line for line in ax.get_lines() if line.get_gid() == f"vintage:{OTHER}")
    assert own.get_linewidth() > other.get_linewidth()  # this scenario's edition is marked
    title = fig.texts[0].get_text().replace("\n", " ")
    assert title.startswith(f"With GDP of {DEFAULT_GDP_EDITION}") and "2026" in title and OTHER in title
    assert any(t.get_gid() == "label:flip" for t in fig.findobj(Text))
    note = fig.texts[2].get_text().replace("\n", " ")
    assert "IMF WEO Oct 2025" in note and "IMF WEO Apr 2026" in note and "Scenarios:" not in note
    from test_overlap import problems

    assert problems(fig) == []
    title = charts.plot_vintages(stated()).texts[0].get_text().replace("\n", " ")
    assert title == "Under every GDP edition, Czechia would meet the NATO 3.5 % core level in 2035".replace(
        " %", "\u00a0%"
    )


def test_run_writes_the_vintage_table_sidecar_and_chart(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert call("run", str(STATED), "--out", str(out), "--draws", "0").status == 0
    folder = out / "stated-targets"
    got = pd.read_csv(folder / "vintages.csv", index_col=["edition", "year", "end"])
    want = vintage_table(stated())
    assert list(got.columns) == list(want.columns)
    assert np.allclose(got["defense_share_pct_gdp"], want["defense_share_pct_gdp"], rtol=1e-9)
    assert got["meets_nato_core_level"].tolist() == want["meets_nato_core_level"].astype(bool).tolist()
    assert got["meets_nato_total_level"].isna().all()  # the scenario models no resilience: unknown
    doc = json.loads((folder / "vintages.json").read_text(encoding="utf-8"))
    assert [f["name"] for f in doc["schema"]["fields"]] == ["edition", "year", "end", *want.columns]
    assert {"imf_weo_2025_10", "imf_weo_2026_04"} <= {x["id"] for x in doc["sources"]}
    assert len(doc["budget"]["scenarios"]) == 1
    assert (folder / "vintages.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_country_without_editions_writes_no_vintages(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("BUDGET_DATA_PATH", str(REPO_ROOT / "tests" / "data"))
    s = load_scenario(REPO_ROOT / "tests" / "data" / "testland-plan.toml")
    assert vintages(s) == [] and vintages_markdown(s) == []
    assert "GDP edition" not in summary_markdown(project(s), s)


def test_an_edition_in_another_currency_is_not_compared_with_old_currency_inputs(
    write_scenario: Callable[..., Path],
) -> None:
    bgn = load_scenario(
        write_scenario('title = "x"\ncountry = "bulgaria"\n[[targets]]\nyear = 2030\nvalue = 8.0\nunit = "bgn_bn"\n')
    )
    vs = vintages(bgn)
    assert [v.edition for v in comparable(vs)] == [DEFAULT_GDP_EDITION]
    reason = next(v.reason for v in vs if v.scenario is None)
    assert "EUR" in reason and "BGN" in reason
    text = "\n".join(vintages_markdown(bgn))
    assert reason in text and "| Edition |" not in text
    share = load_scenario(
        write_scenario(
            'title = "y"\ncountry = "bulgaria"\n[[targets]]\nyear = 2030\nvalue = 3.0\nunit = "pct_gdp"\n', "y.toml"
        )
    )
    assert len(comparable(vintages(share))) == 2  # shares and US dollars compare across currencies
