"""Uncertainty: Monte Carlo draws of the economy, and one-at-a-time sensitivity.

Uncertain drivers (domain notes), for every projection year t:

- real growth      g_t  = g_hat_t  + sd_g  z1
- deflator growth  pi_t = pi_hat_t + sd_pi z2
- exchange rate    ln X_t = ln X_{t-1} + ln(1 + c_t) + sd_X z3   (a random walk in logs)

with independent standard shocks z (normal, or uniform with the same sd). Defaults for the sds are
the standard deviations of the actual years in the country's data. A money target stays fixed in
its currency, so its share of GDP becomes uncertain; a share target gives an uncertain amount.
A scenario's historical execution rate (``budget.execution``) is drawn once per draw, uniformly
within the range of the data's years.

All draws of all years are computed at once as ``draws x years`` arrays, in chunks so that a
million draws stay well under 1 GB; there is no per-draw Python loop.
"""

from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import numpy as np

from budget.arguments import available_memory, scenario_arg, whole_number
from budget.execution import draws as execution_draws
from budget.formats import as_float, num
from budget.history import Country
from budget.i18n import _, currency, short
from budget.model import build_economy, defense_path, rates, resilience_pct
from budget.pledges import lines_for, meets
from budget.scenario import Scenario, ScenarioError

if TYPE_CHECKING:  # pandas only where a frame is built: `budget validate` uses sds() without it
    import pandas as pd

MAX_DRAWS = 10_000_000
MAX_SEED = 2**63 - 1
BYTES_PER_VALUE = 7 * 8  # six float64 result arrays (3 metrics x 2 ends) per draw and year, plus a quantile copy
CHUNK = 25_000  # draws per block: fits the CPU caches better than one big block
WORKERS = min(2, os.cpu_count() or 1)
ENDS = ("low", "high")
# Drivers that can be held at their path, and the sd each one's draws scale.
DRIVERS = {
    "real_growth": "real_growth_sd_pct",
    "deflator_growth": "deflator_growth_sd_pct",
    "exchange_rate": "local_per_usd_sd_pct",
}


def historical_sd(c: Country) -> dict[str, float]:
    """Standard deviations of the actual years in the data, in percent (sample sd).

    Real growth: the published yearly rates; deflator growth and the exchange rate's log
    change: from consecutive actual years; of the country's editions (its GDP edition's actual
    years and values). Computed once per country and choice of editions.
    """
    key = (c.key, tuple(c.editions))
    if key not in _SDS:
        _SDS[key] = _historical_sd(c)
    return dict(_SDS[key])


_SDS: dict[tuple[str, tuple[str, ...]], tuple[tuple[str, float], ...]] = {}


def _historical_sd(c: Country) -> tuple[tuple[str, float], ...]:
    years = np.arange(c.first_year, c.last_data_year + 1)

    def actual(indicator: str) -> np.ndarray:
        values = c.array(indicator, years)
        return values[np.array(c.status_list(indicator, years)) == "actual"]

    defl = actual(c.deflator)
    rate = c.array(f"{c.cur}_per_usd", years)
    rate = rate[~np.isnan(rate)]
    return (
        ("real_growth_sd_pct", float(np.std(actual("real_gdp_growth_pct"), ddof=1))),
        ("deflator_growth_sd_pct", float(np.std(defl[1:] / defl[:-1] - 1, ddof=1) * 100)),
        ("local_per_usd_sd_pct", float(np.std(np.diff(np.log(rate)), ddof=1) * 100)),
    )


def sds(s: Scenario) -> dict[str, float]:
    """The scenario's standard deviations, falling back to the historical ones."""
    out = historical_sd(s.data)
    for key in out:
        value = getattr(s, key)
        if value is not None:
            out[key] = value
    return out


def memory_needed(scenarios: list[Scenario], draws: int, parallel: int = 1) -> int:
    """Bytes ``simulate`` holds at its peak for the largest of ``scenarios`` (``draws`` x projection
    years x ``BYTES_PER_VALUE``), times the simulations that run at once (``parallel``).
    """
    years = max(s.end_year - s.data.last_data_year for s in scenarios)
    return draws * years * BYTES_PER_VALUE * parallel


