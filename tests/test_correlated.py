"""Correlated alliance uncertainty (``budget.correlated``): estimates, draws and group statistics."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO_ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from budget import aggregate, correlated
from budget.correlated import STREAM, simulate_alliance
from budget.correlation import DRIVERS, MIN_EIGENVALUE, estimate, shrink
from budget.history import load_country
from budget.pledges import lines_for
from budget.uncertainty import historical_sd

PATH = 'kind = "path"\nline = "nato_core"'
HOLD = 'kind = "hold"'


def write(folder: Path, name: str, rule: str, group: str = "nato_europe_canada", extra: str = "") -> aggregate.Alliance:
    """An alliance file: ``group`` is a group id, or country keys separated by commas."""
    head = f"members = {json.dumps(group.split(','))}" if "," in group else f'group = "{group}"'
    path = folder / f"{name}.toml"
    path.write_text(f'title = "{name}"\n{head}\n{extra}\n[rule]\n{rule}\n', encoding="utf-8")
    return aggregate.load(path)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("alliances")


@pytest.fixture(scope="module")
def paths(folder: Path) -> aggregate.Alliance:
    return write(folder, "paths", PATH)


@pytest.fixture(scope="module")
def holds(folder: Path) -> aggregate.Alliance:
    return write(folder, "holds", HOLD)


@pytest.fixture(scope="module")
def small(folder: Path) -> aggregate.Alliance:
    """Three members, three currencies (two of them pegged together), one last data year each."""
    return write(folder, "small", PATH, "czechia,slovakia,bulgaria")


def no_sd(c: correlated.Correlation) -> correlated.Correlation:
    return dataclasses.replace(c, sd={d: np.zeros_like(v) for d, v in c.sd.items()})


# ---- estimates -------------------------------------------------------------------------------


def test_matrices_are_symmetric_positive_definite_with_unit_diagonal(paths: aggregate.Alliance) -> None:
    c = estimate(paths)
    assert c.members == paths.members and len(c.members) >= 30
    for d in DRIVERS:
        m = c.matrix[d]
        assert m.shape == (len(c.labels(d)),) * 2
        assert np.array_equal(m, m.T)
        assert np.array_equal(np.diag(m), np.ones(len(m)))
        assert np.linalg.eigvalsh(m).min() >= MIN_EIGENVALUE * 0.999
        np.linalg.cholesky(m)
        assert 0 <= c.shrinkage[d] <= 1
        assert -1 < c.average[d] < 1
        assert len(c.years[d]) >= 9 and all(y <= 2025 for y in c.years[d])
    # Growth and inflation moved together in 2015-2024 (2020, 2022): strongly correlated on average.
    assert c.average["real_growth"] > 0.5 and c.average["deflator_growth"] > 0.5


def test_shrinkage_makes_a_singular_sample_positive_definite() -> None:
    rng = np.random.default_rng(1)
    x = rng.standard_normal((10, 30)) + rng.standard_normal((10, 1))  # rank <= 9 after demeaning
    sample = np.corrcoef(x, rowvar=False)
    assert np.linalg.eigvalsh(sample).min() < 1e-10
    for weight in (None, 0.0, 0.3):
        m, rbar, w, lam = shrink(x, weight)
        assert lam >= MIN_EIGENVALUE * 0.999 and w > 0
        assert rbar == pytest.approx((sample.sum() - 30) / (30 * 29))
        off = ~np.eye(30, dtype=bool)
        assert m[off].mean() == pytest.approx(rbar)  # the blend keeps the average correlation
        if weight is not None and weight > 0:
            assert np.allclose(m, (1 - w) * sample + w * np.where(off, rbar, 1.0))
    m, rbar, w, lam = shrink(x[:, :2], 0.0)  # two series, ten years: the sample is fine as it is
    assert w == 0.0 and m[0, 1] == pytest.approx(np.corrcoef(x[:, :2], rowvar=False)[0, 1])


def test_ledoit_wolf_weight_follows_the_evidence() -> None:
    rng = np.random.default_rng(4)
    # Many years, unequal true correlations: the sample is trusted (weight near 0).
    cov = np.array([[1, 0.9, 0.1], [0.9, 1, 0.0], [0.1, 0.0, 1]])
    many = rng.multivariate_normal(np.zeros(3), cov, size=5_000)
    m, _, w, _ = shrink(many)
    assert w < 0.02 and m[0, 1] == pytest.approx(0.9, abs=0.02)
    # Ten years, thirty series, one common factor: the constant-correlation target wins.
    few = rng.standard_normal((10, 1)) + rng.standard_normal((10, 30))
    assert shrink(few)[2] > 0.5


def test_sds_are_the_single_country_ones(paths: aggregate.Alliance) -> None:
    c = estimate(paths)
    for i, k in enumerate(c.members):
        sd = historical_sd(load_country(k))
        assert c.sd["real_growth"][i] == sd["real_growth_sd_pct"]
        assert c.sd["deflator_growth"][i] == sd["deflator_growth_sd_pct"]
    assert (c.sd["exchange_rate"] > 0).all()


def test_euro_and_pegged_currencies_draw_one_exchange_rate(paths: aggregate.Alliance) -> None:
    c = estimate(paths)
    euro = [i for i, cur in enumerate(c.member_currency) if cur == "EUR"]
    assert len(euro) > 10
    assert {c.fx_block[i] for i in euro} == {c.currencies.index("EUR")}
    assert len(c.currencies) == len(set(c.currencies)) and "USD" not in c.currencies
    # The lev's, krone's and denar's rates moved with the euro's (currency board, ERM II, peg).
    assert c.pegs == {"BGN": "EUR", "DKK": "EUR", "MKD": "EUR"}
    assert "EUR" in estimate(paths, pegs=False).currencies and "DKK" in estimate(paths, pegs=False).currencies


def test_euro_members_get_identical_exchange_rate_draws(folder: Path) -> None:
    a = write(folder, "held", PATH, extra='exchange_rates = "held"')
    c = estimate(a)
    z = correlated.shocks(c, a, 0, 50, seed=3)
    es = correlated.economies(a, c, z)
    euro = [k for k, cur in zip(c.members, c.member_currency, strict=True) if cur in ("EUR", "BGN", "DKK", "MKD")]
    t0 = {k: load_country(k).last_data_year for k in euro}
    start = max(t0.values())
    changes = {}
    for k in euro:
        e = es[k]
        i = e.at(start)
        changes[k] = e.rate[:, i + 1 :] / e.rate[:, i:-1]  # yearly changes in the years all project
    first = changes[euro[0]]
    assert first.shape == (50, a.end_year - start) and np.ptp(first) > 0.01  # drawn, not flat
    for k in euro[1:]:
        assert np.allclose(changes[k], first, rtol=1e-13, atol=0)
    e = es["poland"]  # the zloty draws its own
    i = e.at(start)
    assert not np.allclose(e.rate[:, i + 1 :] / e.rate[:, i:-1], first, rtol=1e-3)


def test_usd_per_usd_stays_one_and_the_us_deflator_moves_the_rates(folder: Path) -> None:
    a = write(folder, "all", PATH, "nato")
    c = estimate(a)
    z = correlated.shocks(c, a, 0, 20, seed=1)
    es = correlated.economies(a, c, z)
    assert np.array_equal(es["united-states"].rate, np.ones_like(es["united-states"].rate))
    # Drawn GDP and the deflator differ from the central path.
    central = aggregate.member(a, "united-states")
    assert not np.allclose(es["united-states"].gdp[:, -1], central.gdp_local[-1])


# ---- draws against the central path ----------------------------------------------------------


def test_no_spread_gives_the_central_group_path(
    folder: Path, paths: aggregate.Alliance, holds: aggregate.Alliance
) -> None:
    plan = REPO_ROOT / "scenarios" / "plans" / "poland-2026-budget.toml"
    mixed = f'{PATH}\n[rules.poland]\nkind = "plan"\nplan = "{plan.as_posix()}"\n[rules.germany]\n{HOLD}'
    for a in (paths, holds, write(folder, "mixed", mixed), write(folder, "allies", PATH, "nato")):
        frame = aggregate.group_frame(a, aggregate.members(a))
        d = simulate_alliance(a, draws=30, seed=5, correlation=no_sd(estimate(a)))
        for end in ("low", "high"):
            assert np.allclose(d.share_pct_gdp[end], frame.loc[a.end_year, f"defense_pct_gdp_{end}"], rtol=1e-12)
            assert np.allclose(d.spending_usd_bn[end], frame.loc[a.end_year, f"defense_usd_bn_{end}"], rtol=1e-12)
            extra = aggregate.window_sum(frame, f"extra_usd_bn_{end}", a.cumulative_from, a.end_year)
            assert np.allclose(d.extra_usd_bn[end], extra, rtol=1e-12, atol=1e-9)


def test_straight_paths_to_3_5_give_3_5_in_every_draw(paths: aggregate.Alliance) -> None:
    d = simulate_alliance(paths, draws=400, seed=2)
    for end in ("low", "high"):
        assert np.abs(d.share_pct_gdp[end] - 3.5).max() < 1e-12
        assert d.probability("nato_core", end) == 1.0
        assert d.probability("nato_2pct", end) == 1.0
        assert np.ptp(d.spending_usd_bn[end]) > 100  # the money is uncertain, the share is not
    assert [ln.id for ln in d.lines] == ["nato_2pct", "nato_core"]
    core = next(ln for ln in lines_for(load_country("germany")) if ln.id == "nato_core")
    assert core.level_pct_gdp == 3.5 and core.year == 2035


def test_holding_shares_never_reaches_3_5(holds: aggregate.Alliance) -> None:
    held = aggregate.group_frame(holds, aggregate.members(holds)).loc[holds.end_year, "hold_pct_gdp"]
    assert 2.1 < held < 2.4
    d = simulate_alliance(holds, draws=400, seed=2)
    assert d.probability("nato_core") == 0.0
    assert d.probability("nato_2pct") == 1.0
    assert np.abs(d.share_pct_gdp["high"] - held).max() < 0.2
    assert np.abs(d.extra_usd_bn["high"]).max() < 1e-9  # holding costs nothing extra


# ---- determinism -----------------------------------------------------------------------------


def _same(x: correlated.AllianceDraws, y: correlated.AllianceDraws, n: int | None = None) -> bool:
    return all(
        np.array_equal(getattr(x, f)[end][:n], getattr(y, f)[end][:n])
        for f in ("share_pct_gdp", "spending_usd_bn", "extra_usd_bn")
        for end in ("low", "high")
    )


def test_same_seed_same_result_whatever_the_block(small: aggregate.Alliance) -> None:
    c = estimate(small)
    base = simulate_alliance(small, draws=2 * STREAM + 300, seed=11, correlation=c)
    assert _same(base, simulate_alliance(small, draws=2 * STREAM + 300, seed=11, correlation=c))
    assert _same(base, simulate_alliance(small, draws=2 * STREAM + 300, seed=11, block=1, correlation=c))
    assert _same(base, simulate_alliance(small, draws=2 * STREAM + 300, seed=11, block=STREAM + 1, correlation=c))
    assert _same(base, simulate_alliance(small, draws=STREAM + 7, seed=11, correlation=c), STREAM + 7)
    other = simulate_alliance(small, draws=2 * STREAM + 300, seed=12, correlation=c)
    assert not np.array_equal(base.spending_usd_bn["high"], other.spending_usd_bn["high"])
    assert base.frame().equals(simulate_alliance(small, draws=2 * STREAM + 300, seed=11).frame())


# ---- group statistics ------------------------------------------------------------------------


def test_percentiles_are_of_the_group_draws(small: aggregate.Alliance) -> None:
    c = estimate(small)
    n = 40
    d = simulate_alliance(small, draws=n, seed=7, correlation=c)
    # The group's draws by hand: every member's drawn path on the same shocks, summed per draw.
    ms = correlated.member_paths(small, c, correlated.shocks(c, small, 0, n, seed=7))
    at = {k: m.years.tolist().index(small.end_year) for k, m in ms.items()}
    window = {k: (m.years >= small.cumulative_from) & (m.years <= small.end_year) for k, m in ms.items()}
    for end in ("low", "high"):
        usd = sum(m.usd[end][:, at[k]] for k, m in ms.items())
        gdp = sum(m.gdp_usd[:, at[k]] for k, m in ms.items())
        extra = sum((m.usd[end] - m.hold_usd)[:, window[k]].sum(axis=1) for k, m in ms.items())
        assert np.allclose(d.spending_usd_bn[end], usd, rtol=1e-13)
        assert np.allclose(d.share_pct_gdp[end], usd / gdp * 100, rtol=1e-13)
        assert np.allclose(d.extra_usd_bn[end], extra, rtol=1e-12)
        frame = d.frame().set_index(["statistic", "end"])["value"]
        manual = np.percentile(extra, [5, 50, 95])
        got = [frame[f"cumulative_extra_usd_bn_{p}", end] for p in ("p05", "p50", "p95")]
        assert np.allclose(got, manual, rtol=1e-12)
        # Not the sum of the members' own percentiles.
        members_p05 = sum(np.percentile((m.usd[end] - m.hold_usd)[:, window[k]].sum(axis=1), 5) for k, m in ms.items())
        assert not np.isclose(got[0], members_p05, rtol=1e-6)
        level = {ln.id: ln for ln in d.lines}["nato_core"].level_pct_gdp
        assert frame["prob_meets_nato_core", end] == np.mean(d.share_pct_gdp[end] >= level - 1e-9)


def test_frame_is_tidy(small: aggregate.Alliance) -> None:
    f = simulate_alliance(small, draws=20).frame()
    assert list(f.columns) == ["statistic", "end", "value", "unit"]
    assert set(f["end"]) == {"low", "high"}
    assert not f.duplicated(["statistic", "end"]).any()
    assert {"share_pct_gdp_p50", "cumulative_extra_usd_bn_p05", "spending_usd_bn_p95", "prob_meets_nato_core"} <= set(
        f["statistic"]
    )
    assert f.attrs["draws"] == 20 and f.attrs["year"] == small.end_year


def test_correlation_writes_out(paths: aggregate.Alliance) -> None:
    c = estimate(paths)
    assert list(c.summary_frame().index) == list(DRIVERS)
    sd = c.sd_frame()
    assert sd.loc["denmark", "fx_draws_with"] == "EUR" and sd.loc["poland", "fx_draws_with"] == "PLN"
    m = c.matrix_frame("exchange_rate")
    assert list(m.index) == list(c.currencies) == list(m.columns)
    f = c.frame()
    assert list(f.columns) == ["driver", "statistic", "a", "b", "value"]
    pairs = f[(f.driver == "real_growth") & (f.statistic == "correlation")]
    assert len(pairs) == 30 * 29 // 2 and pairs["value"].between(-1, 1).all()
    fx = f[(f.driver == "exchange_rate") & (f.statistic == "sd_pct")].set_index("a")
    assert fx.loc["bulgaria", "b"] == "EUR" and fx.loc["bulgaria", "value"] == fx.loc["france", "value"]
    text = c.markdown()
    assert "| real_growth |" in text and "| germany | EUR | EUR |" in text


def test_bad_arguments(small: aggregate.Alliance, paths: aggregate.Alliance) -> None:
    with pytest.raises(ValueError, match="draws"):
        simulate_alliance(small, draws=0)
    with pytest.raises(TypeError, match="seed"):
        simulate_alliance(small, seed=1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="correlation"):
        simulate_alliance(small, draws=5, correlation=estimate(paths))
    with pytest.raises(ValueError, match="shrinkage"):
        estimate(small, shrinkage=2.0)
    with pytest.raises(ValueError, match="nato_total"):
        simulate_alliance(small, draws=5).probability("nato_total")  # a total line: not drawn here


@settings(max_examples=15, deadline=None)
@given(draws=st.integers(1, 60), seed=st.integers(0, 2**32))
def test_percentiles_are_ordered(small: aggregate.Alliance, draws: int, seed: int) -> None:
    d = simulate_alliance(small, draws=draws, seed=seed, correlation=_estimate(small))
    for figure in ("share_pct_gdp", "spending_usd_bn", "extra_usd_bn"):
        for end in ("low", "high"):
            p5, p50, p95 = d.percentiles(figure, end)
            assert p5 <= p50 <= p95


_ESTIMATES: dict[str, correlated.Correlation] = {}


def _estimate(a: aggregate.Alliance) -> correlated.Correlation:
    if str(a.file) not in _ESTIMATES:
        _ESTIMATES[str(a.file)] = estimate(a)
    return _ESTIMATES[str(a.file)]
