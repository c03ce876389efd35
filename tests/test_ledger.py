"""The ledger (``budget.gaps``), implied targets and target/claim disagreements.

The ledger has one row per binding line, range end (``low``, ``high``) and projection year. Every
difference is share minus reference (+ = above, - = short), against the line's level and against
the path to it. Data used (budget/data/czechia/series.csv): NATO core share 2024 2.0757 % (2.075680277 unrounded)
(estimate), 2025 2.00 %; resilience 2024 1.28 % (the only year with both figures).
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from conftest import SCENARIOS, call

import budget
from budget import cumulative, load_scenario, project
from budget.ledger import disagreements, gaps, implied_targets, ledger_columns, window_claims
from budget.pledges import lines_for

T0 = 2025  # last data year of the Czech data
YEARS = list(range(2026, 2036))  # projection years of every bundled scenario
LEVEL = {"cz_legal_floor": 2.0, "nato_2pct": 2.0, "nato_core": 3.5, "nato_total": 5.0}  # lowest first
ENDS = ("low", "high")
DEFL = "gdp_deflator_2020_100"
TOL = 1e-9
# Czech share history (NATO): below 2 % every year to 2023, then 2.075680277 % (2024) and 2.00 % (2025).
HISTORY_MEETS_2PCT_FROM = 2024


def scenario(name: str) -> budget.Scenario:
    return load_scenario(SCENARIOS / f"{name}.toml")


def rows(g: pd.DataFrame, line: str, end: str) -> pd.DataFrame:
    """The ledger rows of one line and range end, indexed by year."""
    return g[(g["line"] == line) & (g["end"] == end)].set_index("year")


@pytest.fixture(scope="module")
def stated() -> SimpleNamespace:
    s = scenario("stated-targets")
    df = project(s)
    return SimpleNamespace(s=s, df=df, g=gaps(s))


# ---- shape -----------------------------------------------------------------------------------------


def test_one_row_per_line_end_and_projection_year(stated: SimpleNamespace) -> None:
    g = stated.g
    assert list(g.columns) == ledger_columns("czk")
    assert list(g["line"].unique()) == [ln.id for ln in lines_for(stated.s.data)] == list(LEVEL)
    assert len(g) == len(LEVEL) * len(ENDS) * len(YEARS)
    # Sorted by line (lowest level first), then end (low before high), then year.
    expected = [(line, end, year) for line in LEVEL for end in ENDS for year in YEARS]
    assert list(zip(g["line"], g["end"], g["year"], strict=True)) == expected
    for line, level in LEVEL.items():
        part = g[g["line"] == line]
        assert (part["level_pct_gdp"] == level).all()
        assert set(part["compares_with"]) == {"total" if line == "nato_total" else "core"}
    assert str(g["met_from"].dtype) == "Int64"
    assert g["meets_level"].dtype == bool and g["meets_path"].dtype == bool


def test_gaps_with_a_given_frame_equals_gaps_without(stated: SimpleNamespace) -> None:
    pd.testing.assert_frame_equal(gaps(stated.s, stated.df), stated.g)


def test_gaps_refuses_what_is_not_a_scenario_or_a_frame(stated: SimpleNamespace) -> None:
    with pytest.raises(TypeError, match=r"scenario: expected a budget\.Scenario"):
        gaps("scenarios/stated-targets.toml")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="frame: expected the DataFrame"):
        gaps(stated.s, stated.df.to_dict())  # type: ignore[arg-type]


# ---- hand-computed cases -------------------------------------------------------------------------


def test_legal_floor_is_exactly_at_the_2pct_lines() -> None:
    # Spending = 2.0 % of GDP every year from 2026 (step target, held). Both 2 % lines (NATO's and
    # the Czech law's) have the level 2.0 %, and their pledge year (2024) has passed, so their path
    # is the level too: every difference is 0 in every unit, and every year meets both.
    g = gaps(scenario("legal-floor-2pct"))
    for line in ("cz_legal_floor", "nato_2pct"):
        for end in ENDS:
            r = rows(g, line, end)
            assert r.index.tolist() == YEARS
            assert r["share_pct_gdp"].to_numpy() == pytest.approx(2.0, rel=1e-12)
            assert r["path_pct_gdp"].tolist() == [2.0] * len(YEARS)
            for cmp in ("level", "path"):
                for col in (
                    f"share_minus_{cmp}_pct_points",
                    f"spending_minus_{cmp}_usd_bn",
                    f"spending_minus_{cmp}_czk_bn",
                    f"cumulative_minus_{cmp}_usd_bn",
                ):
                    assert np.abs(r[col].to_numpy()).max() < 1e-9, (line, end, col)
                assert r[f"meets_{cmp}"].all()
            # 2.0757 % (2.075680277 unrounded) in 2024, 2.00 % in 2025 and 2.0 % after: met from 2024 (history counts).
            assert (r["met_from"] == HISTORY_MEETS_2PCT_FROM).all()
            assert r["resilience_needed_pct_gdp"].isna().all()  # a core line


def test_legal_floor_against_the_core_line_by_hand() -> None:
    # 2.0 % every year against the 3.5 % level: 1.5 points short, i.e. 1.5 % of that year's GDP.
    # The path runs 2.0 + 0.15 (t - 2025): 2.0 % is 0.15 (t - 2025) points short of it.
    s = scenario("legal-floor-2pct")
    df, g = project(s), gaps(s)
    r = rows(g, "nato_core", "high")
    k = np.arange(1, 11)
    assert r["share_minus_level_pct_points"].to_numpy() == pytest.approx(-1.5, rel=1e-9)
    assert r["share_minus_path_pct_points"].to_numpy() == pytest.approx(-0.15 * k, rel=1e-9)
    gdp_usd, gdp_czk = df.loc[2026:2035, "gdp_usd_bn"].to_numpy(), df.loc[2026:2035, "gdp_czk_bn"].to_numpy()
    assert r["spending_minus_level_usd_bn"].to_numpy() == pytest.approx(-0.015 * gdp_usd, rel=1e-9)
    assert r["spending_minus_level_czk_bn"].to_numpy() == pytest.approx(-0.015 * gdp_czk, rel=1e-9)
    assert r["spending_minus_path_usd_bn"].to_numpy() == pytest.approx(-0.0015 * k * gdp_usd, rel=1e-9)
    assert not r["meets_level"].any() and not r["meets_path"].any()
    assert r["met_from"].isna().all()
    # 2 % + resilience to reach 5 %: at least 3 % of GDP (the scenario models no resilience).
    total = rows(g, "nato_total", "low")
    assert total["share_pct_gdp"].isna().all()
    assert total["resilience_needed_pct_gdp"].to_numpy() == pytest.approx(3.0, rel=1e-9)


def test_nato_core_scenario_follows_the_path_and_meets_the_level_in_2035() -> None:
    # The scenario and the path to 3.5 % are the same line: 2.0 + 0.15 (t - 2025) % of GDP.
    # Against the path: 0 every year, met every year. Against the level: 0.15 (t - 2025) - 1.5
    # points, short until 2035, met only (and so from) 2035.
    s = scenario("nato-core-3.5")
    df, g = project(s), gaps(s)
    k = np.arange(1, 11)
    for end in ENDS:
        r = rows(g, "nato_core", end)
        assert r["path_pct_gdp"].to_numpy() == pytest.approx(2.0 + 0.15 * k, rel=1e-12)
        assert r["share_pct_gdp"].to_numpy() == pytest.approx(2.0 + 0.15 * k, rel=1e-12)
        assert np.abs(r["share_minus_path_pct_points"].to_numpy()).max() < 1e-9
        assert np.abs(r["cumulative_minus_path_usd_bn"].to_numpy()).max() < 1e-9
        assert r["meets_path"].all()
        diff = 0.15 * k - 1.5
        np.testing.assert_allclose(r["share_minus_level_pct_points"], diff, atol=1e-9)
        usd = diff / 100 * df.loc[2026:2035, "gdp_usd_bn"].to_numpy()
        np.testing.assert_allclose(r["spending_minus_level_usd_bn"], usd, atol=1e-9)
        np.testing.assert_allclose(r["cumulative_minus_level_usd_bn"], np.cumsum(usd), atol=1e-9)
        assert r["meets_level"].tolist() == [y == 2035 for y in YEARS]
        assert (r["met_from"] == 2035).all()


def test_nato_total_scenario_against_the_5pct_line_by_hand() -> None:
    # Total = core + resilience: core 2.0 + 0.15 k, resilience 1.28 + 0.022 k (k = t - 2025), so
    # 3.28 + 0.172 k: 4.14 % in 2030 and 5.0 % in 2035.
    # The path starts from the last year with both figures in the data, 2024: 2.075680277 + 1.28 =
    # 3.3557 %, to 5 % in 2035: 3.3557 + 1.6443 (t - 2024) / 11. In 2030: 4.252582 %.
    s = scenario("nato-total-5")
    df, g = project(s), gaps(s)
    k = np.arange(1, 11)
    years = np.array(YEARS)
    path = 3.355680277 + (5.0 - 3.355680277) * (years - 2024) / 11
    for end in ENDS:
        r = rows(g, "nato_total", end)
        assert r["share_pct_gdp"].to_numpy() == pytest.approx(3.28 + 0.172 * k, rel=1e-12)
        assert r["path_pct_gdp"].to_numpy() == pytest.approx(path, rel=1e-12)
        assert r.loc[2030, "path_pct_gdp"] == pytest.approx(4.252582, abs=1e-6)
        assert r.loc[2030, "share_minus_path_pct_points"] == pytest.approx(4.14 - 4.252582, abs=1e-6)
        assert r.loc[2030, "share_minus_level_pct_points"] == pytest.approx(4.14 - 5.0, rel=1e-9)
        czk = (4.14 - 5.0) / 100 * df.loc[2030, "gdp_czk_bn"]
        assert r.loc[2030, "spending_minus_level_czk_bn"] == pytest.approx(czk, rel=1e-9)
        # It starts below the path (3.452 % against 3.654664 % in 2026) and joins it in 2035.
        assert not r.loc[:2034, "meets_path"].any() and r.loc[2035, "meets_path"]
        assert r["meets_level"].tolist() == [y == 2035 for y in YEARS]
        assert (r["met_from"] == 2035).all()
        # The resilience a total line needs is the level minus core: 5 - (2.0 + 0.15 k), 1.5 in 2035.
        assert r["resilience_needed_pct_gdp"].to_numpy() == pytest.approx(3.0 - 0.15 * k, rel=1e-9)
    # The core line is still compared with core defense alone: exactly at 3.5 % in 2035.
    core = rows(g, "nato_core", "high")
    assert core.loc[2035, "share_minus_level_pct_points"] == pytest.approx(0.0, abs=1e-9)
    assert core.loc[2035, "share_pct_gdp"] == pytest.approx(3.5, rel=1e-12)


def test_stated_targets_both_ends_in_2033(stated: SimpleNamespace) -> None:
    # USD path: low 15 + (23 - 15) x 3/5 = 19.8, high 15 + (25 - 15) x 3/5 = 21.0 in 2033. Money
    # difference = spending minus the line in money at the same GDP (the projection's columns).
    df = stated.df
    for end, usd in (("low", 19.8), ("high", 21.0)):
        r = rows(stated.g, "nato_core", end).loc[2033]
        assert df.loc[2033, f"defense_usd_bn_{end}"] == pytest.approx(usd, rel=1e-12)
        share = usd * df.loc[2033, "czk_per_usd"] / df.loc[2033, "gdp_czk_bn"] * 100
        assert r["share_pct_gdp"] == pytest.approx(share, rel=1e-12)
        assert r["share_minus_level_pct_points"] == pytest.approx(share - 3.5, rel=1e-12)
        assert r["spending_minus_level_usd_bn"] == pytest.approx(usd - df.loc[2033, "nato_core_level_usd_bn"], rel=1e-9)
        czk = df.loc[2033, f"defense_czk_bn_{end}"] - df.loc[2033, "nato_core_level_czk_bn"]
        assert r["spending_minus_level_czk_bn"] == pytest.approx(czk, rel=1e-9)
        assert r["spending_minus_path_usd_bn"] == pytest.approx(usd - df.loc[2033, "nato_core_path_usd_bn"], rel=1e-9)
        # Path in 2033: 2.0 + 0.15 x 8 = 3.2 %; 3.76 % (low) and 3.99 % (high) are above it and the level.
        assert r["path_pct_gdp"] == pytest.approx(3.2, rel=1e-12)
        assert r["meets_level"] and r["meets_path"]
    low, high = (rows(stated.g, "nato_core", e).loc[2033, "share_pct_gdp"] for e in ENDS)
    assert low == pytest.approx(3.764892, abs=1e-6) and high == pytest.approx(3.993068, abs=1e-6)


@pytest.mark.parametrize("line", list(LEVEL))
@pytest.mark.parametrize("end", ENDS)
def test_cumulative_differences_are_the_running_sums(stated: SimpleNamespace, line: str, end: str) -> None:
    r, df = rows(stated.g, line, end), stated.df
    for cmp in ("level", "path"):
        yearly = r[f"spending_minus_{cmp}_usd_bn"].to_numpy()
        np.testing.assert_allclose(r[f"cumulative_minus_{cmp}_usd_bn"], np.cumsum(yearly), rtol=1e-12, atol=1e-12)
    if line == "nato_total":  # no resilience in this scenario: nothing to sum
        assert r["cumulative_minus_level_usd_bn"].isna().all()
        return
    # The 2035 sum = spending summed 2026-2035 minus the line in money summed 2026-2035.
    spent = cumulative(df, f"defense_usd_bn_{end}", 2026, 2035)
    for cmp in ("level", "path"):
        owed = cumulative(df, f"{line}_{cmp}_usd_bn", 2026, 2035)
        assert r.loc[2035, f"cumulative_minus_{cmp}_usd_bn"] == pytest.approx(spent - owed, rel=1e-9)


def test_stated_targets_sums_by_hand(stated: SimpleNamespace) -> None:
    # Against 2 %: USD 63.3 bn (low) and 69.3 bn (high) above over 2026-2035. The line in money is
    # the same at both ends, so the sums differ by the spending alone: the high USD path minus
    # the low one, 0 to 2030 and 0.4, 0.8, 1.2, 1.6, 2.0 in 2031-2035.
    low, high = (rows(stated.g, "nato_2pct", e).loc[2035, "cumulative_minus_level_usd_bn"] for e in ENDS)
    df = stated.df
    extra = (df.loc[2026:2035, "defense_usd_bn_high"] - df.loc[2026:2035, "defense_usd_bn_low"]).sum()
    assert extra == pytest.approx(6.0, rel=1e-12)
    assert high - low == pytest.approx(6.0, rel=1e-9)
    assert (round(low, 1), round(high, 1)) == (63.3, 69.3)


@pytest.mark.parametrize(
    "name",
    [
        "stated-targets",
        "legal-floor-2pct",
        "nato-core-3.5",
        "nato-total-5",
        "babis-2026-budget",
        "fiala-3pct-2030",
        "stated-targets-weak-koruna",
    ],
)
def test_shares_meets_and_met_from_follow_the_projection(name: str) -> None:
    s = scenario(name)
    df, g = project(s), gaps(s)
    for line, level in LEVEL.items():
        for end in ENDS:
            r = rows(g, line, end)
            core = df[f"defense_pct_gdp_{end}"]
            if line != "nato_total":
                full = core
            elif s.resilience is not None:
                full = core + df["resilience_pct_gdp"]
            else:
                full = core * np.nan
            np.testing.assert_allclose(r["share_pct_gdp"], full.loc[2026:2035], rtol=1e-12)
            share = r["share_pct_gdp"]
            assert r["meets_level"].tolist() == [bool(v >= level - TOL) for v in share]  # NaN never meets
            assert r["meets_path"].tolist() == [
                bool(v >= p - TOL) for v, p in zip(share, r["path_pct_gdp"], strict=True)
            ]
            # "above" is the sign of share minus level, never a separate test.
            known = share.notna()
            assert ((r.loc[known, "share_minus_level_pct_points"] >= -TOL) == r.loc[known, "meets_level"]).all()
            # met_from: the first year of the unbroken run of meeting years to 2035, history counted.
            ok = [bool(v >= level - TOL) for v in full.loc[:2035]]
            years = full.loc[:2035].index.tolist()
            expected = None
            if ok[-1]:
                expected = years[0] if all(ok) else years[max(i for i, v in enumerate(ok) if not v) + 1]
            assert r["met_from"].nunique(dropna=False) == 1
            first = r["met_from"].iloc[0]
            assert (pd.isna(first) and expected is None) or first == expected, (line, end, first, expected)


def test_stated_targets_meet_from(stated: SimpleNamespace) -> None:
    # Both 2 % lines from 2024 (history); 3.5 %: 2031 has 3.41 % (low) and 3.49 % (high), 2032
    # 3.60 % and 3.76 %: from 2032 at both ends. The total has no resilience figure: unknown.
    met = stated.g.groupby(["line", "end"])["met_from"].first()
    for end in ENDS:
        assert met[("cz_legal_floor", end)] == met[("nato_2pct", end)] == 2024
        assert met[("nato_core", end)] == 2032
        assert pd.isna(met[("nato_total", end)])
    share = rows(stated.g, "nato_core", "high")["share_pct_gdp"]
    assert share[2031] < 3.5 <= share[2032]


def test_required_real_growth_by_hand(stated: SimpleNamespace) -> None:
    df = stated.df
    # need = 3.5 % x GDP(2035) at 2025 prices; have = defense spending 2025 (CZK bn, 2.00 % of GDP);
    # growth = (need / have) ** (1 / 10) - 1: 7.88 % a year.
    need = 0.035 * df.loc[2035, "gdp_czk_bn"] * df.loc[T0, DEFL] / df.loc[2035, DEFL]
    have = df.loc[T0, "defense_czk_bn"]
    assert have == pytest.approx(0.02 * df.loc[T0, "gdp_czk_bn"])
    expected = ((need / have) ** (1 / 10) - 1) * 100
    core = stated.g.loc[stated.g["line"] == "nato_core", "required_real_growth_pct"]
    assert len(core) == 20 and (core == core.iloc[0]).all()  # the same at both ends, every year
    assert core.iloc[0] == pytest.approx(expected, rel=1e-12)
    assert 7.8 < expected < 8.0
    # Growing 2025 spending at that real rate for 10 years reaches 3.5 % of 2035 GDP.
    reached = have * (1 + core.iloc[0] / 100) ** 10 * df.loc[2035, DEFL] / df.loc[T0, DEFL]
    assert reached == pytest.approx(0.035 * df.loc[2035, "gdp_czk_bn"], rel=1e-12)
    # A pledge year that has passed (2024) has no growth to reach it; a total line without a
    # resilience figure has nothing to grow from.
    for line in ("cz_legal_floor", "nato_2pct", "nato_total"):
        assert stated.g.loc[stated.g["line"] == line, "required_real_growth_pct"].isna().all(), line


def test_required_real_growth_does_not_depend_on_the_path() -> None:
    # It starts from 2025 data and ends on the line: the scenario's targets do not enter.
    def growth(name: str) -> float:
        g = gaps(scenario(name))
        return float(g.loc[g["line"] == "nato_core", "required_real_growth_pct"].iloc[0])

    assert growth("stated-targets") == growth("legal-floor-2pct") == growth("nato-core-3.5")
    # ... but it does depend on the economy: slower GDP growth needs less to reach 3.5 % of it.
    assert growth("stated-targets-slow-growth") < growth("stated-targets")


def test_required_real_growth_for_the_total_line_starts_from_core_plus_resilience() -> None:
    s = scenario("nato-total-5")
    df, g = project(s), gaps(s)
    need = 0.05 * df.loc[2035, "gdp_czk_bn"] * df.loc[T0, DEFL] / df.loc[2035, DEFL]
    have = df.loc[T0, "total_czk_bn"]  # (2.00 + 1.28) % of 2025 GDP: the scenario's resilience start
    assert have == pytest.approx(0.0328 * df.loc[T0, "gdp_czk_bn"])
    got = g.loc[g["line"] == "nato_total", "required_real_growth_pct"]
    assert got.to_numpy() == pytest.approx(((need / have) ** 0.1 - 1) * 100, rel=1e-12)
    assert got.iloc[0] == pytest.approx(6.4034, abs=5e-5)


def test_a_scenario_ending_before_the_pledge_year(write_scenario) -> None:
    path = write_scenario(
        'title = "Ends in 2030"\n\n[path]\nend_year = 2030\n\n[[targets]]\nyear = 2030\nvalue = 3.0\nunit = "pct_gdp"\n'
    )
    g = gaps(load_scenario(path))
    for line in LEVEL:
        for end in ENDS:
            assert rows(g, line, end).index.tolist() == list(range(2026, 2031))
    core = rows(g, "nato_core", "high")
    # No 2035 GDP to aim at: no required growth; 3 % < 3.5 % in 2030: not met by the end year.
    assert core["required_real_growth_pct"].isna().all()
    assert core["met_from"].isna().all()
    # The path stops with the projection: 2030 is its halfway point, 2.75 %.
    assert core.loc[2030, "path_pct_gdp"] == pytest.approx(2.75, rel=1e-12)
    assert core.loc[2030, "share_minus_path_pct_points"] == pytest.approx(0.25, rel=1e-9)


def test_a_stopped_path_is_never_counted_as_meeting_or_summed_as_zero() -> None:
    import dataclasses

    # 2.0 % in 2026, then no path: 2027-2035 have no share, so no "meets", no sum, and the end
    # year has no figure to meet the line with.
    s = dataclasses.replace(scenario("legal-floor-2pct"), after_last="stop")
    assert s.targets[-1].year == 2026
    r = rows(gaps(s), "nato_2pct", "high")
    assert r.loc[2026, "meets_level"] and r.loc[2026, "cumulative_minus_level_usd_bn"] == pytest.approx(0, abs=1e-9)
    after = r.loc[2027:]
    assert len(after) == 9
    assert after["share_pct_gdp"].isna().all()
    assert not after["meets_level"].any() and not after["meets_path"].any()
    assert after["cumulative_minus_level_usd_bn"].isna().all()
    assert r["met_from"].isna().all()


# ---- implied targets -----------------------------------------------------------------------------


def test_implied_targets_restate_each_target(stated: SimpleNamespace) -> None:
    imp, df = implied_targets(stated.s), stated.df
    targets = imp[imp["kind"] == "target"]
    assert targets[["year", "end", "stated"]].values.tolist() == [
        [2030, "value", 15.0],
        [2035, "low", 23.0],
        [2035, "high", 25.0],
    ]
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
    path = write_scenario(
        'title = "Constant"\n\n[[targets]]\nyear = 2030\nvalue = 15.0\nunit = "usd_bn"\n'
        'prices = "constant"\nbase_year = 2025\n'
    )
    s = load_scenario(path)
    df = project(s)
    r = implied_targets(s).iloc[0]
    czk = 15.0 * df.loc[2025, "czk_per_usd"] * df.loc[2030, DEFL] / df.loc[2025, DEFL]
    assert (r["prices"], r["stated"]) == ("constant", 15.0)
    assert r["czk_bn"] == pytest.approx(czk, rel=1e-12)
    assert r["usd_bn"] == pytest.approx(czk / df.loc[2030, "czk_per_usd"], rel=1e-12)
    assert df.loc[2030, "defense_czk_bn"] == pytest.approx(czk, rel=1e-12)


def test_the_procurement_window_claim_by_hand(stated: SimpleNamespace) -> None:
    # "$30-35 billion on purchasing new equipment in the next 10 years" (2026-2035) against
    # procurement summed over the same years: 20 % of the low path to 25 % of the high path.
    # Defense sums: USD 159.35 bn (low) and 165.35 bn (high, 6.0 bn more); the claim is then
    # 30 / 165.35 = 18.1 % to 35 / 159.35 = 22.0 % of defense.
    df = stated.df
    (w,) = window_claims(stated.s)
    low, high = (df.loc[2026:2035, f"defense_usd_bn_{e}"].sum() for e in ENDS)
    assert (w.defense_low, w.defense_high) == (pytest.approx(low, rel=1e-12), pytest.approx(high, rel=1e-12))
    assert high - low == pytest.approx(6.0, rel=1e-9)
    assert w.path_low == pytest.approx(cumulative(df, "procurement_usd_bn_low", 2026, 2035), rel=1e-12)
    assert w.path_high == pytest.approx(cumulative(df, "procurement_usd_bn_high", 2026, 2035), rel=1e-12)
    assert w.implied_pct == (pytest.approx(30 / high * 100), pytest.approx(35 / low * 100))
    assert w.agrees  # USD 31.9-41.3 bn overlaps USD 30-35 bn
    assert "USD 31.9-41.3 bn" in w.sentence and "18.1-22.0 %" in w.sentence
    # A window is summed, never restated as one year's figure, and is no disagreement here.
    assert stated.s.claims[-1].is_window
    assert len(implied_targets(stated.s).query("kind == 'claim'")) == 2
    assert not any(m.startswith("2026-2035") for m in disagreements(stated.s))


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
    text = (
        'title = "Constant claim"\n\n[[targets]]\nyear = 2030\nvalue = 15.0\nunit = "usd_bn"\n\n'
        '[[claims]]\nyear = 2030\nvalue = 15.0\nunit = "usd_bn"\nprices = "constant"\nbase_year = 2025\n'
    )
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