def check_memory(scenarios: list[Scenario], draws: int, parallel: int = 1) -> None:
    """Refuse (``ScenarioError`` naming ``--draws``) draws x years that cannot fit in memory."""
    need, have = memory_needed(scenarios, draws, parallel), available_memory()
    if have is not None and need > have * 0.8:
        years = max(s.end_year - s.data.last_data_year for s in scenarios)
        fit = int(have * 0.8 // (years * BYTES_PER_VALUE * parallel))
        raise ScenarioError(
            [
                (
                    "--draws",
                    "",
                    f"{draws:,} draws x {years} projection years"
                    f"{f' x {parallel} at once' if parallel > 1 else ''} need about {need / 2**30:.1f} GiB;"
                    f" {have / 2**30:.1f} GiB is available: use at most {fit:,} draws",
                )
            ]
        )


def persistence(s: Scenario) -> float:
    """Share of a year's exchange-rate deviation from its path left a year later: 1 for a random
    walk, 0.5 ** (1 / half-life) when mean-reverting (0.84 for 4 years).
    """
    if s.exchange_rate_model == "random_walk":
        return 1.0
    return float(0.5 ** (1 / s.local_per_usd_half_life_years))


def rate_moves(shocks: np.ndarray, phi: float) -> np.ndarray:
    """Yearly changes of the log exchange rate's deviation from its path (last axis = years).

    The deviation follows d_t = phi d_(t-1) + shock_t from d = 0 in the last data year; the
    change is d_t - d_(t-1). With phi = 1 the changes are the shocks (a random walk).
    """
    if phi == 1.0:
        return shocks
    level = np.empty_like(shocks)
    prev = np.zeros(shocks.shape[:-1])
    for t in range(shocks.shape[-1]):
        prev = phi * prev + shocks[..., t]
        level[..., t] = prev
    return np.diff(level, axis=-1, prepend=0.0)


def level_sd(sd: float, phi: float, n: int) -> float:
    """Standard deviation of the log deviation after ``n`` years of shocks with sd ``sd``."""
    return float(sd * np.sqrt(np.sum(phi ** (2 * np.arange(n)))))


def _shocks(rng: np.random.Generator, shape: tuple[int, ...], distribution: str) -> np.ndarray:
    """Standard shocks (mean 0, sd 1)."""
    if distribution == "uniform":
        return rng.uniform(-np.sqrt(3), np.sqrt(3), size=shape)
    return rng.standard_normal(shape)


def _paths(
    s: Scenario, real: np.ndarray, defl: np.ndarray, log_rate: np.ndarray, end: str = "high"
) -> dict[str, np.ndarray]:
    """Defense paths at one end of the range (``high`` is the central path) for arrays of
    rates: ``... x years``.
    """
    e = build_economy(s, real, defl, np.expm1(log_rate) * 100)
    return defense_path(s, e, end)


def _both_paths(
    s: Scenario, real: np.ndarray, defl: np.ndarray, log_rate: np.ndarray, execution: np.ndarray | None = None
) -> dict[str, dict[str, np.ndarray]]:
    """Both ends' paths on one economy (the same draws for the low and the high end); ``execution``:
    drawn execution rates (fractions, one per draw), else the scenario's central rate.
    """
    e = build_economy(s, real, defl, np.expm1(log_rate) * 100)
    return {end: defense_path(s, e, end, execution) for end in ENDS}


def simulate(scenario: Scenario, draws: int = 10_000, seed: int = 0, hold: tuple[str, ...] = ()) -> pd.DataFrame:
    """Percentiles of spending and the probability of meeting each binding line's level, by
    year, at both ends of the range.

    Indexed by projection year. Columns ``defense_{pct_gdp,usd_bn,<cur>_bn}_{p05,p50,p95}_{low,high}``
    (percent of GDP; billions at current prices) and ``prob_meets_<line>_{low,high}``: the share
    of draws whose share of GDP meets the line's level (``budget.pledges.meets``): core defense,
    or core + resilience for a total line (NaN where the scenario does not model resilience).
    ``hold`` names drivers held at their central path (``real_growth``, ``deflator_growth``,
    ``exchange_rate``), to show what each contributes. The same seed gives the same result; the
    low and the high end use the same draws.

    >>> import budget
    >>> sim = budget.simulate(budget.load_scenario("scenarios/stated-targets.toml"), draws=2000)
    >>> bool((sim["defense_pct_gdp_p05_high"] <= sim["defense_pct_gdp_p95_high"]).all())
    True
    """
    scenario_arg(scenario)
    draws = whole_number(draws, "draws", 1, MAX_DRAWS)
    seed = whole_number(seed, "seed", 0, MAX_SEED)
    if not isinstance(hold, tuple | list) or any(h not in DRIVERS for h in hold):
        raise ValueError(f"hold: expected drivers among {', '.join(DRIVERS)}, got {hold!r}")
    check_memory([scenario], draws)
    r = rates(scenario)
    sd = sds(scenario)
    for driver in hold:
        sd[DRIVERS[driver]] = 0.0
    years = r.years
    n = len(years)
    g0, p0, x0 = r.real_pct, r.deflator_pct, np.log1p(r.rate_change_pct / 100)
    cur = scenario.data.cur
    names = ("pct_gdp", "usd_bn", "local_bn")
    out = {(end, k): np.empty((draws, n)) for end in ENDS for k in names}
    starts = range(0, draws, CHUNK)
    # One random stream per chunk: the result depends on the seed only, not on the threads.
    streams = np.random.SeedSequence(seed).spawn(len(starts))

    def chunk(start: int, stream: np.random.SeedSequence) -> None:
        m = min(CHUNK, draws - start)
        rng = np.random.default_rng(stream)
        z = _shocks(rng, (3, m, n), scenario.distribution)
        both = _both_paths(
            scenario,
            g0 + sd["real_growth_sd_pct"] * z[0],
            p0 + sd["deflator_growth_sd_pct"] * z[1],
            x0 + rate_moves(sd["local_per_usd_sd_pct"] / 100 * z[2], persistence(scenario)),
            execution_draws(scenario, rng, m),  # "historical": uniform in the data's range; else None
        )
        for (end, k), array in out.items():
            array[start : start + m] = both[end][k]

    if len(starts) == 1:  # one block: no thread to start
        chunk(0, streams[0])
    else:  # numpy releases the GIL in its array loops, so two threads use both cores
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            list(pool.map(chunk, starts, streams))
    columns: dict[str, np.ndarray] = {}
    labels = {"pct_gdp": "defense_pct_gdp", "usd_bn": "defense_usd_bn", "local_bn": f"defense_{cur}_bn"}
    for end in ENDS:
        for k, label in labels.items():
            q = np.quantile(out[end, k], [0.05, 0.5, 0.95], axis=0)
            for name, row in zip(("p05", "p50", "p95"), q, strict=True):
                columns[f"{label}_{name}_{end}"] = row
    resilience = resilience_pct(scenario, years)  # a fixed share of GDP: not drawn
    for line in lines_for(scenario.data):
        for end in ENDS:
            core = out[end, "pct_gdp"]
            if line.compares_with == "total":
                share = core + resilience if scenario.resilience is not None else np.full_like(core, np.nan)
            else:
                share = core
            prob = meets(share, line).mean(axis=0)
            columns[f"prob_meets_{line.id}_{end}"] = np.where(np.isnan(share).any(axis=0), np.nan, prob)
    import pandas as pd

    frame = pd.DataFrame(columns, index=pd.Index(years, name="year"))
    frame.attrs.update(draws=draws, seed=seed, hold=tuple(hold))
    return frame


def drivers(scenario: Scenario, draws: int = 10_000, seed: int = 0, base: pd.DataFrame | None = None) -> pd.DataFrame:
    """What each driver contributes: the probability of meeting each line's level in the
    scenario's end year (or the line's year, if earlier) with every driver drawn, and with each
    driver in turn held at its central path. Rows: line, end; columns: ``all_drawn`` and
    ``<driver>_held`` (fractions of draws, 0-1). A driver whose holding moves the probability
    most is what the probability mostly reflects. ``base``: ``simulate(scenario, draws, seed)``
    if already drawn.
    """
    base = simulate(scenario, draws, seed) if base is None else base
    held = {d: simulate(scenario, draws, seed, hold=(d,)) for d in DRIVERS}
    rows = []
    for line in lines_for(scenario.data):
        year = min(line.year, scenario.end_year) if line.year > scenario.data.last_data_year else scenario.end_year
        for end in ENDS:
            col = f"prob_meets_{line.id}_{end}"
            rows.append(
                {
                    "line": line.id,
                    "end": end,
                    "year": year,
                    "all_drawn": as_float(base.loc[year, col]),
                    **{f"{d}_held": as_float(h.loc[year, col]) for d, h in held.items()},
                }
            )
    columns = ["line", "end", "year", "all_drawn", *(f"{d}_held" for d in DRIVERS)]
    import pandas as pd

    out = pd.DataFrame(rows, columns=columns).set_index(["line", "end"])
    out.attrs.update(draws=draws, seed=seed)
    return out


def sensitivity(scenario: Scenario) -> pd.DataFrame:
    """How the end-year result moves when each driver goes one sd down or up, at both ends of
    the range.

    The end-year result is the share of GDP for money targets and the USD amount for share
    targets; also cumulative procurement (USD bn, at the mid procurement share) over the
    projection years. A driver's 1-sd move is a move of its cumulative effect by the end year:
    each year's rate shifted by sd / sqrt(n) for n projection years (the sd of the sum of n
    independent yearly shocks is sd x sqrt(n)). The procurement share row moves from the low to
    the high share. Rows: (driver, end) with end the range end (``low``, ``high``); columns
    ``<metric>_<year>_down``, ``_base``, ``_up`` and ``procurement_usd_bn_down``, ``_base``, ``_up``.
    """
    scenario_arg(scenario)
    r = rates(scenario)
    sd = sds(scenario)
    n = len(r.years)
    g0, p0, x0 = r.real_pct, r.deflator_pct, np.log1p(r.rate_change_pct / 100)
    k = 1 / np.sqrt(n)
    dg, dp = sd["real_growth_sd_pct"] * k, sd["deflator_growth_sd_pct"] * k
    # The exchange rate's end-year deviation moves by one sd of its model's end-year spread.
    dx = level_sd(sd["local_per_usd_sd_pct"] / 100, persistence(scenario), n) / n
    # Cases: base, then each driver down and up, all at once (7 x years), for both range ends.
    shifts = np.array([[0, 0, 0], [-dg, 0, 0], [dg, 0, 0], [0, -dp, 0], [0, dp, 0], [0, 0, -dx], [0, 0, dx]])
    both = _both_paths(scenario, g0 + shifts[:, :1], p0 + shifts[:, 1:2], x0 + shifts[:, 2:3])
    money_target = scenario.path_unit != "pct_gdp"
    metric, unit = ("pct_gdp", "% of GDP") if money_target else ("usd_bn", "USD bn")
    # The last year with a path (earlier than end_year when after_last = "stop").
    last = int(np.flatnonzero(~np.isnan(both["high"][metric][0]))[-1])
    lo, hi = scenario.procurement_low_pct / 100, scenario.procurement_high_pct / 100
    cur = scenario.data.currency
    labels = [  # English, the table's keys; ``driver_label`` says them in the current language
        f"Real GDP growth -/+ {dg:.2f} pt a year",
        f"GDP deflator growth -/+ {dp:.2f} pt a year",
        f"{cur} per USD -/+ {dx * 100:.2f} % a year (+ = weaker {cur})",
    ]
    rows = []
    for end_ in ENDS:
        paths = both[end_]
        at_end = paths[metric][:, last]
        proc = np.nansum(paths["usd_bn"], axis=1) * (lo + hi) / 2
        for i, label in enumerate(labels):
            rows.append(
                (
                    label,
                    end_,
                    at_end[1 + 2 * i],
                    at_end[0],
                    at_end[2 + 2 * i],
                    proc[1 + 2 * i],
                    proc[0],
                    proc[2 + 2 * i],
                )
            )
        total = np.nansum(paths["usd_bn"][0])
        rows.append(
            (
                f"Procurement share {scenario.procurement_low_pct:g}-{scenario.procurement_high_pct:g} %",
                end_,
                at_end[0],
                at_end[0],
                at_end[0],
                total * lo,
                proc[0],
                total * hi,
            )
        )
    year = int(r.years[last])
    cols = [
        f"{metric}_{year}_down",
        f"{metric}_{year}_base",
        f"{metric}_{year}_up",
        "procurement_usd_bn_down",
        "procurement_usd_bn_base",
        "procurement_usd_bn_up",
    ]
    import pandas as pd

    out = pd.DataFrame(rows, columns=["driver", "end", *cols]).set_index(["driver", "end"])
    out.attrs["metric_unit"] = unit
    out.attrs["procurement_years"] = f"{int(r.years[0])}-{year}"  # summed over the years with a path
    return out


_SD = r"(?P<sd>\d+\.\d+)"
_DRIVERS = {  # the row labels ``sensitivity`` writes, as patterns, and each one's message
    "real": re.compile(rf"Real GDP growth -/\+ {_SD} pt a year"),
    "deflator": re.compile(rf"GDP deflator growth -/\+ {_SD} pt a year"),
    "rate": re.compile(rf"(?P<currency>[A-Z]{{3}}) per USD -/\+ {_SD} % a year \(\+ = weaker [A-Z]{{3}}\)"),
    "procurement": re.compile(r"Procurement share (?P<low>\d+(\.\d+)?)-(?P<high>\d+(\.\d+)?) %"),
}


def driver_label(label: str) -> str:
    r"""A driver of ``sensitivity`` (its row label, in English: the table's key) in the current
    language; a label it does not know stays as it is.

    >>> from budget.i18n import use
    >>> with use("cs"):
    ...     driver_label("CZK per USD -/+ 1.37 % a year (+ = weaker CZK)")
    'Kč za USD −/+ 1,37\xa0% ročně (+ = slabší Kč)'
    """
    kind, m = next(((k, m) for k, p in _DRIVERS.items() if (m := p.fullmatch(label))), ("", None))
    if m is None:
        return label
    if kind == "procurement":
        return _("Procurement share {low}-{high} %").format(low=short(float(m["low"])), high=short(float(m["high"])))
    sd = num(float(m["sd"]), 2)
    if kind == "rate":
        return _("{currency} per USD -/+ {sd} % a year (+ = weaker {currency})").format(
            currency=currency(m["currency"]), sd=sd
        )
    if kind == "deflator":
        return _("GDP deflator growth -/+ {sd} pt a year").format(sd=sd)
    return _("Real GDP growth -/+ {sd} pt a year").format(sd=sd)
