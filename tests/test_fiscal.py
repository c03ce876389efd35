"""Fiscal room: the extra spending against holding the last share, the balance and debt under a
financing mix, the EU escape clause and SAFE as data, the chart, the summary section and bad mixes.
"""

from __future__ import annotations

import dataclasses
import json
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import SCENARIOS, call

from budget import i18n, load_scenario, project
from budget.charts import plot_fiscal
from budget.fiscal import clauses_for, fiscal_frame, fiscal_sources, has_fiscal, loans_for, mix
from budget.history import load_country, load_sources
from budget.scenario import Scenario, ScenarioError
from budget.tables import summary_markdown

STATED = SCENARIOS / "stated-targets.toml"
UK = SCENARIOS / "plans" / "united-kingdom-2.6-2027-3.5-2035.toml"
KOREA = SCENARIOS / "plans" / "south-korea-mnd-path-3.5-2035.toml"


@cache
def stated() -> tuple[Scenario, pd.DataFrame]:
    s = load_scenario(STATED)
    return s, project(s)


def financed(borrowing: float | None, revenue: float, other: float) -> tuple[Scenario, pd.DataFrame, pd.DataFrame]:
    s, df = stated()
    s = dataclasses.replace(
        s, financing_borrowing_pct=borrowing, financing_revenue_pct=revenue, financing_other_spending_pct=other
    )
    return s, df, fiscal_frame(s, df)


def _series(country: str, indicator: str, year: int) -> float:
    """A value as shipped in the country's series.csv (default editions)."""
    return float(load_country(country).values(indicator)[year])


# ---- the numbers ------------------------------------------------------------------------------------


def test_extra_spending_in_2030_by_hand() -> None:
    s, df = stated()
    f = fiscal_frame(s, df)
    # USD 15 bn in 2030 (the target, linear in USD), at the 2025 CNB average held, over the IMF's 2030 GDP.
    rate, gdp = _series("czechia", "czk_per_usd", 2025), _series("czechia", "gdp_czk_bn", 2030)
    share_2030 = 100 * 15.0 * rate / gdp
    share_2025 = _series("czechia", "defense_pct_gdp", 2025)  # NATO's 2025 estimate: 2.00 %
    assert share_2025 == pytest.approx(2.0)
    extra = share_2030 - share_2025
    assert f.loc[2030, "extra_pct_gdp_low"] == pytest.approx(extra, rel=1e-9)
    assert f.loc[2030, "extra_pct_gdp_high"] == pytest.approx(extra, rel=1e-9)
    assert f.loc[2030, "extra_czk_bn_high"] == pytest.approx(extra / 100 * gdp, rel=1e-9)
    assert f.loc[2030, "extra_usd_bn_high"] == pytest.approx(15.0 - share_2025 / 100 * gdp / rate, rel=1e-9)
    assert f.loc[2025, "extra_pct_gdp_high"] == 0.0  # holding the last share adds nothing
    assert list(f.index) == list(range(2025, 2036))


def test_debt_with_everything_borrowed_is_the_baseline_plus_the_summed_extra() -> None:
    s, df, f = financed(100.0, 0.0, 0.0)
    assert (mix(s).borrowing, mix(s).revenue, mix(s).other_spending) == (100.0, 0.0, 0.0)
    gdp = {y: _series("czechia", "gdp_czk_bn", y) for y in (2026, 2027)}
    extra = {y: float(df.loc[y, "defense_pct_gdp"]) - 2.0 for y in (2026, 2027)}  # points of GDP
    money = {y: extra[y] / 100 * gdp[y] for y in (2026, 2027)}  # CZK bn borrowed each year
    debt_2026 = _series("czechia", "gg_gross_debt_pct_gdp", 2026) + 100 * money[2026] / gdp[2026]
    debt_2027 = _series("czechia", "gg_gross_debt_pct_gdp", 2027) + 100 * (money[2026] + money[2027]) / gdp[2027]
    assert f.loc[2026, "gg_debt_pct_gdp_high"] == pytest.approx(debt_2026, rel=1e-12)
    assert f.loc[2027, "gg_debt_pct_gdp_low"] == pytest.approx(debt_2027, rel=1e-12)
    assert f.loc[2027, "added_debt_czk_bn_high"] == pytest.approx(money[2026] + money[2027], rel=1e-12)
    balance = _series("czechia", "gg_net_lending_pct_gdp", 2027) - extra[2027]
    assert f.loc[2027, "gg_balance_pct_gdp_high"] == pytest.approx(balance, rel=1e-12)
    assert f.loc[2027, "gg_expenditure_pct_gdp_high"] == pytest.approx(
        _series("czechia", "gg_expenditure_pct_gdp", 2027) + extra[2027], rel=1e-12
    )


