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
from budget.uncertainty import CHUNK, MAX_DRAWS, historical_sd, sds, sensitivity

YEARS = list(range(2026, 2036))
FAMILIES = ("defense_pct_gdp", "defense_usd_bn", "defense_czk_bn")
PROBS = ("prob_ge_2", "prob_ge_3_5", "prob_ge_5")
SD_KEYS = ("real_growth_sd_pct", "deflator_growth_sd_pct", "local_per_usd_sd_pct")
N = 4_000  # draws for the quick checks


def scenario(name: str) -> budget.Scenario:
    return load_scenario(SCENARIOS / f"{name}.toml")


def no_sd(s: budget.Scenario) -> budget.Scenario:
    return dataclasses.replace(s, real_growth_sd_pct=0.0, deflator_growth_sd_pct=0.0,
                               local_per_usd_sd_pct=0.0)


# ---- shape, percentiles, probabilities -----------------------------------------------------------


@pytest.mark.parametrize("name", ["stated-targets", "nato-core-3.5", "nato-total-5", "legal-floor-2pct",
                                  "stated-targets-weak-koruna"])
def test_percentiles_are_ordered_and_probabilities_are_shares(name: str) -> None:
    sim = simulate(scenario(name), draws=N)
    assert sim.index.name == "year" and sim.index.tolist() == YEARS
    assert list(sim.columns) == [f"{f}_{p}" for f in FAMILIES for p in ("p05", "p50", "p95")] + list(PROBS)
    assert sim.attrs == {"draws": N, "seed": 0}
    assert np.isfinite(sim.to_numpy()).all()
    for family in FAMILIES:
        p05, p50, p95 = (sim[f"{family}_{p}"] for p in ("p05", "p50", "p95"))
        assert (p05 <= p50).all() and (p50 <= p95).all(), family
        assert (p05 > 0).all()
    for col in PROBS:
        assert sim[col].between(0, 1).all(), col


@pytest.mark.parametrize("name", ["stated-targets", "nato-core-3.5", "legal-floor-2pct", "fiala-3pct-2030"])
def test_probabilities_fall_with_the_line_without_resilience(name: str) -> None:
    sim = simulate(scenario(name), draws=N)
    assert (sim["prob_ge_2"] >= sim["prob_ge_3_5"]).all()
    assert (sim["prob_ge_3_5"] >= sim["prob_ge_5"]).all()


def test_probabilities_match_the_percentiles() -> None:
    # A USD target: the share is uncertain. P(share >= 2 %) is above 95 % exactly where p05 >= 2 %.
    sim = simulate(scenario("stated-targets"), draws=20_000)
    assert ((sim["defense_pct_gdp_p05"] >= 2.0) <= (sim["prob_ge_2"] >= 0.95)).all()
    assert ((sim["defense_pct_gdp_p95"] < 3.5) <= (sim["prob_ge_3_5"] <= 0.05)).all()
    # The median share in 2035 is about the central 4.40 %: above 3.5 % in most draws, not in all.
    assert 0.5 < sim.loc[2035, "prob_ge_3_5"] < 1.0


def test_share_targets_meet_their_line_in_every_draw() -> None:
    # nato-core-3.5: the share is fixed by construction (3.5 % in 2035), whatever the economy.
    sim = simulate(scenario("nato-core-3.5"), draws=N)
    assert sim.loc[2035, "prob_ge_3_5"] == 1.0
    assert (sim.loc[:2034, "prob_ge_3_5"] == 0.0).all()
    assert (sim["prob_ge_2"] == 1.0).all()  # 2.15 % and up from 2026
    assert (sim["prob_ge_5"] == 0.0).all()


def test_the_5pct_line_counts_resilience() -> None:
    # nato-total-5: core 3.5 % + resilience 1.5 % = exactly 5 % in 2035 in every draw (both shares
    # are fixed: the sds move GDP, not the shares); before 2035 the total is below 5 %.
    s = scenario("nato-total-5")
    assert all(sds(s)[k] > 0 for k in SD_KEYS)
    sim = simulate(s, draws=N)
    assert sim.loc[2035, "prob_ge_5"] == 1.0
    assert (sim.loc[:2034, "prob_ge_5"] == 0.0).all()
    # Core alone never reaches 5 %: the same scenario without resilience.
    core = simulate(dataclasses.replace(s, resilience=None), draws=N)
    assert (core["prob_ge_5"] == 0.0).all()
    pd.testing.assert_frame_equal(core.drop(columns="prob_ge_5"), sim.drop(columns="prob_ge_5"))


