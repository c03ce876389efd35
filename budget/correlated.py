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

**Estimates** (``estimate``), from each member's ``series.csv`` (never from a scenario):

- standard deviations: real growth and deflator growth as ``budget.uncertainty.historical_sd``
  (the member's actual years), so a member's spread matches ``budget.simulate``'s; the
  exchange rate's per currency: the sd of the yearly log change of ``<cur>_per_usd`` over the
  years the data observes (status ``actual`` or ``estimate``: some rates are derived from GDP
  in two currencies and marked ``estimate``, but they are past years; ``projection`` is never
  used). USD has no exchange-rate shock.
- pegs: a currency whose yearly log change differed from a more used currency's by less than
  ``PEG_SD_PCT`` (sd over the observed years) draws that currency's shock (``Correlation.pegs``
  lists them: currency boards and tight pegs to the euro, in the bundled data).
- correlations: Pearson correlations over the years every series of the driver observes
  (status ``actual``; exchange rates also ``estimate``), shrunk towards the constant-correlation
  target (every pair at the average pairwise correlation r_bar) with the Ledoit-Wolf (2004,
  "Honey, I shrunk the sample covariance matrix"; their ``covCor`` code) intensity, or a fixed weight:
  C = (1 - w) R + w F. With about 10 yearly observations and 30 members R has rank <= 9, so it
  is singular; F is positive definite for -1/(n-1) < r_bar < 1 and the blend is for w > 0. The
  weight is raised where needed so that the smallest eigenvalue is at least ``MIN_EIGENVALUE``
  (a bound that holds for any blend: lambda_min(C) >= (1-w) lambda_min(R) + w lambda_min(F)),
  and every matrix is checked with a Cholesky factorization.

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

import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from budget.aggregate import ENDS, Alliance, Member, Rule, base_scenario, economy, member_path, rate_change
from budget.arguments import whole_number
from budget.history import Country, load_country
from budget.model import Economy, rates
from budget.pledges import Line, lines_for, meets
from budget.scenario import Scenario
from budget.uncertainty import MAX_SEED, WORKERS, historical_sd, persistence, rate_moves

if TYPE_CHECKING:
    import pandas as pd

DRIVERS = ("real_growth", "deflator_growth", "exchange_rate")
SD_NAMES = {  # the names budget.uncertainty gives the sds
    "real_growth": "real_growth_sd_pct",
    "deflator_growth": "deflator_growth_sd_pct",
    "exchange_rate": "local_per_usd_sd_pct",
}
OBSERVED = ("actual",)  # statuses counted as history for growth and the deflator
FX_OBSERVED = ("actual", "estimate")  # and for exchange rates (derived past rates are "estimate")
PEG_SD_PCT = 0.5  # sd (percent a year) of the log-change difference below which two currencies move as one
MIN_EIGENVALUE = 1e-3  # the smallest eigenvalue every correlation matrix keeps
MIN_YEARS = 3  # fewer common years than this: the driver's shocks are drawn independent
STREAM = 5_000  # draws per random stream and per task (fixed: the results do not depend on ``block``)
MAX_DRAWS = 10_000_000
PERCENTILES = (5.0, 50.0, 95.0)
PCT_NAMES = ("p05", "p50", "p95")


