"""Monte Carlo (``budget.simulate``), sensitivity, historical sds and the CLI's uncertainty outputs."""

from __future__ import annotations

import csv
import dataclasses
import io
import itertools
import statistics
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from conftest import REPO_ROOT, SCENARIOS, call

import budget
from budget import ScenarioError, load_scenario, project, simulate
from budget.cli import main
from budget.model import central_rates
from budget.pledges import Line, lines_for, meets
from budget.uncertainty import (
    CHUNK,
    DRIVERS,
    MAX_DRAWS,
    drivers,
    historical_sd,
    level_sd,
    persistence,
    rate_moves,
    sds,
    sensitivity,
)

YEARS = list(range(2026, 2036))
FAMILIES = ("defense_pct_gdp", "defense_usd_bn", "defense_czk_bn")
PCTS = ("p05", "p50", "p95")
ENDS = ("low", "high")
LINES = ("cz_legal_floor", "nato_2pct", "nato_core", "nato_total")  # lowest level first
PROBS = tuple(f"prob_meets_{line}_{end}" for line in LINES for end in ENDS)
PERCENTILES = tuple(f"{f}_{p}_{end}" for end in ENDS for f in FAMILIES for p in PCTS)
SD_KEYS = ("real_growth_sd_pct", "deflator_growth_sd_pct", "local_per_usd_sd_pct")
N = 4_000  # draws for the quick checks


def scenario(name: str) -> budget.Scenario:
    return load_scenario(SCENARIOS / f"{name}.toml")


def no_sd(s: budget.Scenario) -> budget.Scenario:
    return dataclasses.replace(s, real_growth_sd_pct=0.0, deflator_growth_sd_pct=0.0, local_per_usd_sd_pct=0.0)


# ---- shape, percentiles, probabilities -----------------------------------------------------------


def _line(s: budget.Scenario, line_id: str) -> Line:
    return next(ln for ln in lines_for(s.data) if ln.id == line_id)


@pytest.mark.parametrize(
    "name", ["stated-targets", "nato-core-3.5", "nato-total-5", "legal-floor-2pct", "stated-targets-weak-koruna"]
)
def test_percentiles_are_ordered_and_probabilities_are_shares(name: str) -> None:
    s = scenario(name)
    sim = simulate(s, draws=N)
    assert sim.index.name == "year" and sim.index.tolist() == YEARS
    assert list(sim.columns) == list(PERCENTILES) + list(PROBS)
    assert sim.attrs == {"draws": N, "seed": 0, "hold": ()}
    assert np.isfinite(sim[list(PERCENTILES)].to_numpy()).all()
    for end in ENDS:
        for family in FAMILIES:
            p05, p50, p95 = (sim[f"{family}_{p}_{end}"] for p in PCTS)
            assert (p05 <= p50).all() and (p50 <= p95).all(), (family, end)
            assert (p05 > 0).all()
    # The total line needs resilience: without it, no probability (not 0).
    total = [f"prob_meets_nato_total_{end}" for end in ENDS]
    if s.resilience is None:
        assert sim[total].isna().all().all()
    for col in PROBS:
        if col in total and s.resilience is None:
            continue
        assert sim[col].between(0, 1).all(), col


@pytest.mark.parametrize("name", ["stated-targets", "stated-targets-weak-koruna", "fiala-3pct-2030"])
def test_the_low_end_is_below_the_high_end_in_every_percentile(name: str) -> None:
    # The ends share the draws and low targets are at or below high ones: every draw's low path is
    # at or below its high path, so every percentile and every probability is too.
    sim = simulate(scenario(name), draws=N)
    for family in FAMILIES:
        for p in PCTS:
            assert (sim[f"{family}_{p}_low"] <= sim[f"{family}_{p}_high"] * (1 + 1e-12)).all(), (family, p)
    for line in LINES[:3]:
        assert (sim[f"prob_meets_{line}_low"] <= sim[f"prob_meets_{line}_high"]).all(), line


@pytest.mark.parametrize(
    "name", ["stated-targets", "nato-core-3.5", "legal-floor-2pct", "fiala-3pct-2030", "nato-total-5"]
)
def test_probabilities_fall_with_the_level(name: str) -> None:
    sim = simulate(scenario(name), draws=N)
    for end in ENDS:
        # The Czech floor and NATO's 2 % are the same level on the same share: the same draws meet them.
        pd.testing.assert_series_equal(
            sim[f"prob_meets_cz_legal_floor_{end}"], sim[f"prob_meets_nato_2pct_{end}"], check_names=False
        )
        assert (sim[f"prob_meets_nato_2pct_{end}"] >= sim[f"prob_meets_nato_core_{end}"]).all()


def test_probabilities_match_the_percentiles() -> None:
    # A USD target: the share is uncertain. P(share >= 2 %) is above 95 % exactly where p05 >= 2 %.
    sim = simulate(scenario("stated-targets"), draws=20_000)
    for end in ENDS:
        assert ((sim[f"defense_pct_gdp_p05_{end}"] >= 2.0) <= (sim[f"prob_meets_nato_2pct_{end}"] >= 0.95)).all()
        assert ((sim[f"defense_pct_gdp_p95_{end}"] < 3.5) <= (sim[f"prob_meets_nato_core_{end}"] <= 0.05)).all()
        assert ((sim[f"defense_pct_gdp_p50_{end}"] >= 3.5) <= (sim[f"prob_meets_nato_core_{end}"] >= 0.5)).all()
    # The median share in 2035 is about the central 4.05 % (low) and 4.40 % (high): above 3.5 %
    # in most draws, not in all.
    for end in ENDS:
        assert 0.5 < sim.loc[2035, f"prob_meets_nato_core_{end}"] < 1.0