# ---- no uncertainty: the central projection ------------------------------------------------------


@pytest.mark.parametrize("name", ["stated-targets", "nato-core-3.5", "stated-targets-weak-koruna",
                                  "stated-targets-slow-growth", "nato-total-5"])
def test_zero_sds_give_the_central_projection(name: str) -> None:
    s = no_sd(scenario(name))
    assert sds(s) == dict.fromkeys(SD_KEYS, 0.0)
    sim = simulate(s, draws=2_000)
    df = project(s).loc[2026:2035]
    for family in FAMILIES:
        for p in ("p05", "p50", "p95"):
            got = sim[f"{family}_{p}"].to_numpy()
            assert got == pytest.approx(df[family].to_numpy(), rel=1e-9), (family, p)
    # Probabilities are 0 or 1 and agree with the central share.
    core, total = df["defense_pct_gdp"], df["total_pct_gdp"]
    for col, line, share in (("prob_ge_2", 2.0, core), ("prob_ge_3_5", 3.5, core), ("prob_ge_5", 5.0, total)):
        assert sim[col].tolist() == [float(v >= line - 1e-9) for v in np.asarray(share)], col


def test_usd_target_fixes_the_amount_and_leaves_the_share_uncertain() -> None:
    sim = simulate(scenario("stated-targets"), draws=N)
    low, high = sim["defense_usd_bn_p05"].to_numpy(), sim["defense_usd_bn_p95"].to_numpy()
    assert low == pytest.approx(high, rel=1e-12)
    assert sim.loc[2030, "defense_usd_bn_p50"] == pytest.approx(15.0)
    assert sim.loc[2035, "defense_usd_bn_p50"] == pytest.approx(25.0)  # the central path: high end
    spread = sim["defense_pct_gdp_p95"] - sim["defense_pct_gdp_p05"]
    assert (spread > 0.1).all()
    assert spread.is_monotonic_increasing  # uncertainty grows with the horizon
    assert (sim["defense_czk_bn_p95"] > sim["defense_czk_bn_p05"]).all()


def test_share_target_fixes_the_share_and_leaves_the_amount_uncertain() -> None:
    sim = simulate(scenario("nato-core-3.5"), draws=N)
    low, high = sim["defense_pct_gdp_p05"].to_numpy(), sim["defense_pct_gdp_p95"].to_numpy()
    assert low == pytest.approx(high, rel=1e-12)
    assert sim["defense_pct_gdp_p50"].to_numpy() == pytest.approx([2.0 + 0.15 * (y - 2025) for y in YEARS])
    for family in ("defense_usd_bn", "defense_czk_bn"):
        spread = sim[f"{family}_p95"] - sim[f"{family}_p05"]
        assert (spread > 0).all() and spread.is_monotonic_increasing, family


# ---- reproducibility -----------------------------------------------------------------------------


def test_same_seed_same_result_other_seed_other_result() -> None:
    s = scenario("stated-targets")
    a, b = simulate(s, draws=N, seed=7), simulate(s, draws=N, seed=7)
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    c = simulate(s, draws=N, seed=8)
    assert c.attrs["seed"] == 8
    assert not a.equals(c)
    assert not np.array_equal(a["defense_pct_gdp_p05"], c["defense_pct_gdp_p05"])
    # ... but close: 4,000 draws pin the median share within a few hundredths.
    assert a["defense_pct_gdp_p50"].to_numpy() == pytest.approx(c["defense_pct_gdp_p50"].to_numpy(), abs=0.1)


@pytest.mark.parametrize("draws", [1, 2, CHUNK - 1, CHUNK + 1, 2 * CHUNK + 17])
def test_any_number_of_draws(draws: int) -> None:
    sim = simulate(scenario("stated-targets"), draws=draws)
    assert sim.attrs["draws"] == draws
    assert np.isfinite(sim.to_numpy()).all()
    assert (sim["defense_pct_gdp_p05"] <= sim["defense_pct_gdp_p95"]).all()
    # Each probability is a whole number of draws out of `draws`.
    counts = sim[list(PROBS)].to_numpy() * draws
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
    assert a["defense_pct_gdp_p50"].to_numpy() == pytest.approx(b["defense_pct_gdp_p50"].to_numpy(), rel=1e-3)


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
    for family in ("defense_pct_gdp", "defense_czk_bn"):
        u = uniform[f"{family}_p95"] - uniform[f"{family}_p05"]
        n = normal[f"{family}_p95"] - normal[f"{family}_p05"]
        ratio = (u / n).to_numpy()
        assert ((ratio > 0.5) & (ratio < 1.5)).all(), (family, ratio)
    # Same centre: both are centred on the central path.
    median = normal["defense_pct_gdp_p50"].to_numpy()
    assert uniform["defense_pct_gdp_p50"].to_numpy() == pytest.approx(median, rel=0.03)


