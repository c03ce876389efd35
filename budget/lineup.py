"""Lineup: the scenarios of one country in the comparison's order, the few it highlights, the unit
it is drawn in and the finding its title states.

- **Unit** (``UNITS``): ``pct_gdp`` (% of GDP, the default: how NATO and national plans state
  their levels, and comparable across scenarios that assume different economies), ``usd`` (USD
  bn, current prices) or ``local`` (the data's currency, bn, current prices).
- **Order**: by the level in ``level_year`` (2035, or the last year every scenario covers when
  one ends earlier), highest first, on central paths (the high end of a range target); a
  scenario without a value there comes last; ties by title and name.
- **Highlight**: the names asked for (``--highlight``), else every scenario when there are at
  most ``HIGHLIGHT`` of them, else ``HIGHLIGHT`` spread evenly over the order, the highest and
  the lowest always among them.
- **Finding**: in % of GDP, how many scenarios reach the highest core line still ahead (e.g.
  NATO's 3.5 % core level by 2035) on their central path; in money, or without such a line,
  the range of the levels.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import pandas as pd

from budget.i18n import _, language, money, num, pct
from budget.pledges import Line, lines_for
from budget.scenario import Scenario, ScenarioError

Projections = dict[str, tuple[Scenario, pd.DataFrame]]

UNITS = ("pct_gdp", "usd", "local")
DEFAULT_UNIT = "pct_gdp"
YEAR = 2035  # the year the scenarios are ranked by, where all of them reach it
HIGHLIGHT = 4  # scenarios highlighted when none are asked for: one per colour (budget.charts.colors)


def column(unit: str, cur: str) -> str:
    """The projection's column of defense spending in ``unit`` (``cur``: the data's currency code)."""
    if unit not in UNITS:
        raise ValueError(f"unit {unit!r} is not one of {', '.join(UNITS)}")
    return {"pct_gdp": "defense_pct_gdp", "usd": "defense_usd_bn", "local": f"defense_{cur}_bn"}[unit]


def level_year(projections: Projections) -> int:
    """The year the scenarios are ranked by: ``YEAR``, or the earliest end year if one ends before."""
    return min([YEAR, *(s.end_year for s, _ in projections.values())])


def levels(projections: Projections, unit: str, end: str = "") -> dict[str, float]:
    """Each scenario's central level in ``level_year``, in ``unit`` (NaN where it has none); with
    ``end`` (``low`` or ``high``) that end of its range.
    """
    year = level_year(projections)
    out = {}
    for name, (s, df) in projections.items():
        value = df[column(unit, s.data.cur) + (f"_{end}" if end else "")].get(year, math.nan)
        out[name] = float(value) if pd.notna(value) and math.isfinite(float(value)) else math.nan
    return out


def ranked(projections: Projections, unit: str = DEFAULT_UNIT) -> list[str]:
    """The names, highest level in ``level_year`` first; no value last; ties by title, then name."""
    value = levels(projections, unit)

    def key(name: str) -> tuple[bool, float, str, str]:
        v = value[name]
        return (math.isnan(v), -v if not math.isnan(v) else 0.0, projections[name][0].title, name)

    return sorted(projections, key=key)


def default_highlight(order: Sequence[str], most: int = HIGHLIGHT) -> list[str]:
    """Every name when there are at most ``most``, else ``most`` spread evenly over ``order``,
    the first and the last among them.

    >>> default_highlight(list("abcdefgh"))
    ['a', 'c', 'f', 'h']
    """
    if len(order) <= most:
        return list(order)
    step = (len(order) - 1) / (most - 1)
    return [order[i] for i in sorted({math.floor(k * step + 0.5) for k in range(most)})]


def check_highlight(names: Iterable[str], highlight: Iterable[str], option: str = "--highlight") -> list[str]:
    """``highlight`` as a list, checked: every name must be one of ``names``; else ``ScenarioError``."""
    known = list(names)
    asked = list(dict.fromkeys(highlight))
    if unknown := [n for n in asked if n not in known]:
        raise ScenarioError(
            [
                (
                    option,
                    "",
                    f"no scenario named {', '.join(map(repr, unknown))} in this run; allowed: {', '.join(known)}",
                )
            ]
        )
    return asked


def amount(value: float, unit: str, currency: str) -> str:
    """A level as a reader reads it: ``3.5 %``, ``USD 24.0 bn``, ``CZK 540 bn``."""
    if unit == "pct_gdp":
        return pct(value, 1)
    return money(num(value, 1 if unit == "usd" else 0), "USD" if unit == "usd" else currency)


def amount_range(low: float, high: float, unit: str, currency: str) -> str:
    """Both ends of a range as a reader reads them (``4.0–4.4 %``, ``USD 23.0–25.0 bn``), or one
    amount where they read the same.
    """
    if math.isnan(low) or amount(low, unit, currency) == amount(high, unit, currency):
        return amount(high, unit, currency)
    if unit == "pct_gdp":
        return f"{num(low, 1)}\u2013{pct(high, 1)}"
    digits = 1 if unit == "usd" else 0
    return money(f"{num(low, digits)}\u2013{num(high, digits)}", "USD" if unit == "usd" else currency)


def target_line(projections: Projections) -> Line | None:
    """The highest core line still ahead that every scenario's path reaches the year of, or None."""
    s0 = next(iter(projections.values()))[0]
    end = min(s.end_year for s, _ in projections.values())
    ahead = [ln for ln in lines_for(s0.data) if ln.compares_with == "core" and s0.data.last_data_year < ln.year <= end]
    return max(ahead, key=lambda ln: (ln.level_pct_gdp, ln.year), default=None)


