"""Correlated uncertainty across an alliance's members: one Monte Carlo for the whole group.

``budget.uncertainty`` draws one country's economy; here every member is drawn at once, with
shocks that are correlated across members, and only the group's figures are kept per draw.

**Shocks** (percent; for every projection year t, member i, exchange-rate block k):

- real growth      g_it  = g_hat_it  + sd_g,i  z_it      z_t ~ N(0, C_g)  (members x members)
- deflator growth  pi_it = pi_hat_it + sd_pi,i w_it      w_t ~ N(0, C_pi)
- exchange rate    ln X_it = ln X_i(t-1) + ln(1 + c_it) + (d_kt - d_k(t-1)),
                   d_kt = phi d_k(t-1) + sd_X,k v_kt   v_t ~ N(0, C_X)  (currencies x currencies)

Shocks are independent across years (the exchange rate's deviation d mean-reverts with the
persistence phi of ``budget.uncertainty``: half-life 4 years, the scenario default) and across
the three drivers; they are correlated across members within a driver and a year. The central
rates g_hat, pi_hat and c are those of ``budget.aggregate.member``. Exchange-rate shocks are
per currency, not per member: members that share a currency (the euro) take the same draw
d_k, and so does a currency pegged to another one (below). A year's shock hits every member in
the same calendar year; a currency's deviation starts at 0 in the earliest last data year of
the members that use it, so members with a later last data year take the same yearly moves.

Exchange rates: the central change c_it is ``aggregate.rate_change`` (published rates where the
data has them, then ``held`` or ``constant_real``: the currency's GDP-weighted central deflator
against the US one, the same for every member that shares the currency), compounded with the
currency block's drawn move. Drawn inflation does not feed back into the rate: a currency's
uncertainty is its own shock. USD takes none, so USD per USD stays exactly 1.

Correlations: ``budget.correlation`` (estimated from the data).

**Draws** (``simulate_alliance``): random numbers come in streams of ``STREAM`` draws, stream k
seeded with ``numpy.random.SeedSequence(seed, spawn_key=(k,))`` and always drawn whole (the
correlation product has one shape per stream). Each member on each stream is one task on the
thread pool (numpy releases the GIL: both cores); the rest is per-draw arithmetic, and members
are summed per draw in member order. So the results depend on the seed and the draws only: not
on ``block`` and not on the threads, bit for bit; the first n draws of a larger run are the
draws of a run of n. ``block`` (rounded up to whole streams) bounds memory: a block's draws x
members x years arrays are dropped once its group figures are summed; only five numbers per
draw are kept (the group's spending at both ends and GDP in the end year, extra spending at
both ends over the window).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from budget.aggregate import ENDS, Alliance, Member, Rule, base_scenario, economy, member_path, rate_change
from budget.arguments import whole_number
from budget.correlation import DRIVERS, Correlation, estimate, shrink
from budget.history import load_country
from budget.model import Economy, rates
from budget.pledges import Line, lines_for, meets
from budget.scenario import Scenario
from budget.uncertainty import MAX_SEED, WORKERS, rate_moves

if TYPE_CHECKING:
    import pandas as pd

STREAM = 5_000  # draws per random stream and per task (fixed: the results do not depend on ``block``)
MAX_DRAWS = 10_000_000
PERCENTILES = (5.0, 50.0, 95.0)
PCT_NAMES = ("p05", "p50", "p95")

__all__ = ["Correlation", "estimate", "shrink", "simulate_alliance"]


# ---- draws -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Prep:
    """One member's fixed inputs: its rule, scenario, central rates and where it sits on the grid."""

    key: str
    rule: Rule
    s: Scenario
    offset: int  # its first projection year's position on the common shock grid
    real: np.ndarray
    defl: np.ndarray
    rate: np.ndarray  # the central % change of its currency per USD (``aggregate.rate_change``)
    end: int  # position of a.end_year on its year grid
    window: slice  # a.cumulative_from..a.end_year on its year grid


@dataclass(frozen=True, eq=False)
class Shocks:
    """Shocks for a run of draws on the common grid ``years`` (``grid``): correlated standard
    normals ``real`` and ``deflator`` (members x draws x years; the sds scale them when used),
    the exchange rate's yearly log moves ``fx`` (blocks x draws x years, scaled, after the mean
    reversion of ``budget.uncertainty.rate_moves``) and their exponential ``growth``.
    """

    years: np.ndarray
    real: np.ndarray
    deflator: np.ndarray
    fx: np.ndarray
    growth: np.ndarray


