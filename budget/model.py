"""Model: the economy beyond the data, the yearly defense path, procurement and conversions.

Units (domain notes, ``README.md`` "Methods"): money in billions at current prices unless a
name says ``const``; ``pct`` is percent (2.0 means 2 %); exchange rates are local currency
per USD (``czk_per_usd``), so ``usd = local / rate``.

The math works on numpy arrays whose last axis is the year grid, so the same functions serve
one central projection (``project``) and many random draws (``budget.uncertainty``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from budget.arguments import scenario_arg, whole_number
from budget.execution import factor as execution_factor
from budget.pledges import equipment_guideline, line_columns
from budget.scenario import Scenario, ScenarioError, Target

if TYPE_CHECKING:  # pandas is imported where a DataFrame is built, keeping the CLI start fast
    import pandas as pd

Array = np.ndarray


def interpolate(anchor_years: Array, anchor_values: Array, years: Array, method: str) -> Array:
    """Join anchors ``(t_k, v_k)`` into yearly values; last axis of ``anchor_values`` is k.

    - ``linear``:    v_k + (v_{k+1} - v_k) (t - t_k) / (t_{k+1} - t_k)
    - ``geometric``: v_k (v_{k+1} / v_k) ** ((t - t_k) / (t_{k+1} - t_k)), needs v > 0
    - ``step``:      v_k for t_k <= t < t_{k+1}

    ``years`` must lie within the anchors. At an anchor year the anchor value is returned
    exactly (no floating-point drift).

    >>> interpolate(np.array([2025, 2030]), np.array([10.0, 20.0]), np.array([2027, 2030]), "linear")
    array([14., 20.])
    """
    a = np.asarray(anchor_years)
    v = np.asarray(anchor_values, dtype=float)
    y = np.asarray(years)
    k = np.clip(np.searchsorted(a, y, side="right") - 1, 0, len(a) - 2)
    v0, v1 = v[..., k], v[..., k + 1]
    frac = (y - a[k]) / (a[k + 1] - a[k])
    if method == "linear":
        out = v0 + (v1 - v0) * frac
    elif method == "geometric":
        with np.errstate(divide="ignore", invalid="ignore"):
            out = v0 * (v1 / v0) ** frac
    elif method == "step":
        out = v0.copy()
    else:
        raise ValueError(f"unknown method {method!r}")
    return np.where(y == a[k + 1], v1, np.where(y == a[k], v0, out))


@dataclass(frozen=True)
class Economy:
    """Economy on the full year grid (history + projection); arrays may carry draw axes.

    ``gdp`` local currency bn, current prices; ``deflator`` index (data base year = 100);
    ``rate`` local currency per USD, annual average.
    """

    years: Array
    gdp: Array
    deflator: Array
    rate: Array

    def at(self, year: int) -> int:
        """Position of ``year`` on the grid."""
        return int(np.searchsorted(self.years, year))


@dataclass(frozen=True)
class Rates:
    """Central yearly assumptions for the projection years (percent per year).

    ``real_pct`` and ``deflator_pct`` are implied by the data's GDP and deflator projections
    where they exist and the scenario does not replace them (``status`` "projection"), else the
    scenario's rates, by default the data's last projected rates ("assumption").
    ``rate_change_pct`` is the % change of local currency per USD on the year before.
    """

    years: Array
    real_pct: Array
    deflator_pct: Array
    rate_change_pct: Array
    status: list[str]


def rates(s: Scenario) -> Rates:
    """The scenario's central yearly rates (numpy only: no pandas needed)."""
    c = s.data
    t0 = c.last_data_year
    years = np.arange(t0 + 1, s.end_year + 1)
    grid = np.arange(c.first_year, max(s.end_year, t0) + 1)
    gdp, defl = c.array(f"gdp_{c.cur}_bn", grid), c.array(c.deflator, grid)
    with np.errstate(invalid="ignore"):
        deflator = defl[1:] / defl[:-1]  # growth factor of year grid[1:]
        real = gdp[1:] / gdp[:-1] / deflator
    known = ~np.isnan(real)
    last_data = int(grid[1:][known].max())
    k_last = int(np.searchsorted(grid[1:], last_data))
    start = s.assumptions_from or last_data + 1
    g = s.real_growth_pct if s.real_growth_pct is not None else (real[k_last] - 1) * 100
    p = s.deflator_growth_pct if s.deflator_growth_pct is not None else (deflator[k_last] - 1) * 100
    from_data = (years < start) & (years <= last_data)
    k = np.searchsorted(grid[1:], np.minimum(years, last_data))
    change = np.full(len(years), s.local_per_usd_change_pct, dtype=float)
    # Published rates after the last defense figure (e.g. 2025 for a country whose NATO figures
    # end in 2024) are facts: the path follows them (a scenario that sets the first year's rate
    # overrides that year).
    published = c.array(f"{c.cur}_per_usd", np.arange(t0, s.end_year + 1))
    with np.errstate(invalid="ignore"):
        moves = (published[1:] / published[:-1] - 1) * 100
    change = np.where(np.isnan(moves), change, moves)
    if s.local_per_usd is not None:
        change[0] = (s.local_per_usd / c.array(f"{c.cur}_per_usd", np.array([t0]))[0] - 1) * 100
    return Rates(
        years,
        np.where(from_data, (real[k] - 1) * 100, g),
        np.where(from_data, (deflator[k] - 1) * 100, p),
        change,
        ["projection" if d else "assumption" for d in from_data],
    )


