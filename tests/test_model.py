"""Hand-computed cases for the model: every expected number is worked out in a comment.

Data used (budget/data/czechia/series.csv): last data year 2025; IMF WEO Oct 2025 GDP (CZK bn)
2025 8,410.931, 2029 9,872.138, 2030 10,261.645; GDP deflator (2020 = 100) 2025 130.184,
2029 141.152, 2030 143.821; CNB CZK per USD 2025 21.914; NATO share of GDP 2025 2.0 %.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from conftest import SCENARIOS

import budget
from budget import cumulative, load_scenario, project
from budget.model import central_rates, interpolate

GDP25, GDP29, GDP30 = 8410.931, 9872.138, 10261.645
P25, P29, P30 = 130.184, 141.152, 143.821
RATE25 = 21.914
PROJECTION = list(range(2026, 2036))

STATED = load_scenario(SCENARIOS / "stated-targets.toml")
STATED_DF = project(STATED)
REL = 1e-9


def approx(x: float, rel: float = REL) -> object:
    return pytest.approx(x, rel=rel)


def toml_project(write_scenario, body: str = "", targets: str | None = None) -> pd.DataFrame:
    """Project a scenario written as TOML: ``body`` holds tables, ``targets`` the [[targets]]."""
    if targets is None:
        targets = '[[targets]]\nyear = 2030\nvalue = 3.0\nunit = "pct_gdp"\n'
    return project(load_scenario(write_scenario('title = "test"\n' + body + "\n" + targets)))


# ---- interpolate ---------------------------------------------------------------------------------

YEARS = np.arange(2025, 2031)


def test_interpolate_linear() -> None:
    # 10 + (20 - 10) * (t - 2025) / 5: 2026 -> 12, 2027 -> 14, ..., 2030 -> 20
    out = interpolate(np.array([2025, 2030]), np.array([10.0, 20.0]), YEARS, "linear")
    np.testing.assert_allclose(out, [10, 12, 14, 16, 18, 20], rtol=1e-12)
    assert out[2] == pytest.approx(14.0, rel=1e-12)


def test_interpolate_geometric() -> None:
    # 10 * (20 / 10) ** ((t - 2025) / 5): 2027 -> 10 * 2 ** (2 / 5) = 13.195...
    out = interpolate(np.array([2025, 2030]), np.array([10.0, 20.0]), YEARS, "geometric")
    assert out[2] == pytest.approx(10 * 2 ** (2 / 5), rel=1e-12)
    assert out[2] == pytest.approx(13.1950791077, rel=1e-10)
    np.testing.assert_allclose(out[1:] / out[:-1], 2 ** (1 / 5), rtol=1e-12)  # constant ratio


def test_interpolate_step() -> None:
    # the left anchor's value until the next anchor year: 10 for 2025-2029, 20 in 2030
    out = interpolate(np.array([2025, 2030]), np.array([10.0, 20.0]), YEARS, "step")
    assert out.tolist() == [10, 10, 10, 10, 10, 20]


def test_interpolate_several_segments() -> None:
    a, v = np.array([2025, 2030, 2035]), np.array([10.0, 20.0, 15.0])
    years = np.array([2028, 2030, 2033, 2035])
    # linear: 2028 = 10 + 10 * 3/5 = 16; 2033 = 20 + (15 - 20) * 3/5 = 17
    np.testing.assert_allclose(interpolate(a, v, years, "linear"), [16, 20, 17, 15], rtol=1e-12)
    # step: 2028 -> 10, 2033 -> 20 (second segment's left anchor), 2035 -> 15
    assert interpolate(a, v, years, "step").tolist() == [10, 20, 20, 15]
    # geometric: 2028 = 10 * 2 ** (3/5); 2033 = 20 * 0.75 ** (3/5)
    np.testing.assert_allclose(interpolate(a, v, years, "geometric"), [10 * 2**0.6, 20, 20 * 0.75**0.6, 15], rtol=1e-12)


@pytest.mark.parametrize("method", ["linear", "geometric", "step"])
def test_interpolate_returns_anchor_values_exactly(method: str) -> None:
    # Awkward values: 13.1 + (3.3 - 13.1) * 1 and 13.1 * (3.3 / 13.1) ** 1 both differ from 3.3 in
    # floating point, so the last anchor is only exact if interpolate returns it as given.
    a = np.array([2025, 2027, 2031, 2034])
    v = np.array([0.1, 1 / 3, 13.1, 3.3])
    assert 13.1 + (3.3 - 13.1) * 1.0 != 3.3 and 13.1 * (3.3 / 13.1) ** 1.0 != 3.3
    out = interpolate(a, v, a, method)
    assert out.tolist() == v.tolist()  # exact, ==


def test_interpolate_works_on_leading_draw_axes() -> None:
    a, years = np.array([2025, 2030]), np.arange(2025, 2031)
    v = np.array([[10.0, 20.0], [5.0, 6.0]])
    out = interpolate(a, v, years, "linear")
    assert out.shape == (2, 6)
    np.testing.assert_allclose(out[1], [5.0, 5.2, 5.4, 5.6, 5.8, 6.0], rtol=1e-12)


def test_interpolate_rejects_an_unknown_method() -> None:
    with pytest.raises(ValueError, match="cubic"):
        interpolate(np.array([2025, 2030]), np.array([1.0, 2.0]), YEARS, "cubic")


# ---- conversions ---------------------------------------------------------------------------------


def test_usd_target_converts_to_czk_and_share_of_gdp() -> None:
    row = STATED_DF.loc[2030]
    # USD 15 bn x 21.914 CZK/USD (held at the 2025 CNB average) = CZK 328.71 bn
    assert row["czk_per_usd"] == approx(RATE25)
    assert row["defense_czk_bn"] == approx(328.71)
    # 328.71 / 10,261.645 x 100 = 3.20328... % of GDP
    assert row["gdp_czk_bn"] == approx(GDP30)
    assert row["defense_pct_gdp"] == approx(328.71 / 10261.645 * 100)
    assert round(row["defense_pct_gdp"], 4) == 3.2033
    # GDP in USD: 10,261.645 / 21.914 = 468.27...
    assert row["gdp_usd_bn"] == approx(GDP30 / RATE25)


def test_pct_gdp_target(write_scenario) -> None:
    df = toml_project(write_scenario)
    # 3.0 % of 10,261.645 = CZK 307.84935 bn = USD 307.84935 / 21.914 bn
    assert df.loc[2030, "defense_pct_gdp"] == approx(3.0)
    assert df.loc[2030, "defense_czk_bn"] == approx(0.03 * 10261.645)
    assert df.loc[2030, "defense_usd_bn"] == approx(0.03 * 10261.645 / 21.914)
    # linear in share from 2.0 % (2025) to 3.0 % (2030): 2027 = 2.0 + 1.0 x 2/5 = 2.4
    assert df.loc[2027, "defense_pct_gdp"] == approx(2.4)


def test_constant_price_czk_target(write_scenario) -> None:
    df = toml_project(
        write_scenario,
        targets='[[targets]]\nyear = 2030\nvalue = 250\nunit = "czk_bn"\nprices = "constant"\nbase_year = 2025\n',
    )
    # 250 x deflator(2030) / deflator(2025) = 250 x 143.821 / 130.184 = 276.19... current CZK bn
    assert df.loc[2030, "defense_czk_bn"] == approx(250 * 143.821 / 130.184)
    # and back at 2025 prices (the default prices_base_year) it is 250 again
    assert df.loc[2030, "defense_czk_bn_const"] == approx(250)


def test_constant_price_usd_target(write_scenario) -> None:
    df = toml_project(
        write_scenario,
        "[economy]\nczk_per_usd = 25.0\n",
        '[[targets]]\nyear = 2030\nvalue = 15\nunit = "usd_bn"\nprices = "constant"\nbase_year = 2025\n',
    )
    # CZK = 15 x rate(2025) x deflator ratio = 15 x 21.914 x 143.821 / 130.184 = 363.15...
    local = 15 * 21.914 * 143.821 / 130.184
    assert df.loc[2030, "defense_czk_bn"] == approx(local)
    # USD at current prices: CZK / rate(2030) = 363.15 / 25 = 14.53 (not 15: the koruna weakened)
    assert df.loc[2030, "czk_per_usd"] == approx(25.0)
    assert df.loc[2030, "defense_usd_bn"] == approx(local / 25.0)
    # constant 2025 USD: CZK x P25/P30 / rate(2025) = 15
    assert df.loc[2030, "defense_usd_bn_const"] == approx(15.0)


# ---- economy beyond the data ---------------------------------------------------------------------


def test_imf_years_are_reproduced() -> None:
    imf = {2026: 8758.845, 2027: 9124.746, 2028: 9499.681, 2029: 9872.138, 2030: 10261.645}
    for year, gdp in imf.items():
        assert STATED_DF.loc[year, "gdp_czk_bn"] == approx(gdp)
    assert STATED_DF.loc[2030, "gdp_deflator_2020_100"] == approx(P30)
    assert (STATED_DF.loc[2026:2030, "economy_status"] == "projection").all()
    assert (STATED_DF.loc[2031:2035, "economy_status"] == "assumption").all()


def test_gdp_after_the_imf_horizon_uses_the_last_imf_rates() -> None:
    # IMF 2029 -> 2030: deflator 143.821 / 141.152 = 1.018909; nominal 10,261.645 / 9,872.138
    # = 1.039455; real = 1.039455 / 1.018909 = 1.020165 (2.0165 %)
    pi = P30 / P29 - 1
    g = (GDP30 / GDP29) / (P30 / P29) - 1
    assert g * 100 == approx(2.0165, rel=1e-4)
    assert STATED_DF.loc[2031, "gdp_czk_bn"] == approx(GDP30 * (1 + g) * (1 + pi))
    assert STATED_DF.loc[2035, "gdp_czk_bn"] == approx(GDP30 * ((1 + g) * (1 + pi)) ** 5)
    assert STATED_DF.loc[2031, "gdp_deflator_2020_100"] == approx(P30 * (1 + pi))
    assert STATED_DF.loc[2033, "real_gdp_growth_pct"] == approx(g * 100)
    assert STATED_DF.loc[2033, "deflator_growth_pct"] == approx(pi * 100)


def test_central_rates_imply_the_imf_path() -> None:
    rates = central_rates(STATED)
    assert rates.index.tolist() == PROJECTION
    # 2026: (8,758.845 / 8,410.931) / (132.895 / 130.184) - 1
    assert rates.loc[2026, "real_gdp_growth_pct"] == approx(((8758.845 / GDP25) / (132.895 / P25) - 1) * 100)
    assert rates.loc[2026, "deflator_growth_pct"] == approx((132.895 / P25 - 1) * 100)
    assert (rates["rate_change_pct"] == 0).all()


def test_economy_rates_after_the_horizon(write_scenario) -> None:
    df = toml_project(write_scenario, "[economy]\nreal_growth_pct = 1.0\ndeflator_growth_pct = 2.0\n")
    # IMF unchanged to 2030; 2031 = 10,261.645 x 1.01 x 1.02; 2035 = 10,261.645 x 1.0302 ** 5
    assert df.loc[2030, "gdp_czk_bn"] == approx(GDP30)
    assert df.loc[2031, "gdp_czk_bn"] == approx(GDP30 * 1.01 * 1.02)
    assert df.loc[2035, "gdp_czk_bn"] == approx(GDP30 * (1.01 * 1.02) ** 5)
    assert df.loc[2031, "gdp_deflator_2020_100"] == approx(P30 * 1.02)
    assert df.loc[2032, "real_gdp_growth_pct"] == approx(1.0)
    assert df.loc[2032, "deflator_growth_pct"] == approx(2.0)


def test_assumptions_from_replaces_the_imf_projection(write_scenario) -> None:
    df = toml_project(
        write_scenario, "[economy]\nreal_growth_pct = 1.0\ndeflator_growth_pct = 2.0\nassumptions_from = 2026\n"
    )
    # 2026 = 8,410.931 x 1.01 x 1.02 = 8,665.04 (IMF had 8,758.845)
    assert df.loc[2025, "gdp_czk_bn"] == approx(GDP25)
    assert df.loc[2026, "gdp_czk_bn"] == approx(GDP25 * 1.0302)
    assert df.loc[2030, "gdp_czk_bn"] == approx(GDP25 * 1.0302**5)
    assert (df.loc[2026:2035, "economy_status"] == "assumption").all()


def test_assumptions_from_a_later_year_keeps_the_imf_before_it(write_scenario) -> None:
    df = toml_project(
        write_scenario, "[economy]\nreal_growth_pct = 1.0\ndeflator_growth_pct = 2.0\nassumptions_from = 2028\n"
    )
    # IMF for 2026-2027, then x 1.0302 a year: 2028 = 9,124.746 x 1.0302
    assert df.loc[2027, "gdp_czk_bn"] == approx(9124.746)
    assert df.loc[2028, "gdp_czk_bn"] == approx(9124.746 * 1.0302)
    assert df.loc[2026:2027, "economy_status"].tolist() == ["projection"] * 2
    assert (df.loc[2028:2035, "economy_status"] == "assumption").all()


@pytest.mark.parametrize("file", sorted(p.name for p in SCENARIOS.glob("*.toml")))
def test_gdp_is_never_flat(file: str) -> None:
    df = project(load_scenario(SCENARIOS / file))
    gdp = df.loc[2025:, "gdp_czk_bn"].to_numpy()
    assert (np.diff(gdp) > 0).all()


def test_gdp_rises_with_small_positive_growth(write_scenario) -> None:
    df = toml_project(
        write_scenario, "[economy]\nreal_growth_pct = 0.1\ndeflator_growth_pct = 0.1\nassumptions_from = 2026\n"
    )
    assert (np.diff(df.loc[2025:, "gdp_czk_bn"].to_numpy()) > 0).all()


# ---- exchange rate -------------------------------------------------------------------------------


def test_rate_is_held_at_the_2025_average_by_default() -> None:
    np.testing.assert_allclose(STATED_DF.loc[2026:2035, "czk_per_usd"], RATE25, rtol=1e-12)
    assert STATED_DF.loc[2024, "czk_per_usd"] == 23.208  # history untouched


def test_rate_level_sets_the_first_projection_year(write_scenario) -> None:
    df = toml_project(write_scenario, "[economy]\nczk_per_usd = 25.0\n")
    # 2026 = 25, no change afterwards
    assert df.loc[2026, "czk_per_usd"] == approx(25.0)
    assert df.loc[2035, "czk_per_usd"] == approx(25.0)
    assert df.loc[2025, "czk_per_usd"] == RATE25


def test_rate_level_and_change(write_scenario) -> None:
    df = toml_project(write_scenario, "[economy]\nczk_per_usd = 25.0\nczk_per_usd_change_pct = 2.0\n")
    # 2026 = 25; 2027 = 25 x 1.02 = 25.5; 2030 = 25 x 1.02 ** 4
    assert df.loc[2026, "czk_per_usd"] == approx(25.0)
    assert df.loc[2027, "czk_per_usd"] == approx(25.5)
    assert df.loc[2030, "czk_per_usd"] == approx(25 * 1.02**4)


def test_rate_change_without_a_level(write_scenario) -> None:
    df = toml_project(write_scenario, "[economy]\nczk_per_usd_change_pct = 2.0\n")
    # 2026 = 21.914 x 1.02 = 22.352; 2027 = 21.914 x 1.02 ** 2
    assert df.loc[2026, "czk_per_usd"] == approx(21.914 * 1.02)
    assert df.loc[2027, "czk_per_usd"] == approx(21.914 * 1.02**2)


def test_usd_target_is_met_in_usd_whatever_the_rate(write_scenario) -> None:
    df = toml_project(
        write_scenario,
        "[economy]\nczk_per_usd = 25.0\nczk_per_usd_change_pct = 2.0\n",
        '[[targets]]\nyear = 2030\nvalue = 15.0\nunit = "usd_bn"\n',
    )
    # USD 15 bn at 25 x 1.02 ** 4 CZK/USD = CZK 405.9... bn
    assert df.loc[2030, "defense_usd_bn"] == approx(15.0)
    assert df.loc[2030, "defense_czk_bn"] == approx(15 * 25 * 1.02**4)


# ---- after the last target -----------------------------------------------------------------------


def _after(rule: str) -> pd.DataFrame:
    return project(dataclasses.replace(STATED, targets=STATED.targets[:1], claims=(), after_last=rule))


def test_hold_share_keeps_the_share_of_gdp() -> None:
    df = _after("hold_share")
    # 2030: 3.2033 % of GDP, held to 2035; USD then grows with GDP in USD
    for year in range(2031, 2036):
        assert df.loc[year, "defense_pct_gdp"] == approx(df.loc[2030, "defense_pct_gdp"])
    gdp_usd = df["gdp_usd_bn"]
    assert df.loc[2035, "defense_usd_bn"] == approx(15.0 * gdp_usd.loc[2035] / gdp_usd.loc[2030])


def test_hold_real_keeps_the_constant_price_amount() -> None:
    df = _after("hold_real")
    for year in range(2031, 2036):
        assert df.loc[year, "defense_czk_bn_const"] == approx(df.loc[2030, "defense_czk_bn_const"])
    # current CZK grows with the deflator: 328.71 x P(2035) / P(2030)
    ratio = df.loc[2035, "gdp_deflator_2020_100"] / df.loc[2030, "gdp_deflator_2020_100"]
    assert df.loc[2035, "defense_czk_bn"] == approx(328.71 * ratio)
    # the share falls because real GDP grows
    assert df.loc[2035, "defense_pct_gdp"] < df.loc[2030, "defense_pct_gdp"]


def test_stop_gives_nan_after_the_last_target() -> None:
    df = _after("stop")
    cols = [c for c in df.columns if c.startswith(("defense_", "procurement_usd", "procurement_czk"))]
    assert df.loc[2030, "defense_usd_bn"] == 15.0
    assert df.loc[2031:2035, cols].isna().all().all()
    assert df.loc[2014:2030, [c for c in cols if c.startswith("defense_")]].notna().all().all()


def test_no_targets_holds_the_last_data_share() -> None:
    df = project(dataclasses.replace(STATED, targets=()))
    # no target: hold_share holds NATO's 2025 estimate of 2.0 % of GDP from 2026 on
    np.testing.assert_allclose(df.loc[2026:2035, "defense_pct_gdp"], 2.0, rtol=1e-12)
    assert df.loc[2026:2035, "defense_usd_bn"].is_monotonic_increasing


# ---- ranges and procurement ----------------------------------------------------------------------


def test_range_target_runs_through_both_ends() -> None:
    df = STATED_DF
    assert (df.loc[2035, "defense_usd_bn_low"], df.loc[2035, "defense_usd_bn_high"]) == (23.0, 25.0)
    assert df.loc[2030, "defense_usd_bn_low"] == df.loc[2030, "defense_usd_bn_high"] == 15.0
    # 2033: low 15 + (23 - 15) x 3/5 = 19.8; high 15 + (25 - 15) x 3/5 = 21.0
    assert df.loc[2033, "defense_usd_bn_low"] == approx(19.8)
    assert df.loc[2033, "defense_usd_bn_high"] == approx(21.0)
    # low end in CZK: 23 x 21.914 = 504.022
    assert df.loc[2035, "defense_czk_bn_low"] == approx(23 * 21.914)


@pytest.mark.parametrize("col", ["defense_usd_bn", "defense_czk_bn", "defense_pct_gdp"])
def test_central_column_is_the_high_end(col: str) -> None:
    pd.testing.assert_series_equal(STATED_DF[col], STATED_DF[f"{col}_high"], check_names=False)
    assert (STATED_DF.loc[2031:2035, col] > STATED_DF.loc[2031:2035, f"{col}_low"]).all()


def test_procurement_is_the_share_of_each_end() -> None:
    df = STATED_DF
    for money in ("usd", "czk"):
        np.testing.assert_allclose(
            df.loc[2026:, f"procurement_{money}_bn_low"], 0.20 * df.loc[2026:, f"defense_{money}_bn_low"], rtol=1e-12
        )
        np.testing.assert_allclose(
            df.loc[2026:, f"procurement_{money}_bn_high"], 0.25 * df.loc[2026:, f"defense_{money}_bn_high"], rtol=1e-12
        )
    # 2035: 20 % of USD 23 bn = 4.6; 25 % of USD 25 bn = 6.25
    assert df.loc[2035, "procurement_usd_bn_low"] == approx(4.6)
    assert df.loc[2035, "procurement_usd_bn_high"] == approx(6.25)


def test_procurement_history_uses_natos_equipment_share() -> None:
    df = STATED_DF
    # 2014: 0.9368 % x 4,377.991 / 20.746 = USD 1.97691 bn; x 6.53 % = USD 0.12909 bn
    usd_2014 = 0.00936770138 * 4377.991 / 20.746
    assert df.loc[2014, "defense_usd_bn"] == approx(usd_2014)
    assert df.loc[2014, "procurement_pct_low"] == df.loc[2014, "procurement_pct_high"] == 6.53
    assert df.loc[2014, "procurement_usd_bn_low"] == approx(0.0653 * usd_2014)
    assert df.loc[2019, "procurement_pct_low"] == 14.5
    # 2020-2025: not found, stays missing (never filled with the 20 % guideline)
    cols = ["procurement_pct_low", "procurement_pct_high", "procurement_usd_bn_low", "procurement_czk_bn_high"]
    assert df.loc[2020:2025, cols].isna().all().all()
    assert df.loc[2014:2019, cols].notna().all().all()


# ---- cumulative ----------------------------------------------------------------------------------


def test_cumulative_over_a_window() -> None:
    # 2030: 15; 2031: 15 + (25 - 15) / 5 = 17 -> 32
    assert cumulative(STATED_DF, "defense_usd_bn", 2030, 2031) == approx(32.0)
    # a single year
    assert cumulative(STATED_DF, "defense_usd_bn", 2035, 2035) == 25.0
    # 2026-2035 low-end procurement: 0.2 x (sum of the low path)
    total = 0.2 * STATED_DF.loc[2026:2035, "defense_usd_bn_low"].sum()
    assert cumulative(STATED_DF, "procurement_usd_bn_low", 2026, 2035) == approx(total)


def test_cumulative_names_the_years_without_a_value() -> None:
    # Procurement history stops in 2019 (2020-2025 not found): a window over them is refused,
    # never summed as if they were 0.
    with pytest.raises(budget.ScenarioError) as info:
        cumulative(STATED_DF, "procurement_usd_bn_low", 2019, 2026)
    assert info.value.problems == [("procurement_usd_bn_low", "2019-2026", "no value in 2020-2025")]
    # Gaps that are not a run are listed one by one.
    frame = pd.DataFrame({"x": [1.0, np.nan, 3.0, np.nan]}, index=[2026, 2027, 2028, 2029])
    with pytest.raises(budget.ScenarioError) as info:
        cumulative(frame, "x", 2026, 2029)
    assert info.value.problems == [("x", "2026-2029", "no value in 2027, 2029")]


def test_cumulative_names_the_years_outside_the_frame() -> None:
    with pytest.raises(budget.ScenarioError) as info:
        cumulative(STATED_DF, "defense_usd_bn", 2034, 2036)  # 2036 not projected
    assert info.value.problems == [("defense_usd_bn", "2034-2036", "2036 outside the data (2014-2035)")]
    frame = pd.DataFrame({"x": [1.0, 2.0]}, index=[2026, 2028])  # 2027 row absent
    with pytest.raises(budget.ScenarioError, match="2027 outside the data \\(2026-2028\\)"):
        cumulative(frame, "x", 2026, 2028)
    # Both at once: 2010-2013 before the data and 2020-2021 without a procurement figure.
    with pytest.raises(budget.ScenarioError) as info:
        cumulative(STATED_DF, "procurement_usd_bn_low", 2010, 2021)
    assert [p[2] for p in info.value.problems] == ["2010-2013 outside the data (2014-2035)", "no value in 2020-2021"]


@pytest.mark.parametrize(
    ("args", "error", "words"),
    [
        ((STATED_DF.to_dict(), "defense_usd_bn", 2026, 2030), TypeError, "frame: expected a DataFrame"),
        ((STATED_DF, "defense_usd", 2026, 2030), ValueError, "column: 'defense_usd' is not a column"),
        ((STATED_DF, "defense_usd_bn", 2026.0, 2030), TypeError, "start: expected a whole number"),
        ((STATED_DF, "defense_usd_bn", True, 2030), TypeError, "start: expected a whole number"),
        ((STATED_DF, "defense_usd_bn", 2026, "2030"), TypeError, "end: expected a whole number"),
        ((STATED_DF, "defense_usd_bn", 2030, 2026), ValueError, "end: 2026 is outside"),
    ],
)
def test_cumulative_refuses_bad_arguments_by_name(args: tuple, error: type, words: str) -> None:
    with pytest.raises(error, match=words):
        cumulative(*args)


def test_cumulative_accepts_numpy_years() -> None:
    assert cumulative(STATED_DF, "defense_usd_bn", np.int64(2030), np.int32(2031)) == approx(32.0)


# ---- reference lines: level and path in the projection -------------------------------------------

LINES = ("cz_legal_floor", "nato_2pct", "nato_core", "nato_total")
TOTAL_START = 2.075680277 + 1.28  # 2024: the last year with both a core and a resilience figure


def test_each_line_has_its_level_and_path_columns_and_no_old_ones() -> None:
    cols = set(STATED_DF.columns)
    for line in LINES:
        assert {
            f"{line}_level_usd_bn",
            f"{line}_level_czk_bn",
            f"{line}_path_pct_gdp",
            f"{line}_path_usd_bn",
            f"{line}_path_czk_bn",
        } <= cols
        assert f"{line}_pct_gdp" not in cols
    assert not [c for c in cols if c.startswith("gap_") and c != "gap_equipment_guideline_usd_bn"]
    assert "nato_equipment_usd_bn" not in cols and "gap_nato_equipment_usd_bn" not in cols


@pytest.mark.parametrize(
    ("line", "level"), [("cz_legal_floor", 2.0), ("nato_2pct", 2.0), ("nato_core", 3.5), ("nato_total", 5.0)]
)
def test_a_lines_level_in_money_is_the_level_times_gdp(line: str, level: float) -> None:
    df = STATED_DF
    # every year, history too: e.g. 3.5 % in 2030 = 0.035 x 10,261.645 / 21.914 USD bn
    np.testing.assert_allclose(df[f"{line}_level_usd_bn"], level / 100 * df["gdp_usd_bn"], rtol=1e-12)
    np.testing.assert_allclose(df[f"{line}_level_czk_bn"], level / 100 * df["gdp_czk_bn"], rtol=1e-12)
    assert df.loc[2030, f"{line}_level_usd_bn"] == approx(level / 100 * GDP30 / RATE25)
    assert df.loc[2030, f"{line}_level_czk_bn"] == approx(level / 100 * GDP30)


@pytest.mark.parametrize("line", ["nato_2pct", "cz_legal_floor"])
def test_a_passed_pledge_year_makes_the_path_the_level_from_the_last_data_year(line: str) -> None:
    path = STATED_DF[f"{line}_path_pct_gdp"]
    assert path.loc[:2024].isna().all()
    assert (path.loc[2025:] == 2.0).all()
    assert STATED_DF.loc[2030, f"{line}_path_usd_bn"] == approx(0.02 * GDP30 / RATE25)


def test_the_core_path_is_linear_from_the_2025_share() -> None:
    path = STATED_DF["nato_core_path_pct_gdp"]
    # 2.0 % in 2025 -> 3.5 % in 2035: 2030 = 2.0 + 1.5 x 5/10 = 2.75; 2026 = 2.15
    assert path.loc[2025] == approx(2.0)
    assert path.loc[2026] == approx(2.15)
    assert path.loc[2030] == approx(2.75)
    assert path.loc[2035] == approx(3.5)
    assert path.loc[2014:2024].isna().all()
    # in money at each year's GDP: 2.75 % x 10,261.645 / 21.914 = USD 12.877 bn in 2030
    assert STATED_DF.loc[2030, "nato_core_path_usd_bn"] == approx(0.0275 * GDP30 / RATE25)
    assert STATED_DF.loc[2030, "nato_core_path_czk_bn"] == approx(0.0275 * GDP30)
    np.testing.assert_allclose(STATED_DF["nato_core_path_usd_bn"], path / 100 * STATED_DF["gdp_usd_bn"], rtol=1e-12)


def test_the_total_path_starts_from_the_last_year_with_core_and_resilience_data() -> None:
    # 2024: 2.075680277 + 1.28 = 3.3557 % -> 5 % in 2035, eleven years: 2030 = 3.3557 + 1.6443 x 6/11.
    for df in (STATED_DF, project(load_scenario(SCENARIOS / "nato-total-5.toml"))):
        path = df["nato_total_path_pct_gdp"]
        assert path.loc[:2023].isna().all()
        assert path.loc[2024] == approx(TOTAL_START)
        assert path.loc[2030] == approx(TOTAL_START + (5.0 - TOTAL_START) * 6 / 11)
        assert path.loc[2030] == pytest.approx(4.252582, abs=1e-6)
        assert path.loc[2035] == approx(5.0)
        np.testing.assert_allclose(df["nato_total_path_czk_bn"], path / 100 * df["gdp_czk_bn"], rtol=1e-12)


def test_lines_never_move_the_scenarios_numbers(monkeypatch: pytest.MonkeyPatch) -> None:
    # Without any binding line the projection loses its line columns and nothing else changes.
    line_cols = [c for c in STATED_DF.columns if c.startswith(LINES)]
    assert len(line_cols) == 5 * len(LINES)
    monkeypatch.setattr("budget.pledges.lines_for", lambda country: [])
    bare = project(STATED)
    assert not set(bare.columns) & set(line_cols)
    pd.testing.assert_frame_equal(bare, STATED_DF.drop(columns=line_cols))


def test_equipment_guideline_is_20pct_of_defense() -> None:
    df = STATED_DF
    np.testing.assert_allclose(df["equipment_guideline_usd_bn"], 0.20 * df["defense_usd_bn"], rtol=1e-12)
    # the shortfall of the low procurement share against 20 %: (20 - low share) % x central path.
    # 2014: (20 - 6.53) % x USD 1.97691 bn = 0.26629; 2026-2035 the low share is 20 %: 0.
    usd_2014 = 0.00936770138 * 4377.991 / 20.746
    assert df.loc[2014, "gap_equipment_guideline_usd_bn"] == approx(0.1347 * usd_2014)
    np.testing.assert_allclose(df.loc[2026:2035, "gap_equipment_guideline_usd_bn"], 0.0, atol=1e-12)
    assert df.loc[2020:2025, "gap_equipment_guideline_usd_bn"].isna().all()  # no share in the data
    low = project(dataclasses.replace(STATED, procurement_low_pct=15.0))
    assert low.loc[2035, "gap_equipment_guideline_usd_bn"] == approx(0.05 * 25.0)  # 5 % of USD 25 bn


def test_resilience_and_total() -> None:
    df = project(load_scenario(SCENARIOS / "nato-total-5.toml"))
    # resilience 1.28 % (2025) -> 1.5 % (2035): 2030 = 1.28 + 0.22 x 5/10 = 1.39
    assert df.loc[2030, "resilience_pct_gdp"] == approx(1.39)
    assert df.loc[2030, "resilience_czk_bn"] == approx(0.0139 * GDP30)
    assert df.loc[2030, "total_pct_gdp"] == approx(2.75 + 1.39)
    assert df.loc[2030, "total_usd_bn"] == approx(df.loc[2030, "defense_usd_bn"] + 0.0139 * GDP30 / RATE25)
    assert df.loc[2035, "total_pct_gdp"] == approx(5.0)
    assert df.loc[:2024, "resilience_pct_gdp"].isna().all()  # the scenario's, from its start year


def test_without_resilience_total_equals_core() -> None:
    assert STATED_DF["resilience_pct_gdp"].isna().all()
    pd.testing.assert_series_equal(STATED_DF["total_usd_bn"], STATED_DF["defense_usd_bn"], check_names=False)


# ---- data and the acceptance line ----------------------------------------------------------------


def test_2024_share_and_statuses() -> None:
    df = STATED_DF
    assert round(df.loc[2024, "defense_pct_gdp"], 2) == 2.08  # NATO's 2.08 %
    assert df.loc[2024, "status"] == "estimate"
    assert df.loc[2023, "status"] == "actual"
    assert df.loc[2026, "status"] == "projection"
    assert df.index.tolist() == list(range(2014, 2036))


def test_acceptance_line(in_repo) -> None:
    assert budget.project(budget.load_scenario("scenarios/stated-targets.toml")).loc[2030, "defense_usd_bn"] == 15.0


@pytest.mark.parametrize("year", range(2014, 2019))
def test_history_agrees_with_natos_usd_figures(year: int) -> None:
    # NATO's own USD figures (series.csv nato_defense_usd_m) vs NATO share x IMF GDP / CNB rate;
    # e.g. 2014: 0.9368 % x 4,377.991 / 20.746 = 1.9769 vs NATO 1.9753 (0.08 % apart)
    nato = STATED.data.values("nato_defense_usd_m").loc[year] / 1000
    ours = STATED_DF.loc[year, "defense_usd_bn"]
    assert abs(ours / nato - 1) < 0.05


def test_history_real_growth_is_the_published_one() -> None:
    assert STATED_DF.loc[2020, "real_gdp_growth_pct"] == -5.305
    assert STATED_DF.loc[2014, "real_gdp_growth_pct"] == 2.245
