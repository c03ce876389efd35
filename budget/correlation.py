"""Correlations of the members' shocks, estimated from the data (``budget.correlated`` draws with them).

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
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from budget.aggregate import Alliance, base_scenario
from budget.history import Country, load_country
from budget.uncertainty import historical_sd, persistence

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