def central_rates(s: Scenario) -> pd.DataFrame:
    """``rates`` as a DataFrame indexed by projection year."""
    import pandas as pd

    r = rates(s)
    return pd.DataFrame(
        {
            "real_gdp_growth_pct": r.real_pct,
            "deflator_growth_pct": r.deflator_pct,
            "rate_change_pct": r.rate_change_pct,
            "economy_status": r.status,
        },
        index=pd.Index(r.years, name="year"),
    )


def build_economy(s: Scenario, real_pct: Array, defl_pct: Array, rate_change_pct: Array) -> Economy:
    """Economy levels from the last data year's levels and yearly rates (last axis = years).

    GDP(t) = GDP(t-1) (1 + g_t)(1 + pi_t); deflator(t) = deflator(t-1)(1 + pi_t);
    rate(t) = rate(t-1)(1 + c_t). Never flat by accident: every year has a stated rate.
    """
    c = s.data
    years = np.arange(c.first_year, s.end_year + 1)
    hist_years = years[years <= c.last_data_year]
    hist = [c.array(name, hist_years) for name in (f"gdp_{c.cur}_bn", c.deflator, f"{c.cur}_per_usd")]
    g, p = np.asarray(real_pct, dtype=float), np.asarray(defl_pct, dtype=float)
    nominal_pct = ((1 + g / 100) * (1 + p / 100) - 1) * 100
    gdp, deflator, rate = (_extend(h, pct) for h, pct in zip(hist, (nominal_pct, p, rate_change_pct), strict=True))
    return Economy(years, gdp, deflator, rate)


def central_economy(s: Scenario) -> Economy:
    """The economy at the central rates."""
    r = rates(s)
    return build_economy(s, r.real_pct, r.deflator_pct, r.rate_change_pct)


def start_value(s: Scenario, e: Economy) -> Array:
    """Defense spending in the last data year, local currency bn (NATO share x GDP)."""
    t0 = s.data.last_data_year
    return s.data.array("defense_pct_gdp", np.array([t0]))[0] / 100 * e.gdp[..., e.at(t0)]


def _extend(history: Array, pct: Array) -> Array:
    """History followed by its last value grown at ``pct`` percent a year (last axis = years)."""
    path = history[-1] * np.cumprod(1 + np.asarray(pct, dtype=float) / 100, axis=-1)
    return np.concatenate([np.broadcast_to(history, path.shape[:-1] + history.shape), path], axis=-1)