def test_share_targets_meet_their_line_in_every_draw() -> None:
    # nato-core-3.5: the share is fixed by construction (3.5 % in 2035), whatever the economy.
    sim = simulate(scenario("nato-core-3.5"), draws=N)
    for end in ENDS:
        assert sim.loc[2035, f"prob_meets_nato_core_{end}"] == 1.0
        assert (sim.loc[:2034, f"prob_meets_nato_core_{end}"] == 0.0).all()
        assert (sim[f"prob_meets_nato_2pct_{end}"] == 1.0).all()  # 2.15 % and up from 2026
        assert sim[f"prob_meets_nato_total_{end}"].isna().all()  # no resilience modelled


def test_the_5pct_line_counts_resilience() -> None:
    # nato-total-5: core 3.5 % + resilience 1.5 % = exactly 5 % in 2035 in every draw (both shares
    # are fixed: the sds move GDP, not the shares); before 2035 the total is below 5 %.
    s = scenario("nato-total-5")
    assert all(sds(s)[k] > 0 for k in SD_KEYS)
    sim = simulate(s, draws=N)
    for end in ENDS:
        assert sim.loc[2035, f"prob_meets_nato_total_{end}"] == 1.0
        assert (sim.loc[:2034, f"prob_meets_nato_total_{end}"] == 0.0).all()
    # Without resilience: no total probability, and nothing else changes (resilience is not drawn).
    core = simulate(dataclasses.replace(s, resilience=None), draws=N)
    total = [f"prob_meets_nato_total_{end}" for end in ENDS]
    assert core[total].isna().all().all()
    pd.testing.assert_frame_equal(core.drop(columns=total), sim.drop(columns=total))


# ---- no uncertainty: the central projection ------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["stated-targets", "nato-core-3.5", "stated-targets-weak-koruna", "stated-targets-slow-growth", "nato-total-5"],
)
def test_zero_sds_give_the_central_projection(name: str) -> None:
    s = no_sd(scenario(name))
    assert sds(s) == dict.fromkeys(SD_KEYS, 0.0)
    sim = simulate(s, draws=2_000)
    df = project(s).loc[2026:2035]
    for end in ENDS:
        for family in FAMILIES:
            for p in PCTS:
                got = sim[f"{family}_{p}_{end}"].to_numpy()
                assert got == pytest.approx(df[f"{family}_{end}"].to_numpy(), rel=1e-9), (family, p, end)
        # Probabilities are 0 or 1 and agree with the central share (core, or core + resilience).
        core = df[f"defense_pct_gdp_{end}"].to_numpy()
        for line in LINES:
            col = sim[f"prob_meets_{line}_{end}"]
            if line == "nato_total" and s.resilience is None:
                assert col.isna().all()
                continue
            share = core + df["resilience_pct_gdp"].to_numpy() if line == "nato_total" else core
            assert col.tolist() == meets(share, _line(s, line)).astype(float).tolist(), (line, end)


def test_usd_target_fixes_the_amount_and_leaves_the_share_uncertain() -> None:
    sim = simulate(scenario("stated-targets"), draws=N)
    for end, usd_2035 in (("low", 23.0), ("high", 25.0)):
        low, high = sim[f"defense_usd_bn_p05_{end}"].to_numpy(), sim[f"defense_usd_bn_p95_{end}"].to_numpy()
        assert low == pytest.approx(high, rel=1e-12)
        assert sim.loc[2030, f"defense_usd_bn_p50_{end}"] == pytest.approx(15.0)
        assert sim.loc[2035, f"defense_usd_bn_p50_{end}"] == pytest.approx(usd_2035)
        spread = sim[f"defense_pct_gdp_p95_{end}"] - sim[f"defense_pct_gdp_p05_{end}"]
        assert (spread > 0.1).all()
        assert spread.is_monotonic_increasing  # uncertainty grows with the horizon
        assert (sim[f"defense_czk_bn_p95_{end}"] > sim[f"defense_czk_bn_p05_{end}"]).all()


def test_share_target_fixes_the_share_and_leaves_the_amount_uncertain() -> None:
    sim = simulate(scenario("nato-core-3.5"), draws=N)
    for end in ENDS:
        low, high = sim[f"defense_pct_gdp_p05_{end}"].to_numpy(), sim[f"defense_pct_gdp_p95_{end}"].to_numpy()
        assert low == pytest.approx(high, rel=1e-12)
        assert sim[f"defense_pct_gdp_p50_{end}"].to_numpy() == pytest.approx([2.0 + 0.15 * (y - 2025) for y in YEARS])
        for family in ("defense_usd_bn", "defense_czk_bn"):
            spread = sim[f"{family}_p95_{end}"] - sim[f"{family}_p05_{end}"]
            assert (spread > 0).all() and spread.is_monotonic_increasing, (family, end)


# ---- holding drivers -----------------------------------------------------------------------------


@pytest.mark.parametrize(("driver", "sd_key"), list(DRIVERS.items()))
def test_holding_a_driver_is_drawing_it_with_sd_zero(driver: str, sd_key: str) -> None:
    # The same seed gives the same shocks: holding a driver equals setting its sd to 0, exactly.
    s = scenario("stated-targets")
    held = simulate(s, draws=3_000, seed=4, hold=(driver,))
    assert held.attrs["hold"] == (driver,)
    zero = simulate(dataclasses.replace(s, **{sd_key: 0.0}), draws=3_000, seed=4)
    np.testing.assert_array_equal(held.to_numpy(), zero.to_numpy())
    assert not np.array_equal(held.to_numpy(), simulate(s, draws=3_000, seed=4).to_numpy(), equal_nan=True)


def test_holding_every_driver_gives_the_central_projection() -> None:
    s = scenario("stated-targets")
    held = simulate(s, draws=500, hold=tuple(DRIVERS))
    df = project(s).loc[2026:2035]
    for end in ENDS:
        np.testing.assert_allclose(held[f"defense_pct_gdp_p05_{end}"], df[f"defense_pct_gdp_{end}"], rtol=1e-9)
        np.testing.assert_allclose(held[f"defense_pct_gdp_p95_{end}"], df[f"defense_pct_gdp_{end}"], rtol=1e-9)
    # 3.49 % (high) in 2031 and 3.76 % in 2032: the 3.5 % level is met from 2032 in every draw.
    assert held["prob_meets_nato_core_high"].tolist() == [0.0] * 6 + [1.0] * 4