def grid(a: Alliance) -> np.ndarray:
    """The common shock years: after the earliest last data year of the members, to ``end_year``."""
    t0 = min(load_country(k).last_data_year for k in a.members)
    return np.arange(t0 + 1, a.end_year + 1)


def _fx_offsets(a: Alliance, c: Correlation, years: np.ndarray) -> np.ndarray:
    """Per exchange-rate block, where its deviation starts on the grid: after the earliest last
    data year of the members that draw it.
    """
    t0 = [load_country(k).last_data_year for k in c.members]
    first = [min(t for t, b in zip(t0, c.fx_block, strict=True) if b == j) for j in range(len(c.currencies))]
    return np.searchsorted(years, np.array(first, dtype=int) + 1)


def _stream(c: Correlation, years: np.ndarray, offsets: np.ndarray, seed: int, k: int) -> Shocks:
    """Stream k: draws k STREAM .. (k + 1) STREAM - 1, always drawn whole and with the same
    shapes, so a draw's numbers never depend on ``block`` or on the threads. ``offsets``: where
    each exchange-rate block's deviation starts on the grid (``_fx_offsets``).
    """
    n = len(years)
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(k,)))
    sizes = (len(c.members), len(c.members), len(c.currencies))
    z = rng.standard_normal((sum(sizes), STREAM * n))
    out, lo = [], 0
    for d, size in zip(DRIVERS, sizes, strict=True):
        # L z (rows: series), one product of the same shape per stream: the same rounding whatever the block.
        chol = np.linalg.cholesky(c.matrix[d]) if size else c.matrix[d]
        out.append((chol @ z[lo : lo + size]).reshape(size, STREAM, n))
        lo += size
    scaled = out[2] * (c.sd["exchange_rate"][:, None, None] / 100)
    moves = np.zeros_like(scaled)
    for j, o in enumerate(offsets):  # the deviation is 0 in the block's first last data year
        moves[j, :, o:] = rate_moves(scaled[j, :, o:], c.fx_persistence)
    return Shocks(years, out[0], out[1], moves, np.exp(moves))


