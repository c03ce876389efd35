"""Properties of projections over random targets, methods, units and economies (hypothesis)."""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pandas as pd
import pytest
from conftest import SCENARIOS
from hypothesis import given, settings
from hypothesis import strategies as st

from budget import gaps, load_scenario, project
from budget.model import interpolate
from budget.pledges import Line, meets, met_from, path_pct
from budget.scenario import Scenario, Target
from budget.schema import AFTER_LAST, METHODS

BASE = load_scenario(SCENARIOS / "stated-targets.toml")
UNITS = ("usd_bn", "czk_bn", "pct_gdp")
COLUMN = {"usd_bn": "defense_usd_bn", "czk_bn": "defense_czk_bn", "pct_gdp": "defense_pct_gdp"}
BOUNDS = {"usd_bn": (2.0, 40.0), "czk_bn": (50.0, 900.0), "pct_gdp": (0.5, 8.0)}
T0, END = 2025, 2035
SETTINGS = settings(max_examples=50, deadline=None)
REL = 1e-9


def _floats(lo: float, hi: float) -> st.SearchStrategy[float]:
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


@st.composite
def targets(draw: st.DrawFn) -> tuple[Target, ...]:
    n = draw(st.integers(1, 4))
    years = sorted(draw(st.lists(st.integers(T0 + 1, END), min_size=n, max_size=n, unique=True)))
    out = []
    for year in years:
        unit = draw(st.sampled_from(UNITS))
        a = draw(_floats(*BOUNDS[unit]))
        b = draw(_floats(*BOUNDS[unit])) if draw(st.booleans()) else a
        out.append(Target(year, min(a, b), max(a, b), unit))
    return tuple(out)


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    p_low = draw(_floats(0, 60))
    return dataclasses.replace(
        BASE,
        targets=draw(targets()),
        claims=(),
        method=draw(st.sampled_from(METHODS)),
        interpolate_in=draw(st.sampled_from(UNITS)),
        after_last=draw(st.sampled_from(AFTER_LAST)),
        procurement_low_pct=p_low,
        procurement_high_pct=draw(_floats(p_low, 100)),
        real_growth_pct=draw(st.none() | _floats(-2, 5)),
        deflator_growth_pct=draw(st.none() | _floats(-1, 6)),
        assumptions_from=draw(st.none() | st.integers(T0 + 1, END)),
        local_per_usd=draw(st.none() | _floats(15, 35)),
        local_per_usd_change_pct=draw(_floats(-5, 5)),
    )


def _close(a: float, b: float, rel: float = REL) -> bool:
    return abs(a - b) <= rel * max(abs(a), abs(b), 1e-12)


def _anchors(s: Scenario, df: pd.DataFrame, end: str) -> list[tuple[int, float]]:
    """(year, value in the path unit) of the path's anchors: the last data year, then each target."""
    col = f"{COLUMN[s.path_unit]}_{end}"
    return [(T0, float(df.loc[T0, col]))] + [(t.year, float(df.loc[t.year, col])) for t in s.targets]


@SETTINGS
@given(scenarios())
def test_path_passes_through_every_target_in_its_own_unit(s: Scenario) -> None:
    df = project(s)
    for t in s.targets:
        for end, value in (("low", t.low), ("high", t.high)):
            got = df.loc[t.year, f"{COLUMN[t.unit]}_{end}"]
            assert _close(got, value), (t, end, got)
        assert _close(df.loc[t.year, COLUMN[t.unit]], t.high)  # central = high end