@pytest.mark.parametrize("hold", [("gdp",), "real_growth", ("real_growth", "rate"), None])
def test_bad_hold_is_refused_by_name(hold: object) -> None:
    with pytest.raises(ValueError, match="hold: expected drivers among real_growth, deflator_growth, exchange_rate"):
        simulate(scenario("stated-targets"), draws=10, hold=hold)  # type: ignore[arg-type]


def test_drivers_table_is_the_probability_with_each_driver_held() -> None:
    s = scenario("stated-targets")
    base = simulate(s, draws=2_000, seed=1)
    drv = drivers(s, draws=2_000, seed=1)
    assert list(drv.index) == [(line, end) for line in LINES for end in ENDS]
    assert list(drv.columns) == ["year", "all_drawn", "real_growth_held", "deflator_growth_held", "exchange_rate_held"]
    assert drv.attrs == {"draws": 2_000, "seed": 1}
    # The pledge year of 2 % has passed: its probability is read at the end year, as the others'.
    assert (drv["year"] == 2035).all()
    for (line, end), r in drv.iterrows():
        col = f"prob_meets_{line}_{end}"
        assert r["all_drawn"] == base.loc[2035, col] or (np.isnan(r["all_drawn"]) and np.isnan(base.loc[2035, col]))
        for driver in DRIVERS:
            held = simulate(s, draws=2_000, seed=1, hold=(driver,)).loc[2035, col]
            assert r[f"{driver}_held"] == held or (np.isnan(held) and np.isnan(r[f"{driver}_held"]))
    assert drv.loc[[("nato_total", e) for e in ENDS]].drop(columns="year").isna().all().all()
    # A USD target's share moves most with the exchange rate: holding it raises P(3.5 %) most.
    core = drv.loc[("nato_core", "high")]
    assert core["exchange_rate_held"] - core["all_drawn"] > max(
        abs(core["real_growth_held"] - core["all_drawn"]), abs(core["deflator_growth_held"] - core["all_drawn"])
    )
    # Given the base simulation it does not draw it again, and gives the same table.
    pd.testing.assert_frame_equal(drivers(s, draws=2_000, seed=1, base=base), drv)


def test_drivers_read_a_line_beyond_the_projection_at_the_end_year(write_scenario) -> None:
    path = write_scenario(
        'title = "Ends in 2030"\n\n[path]\nend_year = 2030\n\n[[targets]]\nyear = 2030\nvalue = 3.0\nunit = "pct_gdp"\n'
    )
    drv = drivers(load_scenario(path), draws=200)
    assert (drv["year"] == 2030).all()
    # 3 % of GDP is fixed in every draw: above 2 %, below 3.5 %.
    assert drv.loc[("nato_2pct", "high"), "all_drawn"] == 1.0
    assert drv.loc[("nato_core", "high"), "all_drawn"] == 0.0


# ---- reproducibility -----------------------------------------------------------------------------


def test_same_seed_same_result_other_seed_other_result() -> None:
    s = scenario("stated-targets")
    a, b = simulate(s, draws=N, seed=7), simulate(s, draws=N, seed=7)
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    c = simulate(s, draws=N, seed=8)
    assert c.attrs["seed"] == 8
    assert not a.equals(c)
    assert not np.array_equal(a["defense_pct_gdp_p05_high"], c["defense_pct_gdp_p05_high"])
    # ... but close: 4,000 draws pin the median share within a few hundredths.
    for end in ENDS:
        assert a[f"defense_pct_gdp_p50_{end}"].to_numpy() == pytest.approx(
            c[f"defense_pct_gdp_p50_{end}"].to_numpy(), abs=0.1
        )


@pytest.mark.parametrize("draws", [1, 2, CHUNK - 1, CHUNK + 1, 2 * CHUNK + 17])
def test_any_number_of_draws(draws: int) -> None:
    sim = simulate(scenario("stated-targets"), draws=draws)
    assert sim.attrs["draws"] == draws
    assert np.isfinite(sim[list(PERCENTILES)].to_numpy()).all()
    for end in ENDS:
        assert (sim[f"defense_pct_gdp_p05_{end}"] <= sim[f"defense_pct_gdp_p95_{end}"]).all()
    # Each probability is a whole number of draws out of `draws` (the total: none, no resilience).
    probs = [c for c in PROBS if "nato_total" not in c]
    counts = sim[probs].to_numpy() * draws
    assert np.isfinite(counts).all()
    assert counts == pytest.approx(np.round(counts), abs=1e-6)


def test_numpy_integer_draws_are_accepted() -> None:
    s = scenario("stated-targets")
    pd.testing.assert_frame_equal(simulate(s, draws=np.int64(500)), simulate(s, draws=500))


def test_the_first_chunk_does_not_depend_on_the_total() -> None:
    # One random stream per chunk: the first CHUNK draws are the same whatever follows them.
    s = no_sd(scenario("stated-targets"))
    s = dataclasses.replace(s, real_growth_sd_pct=1.0)
    a, b = simulate(s, draws=CHUNK), simulate(s, draws=CHUNK + 1)
    # Adding one draw moves each percentile by at most one order statistic's gap: tiny.
    for end in ENDS:
        assert a[f"defense_pct_gdp_p50_{end}"].to_numpy() == pytest.approx(
            b[f"defense_pct_gdp_p50_{end}"].to_numpy(), rel=1e-3
        )