def test_uniform_distribution_from_a_file(write_scenario) -> None:
    path = write_scenario('title = "Uniform"\n\n[uncertainty]\ndistribution = "uniform"\n'
                          'real_growth_sd_pct = 1.0\n\n'
                          '[[targets]]\nyear = 2030\nvalue = 15.0\nunit = "usd_bn"\n')
    s = load_scenario(path)
    assert s.distribution == "uniform" and sds(s)["real_growth_sd_pct"] == 1.0
    sim = simulate(s, draws=2_000)
    assert (sim["defense_pct_gdp_p05"] < sim["defense_pct_gdp_p95"]).all()


# ---- bad draws -----------------------------------------------------------------------------------


@pytest.mark.parametrize("draws", [0, -1, MAX_DRAWS + 1, 2.5, True, False, 1000.0, "1000", None])
def test_bad_draws_are_refused(draws: object) -> None:
    with pytest.raises(ScenarioError) as info:
        simulate(scenario("stated-targets"), draws=draws)  # type: ignore[arg-type]
    assert "draws" in str(info.value)
    assert info.value.problems[0][0] == "draws"


def test_max_draws() -> None:
    assert MAX_DRAWS == 10_000_000


# ---- historical sds ------------------------------------------------------------------------------


def _series(indicator: str) -> list[tuple[int, float, str]]:
    path = REPO_ROOT / "budget" / "data" / "czechia" / "series.csv"
    with path.open(encoding="utf-8") as f:
        return [(int(r["year"]), float(r["value"]), r["status"]) for r in csv.DictReader(f)
                if r["indicator"] == indicator and r["value"]]


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
    spread = lambda sim: (sim["defense_pct_gdp_p95"] - sim["defense_pct_gdp_p05"]).to_numpy()  # noqa: E731
    assert (spread(wide) > spread(narrow)).all()


# ---- sensitivity ---------------------------------------------------------------------------------


def _rows(sens: pd.DataFrame) -> dict[str, pd.Series]:
    return {key: sens.loc[next(d for d in sens.index if d.startswith(prefix))]
            for key, prefix in (("real", "Real GDP growth"), ("deflator", "GDP deflator growth"),
                                ("rate", "CZK per USD"), ("procurement", "Procurement share"))}


def test_sensitivity_of_a_usd_target_is_the_end_year_share() -> None:
    s = scenario("stated-targets")
    sens, df = sensitivity(s), project(s)
    assert list(sens.columns) == ["pct_gdp_2035_low", "pct_gdp_2035_base", "pct_gdp_2035_high",
                                  "procurement_usd_bn_low", "procurement_usd_bn_base",
                                  "procurement_usd_bn_high"]
    assert sens.attrs["metric_unit"] == "% of GDP"
    assert len(sens) == 4
    r = _rows(sens)
    base = df.loc[2035, "defense_pct_gdp"]  # 4.40 %
    assert sens["pct_gdp_2035_base"].to_numpy() == pytest.approx(base, rel=1e-12)
    # A weaker koruna (more CZK per USD): the same USD amount is a larger share of GDP.
    assert r["rate"]["pct_gdp_2035_high"] > base > r["rate"]["pct_gdp_2035_low"]
    # Faster real growth (or inflation): a larger GDP, so a smaller share.
    assert r["real"]["pct_gdp_2035_high"] < base < r["real"]["pct_gdp_2035_low"]
    assert r["deflator"]["pct_gdp_2035_high"] < base < r["deflator"]["pct_gdp_2035_low"]
    # The economy cannot change a fixed USD amount, so neither the procurement sum.
    for key in ("real", "deflator", "rate"):
        assert r[key]["procurement_usd_bn_low"] == pytest.approx(r[key]["procurement_usd_bn_high"], rel=1e-12)