def _convert(value: Array, src: str, dst: str, gdp: Array, rate: Array) -> Array:
    """Same-year conversion between ``usd_bn``, local ``<cur>_bn`` and ``pct_gdp``."""
    if src == dst:
        return value
    local = value * rate if src == "usd_bn" else value / 100 * gdp if src == "pct_gdp" else value
    return local / rate if dst == "usd_bn" else local / gdp * 100 if dst == "pct_gdp" else local


def target_value(t: Target, end: str, unit: str, e: Economy) -> Array:
    """A target's ``end`` ("low"/"high") in ``unit`` at current prices of its year.

    Constant-price money (NATO's convention): convert at the base year's exchange rate, then
    move with the GDP deflator: local(t) = v * rate(b) * deflator(t) / deflator(b) for USD.
    """
    i = e.at(t.year)
    v = np.asarray(t.low if end == "low" else t.high, dtype=float)
    src = t.unit
    if t.prices == "constant":
        assert t.base_year is not None
        b = e.at(t.base_year)
        v = v * (e.rate[..., b] if src == "usd_bn" else 1.0) * e.deflator[..., i] / e.deflator[..., b]
        src = "local"
    return _convert(v, src, unit, e.gdp[..., i], e.rate[..., i])


def defense_path(
    s: Scenario, e: Economy, end: str = "high", execution: float | Array | None = None
) -> dict[str, Array]:
    """Defense spending from the last data year to ``end_year`` in three units.

    Returns arrays over the projection years for ``local_bn``, ``usd_bn`` and ``pct_gdp``.
    The path runs from the last data year's value (``start_value``) through each target's
    ``end`` ("low" or "high") in ``path_unit``; after the last target it follows ``after_last``.
    ``execution``: the share of that plan spent (a fraction, or one per draw: ``...``), by default
    the scenario's (``budget.execution.factor``: 1.0 without an ``[execution]`` table).
    """
    t0 = s.data.last_data_year
    unit = s.path_unit
    p = slice(e.at(t0 + 1), None)
    years = e.years[p]
    gdp, rate, defl = e.gdp[..., p], e.rate[..., p], e.deflator[..., p]
    i0 = e.at(t0)
    start = _convert(start_value(s, e), "local", unit, e.gdp[..., i0], e.rate[..., i0])
    anchors = [np.broadcast_to(start, gdp.shape[:-1])]
    anchors += [np.broadcast_to(target_value(t, end, unit, e), gdp.shape[:-1]) for t in s.targets]
    a_years = np.array([t0] + [t.year for t in s.targets])
    last = a_years[-1]
    inside = years <= last
    values = np.full(gdp.shape, np.nan)
    if len(a_years) > 1:
        values[..., inside] = interpolate(a_years, np.stack(anchors, axis=-1), years[inside], s.method)
    else:  # no targets: the path starts after the last data year
        last = t0
    after = years > last
    if after.any():
        j = e.at(last)
        last_local = _convert(np.asarray(anchors[-1]), unit, "local", e.gdp[..., j], e.rate[..., j])
        if s.after_last == "hold_share":
            share = last_local[..., None] / e.gdp[..., j][..., None] * 100
            hold = _convert(np.broadcast_to(share, gdp.shape), "pct_gdp", unit, gdp, rate)
        elif s.after_last == "hold_real":
            local = last_local[..., None] * defl / e.deflator[..., j][..., None]
            hold = _convert(local, "local", unit, gdp, rate)
        else:
            hold = np.full(gdp.shape, np.nan)
        values[..., after] = hold[..., after]
    # The targets are plans; the projection is the spending expected of them: plan x execution rate.
    values = values * np.asarray(execution_factor(s) if execution is None else execution, dtype=float)[..., None]
    # Each unit is computed once from the interpolated one, so that usd * rate == local and
    # pct == local / gdp * 100 hold by construction in the path's own unit.
    local = _convert(values, unit, "local", gdp, rate)
    usd = values if unit == "usd_bn" else local / rate
    pct = values if unit == "pct_gdp" else local / gdp * 100
    return {"local_bn": local, "usd_bn": usd, "pct_gdp": pct}