def test_result_does_not_depend_on_the_number_of_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    s = scenario("stated-targets")
    draws = 2 * CHUNK + 1_000  # three chunks
    monkeypatch.setattr("budget.uncertainty.WORKERS", 1)
    one = simulate(s, draws=draws, seed=3)
    monkeypatch.setattr("budget.uncertainty.WORKERS", 2)
    two = simulate(s, draws=draws, seed=3)
    monkeypatch.setattr("budget.uncertainty.WORKERS", 3)
    three = simulate(s, draws=draws, seed=3)
    pd.testing.assert_frame_equal(one, two, check_exact=True)
    pd.testing.assert_frame_equal(one, three, check_exact=True)


# ---- distribution --------------------------------------------------------------------------------


def test_uniform_shocks_have_about_the_same_spread() -> None:
    s = scenario("stated-targets")
    uniform = simulate(dataclasses.replace(s, distribution="uniform"), draws=20_000)
    normal = simulate(s, draws=20_000)
    assert not uniform.equals(normal)
    for family in ("defense_pct_gdp_{}_low", "defense_czk_bn_{}_high"):
        u = uniform[family.format("p95")] - uniform[family.format("p05")]
        n = normal[family.format("p95")] - normal[family.format("p05")]
        ratio = (u / n).to_numpy()
        assert ((ratio > 0.5) & (ratio < 1.5)).all(), (family, ratio)
    # Same centre: both are centred on the central path.
    median = normal["defense_pct_gdp_p50_high"].to_numpy()
    assert uniform["defense_pct_gdp_p50_high"].to_numpy() == pytest.approx(median, rel=0.03)


def test_uniform_distribution_from_a_file(write_scenario) -> None:
    path = write_scenario(
        'title = "Uniform"\n\n[uncertainty]\ndistribution = "uniform"\n'
        "real_growth_sd_pct = 1.0\n\n"
        '[[targets]]\nyear = 2030\nvalue = 15.0\nunit = "usd_bn"\n'
    )
    s = load_scenario(path)
    assert s.distribution == "uniform" and sds(s)["real_growth_sd_pct"] == 1.0
    sim = simulate(s, draws=2_000)
    assert (sim["defense_pct_gdp_p05_high"] < sim["defense_pct_gdp_p95_high"]).all()


# ---- bad draws -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("draws", "error"),
    [
        (0, ValueError),
        (-1, ValueError),
        (MAX_DRAWS + 1, ValueError),
        (2.5, TypeError),
        (True, TypeError),
        (False, TypeError),
        (1000.0, TypeError),
        ("1000", TypeError),
        (None, TypeError),
    ],
)
def test_bad_draws_are_refused_by_name(draws: object, error: type) -> None:
    with pytest.raises(error, match=r"^draws: ") as info:
        simulate(scenario("stated-targets"), draws=draws)  # type: ignore[arg-type]
    assert not isinstance(info.value, ScenarioError)  # an argument, not a scenario, is wrong


@pytest.mark.parametrize(
    ("seed", "error"), [(-1, ValueError), (2**63, ValueError), (1.5, TypeError), ("0", TypeError), (None, TypeError)]
)
def test_bad_seeds_are_refused_by_name(seed: object, error: type) -> None:
    with pytest.raises(error, match=r"^seed: "):
        simulate(scenario("stated-targets"), draws=10, seed=seed)  # type: ignore[arg-type]


def test_simulate_and_sensitivity_refuse_a_path_for_a_scenario() -> None:
    for fn in (simulate, sensitivity):
        with pytest.raises(TypeError, match=r"scenario: expected a budget\.Scenario.*load_scenario"):
            fn(str(SCENARIOS / "stated-targets.toml"))  # type: ignore[arg-type]


def test_max_draws() -> None:
    assert MAX_DRAWS == 10_000_000


# ---- historical sds ------------------------------------------------------------------------------


def _series(indicator: str) -> list[tuple[int, float, str]]:
    path = REPO_ROOT / "budget" / "data" / "czechia" / "series.csv"
    with path.open(encoding="utf-8") as f:
        return [
            (int(r["year"]), float(r["value"]), r["status"])
            for r in csv.DictReader(f)
            if r["indicator"] == indicator and r["value"] and r.get("edition", "") in ("", "IMF WEO 2025-10")
        ]


def test_historical_sds_by_hand() -> None:
    sd = historical_sd(scenario("stated-targets").data)
    # Real growth: sample sd of the actual years 2014-2024.
    real = [(y, v) for y, v, status in _series("real_gdp_growth_pct") if status == "actual"]
    assert [y for y, _ in real] == list(range(2014, 2025))
    assert sd["real_growth_sd_pct"] == pytest.approx(statistics.stdev(v for _, v in real), rel=1e-12)
    assert sd["real_growth_sd_pct"] == pytest.approx(2.907, abs=5e-4)
    # Deflator growth: yearly % change of the actual index values (2015-2024).
    defl = [v for _, v, status in _series("gdp_deflator_2020_100") if status == "actual"]
    growth = [(b / a - 1) * 100 for a, b in itertools.pairwise(defl)]
    assert len(growth) == 10
    assert sd["deflator_growth_sd_pct"] == pytest.approx(statistics.stdev(growth), rel=1e-12)
    assert sd["deflator_growth_sd_pct"] == pytest.approx(2.665, abs=5e-4)
    # Exchange rate: sd of the yearly log change of CZK per USD, in percent (2015-2025).
    rate = [v for _, v, _ in _series("czk_per_usd")]
    logs = [float(np.log(b / a)) * 100 for a, b in itertools.pairwise(rate)]
    assert len(logs) == 11
    assert sd["local_per_usd_sd_pct"] == pytest.approx(statistics.stdev(logs), rel=1e-12)
    assert sd["local_per_usd_sd_pct"] == pytest.approx(7.548, abs=5e-4)


def test_scenario_sds_override_the_historical_ones() -> None:
    s = scenario("stated-targets")
    assert sds(s) == historical_sd(s.data)
    custom = dataclasses.replace(s, real_growth_sd_pct=1.5)
    got = sds(custom)
    assert got["real_growth_sd_pct"] == 1.5
    assert got["deflator_growth_sd_pct"] == historical_sd(s.data)["deflator_growth_sd_pct"]