def shocks(c: Correlation, a: Alliance, start: int, stop: int, seed: int = 0) -> Shocks:
    """Draws ``start``..``stop - 1`` of the shocks ``simulate_alliance`` uses for ``seed``."""
    years = grid(a)
    offsets = _fx_offsets(a, c, years)
    ks = range(start // STREAM, (stop - 1) // STREAM + 1)
    made = [_stream(c, years, offsets, seed, k) for k in ks]
    lo = start - ks[0] * STREAM
    parts = [
        np.concatenate([getattr(s, f) for s in made], axis=1)[:, lo : lo + stop - start]
        for f in ("real", "deflator", "fx", "growth")
    ]
    return Shocks(years, *parts)


def _prepare(a: Alliance, years: np.ndarray) -> list[_Prep]:
    out = []
    for key in a.members:
        rule = a.rules[key]
        s = base_scenario(a, key, rule)
        r = rates(s)
        full = np.arange(s.data.first_year, a.end_year + 1)  # the year grid of build_economy
        window = slice(int(np.searchsorted(full, a.cumulative_from)), len(full))
        offset = int(np.searchsorted(years, r.years[0])) if len(r.years) else len(years)
        out.append(_Prep(key, rule, s, offset, r.real_pct, r.deflator_pct, rate_change(a, s), len(full) - 1, window))
    return out


def _drawn_defl(c: Correlation, p: _Prep, i: int, z: Shocks, rows: slice) -> np.ndarray:
    return p.defl + c.sd["deflator_growth"][i] * z.deflator[i, rows, p.offset :]


def _economy(a: Alliance, c: Correlation, p: _Prep, i: int, z: Shocks, rows: slice) -> Economy:
    """Member i's economy for draws ``rows`` of ``z`` (``aggregate.economy`` with the drawn rates):
    the central rate change compounded with its currency block's drawn move (none for USD).
    """
    real = p.real + c.sd["real_growth"][i] * z.real[i, rows, p.offset :]
    defl = _drawn_defl(c, p, i, z, rows)
    b = c.fx_block[i]
    if b >= 0:
        total = ((1 + p.rate / 100) * z.growth[b, rows, p.offset :] - 1) * 100
    else:
        total = np.broadcast_to(p.rate, real.shape)
    return economy(a, p.s, real, defl, total)


def _member_figures(a: Alliance, c: Correlation, p: _Prep, i: int, z: Shocks, rows: slice) -> tuple[np.ndarray, ...]:
    """One member's figures for draws ``rows`` of ``z``: USD spending in the end year (low,
    high), USD GDP in the end year, extra spending over the window (low, high), USD bn, current
    prices.
    """
    m = member_path(a, p.key, p.rule, p.s, _economy(a, c, p, i, z, rows))
    extra = [(m.usd[end][:, p.window] - m.hold_usd[:, p.window]).sum(axis=-1) for end in ENDS]
    return m.usd["low"][:, p.end], m.usd["high"][:, p.end], m.gdp_usd[:, p.end], extra[0], extra[1]


def economies(a: Alliance, c: Correlation, z: Shocks) -> dict[str, Economy]:
    """Every member's drawn economy for the shocks ``z`` (``shocks``): for checks on a few draws."""
    preps = _prepare(a, z.years)
    return {p.key: _economy(a, c, p, i, z, slice(None)) for i, p in enumerate(preps)}


def member_paths(a: Alliance, c: Correlation, z: Shocks) -> dict[str, Member]:
    """Every member's drawn path (``aggregate.member_path``) for the shocks ``z``: for checks on a few draws."""
    return {k: member_path(a, k, a.rules[k], base_scenario(a, k, a.rules[k]), e) for k, e in economies(a, c, z).items()}


def group_lines(a: Alliance) -> tuple[Line, ...]:
    """The core-defense lines that bind every member (lowest level first)."""
    per = [[ln for ln in lines_for(load_country(k)) if ln.compares_with == "core"] for k in a.members]
    if not per:
        return ()
    common = set.intersection(*({ln.id for ln in lines} for lines in per))
    return tuple(ln for ln in per[0] if ln.id in common)


@dataclass(frozen=True, eq=False)
class AllianceDraws:
    """Per-draw group figures of ``simulate_alliance`` (arrays of length ``draws``, by range end).

    ``share_pct_gdp``: group defense over group GDP (both USD, current prices) in ``year``, %.
    ``spending_usd_bn``: group defense in ``year``, USD bn. ``extra_usd_bn``: group defense minus
    every member holding its last data year's share, summed over ``window``, USD bn at current
    prices. Percentiles and probabilities are of these group draws.
    """

    name: str
    year: int
    window: tuple[int, int]
    draws: int
    seed: int
    lines: tuple[Line, ...]
    share_pct_gdp: dict[str, np.ndarray]
    spending_usd_bn: dict[str, np.ndarray]
    extra_usd_bn: dict[str, np.ndarray]
    correlation: Correlation

    def probability(self, line: str | Line, end: str = "high") -> float:
        """Share of draws whose group share meets the line's level in ``year`` (``pledges.meets``)."""
        if isinstance(line, Line):
            ln = line
        else:
            found = [x for x in self.lines if x.id == line]
            if not found:
                allowed = ", ".join(x.id for x in self.lines)
                raise ValueError(f"line: {line!r} does not bind every member; allowed: {allowed}")
            ln = found[0]
        return float(meets(self.share_pct_gdp[end], ln).mean())

    def percentiles(self, figure: str, end: str = "high") -> np.ndarray:
        """5th, 50th and 95th percentiles (numpy's linear method) of the group's draws of
        ``share_pct_gdp``, ``spending_usd_bn`` or ``extra_usd_bn``.
        """
        values: np.ndarray = getattr(self, figure)[end]
        return np.percentile(values, PERCENTILES)

    def frame(self) -> pd.DataFrame:
        """Tidy table: statistic, end, value, unit (one row per statistic and range end)."""
        import pandas as pd

        span = f"{self.window[0]}-{self.window[1]}"
        figures = (
            ("share_pct_gdp", "share_pct_gdp", f"% of GDP in {self.year}"),
            ("spending_usd_bn", "spending_usd_bn", f"USD bn, current prices, in {self.year}"),
            ("extra_usd_bn", "cumulative_extra_usd_bn", f"USD bn, current prices, {span}, over holding shares"),
        )
        rows = []
        for end in ENDS:
            for figure, stat, unit in figures:
                for name, value in zip(PCT_NAMES, self.percentiles(figure, end), strict=True):
                    rows.append((f"{stat}_{name}", end, float(value), unit))
            for ln in self.lines:
                unit = f"fraction of draws at or above {ln.level_pct_gdp:g} % of GDP in {self.year}"
                rows.append((f"prob_meets_{ln.id}", end, self.probability(ln, end), unit))
        out = pd.DataFrame(rows, columns=["statistic", "end", "value", "unit"])
        out.attrs.update(alliance=self.name, draws=self.draws, seed=self.seed, year=self.year, window=self.window)
        return out


FIGURES = ("usd_low", "usd_high", "gdp", "extra_low", "extra_high")


def _block(
    a: Alliance,
    c: Correlation,
    preps: list[_Prep],
    years: np.ndarray,
    seed: int,
    ks: range,
    draws: int,
    pool: ThreadPoolExecutor,
) -> dict[str, np.ndarray]:
    """The group's figures (``FIGURES``) for the draws of streams ``ks``: each member on each
    stream is one task, on both cores; members are summed per draw in member order, so the sums
    are the same whatever the threads and blocks.
    """
    offsets = _fx_offsets(a, c, years)
    made = list(pool.map(lambda k: _stream(c, years, offsets, seed, k), ks))
    lo = ks[0] * STREAM
    parts = {name: np.empty((len(preps), min(draws, (ks[-1] + 1) * STREAM) - lo)) for name in FIGURES}

    def run(task: tuple[int, int]) -> None:
        i, j = task
        start = ks[j] * STREAM
        m = min(STREAM, draws - start)  # the last stream may be cut
        out = _member_figures(a, c, preps[i], i, made[j], slice(0, m))
        for name, values in zip(FIGURES, out, strict=True):
            parts[name][i, start - lo : start - lo + m] = values

    list(pool.map(run, [(i, j) for i in range(len(preps)) for j in range(len(ks))]))
    out = {}
    for name in FIGURES:
        out[name] = np.zeros(parts[name].shape[1])
        for row in parts[name]:
            out[name] += row
    return out


def simulate_alliance(
    a: Alliance, draws: int = 10_000, seed: int = 0, block: int = 10_000, correlation: Correlation | None = None
) -> AllianceDraws:
    """Draw every member's economy with correlated shocks; keep the group's figures per draw.

    Each member's path follows its rule exactly as in ``budget.aggregate`` (``economy`` and
    ``member_path`` on arrays with a leading draw axis); per draw the members' USD spending and GDP
    are summed, so every percentile and probability is of the group's draws, never a sum of
    members' percentiles. ``correlation``: ``estimate(a)`` unless given (e.g. with sds set to
    zero). ``block``: draws whose shocks are held in memory at once (rounded up to whole
    streams of ``STREAM`` draws; for 30 members a block of 10,000 peaks at about 150 MiB of
    arrays, whatever ``draws``). The same seed gives the same result, bit for bit, whatever
    ``block`` and the threads. Returns ``AllianceDraws`` (``frame()``: the tidy table).
    """
    draws = whole_number(draws, "draws", 1, MAX_DRAWS)
    seed = whole_number(seed, "seed", 0, MAX_SEED)
    block = whole_number(block, "block", 1, MAX_DRAWS)
    if not a.members:
        raise ValueError(f"{a.name}: no member with data to draw")
    c = estimate(a) if correlation is None else correlation
    if c.members != a.members:
        raise ValueError(f"correlation: estimated for {', '.join(c.members)}, not for this alliance's members")
    years = grid(a)
    preps = _prepare(a, years)
    total = {name: np.zeros(draws) for name in FIGURES}  # the group's figures: all that is kept per draw
    per_block = max(1, -(-block // STREAM))  # streams held at once
    n_streams = -(-draws // STREAM)
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        for first in range(0, n_streams, per_block):
            ks = range(first, min(n_streams, first + per_block))
            lo, hi = ks[0] * STREAM, min(draws, (ks[-1] + 1) * STREAM)
            for name, values in _block(a, c, preps, years, seed, ks, draws, pool).items():
                total[name][lo:hi] = values
    share = {end: total[f"usd_{end}"] / total["gdp"] * 100 for end in ENDS}
    return AllianceDraws(
        name=a.name,
        year=a.end_year,
        window=(a.cumulative_from, a.end_year),
        draws=draws,
        seed=seed,
        lines=group_lines(a),
        share_pct_gdp=share,
        spending_usd_bn={end: total[f"usd_{end}"] for end in ENDS},
        extra_usd_bn={end: total[f"extra_{end}"] for end in ENDS},
        correlation=c,
    )