# ---- estimates -------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Correlation:
    """Shock sizes and correlations for an alliance's members (``estimate``).

    ``members``: country keys in the group's order (sorted). ``currencies``: the exchange-rate
    blocks drawn (one per currency, pegged currencies joined to their anchor; USD not drawn),
    ``fx_block[i]`` the block of member i (-1: no exchange-rate shock). ``pegs``: currency ->
    the currency whose shock it draws (only currencies that draw another's). ``sd``: by driver,
    percent (per member for growth and the deflator, per block for the exchange rate).
    ``matrix``: by driver, the correlation matrix used (unit diagonal, symmetric, positive
    definite). ``average``: the average pairwise sample correlation (the shrinkage target's
    level; the blend keeps it). ``shrinkage``: the weight w on the target. ``years``: the years
    of the observations each correlation is estimated from. ``min_eigenvalue``: of each matrix.
    ``fx_persistence``: phi of the exchange rate's deviation. Written out by ``frame`` (one
    tidy table with all of it), ``summary_frame``, ``sd_frame``, ``matrix_frame`` and ``markdown``.
    """

    members: tuple[str, ...]
    member_currency: tuple[str, ...]
    currencies: tuple[str, ...]
    fx_block: tuple[int, ...]
    pegs: dict[str, str]
    sd: dict[str, np.ndarray]
    matrix: dict[str, np.ndarray]
    average: dict[str, float]
    shrinkage: dict[str, float]
    years: dict[str, tuple[int, ...]]
    min_eigenvalue: dict[str, float]
    fx_persistence: float
    method: str = "ledoit_wolf_constant_correlation"

    def labels(self, driver: str) -> tuple[str, ...]:
        """Row labels of a driver's matrix: members, or exchange-rate blocks (currency codes)."""
        return self.currencies if driver == "exchange_rate" else self.members

    def summary_frame(self) -> pd.DataFrame:
        """One row per driver: series, observations, years, average correlation, weight, eigenvalue."""
        import pandas as pd

        rows = [
            {
                "driver": d,
                "series": len(self.labels(d)),
                "observations": len(self.years[d]),
                "first_year": self.years[d][0] if self.years[d] else None,
                "last_year": self.years[d][-1] if self.years[d] else None,
                "average_correlation": self.average[d],
                "shrinkage_weight": self.shrinkage[d],
                "min_eigenvalue": self.min_eigenvalue[d],
                "method": self.method if len(self.years[d]) >= MIN_YEARS else "independent",
            }
            for d in DRIVERS
        ]
        return pd.DataFrame(rows).set_index("driver")

    def sd_frame(self) -> pd.DataFrame:
        """One row per member: currency, the block it draws with, and the three sds (percent)."""
        import pandas as pd

        fx = self.sd["exchange_rate"]
        rows = [
            {
                "member": k,
                "currency": cur,
                "fx_draws_with": self.currencies[b] if b >= 0 else "",
                SD_NAMES["real_growth"]: float(self.sd["real_growth"][i]),
                SD_NAMES["deflator_growth"]: float(self.sd["deflator_growth"][i]),
                SD_NAMES["exchange_rate"]: float(fx[b]) if b >= 0 else 0.0,
            }
            for i, (k, cur, b) in enumerate(zip(self.members, self.member_currency, self.fx_block, strict=True))
        ]
        return pd.DataFrame(rows).set_index("member")

    def matrix_frame(self, driver: str) -> pd.DataFrame:
        """A driver's correlation matrix, labelled (square)."""
        import pandas as pd

        labels = list(self.labels(driver))
        return pd.DataFrame(self.matrix[driver], index=labels, columns=labels)

    def frame(self) -> pd.DataFrame:
        """Everything in one tidy table (for a CSV): columns driver, statistic, a, b, value.

        ``sd_pct`` rows: a = member, b = the exchange-rate block it draws (exchange rate only),
        value in percent; ``correlation`` rows: each pair a < b of the matrix once; then
        ``average_correlation``, ``shrinkage_weight``, ``min_eigenvalue``, ``observations``,
        ``first_year``, ``last_year`` and ``fx_persistence`` (a, b empty).
        """
        import pandas as pd

        rows: list[tuple[str, str, str, str, float]] = []
        for d in DRIVERS:
            for i, k in enumerate(self.members):
                if d != "exchange_rate":
                    rows.append((d, "sd_pct", k, "", float(self.sd[d][i])))
                elif self.fx_block[i] >= 0:
                    b = self.fx_block[i]
                    rows.append((d, "sd_pct", k, self.currencies[b], float(self.sd[d][b])))
            labels, m = self.labels(d), self.matrix[d]
            rows += [
                (d, "correlation", labels[i], labels[j], float(m[i, j]))
                for i in range(len(labels))
                for j in range(i + 1, len(labels))
            ]
            years = self.years[d]
            rows += [
                (d, "average_correlation", "", "", self.average[d]),
                (d, "shrinkage_weight", "", "", self.shrinkage[d]),
                (d, "min_eigenvalue", "", "", self.min_eigenvalue[d]),
                (d, "observations", "", "", float(len(years))),
                (d, "first_year", "", "", float(years[0]) if years else math.nan),
                (d, "last_year", "", "", float(years[-1]) if years else math.nan),
            ]
        rows.append(("exchange_rate", "fx_persistence", "", "", self.fx_persistence))
        out = pd.DataFrame(rows, columns=["driver", "statistic", "a", "b", "value"])
        out.attrs.update(method=self.method, pegs=dict(self.pegs))
        return out

    def markdown(self) -> str:
        """The summary and the sds as Markdown tables."""
        s = self.summary_frame()
        out = [
            "| Driver | Series | Years | Average pairwise correlation | Shrinkage weight | Smallest eigenvalue |",
            "|---|---|---|---|---|---|",
        ]
        for d, r in s.iterrows():
            years = f"{r['first_year']}-{r['last_year']} ({r['observations']})" if r["observations"] else "none"
            out.append(
                f"| {d} | {r['series']} | {years} | {r['average_correlation']:.2f} "
                f"| {r['shrinkage_weight']:.2f} | {r['min_eigenvalue']:.3f} |"
            )
        out += [
            "",
            "| Member | Currency | FX draw | Real growth sd % | Deflator sd % | FX sd % |",
            "|---|---|---|---|---|---|",
        ]
        for k, r in self.sd_frame().iterrows():
            out.append(
                f"| {k} | {r['currency']} | {r['fx_draws_with'] or 'none'} | {r['real_growth_sd_pct']:.2f} "
                f"| {r['deflator_growth_sd_pct']:.2f} | {r['local_per_usd_sd_pct']:.2f} |"
            )
        return "\n".join(out) + "\n"