def test_a_larger_sd_widens_the_band() -> None:
    s = dataclasses.replace(no_sd(scenario("stated-targets")), real_growth_sd_pct=1.0)
    narrow = simulate(s, draws=N)
    wide = simulate(dataclasses.replace(s, real_growth_sd_pct=2.0), draws=N)
    spread = lambda sim: (sim["defense_pct_gdp_p95_low"] - sim["defense_pct_gdp_p05_low"]).to_numpy()  # noqa: E731
    assert (spread(wide) > spread(narrow)).all()


# ---- sensitivity ---------------------------------------------------------------------------------

SENS_COLUMNS = [
    "{m}_down",
    "{m}_base",
    "{m}_up",
    "procurement_usd_bn_down",
    "procurement_usd_bn_base",
    "procurement_usd_bn_up",
]


def _rows(sens: pd.DataFrame, end: str) -> dict[str, pd.Series]:
    """The four rows of one range end, by driver."""
    drivers_ = [d for d, e in sens.index if e == end]
    return {
        key: sens.loc[(next(d for d in drivers_ if d.startswith(prefix)), end)]
        for key, prefix in (
            ("real", "Real GDP growth"),
            ("deflator", "GDP deflator growth"),
            ("rate", "CZK per USD"),
            ("procurement", "Procurement share"),
        )
    }


def test_sensitivity_is_indexed_by_driver_and_range_end() -> None:
    sens = sensitivity(scenario("stated-targets"))
    assert sens.index.names == ["driver", "end"]
    assert [e for _, e in sens.index] == ["low"] * 4 + ["high"] * 4
    assert [d for d, _ in sens.index][:4] == [d for d, _ in sens.index][4:]
    assert list(sens.columns) == [c.format(m="pct_gdp_2035") for c in SENS_COLUMNS]
    assert sens.attrs["metric_unit"] == "% of GDP"
    assert sens.attrs["procurement_years"] == "2026-2035"


def _rate_step(s: budget.Scenario, n: int = 10) -> float:
    """The exchange rate's 1-sd move of its end-year log deviation, by hand: yearly shocks with sd
    sd / 100 decaying by phi = 0.5 ** (1 / half-life) a year (mean-reverting) or not at all (random
    walk), so after n years the deviation's sd is sd / 100 x sqrt(sum_k phi ** 2k, k < n).
    """
    sd = sds(s)["local_per_usd_sd_pct"] / 100
    phi = 1.0 if s.exchange_rate_model == "random_walk" else 0.5 ** (1 / s.local_per_usd_half_life_years)
    return sd * float(np.sqrt(sum(phi ** (2 * k) for k in range(n))))


def test_the_exchange_rate_deviation_decays_by_its_half_life() -> None:
    s = scenario("stated-targets")
    assert (s.exchange_rate_model, s.local_per_usd_half_life_years) == ("mean_reverting", 4.0)
    phi = persistence(s)
    assert phi == pytest.approx(0.5**0.25) and round(phi, 2) == 0.84
    assert persistence(dataclasses.replace(s, exchange_rate_model="random_walk")) == 1.0
    # One shock of 1 in the first year: the deviation is 1, phi, phi**2 ...; its yearly changes are
    # 1, phi - 1, phi**2 - phi ... and sum to the deviation left.
    moves = rate_moves(np.array([[1.0, 0.0, 0.0, 0.0]]), 0.5)
    np.testing.assert_allclose(moves, [[1.0, -0.5, -0.25, -0.125]])
    assert moves.sum() == pytest.approx(0.5**3)
    shocks = np.random.default_rng(0).standard_normal((3, 10))
    np.testing.assert_array_equal(rate_moves(shocks, 1.0), shocks)  # a random walk: the shocks
    assert level_sd(sds(s)["local_per_usd_sd_pct"] / 100, phi, 10) == pytest.approx(_rate_step(s), rel=1e-12)


def test_sensitivity_of_a_usd_target_by_hand() -> None:
    # A USD target fixes USD and so CZK (at an unchanged rate): the share in 2035 moves only with
    # GDP. One sd down in real growth lowers every year's rate by sd / sqrt(10), so GDP(2035) is
    # divided by prod (1 + (g_t - d) / 100) / (1 + g_t / 100), and the share multiplied by it.
    # The exchange rate: its 2035 log deviation moves by one sd of its model's 2035 spread
    # (``_rate_step``), so CZK per USD in 2035 and with it CZK and the share are multiplied by
    # exp(+/- that step).
    s = scenario("stated-targets")
    sens, df, sd = sensitivity(s), project(s), sds(s)
    rates = central_rates(s)
    g, p = rates["real_gdp_growth_pct"].to_numpy(), rates["deflator_growth_pct"].to_numpy()
    dg, dp = sd["real_growth_sd_pct"] / np.sqrt(10), sd["deflator_growth_sd_pct"] / np.sqrt(10)
    step = _rate_step(s)
    assert step == pytest.approx(0.1373, abs=5e-5)  # 7.55 % shocks, half-life 4 years, 10 years
    for end in ENDS:
        r = _rows(sens, end)
        base = df.loc[2035, f"defense_pct_gdp_{end}"]  # 4.05 % (low), 4.40 % (high)
        assert sens.xs(end, level="end")["pct_gdp_2035_base"].to_numpy() == pytest.approx(base, rel=1e-12)
        real = r["real"]
        assert real["pct_gdp_2035_down"] == pytest.approx(
            base * np.prod((1 + g / 100) / (1 + (g - dg) / 100)), rel=1e-9
        )
        assert real["pct_gdp_2035_up"] == pytest.approx(base * np.prod((1 + g / 100) / (1 + (g + dg) / 100)), rel=1e-9)
        deflator = r["deflator"]
        assert deflator["pct_gdp_2035_down"] == pytest.approx(
            base * np.prod((1 + p / 100) / (1 + (p - dp) / 100)), rel=1e-9
        )
        rate = r["rate"]
        assert rate["pct_gdp_2035_down"] == pytest.approx(base * np.exp(-step), rel=1e-9)
        assert rate["pct_gdp_2035_up"] == pytest.approx(base * np.exp(step), rel=1e-9)
        # A weaker koruna (up): the same USD amount is a larger share; faster growth: a smaller one.
        assert rate["pct_gdp_2035_up"] > base > rate["pct_gdp_2035_down"]
        assert real["pct_gdp_2035_up"] < base < real["pct_gdp_2035_down"]
        # The economy cannot change a fixed USD amount, so neither the procurement sum: the mid
        # share (22.5 %) of this end's path, summed.
        mid = 0.225 * df.loc[2026:2035, f"defense_usd_bn_{end}"].sum()
        for key in ("real", "deflator", "rate"):
            for side in ("down", "base", "up"):
                assert r[key][f"procurement_usd_bn_{side}"] == pytest.approx(mid, rel=1e-12), (key, side, end)
    # e.g. the high end with real growth one sd down: 4.82 % of GDP in 2035.
    assert round(_rows(sens, "high")["real"]["pct_gdp_2035_down"], 2) == 4.82


