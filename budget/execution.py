"""Execution rate: how much of a plan is expected to be spent (a scenario's ``[execution]`` table).

A scenario's targets are plans (budgets). With ``[execution] rate_pct = 95`` the projection shows
the spending expected of the plan: every projection year's amount is the plan's path x 95 %
(history, the data's figures, is never scaled). ``rate = "historical"`` takes the average
execution rate of the country's data (outturn / final budget, ``budget.outturn.historical_rate``)
and the simulation draws the rate once per draw, uniformly within the data's min-max range (the
range of a handful of years; a normal with their sd would give rates never seen). Without the
table the rate is 100 %: the plan is spent in full, as before. The shares of GDP, the gaps to each
line and the probabilities all follow the expected spending; claims are plans too and are compared
with the plan's path.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from budget.history import countries, load_country
from budget.i18n import _, num
from budget.outturn import Rate, historical_rate

if TYPE_CHECKING:
    from budget.scenario import Found, Scenario

HISTORICAL = "historical"


def rate_pct(s: Scenario) -> float | None:
    """The scenario's central execution rate in percent of the plan, or None (no rate: 100 %)."""
    if s.execution_rate == HISTORICAL:
        r = historical_rate(s.data)
        assert r is not None  # checked when the scenario was built
        return r.mean_pct
    return s.execution_rate_pct


def factor(s: Scenario) -> float:
    """The central rate as a fraction (1.0 without one): spending expected = plan x factor."""
    p = rate_pct(s)
    return 1.0 if p is None else p / 100


def draws(s: Scenario, rng: np.random.Generator, m: int) -> np.ndarray | None:
    """``m`` drawn rates (fractions) for ``rate = "historical"``, uniform within the data's range;
    None where the rate is fixed (drawn after the economy's shocks: those stay as they were).
    """
    if s.execution_rate != HISTORICAL:
        return None
    r = historical_rate(s.data)
    assert r is not None
    return rng.uniform(r.low_pct, r.high_pct, size=m) / 100


def problems(v: Mapping[str, Any], country: str) -> list[Found]:
    """What is wrong with the ``[execution]`` table beyond each key's own bounds (``budget.schema``):
    both keys given, or ``historical`` for a country whose data hold no budget outturns.
    """
    fixed, named = v.get("execution_rate_pct"), v.get("execution_rate")
    if fixed is not None and named is not None:
        return [
            (
                "execution_rate",
                "execution",
                'give either rate_pct (a number, 0-150 % of the plan) or rate = "historical", not both',
            )
        ]
    if named == HISTORICAL and historical_rate(load_country(country)) is None:
        name = load_country(country).name
        have = [k for k in countries() if historical_rate(load_country(k)) is not None]
        return [
            (
                "execution_rate",
                "execution.rate",
                f'"historical" needs the budget outturns of {name} in its data (budget/data/{country}/series.csv: '
                f"an outturn and a final budget in the same year), and it has none; allowed: a number as "
                f'execution.rate_pct (0-150), or "historical" for {", ".join(have) or "no shipped country"}',
            )
        ]
    return []


def historical_text(r: Rate) -> str:
    """``the average execution rate of 2015-2024 (outturn / final budget, 7 years ...; range 91.3-97.6 %)``."""
    return _(
        "the average execution rate of {first}-{last} (outturn / final budget, {n} years with both figures; "
        "range {low}-{high} %)"
    ).format(first=r.years[0], last=r.years[-1], n=len(r.years), low=num(r.low_pct), high=num(r.high_pct))


def summary_lines(s: Scenario) -> list[str]:
    """The summary's bullet saying that an execution rate was applied and what it is ([] without one)."""
    p = rate_pct(s)
    if p is None:
        return []
    if s.execution_rate == HISTORICAL:
        r = historical_rate(s.data)
        assert r is not None
        text = _(
            "Execution rate applied: the targets are plans (budgets), and the projection shows the spending "
            "expected of them, **{rate} %** of the plan's path in every projection year: {what}. The simulation "
            "draws the rate uniformly within that range."
        ).format(rate=num(p), what=historical_text(r))
    else:
        text = _(
            "Execution rate applied: the targets are plans (budgets), and the projection shows the spending "
            "expected of them, **{rate} %** of the plan's path in every projection year (the scenario's rate)."
        ).format(rate=num(p))
    return ["- " + text]