def _series(c: Country, indicator: str, statuses: tuple[str, ...]) -> dict[int, float]:
    return {
        r.year: r.value for r in c.rows if r.indicator == indicator and r.status in statuses and not math.isnan(r.value)
    }


def _changes(levels: dict[int, float], log: bool) -> dict[int, float]:
    """Yearly % change (or 100 x log change) between consecutive observed years."""
    out = {}
    for y, v in sorted(levels.items()):
        prev = levels.get(y - 1)
        if prev is not None:
            out[y] = float(np.log(v / prev) * 100) if log else (v / prev - 1) * 100
    return out


def _common(series: list[dict[int, float]]) -> tuple[tuple[int, ...], np.ndarray]:
    """The years every series observes, and the observations (years x series)."""
    if not series:
        return (), np.zeros((0, 0))
    years = tuple(sorted(set.intersection(*(set(s) for s in series))))
    return years, np.array([[s[y] for s in series] for y in years], dtype=float).reshape(len(years), len(series))


def shrink(x: np.ndarray, weight: float | None = None) -> tuple[np.ndarray, float, float, float]:
    """Correlation matrix of ``x`` (observations x series) shrunk towards constant correlation.

    Returns (matrix, average pairwise sample correlation, weight on the target, smallest
    eigenvalue). ``weight`` None: the Ledoit-Wolf (2004) constant-correlation intensity,
    kappa / n clipped to 0..1 with kappa = (pi - rho) / gamma, computed as in the authors'
    ``covCor`` code (demeaned data, effective sample size n = T - 1); else the given weight. The weight
    is raised where needed to keep the smallest eigenvalue at least ``MIN_EIGENVALUE``. A series
    without variation is uncorrelated with the rest; fewer than ``MIN_YEARS`` observations give
    the identity (independent shocks).
    """
    t, n = x.shape
    out = np.eye(n)
    if n < 2 or t < MIN_YEARS:
        return out, math.nan, (0.0 if n < 2 else 1.0), 1.0
    y = x - x.mean(axis=0)
    n_eff = t - 1  # one degree of freedom goes to the mean
    var = (y * y).sum(axis=0) / n_eff
    live = np.flatnonzero(var > 0)
    y, var = y[:, live], var[live]
    m = len(live)
    if m < 2:
        return out, math.nan, 0.0, 1.0
    s = y.T @ y / n_eff
    sd = np.sqrt(var)
    r = s / np.outer(sd, sd)
    rbar = float((r.sum() - np.trace(r)) / (m * (m - 1)))
    f = rbar * np.outer(sd, sd)
    np.fill_diagonal(f, var)
    if weight is None:
        y2 = y * y
        pi_mat = y2.T @ y2 / n_eff - s * s
        theta = (y2 * y).T @ y / n_eff - var[:, None] * s
        np.fill_diagonal(theta, 0.0)
        rho = float(np.trace(pi_mat) + rbar * (np.outer(1 / sd, sd) * theta).sum())
        gamma = float(((f - s) ** 2).sum())
        kappa = (float(pi_mat.sum()) - rho) / gamma if gamma > 0 else math.inf
        w = min(1.0, max(0.0, kappa / n_eff))
    else:
        w = float(weight)
    target = np.full((m, m), rbar)
    np.fill_diagonal(target, 1.0)
    lam_r = float(np.linalg.eigvalsh(r).min())
    lam_f = 1 - rbar if rbar > 0 else 1 + (m - 1) * rbar  # eigenvalues of the target: 1 - rbar, 1 + (m-1) rbar
    if (1 - w) * lam_r + w * lam_f < MIN_EIGENVALUE and lam_f > MIN_EIGENVALUE:
        w = min(1.0, (MIN_EIGENVALUE - lam_r) / (lam_f - lam_r))
    c = (1 - w) * r + w * target
    lam = float(np.linalg.eigvalsh(c).min())
    if lam < MIN_EIGENVALUE:  # a degenerate target (r_bar near 1): clip the eigenvalues instead
        vals, vecs = np.linalg.eigh(c)
        c = (vecs * np.maximum(vals, MIN_EIGENVALUE)) @ vecs.T
        d = np.sqrt(np.diag(c))
        c = c / np.outer(d, d)
    c = (c + c.T) / 2
    np.fill_diagonal(c, 1.0)
    out[np.ix_(live, live)] = c
    np.linalg.cholesky(out)  # raises LinAlgError if not positive definite
    return out, rbar, w, float(np.linalg.eigvalsh(out).min())


