"""Uncertainty headlines: the finding the fan's and the sensitivity chart's titles state, from the
simulation (``budget.simulate``) and the sensitivity (``budget.uncertainty.sensitivity``), as
``budget.charts.headline`` does for the level charts: pure functions, whole sentences through
the translation hook ``_``, both ends of a range where they differ.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from budget.charts.headline import NBSP, Pair, ends, headline_line, known, line_name, pct, usd
from budget.formats import as_float
from budget.i18n import _, num
from budget.pledges import Line
from budget.scenario import Scenario

ENDS = ("low", "high")


# --- The fan ---------------------------------------------------------------------------------------


def year_of(line: Line, s: Scenario) -> int:
    """The year a line's probability is read in: its year, or the end year if that comes first
    or the line's year has passed (as ``budget.uncertainty.drivers``).
    """
    return min(line.year, s.end_year) if line.year > s.data.last_data_year else s.end_year


@dataclass(frozen=True)
class Chance:
    """What the fan's title says: the chance of meeting the headline line's level, or (where the
    target fixes the share, so each chance is 0 or 100 % by construction) the money 9 in 10
    simulations give, USD bn, in ``year``.
    """

    country: str
    line: str  # "" where no line binds or the chance says nothing
    year: int
    p: Pair  # probabilities (0..1), low and high end
    p05: Pair  # defense spending, USD bn: 5th percentile at the low and the high end
    p95: Pair


def fan_facts(sim: pd.DataFrame, s: Scenario) -> Chance:
    """The ``Chance`` of ``s`` from its simulation (``budget.simulate``)."""
    line, end = headline_line(s), s.end_year
    at = end if end in sim.index else int(sim.index[-1])
    p05 = ends(lambda e: sim[f"defense_usd_bn_p05_{e}"].get(at, math.nan))
    p95 = ends(lambda e: sim[f"defense_usd_bn_p95_{e}"].get(at, math.nan))
    name, year, p = "", at, (math.nan, math.nan)
    if line is not None and s.path_unit != "pct_gdp":
        year = year_of(line, s)
        p = ends(lambda e: sim.get(f"prob_meets_{line.id}_{e}", pd.Series(dtype=float)).get(year, math.nan))
        name = line_name(line) if any(map(known, p)) else ""
        year = year if name else at
    return Chance(_(s.data.name), name, year, p, p05, p95)


def chance(p: float) -> str:
    """A probability as printed: whole percent (``0.896`` -> ``90 %``)."""
    return f"{num(100 * p, 0)}{NBSP}%"


def fan_title(f: Chance) -> str:
    """The chance of meeting the line's level ("Chance of meeting the NATO 3.5 % core level in
    2035: 80 % at the low end of the range, 90 % at the high end"), or the money.
    """
    if f.line:
        printed = [chance(p) for p in f.p if known(p)]
        words = {"line": f.line, "year": f.year}
        if len(set(printed)) == 1:
            return _("Chance of meeting the {line} level in {year}: {chance}").format(chance=printed[0], **words)
        return _(
            "Chance of meeting the {line} level in {year}: {low} at the low end of the range, {high} at the high end"
        ).format(low=printed[0], high=printed[1], **words)
    low, high = usd((f.p05[0], f.p95[0])), usd((f.p05[1], f.p95[1]))
    words = {"country": f.country, "year": f.year}
    if low == high:
        return _("In 9 of 10 simulations {country} would spend {amount} on defense in {year}").format(
            amount=high, **words
        )
    return _(
        "In 9 of 10 simulations {country} would spend {low} on defense in {year} at the low end of the range, "
        "{high} at the high end"
    ).format(low=low, high=high, **words)


# --- Sensitivity -----------------------------------------------------------------------------------


def driver_name(label: str, currency: str) -> str:
    """A driver of ``budget.uncertainty.sensitivity`` (its row label) named for a sentence's start."""
    names = {
        "Real GDP growth": _("Real GDP growth"),
        "GDP deflator growth": _("GDP-deflator growth"),
        f"{currency} per USD": _("The {currency}/USD rate").format(currency=currency),
        "Procurement share": _("The procurement share"),
    }
    return next((words for start, words in names.items() if label.startswith(start)), label)


@dataclass(frozen=True)
class Driver:
    """What the sensitivity chart's title says: the driver that moves the end-year result most and
    the result it gives, one standard deviation down and up, at each end (``ends``, high first).
    """

    country: str
    driver: str  # ``driver_name``
    year: int
    share: bool  # the result is the share of GDP (a money target), else USD bn
    ends: dict[str, Pair]  # range end -> (lowest, highest) result


def sensitivity_title(f: Driver) -> str:
    """The driver that moves the result most, and the result it gives ("The CZK/USD rate moves
    Czechia's defense spending in 2035 most: USD 14.9–19.6 bn").
    """
    fmt = (lambda v: pct(v, 2)) if f.share else (lambda v: usd(v, 1))
    texts = {e: fmt(v) for e, v in f.ends.items()}
    # ``driver_lower``: the driver inside a sentence, for a language that names it after the country
    lower = f.driver[:1].lower() + f.driver[1:]
    words = {"driver": f.driver, "driver_lower": lower, "country": f.country, "year": f.year}
    if len(set(texts.values())) == 1 or not {"low", "high"} <= set(texts):
        result = next(iter(texts.values()))
        if f.share:
            template = _("{driver} moves {country}'s defense share of GDP in {year} most: {result}")
            return template.format(result=result, **words)
        return _("{driver} moves {country}'s defense spending in {year} most: {result}").format(result=result, **words)
    both = {"low": texts["low"], "high": texts["high"]}
    if f.share:
        return _(
            "{driver} moves {country}'s defense share of GDP in {year} most: {high} at the high end of the range, "
            "{low} at the low end"
        ).format(**both, **words)
    return _(
        "{driver} moves {country}'s defense spending in {year} most: {high} at the high end of the range, "
        "{low} at the low end"
    ).format(**both, **words)


def sensitivity_facts(parts: dict[str, pd.DataFrame], s: Scenario, year: int, share: bool) -> Driver:
    """The ``Driver`` from the sensitivity's rows per range end (``budget.charts.sensitivity.by_end``):
    the driver with the widest move of the end-year result (columns 0 and 2) at any end.
    """
    widths: dict[str, float] = {}
    for part in parts.values():
        for label, row in part.iterrows():
            width = abs(as_float(row.iloc[2]) - as_float(row.iloc[0]))
            if known(width):
                widths[str(label)] = max(widths.get(str(label), 0.0), width)
    best = max(widths, key=lambda k: (widths[k], k)) if widths else ""
    ends = {}
    for end, part in parts.items():
        if best in part.index:
            values = sorted(as_float(part.at[best, c]) for c in part.columns[[0, 2]])
            ends[end] = (values[0], values[1])
    return Driver(_(s.data.name), driver_name(best, s.data.currency), year, share, ends)