def project(scenario: Scenario) -> pd.DataFrame:
    """Project one scenario: history and projection together, one row per year.

    Indexed by integer ``year``. Columns (see ``COLUMNS`` for units): ``status``, defense in
    USD bn, local currency bn and % of GDP (central = high end of range targets, with
    ``_low``/``_high``), constant-price defense, the economy, procurement low/high, the NATO
    reference lines and the gap to each.

    >>> import budget
    >>> df = budget.project(budget.load_scenario("scenarios/stated-targets.toml"))
    >>> float(df.loc[2030, "defense_usd_bn"])
    15.0
    """
    import pandas as pd

    scenario_arg(scenario)
    c = scenario.data
    cur, t0 = c.cur, c.last_data_year
    r = rates(scenario)
    e = build_economy(scenario, r.real_pct, r.deflator_pct, r.rate_change_pct)
    years = e.years
    h = int(np.searchsorted(years, t0)) + 1  # number of history years
    pct_h = c.array("defense_pct_gdp", years[:h])
    local_h = pct_h / 100 * e.gdp[:h]
    # Columns are built as numpy arrays and framed once at the end: pandas column inserts
    # would cost more than the whole computation.
    col: dict[str, Array | list[str]] = {
        "status": c.status_list("defense_pct_gdp", years[:h]) + ["projection"] * (len(years) - h)
    }
    ranges = {}
    for end in ("low", "high"):
        path = defense_path(scenario, e, end)
        ranges[end] = {
            f"defense_{cur}_bn": np.concatenate([local_h, path["local_bn"]]),
            "defense_usd_bn": np.concatenate([local_h / e.rate[:h], path["usd_bn"]]),
            "defense_pct_gdp": np.concatenate([pct_h, path["pct_gdp"]]),
        }
    names = ("defense_usd_bn", f"defense_{cur}_bn", "defense_pct_gdp")
    col.update({name: ranges["high"][name] for name in names})
    for name in names:
        col[f"{name}_low"], col[f"{name}_high"] = ranges["low"][name], ranges["high"][name]
    base = scenario.prices_base_year or t0
    b = e.at(base)
    col[f"defense_{cur}_bn_const"] = ranges["high"][f"defense_{cur}_bn"] * e.deflator[b] / e.deflator
    col["defense_usd_bn_const"] = col[f"defense_{cur}_bn_const"] / e.rate[b]
    col["prices_base_year"] = np.full(len(years), base)
    col[f"gdp_{cur}_bn"] = e.gdp
    col["gdp_usd_bn"] = e.gdp / e.rate
    col[c.deflator] = e.deflator
    real = np.full(len(years), np.nan)
    real[1:] = ((e.gdp[1:] / e.deflator[1:]) / (e.gdp[:-1] / e.deflator[:-1]) - 1) * 100
    # History: the published real growth (the implied one agrees to rounding; 2014 has no 2013 level).
    real[:h] = c.array("real_gdp_growth_pct", years[:h])
    col["real_gdp_growth_pct"] = real
    col["deflator_growth_pct"] = np.concatenate([[np.nan], (e.deflator[1:] / e.deflator[:-1] - 1) * 100])
    col[f"{cur}_per_usd"] = e.rate
    col["economy_status"] = c.status_list(f"gdp_{cur}_bn", years[:h]) + r.status
    equipment = c.array("equipment_pct_defense", years[:h])
    shares = {"low": scenario.procurement_low_pct, "high": scenario.procurement_high_pct}
    for end, share in shares.items():
        col[f"procurement_pct_{end}"] = np.concatenate([equipment, np.full(len(years) - h, share)])
    for money in ("usd", cur):
        for end in shares:
            share_pct = np.asarray(col[f"procurement_pct_{end}"], dtype=float)
            col[f"procurement_{money}_bn_{end}"] = share_pct / 100 * ranges[end][f"defense_{money}_bn"]
    resilience = resilience_pct(scenario, years)
    col["resilience_pct_gdp"] = resilience
    col[f"resilience_{cur}_bn"] = resilience / 100 * e.gdp
    col["resilience_usd_bn"] = resilience / 100 * e.gdp / e.rate
    for unit in ("pct_gdp", f"{cur}_bn", "usd_bn"):
        # Core + resilience (core alone where resilience is not modelled).
        col[f"total_{unit}"] = col[f"defense_{unit}"] + np.nan_to_num(col[f"resilience_{unit}"])
    col.update(line_columns(c, years, e.gdp, e.gdp / e.rate, cur))
    guide = equipment_guideline(c)
    if guide is not None:  # the equipment guideline in money, and the low share's shortfall against it
        col["equipment_guideline_usd_bn"] = guide.equipment_pct / 100 * col["defense_usd_bn"]  # type: ignore[operator]
        col["gap_equipment_guideline_usd_bn"] = (
            (guide.equipment_pct - col["procurement_pct_low"])  # type: ignore[operator]
            / 100
            * col["defense_usd_bn"]
        )
    return pd.DataFrame(col, index=pd.Index(years, name="year"))