@SETTINGS
@given(scenarios())
def test_path_shape_within_each_segment(s: Scenario) -> None:
    df = project(s)
    col = COLUMN[s.path_unit]
    for end in ("low", "high"):
        values = df[f"{col}_{end}"]
        anchors = _anchors(s, df, end)
        for (y0, v0), (y1, v1) in itertools.pairwise(anchors):
            seg = values.loc[y0:y1].to_numpy()
            assert len(seg) == y1 - y0 + 1
            if s.method == "linear":
                lo, hi = min(v0, v1), max(v0, v1)
                tol = 1e-9 * max(abs(lo), abs(hi))
                assert ((seg >= lo - tol) & (seg <= hi + tol)).all(), (y0, y1, seg)
                np.testing.assert_allclose(np.diff(seg), (v1 - v0) / (y1 - y0), rtol=1e-7, atol=1e-9 * hi)
            elif s.method == "geometric":
                np.testing.assert_allclose(seg[1:] / seg[:-1], (v1 / v0) ** (1 / (y1 - y0)), rtol=1e-9)
            else:  # step: the left anchor's value until the right anchor's year
                assert (seg[:-1] == v0).all(), (y0, y1, seg)


@SETTINGS
@given(scenarios())
def test_after_the_last_target(s: Scenario) -> None:
    df = project(s)
    last = s.targets[-1].year
    later = df.loc[last + 1 :]
    main = ["defense_usd_bn", "defense_czk_bn", "defense_pct_gdp"]
    assert df.loc[:last, [f"{c}_{e}" for c in main for e in ("low", "high")]].notna().all().all()
    for end in ("low", "high"):
        if s.after_last == "hold_share":
            share = f"defense_pct_gdp_{end}"
            np.testing.assert_allclose(later[share], df.loc[last, share], rtol=1e-9)
        elif s.after_last == "stop":
            assert later[[f"{c}_{end}" for c in main]].isna().all().all()
    if s.after_last == "hold_real":
        for const in ("defense_czk_bn_const", "defense_usd_bn_const"):
            np.testing.assert_allclose(later[const], df.loc[last, const], rtol=1e-9)


@SETTINGS
@given(scenarios())
def test_units_agree_and_low_is_below_high(s: Scenario) -> None:
    df = project(s)
    for suffix in ("", "_low", "_high"):
        usd, czk, pct = (df[f"defense_{u}{suffix}"].to_numpy() for u in ("usd_bn", "czk_bn", "pct_gdp"))
        np.testing.assert_allclose(pct, czk / df["gdp_czk_bn"].to_numpy() * 100, rtol=1e-9)
        np.testing.assert_allclose(usd * df["czk_per_usd"].to_numpy(), czk, rtol=1e-9)
    ok = df["defense_usd_bn_low"].notna()
    for col in ("defense_usd_bn", "defense_czk_bn", "defense_pct_gdp"):
        low, high = df.loc[ok, f"{col}_low"], df.loc[ok, f"{col}_high"]
        assert (low <= high * (1 + 1e-12)).all(), col
    for money in ("usd", "czk"):
        proc = df[f"procurement_{money}_bn_low"].notna()
        assert (
            df.loc[proc, f"procurement_{money}_bn_low"] <= df.loc[proc, f"procurement_{money}_bn_high"] * (1 + 1e-12)
        ).all()
    # history never moves with the scenario
    history = BASE.data.values("defense_pct_gdp").to_numpy()
    np.testing.assert_array_equal(df.loc[:T0, "defense_pct_gdp"], history)
    assert (df.loc[T0 + 1 :, "gdp_czk_bn"] > 0).all()


# ---- interpolate on random arrays ----------------------------------------------------------------