def test_the_default_mix_borrows_everything() -> None:
    s, df = stated()
    assert s.financing_borrowing_pct is None and mix(s).borrowing == 100.0
    assert fiscal_frame(s, df).equals(financed(100.0, 0.0, 0.0)[2])


def test_revenue_leaves_the_deficit_and_debt_unchanged() -> None:
    _s, _df, f = financed(0.0, 100.0, 0.0)
    for name in ("balance", "debt"):
        for end in ("low", "high"):
            assert np.allclose(f[f"gg_{name}_pct_gdp_{end}"], f[f"gg_{name}_baseline_pct_gdp"])
    assert np.allclose(f["gg_revenue_pct_gdp_high"], f["gg_revenue_baseline_pct_gdp"] + f["extra_pct_gdp_high"])
    assert np.allclose(f["gg_expenditure_pct_gdp_high"], f["gg_expenditure_baseline_pct_gdp"] + f["extra_pct_gdp_high"])
    assert (f["added_debt_czk_bn_high"] == 0).all()


def test_cuts_to_other_spending_leave_expenditure_and_deficit_unchanged_and_a_mix_splits() -> None:
    _s, _df, cut = financed(0.0, 0.0, 100.0)
    assert np.allclose(cut["gg_expenditure_pct_gdp_high"], cut["gg_expenditure_baseline_pct_gdp"])
    assert np.allclose(cut["gg_balance_pct_gdp_high"], cut["gg_balance_baseline_pct_gdp"])
    s, _df, half = financed(None, 30.0, 20.0)  # borrowing takes what the others leave: 50 %
    assert mix(s).borrowing == 50.0
    _s, _df, full = financed(100.0, 0.0, 0.0)
    added = full["gg_debt_pct_gdp_high"] - full["gg_debt_baseline_pct_gdp"]
    assert np.allclose(half["gg_debt_pct_gdp_high"] - half["gg_debt_baseline_pct_gdp"], added / 2)


def test_the_baseline_is_held_after_the_imfs_last_year() -> None:
    s, df = stated()
    f = fiscal_frame(s, df)
    last = int(load_country("czechia").values("gg_gross_debt_pct_gdp").dropna().index.max())
    assert last == 2030  # IMF WEO October 2025, the default edition
    assert (f.loc[last + 1 :, "baseline_status"] == "held").all()
    assert (f.loc[last + 1 :, "gg_debt_baseline_pct_gdp"] == f.loc[last, "gg_debt_baseline_pct_gdp"]).all()
    assert f.loc[last, "baseline_status"] == "projection"


# ---- the EU facts -------------------------------------------------------------------------------------


def test_the_escape_clause_binds_czechia_and_no_country_outside_it() -> None:
    (k,) = clauses_for(load_country("czechia"))
    assert (k.cap_pct_gdp, k.first, k.last, k.baseline_year) == (1.5, 2025, 2028, 2021)
    assert str(k.activated) == "2025-07-08" and k.baseline_single_source
    assert clauses_for(load_country("united-kingdom")) == []
    assert clauses_for(load_country("south-korea")) == []
    assert clauses_for(load_country("france")) == []  # an EU member that did not activate it
    assert clauses_for(load_country("germany"))[0].activated.isoformat() == "2025-10-10"
    s, df = stated()
    f = fiscal_frame(s, df)
    assert f["eu_clause_cap_pct_gdp"].dropna().index.tolist() == [2025, 2026, 2027, 2028]
    rise = float(df.loc[2028, "defense_pct_gdp"]) - _series("czechia", "defense_pct_gdp", 2021)
    assert f.loc[2028, "eu_clause_rise_pct_gdp_high"] == pytest.approx(rise)
    uk = load_scenario(UK)
    assert not [c for c in fiscal_frame(uk, project(uk)).columns if "clause" in c or "safe" in c]


def test_safe_is_sourced_for_czechia_as_money_and_share_of_gdp() -> None:
    (loan,) = loans_for(load_country("czechia"))
    assert (loan.eur_bn, loan.local_bn, loan.inside_cap) == (2.06, 50.1, True)
    assert loans_for(load_country("united-kingdom")) == [] and loans_for(load_country("poland")) == []
    s, df = stated()
    f = fiscal_frame(s, df)
    assert f.loc[2025, "eu_safe_allocation_pct_gdp"] == pytest.approx(
        100 * 50.1 / _series("czechia", "gdp_czk_bn", 2025)
    )
    assert f["eu_safe_allocation_eur_bn"].dropna().tolist() == [2.06]
    sources = load_sources()
    for i in fiscal_sources(s):
        assert sources[i].url.startswith("https://"), i
    assert {"imf_weo_2025_10_fiscal", "eu_council_2025_07_08_nec", "eu_safe_allocation_2025_09_09"} <= set(
        fiscal_sources(s)
    )