def resilience_pct(s: Scenario, years: Array) -> Array:
    """Resilience spending in % of GDP for ``years``: NaN before the last data year or when
    the scenario does not model it; linear in share to ``target_pct_gdp`` in ``year``, then held.
    """
    years = np.asarray(years)
    pct = np.full(len(years), np.nan)
    if s.resilience is not None:
        start, target, year = s.resilience
        t0 = s.data.last_data_year
        after = years >= t0
        pct[after] = interpolate(
            np.array([t0, year]), np.array([start, target]), np.minimum(years[after], year), "linear"
        )
    return pct


def cumulative(frame: pd.DataFrame, column: str, start: int, end: int) -> float:
    """Sum of ``column`` over the years ``start``..``end`` inclusive.

    Raises ``ScenarioError`` naming the years outside the frame or without a value (a missing
    year is never counted as zero), ``TypeError``/``ValueError`` naming a bad argument.

    >>> import pandas as pd
    >>> cumulative(pd.DataFrame({"x": [1.0, 2.0, 3.0]}, index=[2026, 2027, 2028]), "x", 2026, 2027)
    3.0
    """
    import pandas as pd

    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"frame: expected a DataFrame indexed by year, got {type(frame).__name__}")
    if column not in frame.columns:
        raise ValueError(f"column: {column!r} is not a column of the frame")
    if not pd.api.types.is_numeric_dtype(frame[column]):
        raise ValueError(f"column: {column!r} holds {frame[column].dtype} values, not numbers")
    start = whole_number(start, "start", -10_000, 10_000)
    end = whole_number(end, "end", start, 10_000)  # a window of at least one year
    years = range(start, end + 1)
    outside = [y for y in years if y not in frame.index]
    values = frame[column].reindex(years)
    empty = [y for y in years if y not in outside and pd.isna(values[y])]
    problems = []
    if outside:
        problems.append(
            (
                column,
                f"{start}-{end}",
                f"{_years(outside)} outside the data ({int(frame.index.min())}-{int(frame.index.max())})",
            )
        )
    if empty:
        problems.append((column, f"{start}-{end}", f"no value in {_years(empty)}"))
    if problems:
        raise ScenarioError(problems)
    return float(values.sum())


def _years(years: list[int]) -> str:
    """``2020-2025`` for a run of years, else a comma list."""
    if len(years) > 1 and years[-1] - years[0] == len(years) - 1:
        return f"{years[0]}-{years[-1]}"
    return ", ".join(map(str, years))