def test_sensitivity_procurement_row_runs_from_the_low_to_the_high_share() -> None:
    s = scenario("stated-targets")  # procurement 20-25 %
    sens, df = sensitivity(s), project(s)
    row = _rows(sens)["procurement"]
    assert row.name == "Procurement share 20-25 %"
    total = df.loc[2026:2035, "defense_usd_bn"].sum()  # central path, USD bn, 2026-2035
    assert row["procurement_usd_bn_low"] == pytest.approx(0.20 * total, rel=1e-12)
    assert row["procurement_usd_bn_high"] == pytest.approx(0.25 * total, rel=1e-12)
    assert row["procurement_usd_bn_base"] == pytest.approx(0.225 * total, rel=1e-12)
    # ... and equals the projection's own procurement columns summed.
    at_25 = df.loc[2026:2035, "procurement_usd_bn_high"].sum()  # 25 % of the central path
    assert row["procurement_usd_bn_low"] == pytest.approx(at_25 * 0.8, rel=1e-12)
    # The procurement share does not move the end-year metric.
    assert row["pct_gdp_2035_low"] == row["pct_gdp_2035_base"] == row["pct_gdp_2035_high"]


def test_sensitivity_of_a_share_target_is_the_end_year_amount() -> None:
    s = scenario("nato-core-3.5")
    sens, df = sensitivity(s), project(s)
    assert list(sens.columns)[:3] == ["usd_bn_2035_low", "usd_bn_2035_base", "usd_bn_2035_high"]
    assert sens.attrs["metric_unit"] == "USD bn"
    r = _rows(sens)
    base = df.loc[2035, "defense_usd_bn"]
    assert sens["usd_bn_2035_base"].to_numpy() == pytest.approx(base, rel=1e-12)
    # Faster real growth: 3.5 % of a larger GDP is more money.
    assert r["real"]["usd_bn_2035_high"] > base > r["real"]["usd_bn_2035_low"]
    # A weaker koruna: the same CZK amount buys fewer dollars.
    assert r["rate"]["usd_bn_2035_high"] < base < r["rate"]["usd_bn_2035_low"]
    # Procurement moves with the amount here.
    assert r["real"]["procurement_usd_bn_high"] > r["real"]["procurement_usd_bn_base"]
    total = df.loc[2026:2035, "defense_usd_bn"].sum()
    assert r["procurement"]["procurement_usd_bn_low"] == pytest.approx(0.20 * total, rel=1e-12)
    assert r["procurement"]["procurement_usd_bn_high"] == pytest.approx(0.25 * total, rel=1e-12)


def test_sensitivity_steps_are_sd_over_sqrt_n() -> None:
    # 10 projection years: each year's rate moves by sd / sqrt(10); the labels show that step.
    s = scenario("stated-targets")
    sd = sds(s)
    labels = list(sensitivity(s).index)
    assert f"-/+ {sd['real_growth_sd_pct'] / np.sqrt(10):.2f} pt" in labels[0]
    assert f"-/+ {sd['deflator_growth_sd_pct'] / np.sqrt(10):.2f} pt" in labels[1]
    assert f"-/+ {sd['local_per_usd_sd_pct'] / np.sqrt(10):.2f} %" in labels[2]


def test_sensitivity_with_zero_sds_is_flat() -> None:
    sens = sensitivity(no_sd(scenario("stated-targets")))
    for i in range(3):
        row = sens.iloc[i]
        assert row["pct_gdp_2035_low"] == pytest.approx(row["pct_gdp_2035_high"], rel=1e-12)


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


@pytest.mark.parametrize(("body", "key", "words"), [
    ("real_growth_sd_pct = -1", "uncertainty.real_growth_sd_pct", "cannot be negative"),
    ("deflator_growth_sd_pct = 51", "uncertainty.deflator_growth_sd_pct", "0-50"),
    ("czk_per_usd_sd_pct = -0.5", "uncertainty.czk_per_usd_sd_pct", "0-50"),
    ('distribution = "cauchy"', "uncertainty.distribution", "normal, uniform"),
    ('real_growth_sd_pct = "high"', "uncertainty.real_growth_sd_pct", "expected a number"),
    ("spread = 1.0", "uncertainty.spread", "unknown key"),
])
def test_run_refuses_bad_uncertainty_settings(tmp_path: Path, body: str, key: str, words: str) -> None:
    path = tmp_path / "bad-sd.toml"
    path.write_text('title = "Bad uncertainty"\n\n[uncertainty]\n' + body +
                    '\n\n[[targets]]\nyear = 2030\nvalue = 3.0\nunit = "pct_gdp"\n', encoding="utf-8")
    out = tmp_path / "out"
    result = call("run", str(path), "--out", str(out), "--draws", "100")
    assert result.status == 2, result.stdout
    assert "bad-sd.toml" in result.stderr and key in result.stderr and words in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert not out.exists()
    with pytest.raises(ScenarioError):
        load_scenario(path)


