"""Sanity of results: refuse what is impossible, warn about what is implausible.

Values inside each key's allowed range can still combine into impossible results (a USD target
at an exchange rate of 0.001 is thousands of % of GDP). ``check`` looks at a scenario's central
path (numpy only, as ``budget validate`` must stay fast) and names the key to blame:

- not finite, or above 100 % of GDP (defense cannot exceed the whole economy): an error;
- above ``WARN_PCT_GDP`` % of GDP: a warning (higher than any NATO member since 1990);
- a growth standard deviation large enough that simulated GDP can fall below zero (which makes
  the simulation's percentiles meaningless): a warning.
"""

from __future__ import annotations

import numpy as np

from budget.model import central_economy, defense_path, rates
from budget.scenario import Scenario, ScenarioError

MAX_PCT_GDP = 100.0
WARN_PCT_GDP = 20.0
MIN_SIGMAS = 4.0  # growth this many sds above -100 % keeps negative GDP draws negligible


def _blame(s: Scenario, year: int) -> str:
    """The key behind a projection year: its target (or the next one), else the path settings."""
    for i, t in enumerate(s.targets):
        if t.year >= year:
            return f"targets[{i}]"
    return f"targets[{len(s.targets) - 1}]" if s.targets else "path.after_last"


def check(s: Scenario) -> list[str]:
    """Warnings about ``s``; raises ``ScenarioError`` (file, key, message) for impossible results."""
    if s.after_last == "stop" and not s.targets:
        raise ScenarioError(
            [
                (
                    str(s.file),
                    "path.after_last",
                    '"stop" with no targets leaves no projection '
                    'year; add a [[targets]] entry, or use "hold_share" '
                    'or "hold_real"',
                )
            ]
        )
    e = central_economy(s)
    years = e.years[e.years > s.data.last_data_year]
    problems: list[tuple[str, str, str]] = []
    warnings: list[str] = []
    rate_key = f"economy.{s.data.cur}_per_usd"
    why = f" (with {rate_key} = {s.local_per_usd:g})" if s.local_per_usd is not None else ""
    for end in ("low", "high"):
        path = defense_path(s, e, end)
        pct, usd = path["pct_gdp"], path["usd_bn"]
        stopped = np.isnan(pct) & (s.after_last == "stop")  # the path ends after its last target
        bad = ~(np.isfinite(pct) & np.isfinite(usd)) & ~stopped
        with np.errstate(invalid="ignore"):
            over, high = pct > MAX_PCT_GDP, pct > WARN_PCT_GDP
        if bad.any():
            year = int(years[bad][0])
            problems.append(
                (
                    str(s.file),
                    _blame(s, year),
                    f"gives a spending path that is not a finite number "
                    f"in {year}{why}; check the targets and economy values",
                )
            )
        elif over.any():
            i = int(np.argmax(np.where(over, pct, -np.inf)))
            problems.append(
                (
                    str(s.file),
                    _blame(s, int(years[i])),
                    f"gives {pct[i]:,.0f} % of GDP in {years[i]}{why}; defense cannot exceed {MAX_PCT_GDP:g} % of GDP",
                )
            )
        elif high.any():
            i = int(np.argmax(np.where(high, pct, -np.inf)))
            warnings.append(
                f"{s.file}: {_blame(s, int(years[i]))}: gives {pct[i]:.1f} % of GDP in {years[i]}{why}, "
                f"above {WARN_PCT_GDP:g} % (no NATO member has spent that since 1990); check the unit"
            )
    if problems:
        raise ScenarioError(list(dict.fromkeys(problems)))
    r = rates(s)
    from budget.uncertainty import sds

    sd = sds(s)
    for key, rate, spread in (
        ("uncertainty.real_growth_sd_pct", r.real_pct, sd["real_growth_sd_pct"]),
        ("uncertainty.deflator_growth_sd_pct", r.deflator_pct, sd["deflator_growth_sd_pct"]),
    ):
        if spread > 0 and float(np.min(100 + rate)) < MIN_SIGMAS * spread:
            warnings.append(
                f"{s.file}: {key}: {spread:g} points lets simulated GDP growth fall below -100 % "
                f"(GDP below zero) in some draws; the simulation's percentiles are then "
                f"meaningless: use a smaller sd"
            )
    return list(dict.fromkeys(warnings))
