"""The shortfall ledger (``budget.gaps``), implied targets and target/claim disagreements."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from conftest import SCENARIOS, call

import budget
from budget import load_scenario, project
from budget.ledger import disagreements, gaps, implied_targets, required_growth_table
from budget.pledges import lines

T0 = 2025  # last data year of the Czech data
YEARS = list(range(2026, 2036))  # projection years of every bundled scenario
LINE_PCT = {"nato_2pct": 2.0, "nato_core": 3.5, "nato_total": 5.0}


def scenario(name: str) -> budget.Scenario:
    return load_scenario(SCENARIOS / f"{name}.toml")


def line_rows(g: pd.DataFrame, line: str) -> pd.DataFrame:
    return g[g["line"] == line].set_index("year")


@pytest.fixture(scope="module")
def stated() -> SimpleNamespace:
    s = scenario("stated-targets")
    return SimpleNamespace(s=s, df=project(s), g=gaps(s))


# ---- gaps: shape -----------------------------------------------------------------------------------


def test_gaps_has_one_row_per_line_and_projection_year(stated: SimpleNamespace) -> None:
    g = stated.g
    assert list(g["line"].unique()) == [ln.id for ln in lines()] == list(LINE_PCT)
    for line in LINE_PCT:
        assert line_rows(g, line).index.tolist() == YEARS
    expected = {"line", "year", "line_pct_gdp", "spending_pct_gdp", "gap_usd_bn", "gap_czk_bn",
                "gap_pct_points", "cumulative_gap_usd_bn", "cumulative_gap_czk_bn", "met",
                "first_year_met", "required_real_growth_pct"}
    assert set(g.columns) == expected


def test_gaps_with_a_given_frame_equals_gaps_without(stated: SimpleNamespace) -> None:
    pd.testing.assert_frame_equal(gaps(stated.s, stated.df), stated.g)


# ---- gaps: hand-computed cases -------------------------------------------------------------------


def test_legal_floor_has_no_gap_to_the_2pct_line() -> None:
    # Spending = 2.0 % of GDP every year from 2026 (step target, held), the line is a flat 2.0 %:
    # gap = 2.0 % x GDP - 2.0 % x GDP = 0 in every unit, every year; met from 2026.
    g = line_rows(gaps(scenario("legal-floor-2pct")), "nato_2pct")
    for col in ("gap_usd_bn", "gap_czk_bn", "gap_pct_points",
                "cumulative_gap_usd_bn", "cumulative_gap_czk_bn"):
        assert np.abs(g[col].to_numpy()).max() < 1e-9, col
    assert (g["line_pct_gdp"] == 2.0).all()
    assert g["spending_pct_gdp"].to_numpy() == pytest.approx(2.0)
    assert g["met"].all()
    assert (g["first_year_met"] == 2026).all()


def test_nato_core_scenario_follows_the_core_line_exactly() -> None:
    # The scenario and the 3.5 % line are the same path: linear in share from 2.00 % (2025) to
    # 3.5 % (2035), i.e. 2.0 + 0.15 (t - 2025). Gap 0 every year; 3.5 % first reached in 2035.
    g = line_rows(gaps(scenario("nato-core-3.5")), "nato_core")
    expected = [2.0 + 0.15 * (y - T0) for y in YEARS]
    assert g["line_pct_gdp"].to_numpy() == pytest.approx(expected)
    assert g["spending_pct_gdp"].to_numpy() == pytest.approx(expected)
    for col in ("gap_usd_bn", "gap_czk_bn", "gap_pct_points", "cumulative_gap_usd_bn"):
        assert np.abs(g[col].to_numpy()).max() < 1e-9, col
    assert (g["first_year_met"] == 2035).all()
    # `met` compares with the line's final level (3.5 %), not with that year's point on the path.
    assert g["met"].tolist() == [y == 2035 for y in YEARS]


def test_nato_total_scenario_follows_the_5pct_line_exactly() -> None:
    # Total = core + resilience. Core: 2.00 -> 3.5 %, resilience 1.28 -> 1.5 %, both linear over
    # 2025-2035, so the total is linear from 3.28 % to 5.0 % - exactly the 5 % line, which starts
    # from the 2025 total (3.28 %). Gap 0 every year; 5 % first reached in 2035.
    g = line_rows(gaps(scenario("nato-total-5")), "nato_total")
    expected = [3.28 + (5.0 - 3.28) * (y - T0) / 10 for y in YEARS]
    assert g["line_pct_gdp"].to_numpy() == pytest.approx(expected)
    assert g["spending_pct_gdp"].to_numpy() == pytest.approx(expected)
    for col in ("gap_usd_bn", "gap_czk_bn", "gap_pct_points", "cumulative_gap_usd_bn"):
        assert np.abs(g[col].to_numpy()).max() < 1e-9, col
    assert (g["first_year_met"] == 2035).all()
    # Core alone is 3.5 % in 2035: short of 5 % without resilience, exactly on the core line.
    core = line_rows(gaps(scenario("nato-total-5")), "nato_core")
    assert np.abs(core["gap_pct_points"].to_numpy()).max() < 1e-9


def test_stated_targets_core_gap_in_2030(stated: SimpleNamespace) -> None:
    df, g = stated.df, line_rows(stated.g, "nato_core")
    # Line in 2030: 2.0 + (3.5 - 2.0) x (2030 - 2025) / (2035 - 2025) = 2.75 % of GDP.
    line_pct = 2.0 + (3.5 - 2.0) * 5 / 10
    assert line_pct == 2.75
    assert g.loc[2030, "line_pct_gdp"] == pytest.approx(2.75)
    line_usd = line_pct / 100 * df.loc[2030, "gdp_usd_bn"]
    line_czk = line_pct / 100 * df.loc[2030, "gdp_czk_bn"]
    # Spending in 2030 is the USD 15 bn target itself.
    assert df.loc[2030, "defense_usd_bn"] == 15.0
    assert g.loc[2030, "gap_usd_bn"] == pytest.approx(line_usd - 15.0, rel=1e-12)
    assert g.loc[2030, "gap_czk_bn"] == pytest.approx(line_czk - df.loc[2030, "defense_czk_bn"], rel=1e-12)
    # Share: 15 x rate / GDP x 100 = 3.20 % > 2.75 %: above the line, so the gap is negative.
    share = 15.0 * df.loc[2030, "czk_per_usd"] / df.loc[2030, "gdp_czk_bn"] * 100
    assert g.loc[2030, "spending_pct_gdp"] == pytest.approx(share, rel=1e-12)
    assert g.loc[2030, "gap_pct_points"] == pytest.approx(2.75 - share, rel=1e-12)
    assert g.loc[2030, "gap_usd_bn"] < 0
    # The ledger agrees with the projection's own gap columns.
    assert g.loc[2030, "gap_usd_bn"] == pytest.approx(df.loc[2030, "gap_nato_core_usd_bn"], rel=1e-12)
    assert g.loc[2030, "gap_usd_bn"] == pytest.approx(
        df.loc[2030, "nato_core_usd_bn"] - df.loc[2030, "defense_usd_bn"])


@pytest.mark.parametrize("line", list(LINE_PCT))
def test_cumulative_gap_is_the_running_sum(stated: SimpleNamespace, line: str) -> None:
    g = line_rows(stated.g, line)
    for money in ("usd", "czk"):
        running = np.cumsum(g[f"gap_{money}_bn"].to_numpy())
        assert g[f"cumulative_gap_{money}_bn"].to_numpy() == pytest.approx(running, rel=1e-12, abs=1e-12)
        # Last row = sum of the yearly gaps 2026-2035.
        assert g.loc[2035, f"cumulative_gap_{money}_bn"] == pytest.approx(
            sum(g.loc[y, f"gap_{money}_bn"] for y in YEARS), rel=1e-12)
    table = required_growth_table(stated.g)
    assert table.loc[line, "cumulative_gap_usd_bn"] == g.loc[2035, "cumulative_gap_usd_bn"]


@pytest.mark.parametrize("name", ["stated-targets", "legal-floor-2pct", "nato-core-3.5", "nato-total-5",
                                  "babis-2026-budget", "fiala-3pct-2030"])
def test_met_and_first_year_met_follow_the_spending_share(name: str) -> None:
    s = scenario(name)
    df, g = project(s), gaps(s)
    for line, final in LINE_PCT.items():
        rows = line_rows(g, line)
        spend = "total_pct_gdp" if line == "nato_total" else "defense_pct_gdp"
        assert rows["spending_pct_gdp"].to_numpy() == pytest.approx(df.loc[2026:2035, spend].to_numpy())
        assert rows["met"].tolist() == [bool(v >= final - 1e-9) for v in rows["spending_pct_gdp"]]
        met_years = rows.index[rows["met"]]
        first = rows["first_year_met"].iloc[0]
        assert rows["first_year_met"].nunique(dropna=False) == 1
        if len(met_years):
            assert first == met_years[0]
        else:
            assert pd.isna(first)
        # Gap sign follows the comparison with that year's line level.
        short = rows["gap_pct_points"] > 1e-9
        assert (short == (rows["spending_pct_gdp"] < rows["line_pct_gdp"] - 1e-9)).all()


def test_stated_targets_first_years_met(stated: SimpleNamespace) -> None:
    table = required_growth_table(stated.g)
    # 2 % from 2026 (2.29 %); 3.5 % from 2032; total (= core, no resilience) 4.40 % < 5 % in 2035.
    assert table.loc["nato_2pct", "first_year_met"] == 2026
    assert table.loc["nato_core", "first_year_met"] == 2032
    assert pd.isna(table.loc["nato_total", "first_year_met"])
    assert list(table.index) == list(LINE_PCT)


def test_required_real_growth_by_hand(stated: SimpleNamespace) -> None:
    df = stated.df
    defl = "gdp_deflator_2020_100"
    # need = 3.5 % x GDP(2035) at 2025 prices; have = defense spending 2025 (CZK bn);
    # growth = (need / have) ** (1 / 10) - 1.
    need = 0.035 * df.loc[2035, "gdp_czk_bn"] * df.loc[T0, defl] / df.loc[2035, defl]
    have = df.loc[T0, "defense_czk_bn"]
    assert have == pytest.approx(0.02 * df.loc[T0, "gdp_czk_bn"])  # 2.00 % of 2025 GDP
    expected = ((need / have) ** (1 / 10) - 1) * 100
    core = line_rows(stated.g, "nato_core")["required_real_growth_pct"]
    assert (core == core.iloc[0]).all()
    assert core.iloc[0] == pytest.approx(expected, rel=1e-12)
    assert 7.8 < expected < 8.0
    # The flat 2 % line has no year: it is reached by the end year, 2035. Spending starts at
    # 2.00 % of GDP, so the required growth is real GDP growth over 2025-2035.
    real = df["gdp_czk_bn"] / df[defl]
    real_gdp = real[2035] / real[T0]
    two = line_rows(stated.g, "nato_2pct")["required_real_growth_pct"].iloc[0]
    assert two == pytest.approx((real_gdp ** (1 / 10) - 1) * 100, rel=1e-12)


def test_required_real_growth_does_not_depend_on_the_path() -> None:
    # It starts from 2025 data and ends on the line: the scenario's targets do not enter.
    a = required_growth_table(gaps(scenario("stated-targets")))["required_real_growth_pct"]
    b = required_growth_table(gaps(scenario("legal-floor-2pct")))["required_real_growth_pct"]
    pd.testing.assert_series_equal(a, b)


def test_required_real_growth_for_the_total_line_starts_from_core_plus_resilience() -> None:
    df = project(scenario("nato-total-5"))
    defl = "gdp_deflator_2020_100"
    need = 0.05 * df.loc[2035, "gdp_czk_bn"] * df.loc[T0, defl] / df.loc[2035, defl]
    have = df.loc[T0, "total_czk_bn"]  # (2.00 + 1.28) % of 2025 GDP
    assert have == pytest.approx(0.0328 * df.loc[T0, "gdp_czk_bn"])
    got = required_growth_table(gaps(scenario("nato-total-5"))).loc["nato_total", "required_real_growth_pct"]
    assert got == pytest.approx(((need / have) ** 0.1 - 1) * 100, rel=1e-12)


def test_gaps_for_a_scenario_ending_before_the_pledge_year(write_scenario) -> None:
    path = write_scenario('title = "Ends in 2030"\n\n[path]\nend_year = 2030\n\n'
                          '[[targets]]\nyear = 2030\nvalue = 3.0\nunit = "pct_gdp"\n')
    g = gaps(load_scenario(path))
    assert line_rows(g, "nato_core").index.tolist() == list(range(2026, 2031))


# ---- implied targets -----------------------------------------------------------------------------


def test_implied_targets_restate_each_target(stated: SimpleNamespace) -> None:
    imp, df = implied_targets(stated.s), stated.df
    targets = imp[imp["kind"] == "target"]
    assert targets[["year", "end", "stated"]].values.tolist() == [
        [2030, "value", 15.0], [2035, "low", 23.0], [2035, "high", 25.0]]
    # USD 15 bn in 2030 = 15 x CZK per USD / GDP (CZK bn) x 100 % of GDP.
    row = targets.iloc[0]
    pct = 15.0 * df.loc[2030, "czk_per_usd"] / df.loc[2030, "gdp_czk_bn"] * 100
    assert row["usd_bn"] == 15.0
    assert row["czk_bn"] == pytest.approx(15.0 * df.loc[2030, "czk_per_usd"], rel=1e-12)
    assert row["pct_gdp"] == pytest.approx(pct, rel=1e-12)
    assert row["pct_gdp"] == pytest.approx(3.203, abs=5e-4)
    # The range gives a low and a high row: USD 23 and 25 bn in 2035 (4.05 % and 4.40 %).
    for end, usd, approx_pct in (("low", 23.0, 4.048), ("high", 25.0, 4.400)):
        r = targets[targets["end"] == end].iloc[0]
        assert r["usd_bn"] == usd
        rate, gdp = df.loc[2035, "czk_per_usd"], df.loc[2035, "gdp_czk_bn"]
        assert r["pct_gdp"] == pytest.approx(usd * rate / gdp * 100)
        assert r["pct_gdp"] == pytest.approx(approx_pct, abs=5e-4)
    # The central path goes through the high end.
    assert df.loc[2035, "defense_pct_gdp"] == pytest.approx(targets.iloc[2]["pct_gdp"], rel=1e-12)


def test_implied_targets_include_claims(stated: SimpleNamespace) -> None:
    imp, df = implied_targets(stated.s), stated.df
    claims = imp[imp["kind"] == "claim"].set_index("year")
    assert claims.index.tolist() == [2030, 2035]
    assert set(imp["kind"]) == {"target", "claim"}
    for year, pct in ((2030, 3.0), (2035, 3.5)):
        r = claims.loc[year]
        assert (r["unit"], r["stated"], r["pct_gdp"]) == ("pct_gdp", pct, pct)
        assert r["usd_bn"] == pytest.approx(pct / 100 * df.loc[year, "gdp_usd_bn"], rel=1e-12)
        assert r["czk_bn"] == pytest.approx(pct / 100 * df.loc[year, "gdp_czk_bn"], rel=1e-12)
        assert r["prices"] == ""


def test_implied_targets_of_a_constant_price_target(write_scenario) -> None:
    # USD 15 bn at 2025 prices in 2030: 15 x rate(2025) x deflator(2030) / deflator(2025) CZK bn.
    path = write_scenario('title = "Constant"\n\n[[targets]]\nyear = 2030\nvalue = 15.0\nunit = "usd_bn"\n'
                          'prices = "constant"\nbase_year = 2025\n')
    s = load_scenario(path)
    df = project(s)
    r = implied_targets(s).iloc[0]
    czk = 15.0 * df.loc[2025, "czk_per_usd"] * df.loc[2030, "gdp_deflator_2020_100"] / df.loc[
        2025, "gdp_deflator_2020_100"]
    assert (r["prices"], r["stated"]) == ("constant", 15.0)
    assert r["czk_bn"] == pytest.approx(czk, rel=1e-12)
    assert r["usd_bn"] == pytest.approx(czk / df.loc[2030, "czk_per_usd"], rel=1e-12)
    assert df.loc[2030, "defense_czk_bn"] == pytest.approx(czk, rel=1e-12)


# ---- disagreements -------------------------------------------------------------------------------


def test_stated_targets_disagree_with_their_claims(stated: SimpleNamespace) -> None:
    found = disagreements(stated.s)
    assert len(found) == 2
    first, second = found
    # 2030: USD 15 bn is 3.20 % of GDP, the claim 3.0 %: 3.20 > 3.0 x 1.05 = 3.15.
    assert first.startswith("2030:")
    assert "3.20" in first and "3 % of GDP" in first
    # 2035: USD 23-25 bn is 4.05-4.40 % of GDP, the claim 3.5 %: 4.05 > 3.5 x 1.05 = 3.675.
    assert second.startswith("2035:")
    assert "4.05-4.40" in second and "3.5 % of GDP" in second
    assert all("5 %" in m for m in found)


def test_disagreements_respect_the_tolerance(stated: SimpleNamespace) -> None:
    # 3.20 % vs 3.0 % is 6.8 % off; 4.05 % vs 3.5 % is 15.6 % off.
    assert len(disagreements(stated.s, tolerance_pct=10.0)) == 1
    assert disagreements(stated.s, tolerance_pct=20.0) == []


TARGET_3PCT = 'title = "Agreeing claim"\n\n[[targets]]\nyear = 2030\nvalue = 3.0\nunit = "pct_gdp"\n'


def test_a_claim_equal_to_the_target_is_no_disagreement(write_scenario) -> None:
    path = write_scenario(TARGET_3PCT + '\n[[claims]]\nyear = 2030\nvalue = 3.0\nunit = "pct_gdp"\n')
    assert disagreements(load_scenario(path)) == []


@pytest.mark.parametrize(("factor", "expected"), [(1.0, 0), (1.04, 0), (0.96, 0), (1.06, 1), (0.94, 1)])
def test_a_usd_claim_near_the_implied_amount(write_scenario, factor: float, expected: int) -> None:
    # 3 % of GDP in 2030 is about USD 14.05 bn; a USD claim within 5 % of that agrees.
    s = load_scenario(write_scenario(TARGET_3PCT))
    usd = float(implied_targets(s).iloc[0]["usd_bn"])
    assert usd == pytest.approx(3.0 / 100 * project(s).loc[2030, "gdp_usd_bn"])
    claim = f'\n[[claims]]\nyear = 2030\nvalue = {usd * factor!r}\nunit = "usd_bn"\n'
    found = disagreements(load_scenario(write_scenario(TARGET_3PCT + claim)))
    assert len(found) == expected
    if expected:
        assert "USD bn" in found[0] and f"{usd:.2f}" in found[0]


def test_a_range_claim_overlapping_the_path_agrees(write_scenario) -> None:
    claim = '\n[[claims]]\nyear = 2030\nlow = 2.5\nhigh = 2.9\nunit = "pct_gdp"\n'
    # 3.0 <= 2.9 x 1.05 = 3.045: within tolerance of the range's high end.
    assert disagreements(load_scenario(write_scenario(TARGET_3PCT + claim))) == []
    claim = '\n[[claims]]\nyear = 2030\nlow = 2.0\nhigh = 2.5\nunit = "pct_gdp"\n'
    found = disagreements(load_scenario(write_scenario(TARGET_3PCT + claim)))
    assert len(found) == 1 and "2-2.5 % of GDP" in found[0] and "3.00 % of GDP" in found[0]


def test_a_czk_claim_is_compared_in_czk(write_scenario) -> None:
    s = load_scenario(write_scenario(TARGET_3PCT))
    czk = float(project(s).loc[2030, "defense_czk_bn"])
    ok = f'\n[[claims]]\nyear = 2030\nvalue = {czk!r}\nunit = "czk_bn"\n'
    assert disagreements(load_scenario(write_scenario(TARGET_3PCT + ok))) == []
    off = f'\n[[claims]]\nyear = 2030\nvalue = {czk * 1.2!r}\nunit = "czk_bn"\n'
    found = disagreements(load_scenario(write_scenario(TARGET_3PCT + off)))
    assert len(found) == 1 and "CZK bn" in found[0]


def test_no_claims_no_disagreements() -> None:
    for name in ("legal-floor-2pct", "nato-core-3.5", "fiala-3pct-2030"):
        assert disagreements(scenario(name)) == []


def test_a_constant_price_claim_is_converted_before_comparing(write_scenario) -> None:
    text = ('title = "Constant claim"\n\n[[targets]]\nyear = 2030\nvalue = 15.0\nunit = "usd_bn"\n\n'
            '[[claims]]\nyear = 2030\nvalue = 15.0\nunit = "usd_bn"\nprices = "constant"\nbase_year = 2025\n')
    s = load_scenario(write_scenario(text))
    claim = implied_targets(s).set_index("kind").loc["claim"]
    assert claim["usd_bn"] == pytest.approx(16.57, abs=0.01)  # deflator 2025-2030: +10.5 %
    assert len(disagreements(s)) == 1


# ---- budget validate -----------------------------------------------------------------------------


def test_validate_prints_the_disagreements_and_exits_0() -> None:
    result = call("validate", str(SCENARIOS / "stated-targets.toml"))
    assert result.status == 0, result.stderr
    assert result.stderr == ""
    lines_out = result.stdout.splitlines()
    assert lines_out[0].startswith("ok  ") and "stated-targets.toml" in lines_out[0]
    warnings = [ln for ln in lines_out if "warning: targets and claims disagree" in ln]
    assert len(warnings) == 2
    assert "2030" in warnings[0] and "3.20" in warnings[0] and "3 % of GDP" in warnings[0]
    assert "2035" in warnings[1] and "4.05-4.40" in warnings[1] and "3.5 % of GDP" in warnings[1]


def test_validate_prints_no_warning_without_claims(tmp_path: Path) -> None:
    path = tmp_path / "agree.toml"
    claim = '\n[[claims]]\nyear = 2030\nvalue = 3.0\nunit = "pct_gdp"\n'
    path.write_text(TARGET_3PCT + claim, encoding="utf-8")
    result = call("validate", str(path), str(SCENARIOS / "legal-floor-2pct.toml"))
    assert result.status == 0, result.stderr
    assert "warning" not in result.stdout
    assert sum(ln.startswith("ok  ") for ln in result.stdout.splitlines()) == 2