def test_sensitivity_of_a_random_walk_exchange_rate_by_hand() -> None:
    # A random walk keeps every shock: after 10 years the log rate's sd is sqrt(10) sd / 100, more
    # than the mean-reverting default's, so the share moves more.
    s = scenario("stated-targets")
    walk = dataclasses.replace(s, exchange_rate_model="random_walk")
    step = np.sqrt(10) * sds(s)["local_per_usd_sd_pct"] / 100
    assert _rate_step(walk) == pytest.approx(step, rel=1e-12)
    base = project(s).loc[2035, "defense_pct_gdp_high"]
    rw, mr = _rows(sensitivity(walk), "high")["rate"], _rows(sensitivity(s), "high")["rate"]
    assert rw["pct_gdp_2035_up"] == pytest.approx(base * np.exp(step), rel=1e-9)
    assert rw["pct_gdp_2035_down"] == pytest.approx(base * np.exp(-step), rel=1e-9)
    assert rw["pct_gdp_2035_up"] > mr["pct_gdp_2035_up"] > base


def test_sensitivity_procurement_row_runs_from_the_low_to_the_high_share() -> None:
    s = scenario("stated-targets")  # procurement 20-25 %
    sens, df = sensitivity(s), project(s)
    for end in ENDS:
        row = _rows(sens, end)["procurement"]
        assert row.name == ("Procurement share 20-25 %", end)
        total = df.loc[2026:2035, f"defense_usd_bn_{end}"].sum()  # this end's path, USD bn, 2026-2035
        assert row["procurement_usd_bn_down"] == pytest.approx(0.20 * total, rel=1e-12)
        assert row["procurement_usd_bn_base"] == pytest.approx(0.225 * total, rel=1e-12)
        assert row["procurement_usd_bn_up"] == pytest.approx(0.25 * total, rel=1e-12)
        # The procurement share does not move the end-year metric.
        assert row["pct_gdp_2035_down"] == row["pct_gdp_2035_base"] == row["pct_gdp_2035_up"]
    # ... and the outer corners are the projection's own procurement columns summed:
    # 20 % of the low path and 25 % of the high path.
    assert _rows(sens, "low")["procurement"]["procurement_usd_bn_down"] == pytest.approx(
        df.loc[2026:2035, "procurement_usd_bn_low"].sum(), rel=1e-12
    )
    assert _rows(sens, "high")["procurement"]["procurement_usd_bn_up"] == pytest.approx(
        df.loc[2026:2035, "procurement_usd_bn_high"].sum(), rel=1e-12
    )


def test_sensitivity_of_a_share_target_is_the_end_year_amount() -> None:
    s = scenario("nato-core-3.5")
    sens, df = sensitivity(s), project(s)
    assert list(sens.columns) == [c.format(m="usd_bn_2035") for c in SENS_COLUMNS]
    assert sens.attrs["metric_unit"] == "USD bn"
    for end in ENDS:
        r = _rows(sens, end)
        base = df.loc[2035, f"defense_usd_bn_{end}"]
        assert sens.xs(end, level="end")["usd_bn_2035_base"].to_numpy() == pytest.approx(base, rel=1e-12)
        # Faster real growth: 3.5 % of a larger GDP is more money.
        assert r["real"]["usd_bn_2035_up"] > base > r["real"]["usd_bn_2035_down"]
        # A weaker koruna: the same CZK amount buys fewer dollars, exp(step) fewer.
        assert r["rate"]["usd_bn_2035_up"] < base < r["rate"]["usd_bn_2035_down"]
        assert r["rate"]["usd_bn_2035_up"] == pytest.approx(base * np.exp(-_rate_step(s)), rel=1e-9)
        # Procurement moves with the amount here.
        assert r["real"]["procurement_usd_bn_up"] > r["real"]["procurement_usd_bn_base"]
        total = df.loc[2026:2035, f"defense_usd_bn_{end}"].sum()
        assert r["procurement"]["procurement_usd_bn_down"] == pytest.approx(0.20 * total, rel=1e-12)
        assert r["procurement"]["procurement_usd_bn_up"] == pytest.approx(0.25 * total, rel=1e-12)


def test_sensitivity_steps_are_sd_over_sqrt_n() -> None:
    # 10 projection years: each year's growth rate moves by sd / sqrt(10) (its sum by one sd); the
    # exchange rate's yearly change by its end-year step / 10. The labels show those steps.
    s = scenario("stated-targets")
    sd = sds(s)
    labels = [d for d, e in sensitivity(s).index if e == "high"]
    assert f"-/+ {sd['real_growth_sd_pct'] / np.sqrt(10):.2f} pt" in labels[0]
    assert f"-/+ {sd['deflator_growth_sd_pct'] / np.sqrt(10):.2f} pt" in labels[1]
    assert labels[2] == f"CZK per USD -/+ {_rate_step(s) * 100 / 10:.2f} % a year (+ = weaker CZK)"
    assert labels[2] == "CZK per USD -/+ 1.37 % a year (+ = weaker CZK)"
    walk = dataclasses.replace(s, exchange_rate_model="random_walk")
    assert f"-/+ {sd['local_per_usd_sd_pct'] / np.sqrt(10):.2f} %" in [d for d, _ in sensitivity(walk).index][2]