RUN_FILES = {"projection.csv", "projection.json", "gaps.csv", "gaps.json", "sensitivity.csv",
             "sensitivity.json", "summary.md", "spending.png", "share_of_gdp.png", "procurement.png",
             "sensitivity.png"}
SIM_FILES = {"simulation.csv", "simulation.json", "fan.png"}


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
    csv_sim = pd.read_csv(run_2000.folder / "simulation.csv", index_col="year")
    sim = simulate(scenario("stated-targets"), draws=2000, seed=5)
    assert csv_sim.index.tolist() == YEARS
    assert list(csv_sim.columns) == list(sim.columns)
    np.testing.assert_allclose(csv_sim.to_numpy(), sim.to_numpy(), rtol=1e-6, atol=1e-9)
    gaps_csv = pd.read_csv(run_2000.folder / "gaps.csv")
    assert gaps_csv["line"].unique().tolist() == ["nato_2pct", "nato_core", "nato_total"]
    assert len(gaps_csv) == 3 * len(YEARS)
    sens_csv = pd.read_csv(run_2000.folder / "sensitivity.csv", index_col=0)
    assert sens_csv.columns[0] == "pct_gdp_2035_low" and len(sens_csv) == 4


def test_run_summary_has_ledger_uncertainty_and_sensitivity(run_2000: SimpleNamespace) -> None:
    md = (run_2000.folder / "summary.md").read_text(encoding="utf-8")
    for section in ("## Shortfall against NATO's lines", "## Uncertainty", "## Sensitivity"):
        assert section in md, section
    ledger = md.split("## Shortfall against NATO's lines")[1].split("\n## ")[0]
    assert "2032" in ledger and "not by 2035" in ledger  # core met in 2032; 5 % never
    uncertainty = md.split("## Uncertainty")[1].split("\n## ")[0]
    assert "2,000 draws (seed 5)" in uncertainty
    assert "| 2030 |" in uncertainty and "| 2035 |" in uncertainty
    assert "15.0-15.0" in uncertainty  # USD fixed
    sensitivity_md = md.split("## Sensitivity")[1].split("\n## ")[0]
    assert "Real GDP growth" in sensitivity_md and "Procurement share 20-25 %" in sensitivity_md
    assert any(ch.isdigit() for ch in sensitivity_md.split("|---")[-1])
    assert "4.82" in sensitivity_md  # real growth down: 4.82 % of GDP in 2035
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
    assert "## Shortfall against NATO's lines" in md and "## Sensitivity" in md
    assert "## Uncertainty" not in md


# ---- a path that stops after its last target -----------------------------------------------------

STOP = ('title = "Stops after 2030"\n\n[path]\nafter_last = "stop"\n\n'
        '[[targets]]\nyear = 2030\nvalue = 3.0\nunit = "pct_gdp"\n')


def test_simulate_a_stopping_path_has_no_percentiles_after_it(write_scenario) -> None:
    sim = simulate(load_scenario(write_scenario(STOP)), draws=1_000)
    assert sim.loc[:2030, "defense_pct_gdp_p50"].notna().all()
    assert sim.loc[2030, "defense_pct_gdp_p50"] == pytest.approx(3.0)
    assert sim.loc[2031:, [f"{f}_{p}" for f in FAMILIES for p in ("p05", "p50", "p95")]].isna().all().all()


def test_simulate_a_stopping_path_has_no_probabilities_after_it(write_scenario) -> None:
    sim = simulate(load_scenario(write_scenario(STOP)), draws=1_000)
    assert sim.loc[2031:, list(PROBS)].isna().all().all()


def test_sensitivity_of_a_stopping_path_is_finite(write_scenario) -> None:
    sens = sensitivity(load_scenario(write_scenario(STOP)))
    assert np.isfinite(sens.to_numpy()).all()


def test_run_a_stopping_path(write_scenario, tmp_path: Path) -> None:
    path = write_scenario(STOP, "stop.toml")
    result = call("run", str(path), "--out", str(tmp_path / "out"), "--draws", "0")
    assert result.status == 0, result.stderr
    assert (tmp_path / "out" / "stop" / "sensitivity.png").is_file()