@st.composite
def anchor_sets(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    years = sorted(draw(st.lists(st.integers(1990, 2100), min_size=2, max_size=6, unique=True)))
    values = draw(st.lists(_floats(0.01, 1e4), min_size=len(years), max_size=len(years)))
    return np.array(years), np.array(values)


@settings(max_examples=100, deadline=None)
@given(anchor_sets(), st.sampled_from(METHODS))
def test_interpolate_properties(anchors: tuple[np.ndarray, np.ndarray], method: str) -> None:
    a, v = anchors
    years = np.arange(a[0], a[-1] + 1)
    out = interpolate(a, v, years, method)
    assert out.shape == years.shape
    assert out[np.isin(years, a)].tolist() == v.tolist()  # exact at every anchor
    for k in range(len(a) - 1):
        inside = (years >= a[k]) & (years <= a[k + 1])
        seg, lo, hi = out[inside], min(v[k], v[k + 1]), max(v[k], v[k + 1])
        assert (seg >= lo * (1 - 1e-12)).all() and (seg <= hi * (1 + 1e-12)).all()
        if method == "step":
            assert (seg[:-1] == v[k]).all()
        elif method == "linear":
            np.testing.assert_allclose(np.diff(seg), (v[k + 1] - v[k]) / (a[k + 1] - a[k]), rtol=1e-6, atol=1e-9 * hi)
        else:
            np.testing.assert_allclose(
                np.diff(np.log(seg)), np.log(v[k + 1] / v[k]) / (a[k + 1] - a[k]), rtol=1e-6, atol=1e-9
            )


@settings(max_examples=60, deadline=None)
@given(anchor_sets(), st.sampled_from(METHODS), _floats(0.1, 10))
def test_interpolate_draw_axis_matches_rows_and_scales(
    anchors: tuple[np.ndarray, np.ndarray], method: str, factor: float
) -> None:
    a, v = anchors
    years = np.arange(a[0], a[-1] + 1)
    stacked = interpolate(a, np.stack([v, v * factor]), years, method)
    np.testing.assert_array_equal(stacked[0], interpolate(a, v, years, method))
    # every method is homogeneous: scaling the anchors scales the path
    np.testing.assert_allclose(stacked[1], stacked[0] * factor, rtol=1e-9)


# ---- the ledger over random scenarios ------------------------------------------------------------

LINE_IDS = ("cz_legal_floor", "nato_2pct", "nato_core", "nato_total")
BASE_DF = project(BASE)
TOL = 1e-9


def _expected_met_from(years: list[int], ok: list[bool]) -> int | None:
    """First year of the unbroken run of True up to the last year (None if the last is False)."""
    if not ok[-1]:
        return None
    misses = [i for i, v in enumerate(ok) if not v]
    return years[misses[-1] + 1] if misses else years[0]


@SETTINGS
@given(scenarios())
def test_ledger_differences_are_share_minus_reference(s: Scenario) -> None:
    df = project(s)
    g = gaps(s, df)
    proj = df.loc[T0 + 1 :]
    assert len(g) == len(LINE_IDS) * 2 * len(proj)
    for line in LINE_IDS:
        # The path is the data's, never the scenario's: the same share whatever the targets and economy.
        np.testing.assert_array_equal(df[f"{line}_path_pct_gdp"], BASE_DF[f"{line}_path_pct_gdp"])
        for end in ("low", "high"):
            r = g[(g["line"] == line) & (g["end"] == end)].set_index("year")
            level = float(r["level_pct_gdp"].iloc[0])
            share = r["share_pct_gdp"].to_numpy()
            if line == "nato_total":  # BASE models no resilience: the total is unknown
                assert np.isnan(share).all() and not r["meets_level"].any()
                core = proj[f"defense_pct_gdp_{end}"].to_numpy()
                np.testing.assert_allclose(r["resilience_needed_pct_gdp"], np.clip(level - core, 0, None))
                continue
            np.testing.assert_array_equal(share, proj[f"defense_pct_gdp_{end}"].to_numpy())
            path = proj[f"{line}_path_pct_gdp"].to_numpy()
            np.testing.assert_array_equal(r["path_pct_gdp"], path)
            for cmp, ref in (("level", level), ("path", path)):
                diff = share - ref
                np.testing.assert_allclose(r[f"share_minus_{cmp}_pct_points"], diff, rtol=1e-12, atol=1e-12)
                usd = diff / 100 * proj["gdp_usd_bn"].to_numpy()
                np.testing.assert_allclose(r[f"spending_minus_{cmp}_usd_bn"], usd, rtol=1e-9, atol=1e-9)
                np.testing.assert_allclose(
                    r[f"spending_minus_{cmp}_czk_bn"], diff / 100 * proj["gdp_czk_bn"].to_numpy(), rtol=1e-9, atol=1e-9
                )
                # A running sum that a missing year stops (never skipped as 0).
                np.testing.assert_allclose(r[f"cumulative_minus_{cmp}_usd_bn"], np.cumsum(usd), rtol=1e-9, atol=1e-9)
                with np.errstate(invalid="ignore"):
                    assert r[f"meets_{cmp}"].tolist() == (share >= ref - TOL).tolist()
            # met_from: the unbroken run of meeting years to the end year, history included.
            full = df[f"defense_pct_gdp_{end}"]
            with np.errstate(invalid="ignore"):
                ok = (full.to_numpy() >= level - TOL).tolist()
            expected = _expected_met_from(full.index.tolist(), ok)
            got = r["met_from"].iloc[0]
            assert (pd.isna(got) and expected is None) or got == expected, (line, end, got, expected)
            assert r["met_from"].nunique(dropna=False) == 1


@SETTINGS
@given(scenarios())
def test_the_high_end_meets_whatever_the_low_end_meets(s: Scenario) -> None:
    g = gaps(s)
    for line in LINE_IDS[:3]:
        low = g[(g["line"] == line) & (g["end"] == "low")].reset_index(drop=True)
        high = g[(g["line"] == line) & (g["end"] == "high")].reset_index(drop=True)
        assert (~low["meets_level"] | high["meets_level"]).all()
        assert (~low["meets_path"] | high["meets_path"]).all()
        lo, hi = low["met_from"].iloc[0], high["met_from"].iloc[0]
        if not pd.isna(lo):
            assert not pd.isna(hi) and hi <= lo
        # Required growth starts from the data and ends on the line: the same at both ends and in
        # every scenario with the same economy.
        np.testing.assert_array_equal(low["required_real_growth_pct"], high["required_real_growth_pct"])


# ---- the one "meets" rule and the path, on random numbers ----------------------------------------


def _a_line(level: float, year: int) -> Line:
    return Line("x", "x", "x", level, year, "core", "nato", ())


@settings(max_examples=200, deadline=None)
@given(st.lists(_floats(0, 6) | st.just(2.0) | st.just(float("nan")), min_size=1, max_size=25), _floats(0.5, 5))
def test_met_from_is_the_start_of_the_last_unbroken_run(shares: list[float], level: float) -> None:
    line = _a_line(level, 2024)
    years = np.arange(2000, 2000 + len(shares))
    share = np.array(shares)
    ok = meets(share, line)
    with np.errstate(invalid="ignore"):
        assert ok.tolist() == [bool(v >= level - 1e-9) for v in shares]  # NaN never meets
    first = met_from(years, share, line)
    if first is None:
        assert not ok[-1]
        return
    i = int(first - years[0])
    assert ok[i:].all()  # every year from it to the end meets ...
    assert i == 0 or not ok[i - 1]  # ... and the year before it does not
    assert first == _expected_met_from(years.tolist(), ok.tolist())


@settings(max_examples=200, deadline=None)
@given(st.integers(2000, 2040), _floats(0, 6), st.integers(1990, 2060), _floats(0.5, 6))
def test_the_path_runs_straight_from_its_start_to_the_level(t0: int, s0: float, year: int, level: float) -> None:
    line = _a_line(level, year)
    years = np.arange(1990, 2071)
    path = path_pct(line, years, (t0, s0))
    assert np.isnan(path[years < t0]).all()  # nothing before the data's last year
    if year <= t0:  # the pledge year has passed: the path is the level
        assert (path[years >= t0] == level).all()
        return
    assert path[years == t0][0] == s0
    seg = path[(years >= t0) & (years <= year)]
    np.testing.assert_allclose(np.diff(seg), (level - s0) / (year - t0), rtol=1e-9, atol=1e-12)
    assert path[years >= year] == pytest.approx(level, rel=1e-12)  # reaches the level, then holds it
    assert np.isnan(path_pct(line, years, None)).all()  # no start in the data: no path