def test_sensitivity_with_zero_sds_is_flat() -> None:
    sens = sensitivity(no_sd(scenario("stated-targets")))
    for end in ENDS:
        for key in ("real", "deflator", "rate"):
            row = _rows(sens, end)[key]
            assert row["pct_gdp_2035_down"] == pytest.approx(row["pct_gdp_2035_base"], rel=1e-12)
            assert row["pct_gdp_2035_up"] == pytest.approx(row["pct_gdp_2035_base"], rel=1e-12)


# ---- command line --------------------------------------------------------------------------------


STATED = str(SCENARIOS / "stated-targets.toml")


@pytest.mark.parametrize("draws", ["-1", "10000001", "abc", "2.5", ""])
def test_run_refuses_bad_draws(tmp_path: Path, draws: str) -> None:
    out = tmp_path / "out"
    err = io.StringIO()
    with pytest.raises(SystemExit) as info, redirect_stderr(err), redirect_stdout(io.StringIO()):
        main(["run", STATED, "--out", str(out), "--draws", draws])
    assert info.value.code == 2
    assert "--draws" in err.getvalue()
    assert "Traceback" not in err.getvalue()
    assert not out.exists()


@pytest.mark.parametrize(
    ("body", "key", "words"),
    [
        ("real_growth_sd_pct = -1", "uncertainty.real_growth_sd_pct", "cannot be negative"),
        ("deflator_growth_sd_pct = 51", "uncertainty.deflator_growth_sd_pct", "0-50"),
        ("czk_per_usd_sd_pct = -0.5", "uncertainty.czk_per_usd_sd_pct", "0-50"),
        ('distribution = "cauchy"', "uncertainty.distribution", "normal, uniform"),
        ('real_growth_sd_pct = "high"', "uncertainty.real_growth_sd_pct", "expected a number"),
        ("spread = 1.0", "uncertainty.spread", "unknown key"),
    ],
)
def test_run_refuses_bad_uncertainty_settings(tmp_path: Path, body: str, key: str, words: str) -> None:
    path = tmp_path / "bad-sd.toml"
    path.write_text(
        'title = "Bad uncertainty"\n\n[uncertainty]\n'
        + body
        + '\n\n[[targets]]\nyear = 2030\nvalue = 3.0\nunit = "pct_gdp"\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = call("run", str(path), "--out", str(out), "--draws", "100")
    assert result.status == 2, result.stdout
    assert "bad-sd.toml" in result.stderr and key in result.stderr and words in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert not out.exists()
    with pytest.raises(ScenarioError):
        load_scenario(path)


RUN_FILES = {
    "projection.csv",
    "projection.json",
    "results.csv",
    "results.json",
    "gaps.csv",
    "gaps.json",
    "sensitivity.csv",
    "sensitivity.json",
    "summary.md",
    "spending.png",
    "share_of_gdp.png",
    "procurement.png",
    "sensitivity.png",
    "vintages.csv",
    "vintages.json",
    "vintages.png",
    "outturn.csv",  # Czechia's data hold its budget outturns
    "outturn.json",
    "outturn.png",
    "fiscal.csv",  # every country with IMF general-government series
    "fiscal.json",
    "fiscal.png",
}
SIM_FILES = {"simulation.csv", "simulation.json", "drivers.csv", "drivers.json", "fan.png"}


@pytest.fixture(scope="module")
def run_2000(tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    out = tmp_path_factory.mktemp("mc") / "out"
    result = call("run", STATED, "--out", str(out), "--draws", "2000", "--seed", "5")
    result.folder = out / "stated-targets"
    return result


def test_run_writes_the_uncertainty_outputs(run_2000: SimpleNamespace) -> None:
    assert run_2000.status == 0, run_2000.stderr
    files = {p.name for p in run_2000.folder.iterdir()}
    assert files == RUN_FILES | SIM_FILES
    for png in ("fan.png", "sensitivity.png"):
        assert (run_2000.folder / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_run_simulation_csv_matches_the_library(run_2000: SimpleNamespace) -> None:
    assert run_2000.status == 0, run_2000.stderr
    csv_sim = pd.read_csv(run_2000.folder / "simulation.csv", index_col="year")
    sim = simulate(scenario("stated-targets"), draws=2000, seed=5)
    assert csv_sim.index.tolist() == YEARS
    assert list(csv_sim.columns) == list(sim.columns) == list(PERCENTILES) + list(PROBS)
    np.testing.assert_allclose(csv_sim.to_numpy(), sim.to_numpy(), rtol=1e-6, atol=1e-9)  # NaN == NaN
    drv_csv = pd.read_csv(run_2000.folder / "drivers.csv", index_col=["line", "end"])
    drv = drivers(scenario("stated-targets"), draws=2000, seed=5)
    assert list(drv_csv.index) == list(drv.index)
    np.testing.assert_allclose(drv_csv.to_numpy(), drv.to_numpy(), rtol=1e-6, atol=1e-9)
    gaps_csv = pd.read_csv(run_2000.folder / "gaps.csv")
    assert gaps_csv.columns[:3].tolist() == ["line", "end", "year"]
    assert gaps_csv["line"].unique().tolist() == list(LINES)
    assert len(gaps_csv) == len(LINES) * len(ENDS) * len(YEARS)
    sens_csv = pd.read_csv(run_2000.folder / "sensitivity.csv", index_col=[0, 1])
    assert sens_csv.columns[0] == "pct_gdp_2035_down" and len(sens_csv) == 8
    np.testing.assert_allclose(sens_csv.to_numpy(), sensitivity(scenario("stated-targets")).to_numpy(), rtol=1e-9)


def test_run_summary_has_ledger_uncertainty_and_sensitivity(run_2000: SimpleNamespace) -> None:
    assert run_2000.status == 0, run_2000.stderr
    md = (run_2000.folder / "summary.md").read_text(encoding="utf-8")
    for section in (
        "## Against the lines that bind Czechia",
        "## Ledger: spending minus each line, summed",
        "## Uncertainty",
        "## Sensitivity",
    ):
        assert section in md, section
    ledger = md.split("## Ledger: spending minus each line, summed")[1].split("\n## ")[0]
    core = next(ln for ln in ledger.splitlines() if ln.startswith("| NATO 3.5 % core"))
    assert "| 2032 |" in core and "| 7.88 |" in core  # met from 2032; 7.88 % real growth a year needed
    two = next(ln for ln in ledger.splitlines() if ln.startswith("| NATO 2 %"))
    assert "| 2024 |" in two and "| 63.3-69.3 |" in two  # history counts; USD 63.3-69.3 bn above
    uncertainty = md.split("## Uncertainty")[1].split("\n## ")[0]
    assert "2,000 draws (seed 5)" in uncertainty
    assert "| 2030 | low |" in uncertainty and "| 2035 | high |" in uncertainty
    assert "| 15.0-15.0 (15.0) |" in uncertainty and "| 23.0-23.0 (23.0) |" in uncertainty  # USD fixed
    drv = drivers(scenario("stated-targets"), draws=2000, seed=5)
    core_high = drv.loc[("nato_core", "high")]
    row = next(ln for ln in uncertainty.splitlines() if ln.startswith("| NATO 3.5 % core") and "| high |" in ln)
    assert f"| {core_high['all_drawn']:.0%} | {core_high['real_growth_held']:.0%} |" in row
    sensitivity_md = md.split("## Sensitivity")[1].split("\n## ")[0]
    assert "Real GDP growth" in sensitivity_md and "Procurement share 20-25 %" in sensitivity_md
    real_high = next(
        ln for ln in sensitivity_md.splitlines() if ln.startswith("| Real GDP growth") and "| high |" in ln
    )
    assert "| 4.82 | 4.40 | 4.02 |" in real_high  # real growth down/base/up: % of GDP in 2035
    assert "Targets and claims disagree" in md and "3.20" in md


def test_run_with_zero_draws_skips_only_the_simulation(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = call("run", str(SCENARIOS / "legal-floor-2pct.toml"), "--out", str(out), "--draws", "0")
    assert result.status == 0, result.stderr
    folder = out / "legal-floor-2pct"
    files = {p.name for p in folder.iterdir()}
    assert files == RUN_FILES
    assert not files & SIM_FILES
    md = (folder / "summary.md").read_text(encoding="utf-8")
    assert "## Ledger: spending minus each line, summed" in md and "## Sensitivity" in md
    assert "## Uncertainty" not in md


# ---- a path that stops after its last target -----------------------------------------------------

STOP = (
    'title = "Stops after 2030"\n\n[path]\nafter_last = "stop"\n\n'
    '[[targets]]\nyear = 2030\nvalue = 3.0\nunit = "pct_gdp"\n'
)


def test_simulate_a_stopping_path_has_no_percentiles_after_it(write_scenario) -> None:
    sim = simulate(load_scenario(write_scenario(STOP)), draws=1_000)
    for end in ENDS:
        assert sim.loc[:2030, f"defense_pct_gdp_p50_{end}"].notna().all()
        assert sim.loc[2030, f"defense_pct_gdp_p50_{end}"] == pytest.approx(3.0)
    assert sim.loc[2031:, list(PERCENTILES)].isna().all().all()


def test_simulate_a_stopping_path_has_no_probabilities_after_it(write_scenario) -> None:
    sim = simulate(load_scenario(write_scenario(STOP)), draws=1_000)
    assert sim.loc[2031:, list(PROBS)].isna().all().all()
    # ... and has them before: 3 % is fixed, above 2 % from 2026 (2.2 %), below 3.5 %.
    assert (sim.loc[:2030, "prob_meets_nato_2pct_high"] == 1.0).all()
    assert (sim.loc[:2030, "prob_meets_nato_core_low"] == 0.0).all()


def test_sensitivity_of_a_stopping_path_is_finite(write_scenario) -> None:
    sens = sensitivity(load_scenario(write_scenario(STOP)))
    assert np.isfinite(sens.to_numpy()).all()
    assert sens.columns[0] == "usd_bn_2030_down"  # the last year with a path
    assert sens.attrs["procurement_years"] == "2026-2030"


def test_run_a_stopping_path(write_scenario, tmp_path: Path) -> None:
    path = write_scenario(STOP, "stop.toml")
    result = call("run", str(path), "--out", str(tmp_path / "out"), "--draws", "0")
    assert result.status == 0, result.stderr
    assert (tmp_path / "out" / "stop" / "sensitivity.png").is_file()


def test_the_historical_spread_is_read_from_the_scenarios_gdp_edition(tmp_path: Path) -> None:
    # The April 2026 edition has 2025 as an actual year: its spreads differ from October 2025's,
    # and a scenario on that edition draws with them, not with the default edition's.
    from budget.history import load_country

    f = tmp_path / "april.toml"
    f.write_text(
        'title = "April GDP"\nextends = "{}"\n[economy]\ngdp_edition = "IMF WEO 2026-04"\n'.format(
            (SCENARIOS / "stated-targets.toml").as_posix()
        ),
        encoding="utf-8",
    )
    s = budget.load_scenario(f)
    april = historical_sd(load_country("czechia", ["IMF WEO 2026-04"]))
    assert sds(s) == april
    assert april["real_growth_sd_pct"] != historical_sd(load_country("czechia"))["real_growth_sd_pct"]