def test_every_country_with_a_defense_share_has_the_fiscal_series() -> None:
    assert has_fiscal(load_country("czechia")) and has_fiscal(load_country("south-korea"))


# ---- bad input --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "said"),
    [
        ("borrowing_pct = 50\nrevenue_pct = 30\n", "add to 80 %"),
        ("revenue_pct = 70\nother_spending_pct = 40\n", "add to 110 %"),
        ("borrowing_pct = 100\nrevenue_pct = 0.5\n", "add to 100.5 %"),
    ],
)
def test_a_mix_that_does_not_add_to_100_is_refused_and_nothing_written(
    write_scenario, tmp_path: Path, table: str, said: str
) -> None:
    path = write_scenario(f'extends = "{STATED.as_posix()}"\n\n[financing]\n{table}')
    out = tmp_path / "out"
    result = call("run", str(path), "--out", str(out), "--draws", "0")
    assert result.status == 2, result.stderr
    assert f"{path}: financing: " in result.stderr and said in result.stderr
    assert "allowed:" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def test_a_mix_within_the_tolerance_and_shares_out_of_bounds(write_scenario) -> None:
    ok = load_scenario(write_scenario(
        f'extends = "{STATED.as_posix()}"\n[financing]\nborrowing_pct = 33.33\nrevenue_pct = 33.33\n'
        "other_spending_pct = 33.335\n", "ok.toml"))  # fmt: skip
    assert mix(ok).revenue == 33.33
    with pytest.raises(ScenarioError) as err:
        load_scenario(write_scenario(f'extends = "{STATED.as_posix()}"\n[financing]\nrevenue_pct = 120\n', "x.toml"))
    assert [k for _, k, _ in err.value.problems] == ["financing.revenue_pct"]
    assert "allowed: 0-100" in str(err.value)
    with pytest.raises(ScenarioError, match="financing"):
        dataclasses.replace(ok, financing_borrowing_pct=10.0)


# ---- the outputs -------------------------------------------------------------------------------------------


def test_the_chart_draws_the_cap_safe_and_the_finding() -> None:
    s, df = stated()
    fig = plot_fiscal(df, s)
    gids = {str(a.get_gid()) for ax in fig.axes for a in ax.get_lines()}
    assert {"line:eu_clause:cap", "loan:eu_safe", "baseline:debt", "held:debt", "path:debt:high"} <= gids
    title = fig.texts[0].get_text().replace("\n", " ")
    assert "2.0–2.4\u00a0% of GDP" in title and "EU escape clause" in title and "2028" in title
    uk = load_scenario(UK)
    fig = plot_fiscal(project(uk), uk)
    gids = {str(a.get_gid()) for ax in fig.axes for a in ax.get_lines()}
    assert not any(g.startswith(("line:", "loan:")) for g in gids)
    assert "gross debt reaches" in fig.texts[0].get_text().replace("\n", " ")


def test_the_summary_has_the_section_in_english_and_czech() -> None:
    s, df = stated()
    md = summary_markdown(df, s)
    section = md.split("## Fiscal room")[1].split("\n## ")[0]
    assert "| Figure | 2026 | 2028 | 2030 | 2035 |" in section
    assert "| Extra defense spending, % of GDP | 0.29 | 0.78 | 1.20 | 2.05-2.40 |" in section
    assert "activated for Czechia on 8 July 2025" in section and "single secondary source" in section
    assert "EUR 2.06 bn (CZK 50.1 bn" in section and "no interest on the added debt" in section.lower()
    assert "100 % borrowed" in section and "usd_bn" not in section
    with i18n.use("cs"):
        cz = summary_markdown(df, s)
    assert "## Fiskální prostor" in cz and "8. 7. 2025" in cz


def test_budget_run_writes_the_fiscal_table_and_chart(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert call("run", str(STATED), str(KOREA), "--out", str(out), "--draws", "0").status == 0
    folder = out / "stated-targets"
    assert {"fiscal.csv", "fiscal.json", "fiscal.png"} <= {p.name for p in folder.iterdir()}
    table = pd.read_csv(folder / "fiscal.csv", index_col="year")
    assert table.loc[2035, "gg_debt_pct_gdp_high"] > table.loc[2035, "gg_debt_baseline_pct_gdp"]
    side = json.loads((folder / "fiscal.json").read_text(encoding="utf-8"))
    assert {"imf_weo_2025_10_fiscal", "ct24_2025_09_09_safe"} <= {x["id"] for x in side["sources"]}
    assert all(f["unit"] or f["type"] == "string" for f in side["schema"]["fields"])
    assert (out / "south-korea-mnd-path-3.5-2035" / "fiscal.png").exists()
    assert "## Fiscal room" in (folder / "summary.md").read_text(encoding="utf-8")