def reaches(df: pd.DataFrame, line: Line) -> bool:
    """True where the share of GDP is at the line's level (to 0.01 points) in its year at both ends
    of the scenario's range (its low end too), so that "reaches" holds whichever end is quoted.
    """
    values = [df[c].get(line.year, math.nan) for c in ("defense_pct_gdp_low", "defense_pct_gdp_high")]
    return all(pd.notna(v) and round(float(v), 2) >= line.level_pct_gdp for v in values)


def _count(n: int) -> str:
    words = [
        _("none"),
        _("one"),
        _("two"),
        _("three"),
        _("four"),
        _("five"),
        _("six"),
        _("seven"),
        _("eight"),
        _("nine"),
        _("ten"),
    ]
    return words[n] if n < len(words) else num(n, 0)


def finding(projections: Projections, unit: str = DEFAULT_UNIT) -> str:
    """The comparison's title: what the numbers say, as one sentence.

    In % of GDP: "Five of eight scenarios for Czechia reach the NATO 3.5 % core level by 2035".
    In money, or without a line ahead: "In 2035 the eight scenarios for Czechia range from USD
    11.4 bn to USD 25.0 bn".
    """
    s0 = next(iter(projections.values()))[0]
    n, country = len(projections), _(s0.data.name)
    line = target_line(projections) if unit == "pct_gdp" else None  # a title the chart shows
    if line is None:
        value = {k: v for k, v in levels(projections, unit).items() if not math.isnan(v)}
        if not value:
            return _("Defense spending of {country}: {n} scenarios compared").format(country=country, n=_count(n))
        low, high = (amount(f(value.values()), unit, s0.data.currency) for f in (min, max))
        if language() == "cs":  # an amount is never split across lines, as Czech typesetting requires
            low, high = low.replace(" ", "\u00a0"), high.replace(" ", "\u00a0")
        if n == 1:
            return _("In {year} the scenario for {country} reaches {high}").format(
                year=level_year(projections), country=country, high=high
            )
        return _("In {year} the {n} scenarios for {country} range from {low} to {high}").format(
            year=level_year(projections), n=_count(n), country=country, low=low, high=high
        )
    k = sum(reaches(df, line) for _s, df in projections.values())
    what = {"line": _(line.short_label).replace(" %", "\u00a0%"), "year": line.year, "country": country}
    if n == 1:
        text = (
            _("The scenario for {country} reaches the {line} level by {year}")
            if k
            else _("The scenario for {country} does not reach the {line} level by {year}")
        )
    elif k == n == 2:
        text = _("Both scenarios for {country} reach the {line} level by {year}")
    elif k == n:
        text = _("All {n} scenarios for {country} reach the {line} level by {year}")
    elif k == 0 and n == 2:
        text = _("Neither scenario for {country} reaches the {line} level by {year}")
    elif k == 0:
        text = _("None of the {n} scenarios for {country} reaches the {line} level by {year}")
    elif k == 1:
        text = _("One of {n} scenarios for {country} reaches the {line} level by {year}")
    else:
        text = _("{k} of {n} scenarios for {country} reach the {line} level by {year}")
    sentence = text.format(k=_count(k), n=_count(n), **what)
    return sentence[:1].upper() + sentence[1:]