def _peg_sd(a: dict[int, float], b: dict[int, float]) -> float:
    """Sd (percent a year) of the difference of two currencies' yearly log changes."""
    years = sorted(set(a) & set(b))
    if len(years) < MIN_YEARS:
        return math.inf
    return float(np.std([a[y] - b[y] for y in years], ddof=1))


def estimate(a: Alliance, shrinkage: float | None = None, pegs: bool = True) -> Correlation:
    """Standard deviations and shrunk correlations of the members' shocks, from their data.

    ``shrinkage``: None for the Ledoit-Wolf weight of each driver, or one fixed weight 0-1 for
    all three (raised where needed to keep the matrices positive definite). ``pegs``: join
    pegged currencies to their anchor (``PEG_SD_PCT``). See the module's notes.
    """
    if shrinkage is not None and not (isinstance(shrinkage, int | float) and 0 <= shrinkage <= 1):
        raise ValueError(f"shrinkage: expected None or a weight 0-1, got {shrinkage!r}")
    keys = a.members
    cs = [load_country(k) for k in keys]
    sds = [historical_sd(c) for c in cs]
    real = [_series(c, "real_gdp_growth_pct", OBSERVED) for c in cs]
    defl = [_changes(_series(c, c.deflator, OBSERVED), log=False) for c in cs]
    # One series per currency: the member with the most observed years (then by key).
    fx_levels: dict[str, dict[int, float]] = {}
    counts: dict[str, int] = {}
    for c in cs:
        counts[c.currency] = counts.get(c.currency, 0) + 1
        if c.currency == "USD":
            continue
        levels = _series(c, f"{c.cur}_per_usd", FX_OBSERVED)
        if len(levels) > len(fx_levels.get(c.currency, {})):
            fx_levels[c.currency] = levels
    fx_changes = {cur: _changes(v, log=True) for cur, v in fx_levels.items()}
    anchor_of: dict[str, str] = {}
    blocks: list[str] = []
    for cur in sorted(fx_changes, key=lambda k: (-counts[k], k)):
        anchor = next((b for b in blocks if pegs and _peg_sd(fx_changes[cur], fx_changes[b]) < PEG_SD_PCT), None)
        anchor_of[cur] = anchor or cur
        if anchor is None:
            blocks.append(cur)
    fx_block = tuple(blocks.index(anchor_of[c.currency]) if c.currency in anchor_of else -1 for c in cs)
    fx_sd = np.array([np.std(list(fx_changes[b].values()), ddof=1) for b in blocks], dtype=float)
    matrix, average, weight, years, lam = {}, {}, {}, {}, {}
    for d, series in (
        ("real_growth", real),
        ("deflator_growth", defl),
        ("exchange_rate", [fx_changes[b] for b in blocks]),
    ):
        years[d], x = _common(series)
        matrix[d], average[d], weight[d], lam[d] = shrink(x, shrinkage)
    return Correlation(
        members=keys,
        member_currency=tuple(c.currency for c in cs),
        currencies=tuple(blocks),
        fx_block=fx_block,
        pegs={cur: b for cur, b in anchor_of.items() if cur != b},
        sd={
            "real_growth": np.array([s["real_growth_sd_pct"] for s in sds]),
            "deflator_growth": np.array([s["deflator_growth_sd_pct"] for s in sds]),
            "exchange_rate": fx_sd,
        },
        matrix=matrix,
        average=average,
        shrinkage=weight,
        years=years,
        min_eigenvalue=lam,
        fx_persistence=persistence(base_scenario(a, keys[0], a.rules[keys[0]])) if keys else 1.0,
    )


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
