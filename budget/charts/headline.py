"""Headlines: the finding a chart's title states, computed from the numbers the chart draws.

Two pure steps. ``*_facts`` read what a title needs from the frames the chart draws (the ledger
of ``budget.ledger.gaps``, the projection); ``*_title`` put it in words. The fan's and the
sensitivity's are in ``budget.charts.uncertainty_headline``, the alliance charts' in
``budget.charts.alliance_headline``; the words shared by all are here. Each sentence is whole,
with named placeholders, and passes through the translation hook ``_`` (``budget.i18n``). Each
says what it compares with: a line's **level** (the path to it is our assumption: drawn, never
headlined), core or core + resilience, and both ends of a range where they differ. "would":
every finding holds in its scenario, not as a forecast.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from budget.formats import as_float
from budget.i18n import _, language, money, num
from budget.pledges import Line, lines_for
from budget.scenario import Scenario

ENDS = ("low", "high")
Pair = tuple[float, float]  # (low end, high end)
NBSP, DASH = "\u00a0", "\u2013"


# --- Words shared by every headline ------------------------------------------------------------


def line_name(line: Line) -> str:
    """A line's name in a sentence: its short label in the current language ("NATO 3.5 % core",
    "NATO 5 % total"), with a no-break space before "%".
    """
    return _(line.short_label).replace(" %", f"{NBSP}%")


def span(values: Pair, digits: int) -> str:
    """Both ends of a range formatted with ``digits`` decimals: ``23.0–25.0``, or ``24.0``."""
    finite = sorted(v for v in values if known(v))
    if not finite:
        return num(float("nan"))
    lo, hi = num(finite[0], digits), num(finite[-1], digits)
    return lo if lo == hi else f"{lo}{DASH}{hi}"


def usd(values: Pair, digits: int = 1) -> str:
    """A range in USD billion: ``USD 23.0–25.0 bn``; in Czech with no-break spaces (``23,0–25,0
    mld. USD`` is never split across lines, as Czech typesetting requires).
    """
    text = money(span(values, digits), "USD")
    return text.replace(" ", NBSP) if language() == "cs" else text


def pct(values: Pair, digits: int = 2) -> str:
    """A range in % of GDP: ``4.05–4.40 %``."""
    return f"{span(values, digits)}{NBSP}%"


def side(diff: Pair, digits: int) -> str:
    """Which side of a reference both ends are on, from the sign of one number (share minus
    reference), as ``budget.verdicts.versus`` decides it: ``above``, ``short``, ``at`` or ``mixed``.
    """
    lo, hi = sorted(diff)
    eps = 0.5 * 10**-digits
    if abs(lo) < eps and abs(hi) < eps:
        return "at"
    return "above" if lo >= -eps else "short" if hi <= eps else "mixed"


def known(x: object) -> bool:
    """True where ``x`` is a finite number."""
    try:
        return math.isfinite(float(x))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def _year(x: object) -> int | None:
    return int(x) if known(x) else None  # type: ignore[call-overload]


# --- Spending and share of GDP -------------------------------------------------------------------


def headline_line(s: Scenario) -> Line | None:
    """The line a title compares with: the highest that binds the country and that the scenario
    can be compared with (core; core + resilience only where it models resilience).
    """
    usable = [ln for ln in lines_for(s.data) if ln.compares_with == "core" or s.resilience is not None]
    return usable[-1] if usable else None


@dataclass(frozen=True)
class Level:
    """What the level charts' titles say: the headline line in ``year`` (its year, or the end year
    once it has passed), at the low and the high end. Money in USD bn at current prices.
    """

    country: str  # the country's name in the current language
    line: str  # ``line_name``, "" where no line binds the country
    total: bool  # the line counts core + resilience
    year: int
    t0: int
    end: int
    met: tuple[int | None, int | None]  # the ledger's ``met_from``
    share: Pair  # share of GDP the line compares with, in ``year``
    spending: Pair  # the same in money
    minus_level: Pair  # spending minus the level, USD bn (the ledger's)


def ends(get: Callable[[str], object]) -> Pair:
    """``get(end)`` at the low and the high end, as floats."""
    return as_float(get("low")), as_float(get("high"))


def level_facts(s: Scenario, df: pd.DataFrame, ledger: pd.DataFrame) -> Level:
    """The ``Level`` of scenario ``s`` from its projection ``df`` and ledger (``budget.gaps``)."""
    line, t0, end = headline_line(s), s.data.last_data_year, s.end_year
    if line is None:
        share = ends(lambda e: df.at[end, f"defense_pct_gdp_{e}"])
        spent = ends(lambda e: df.at[end, f"defense_usd_bn_{e}"])
        return Level(_(s.data.name), "", False, end, t0, end, (None, None), share, spent, (math.nan, math.nan))
    rows = ledger[ledger["line"] == line.id]
    year = line.year if line.year in set(rows["year"]) else end
    at = rows[rows["year"] == year].set_index("end")
    total = line.compares_with == "total"
    extra = as_float(df.at[year, "resilience_usd_bn"]) if total else 0.0
    return Level(
        _(s.data.name),
        line_name(line),
        total,
        year,
        t0,
        end,
        (_year(at.at["low", "met_from"]), _year(at.at["high", "met_from"])),
        ends(lambda e: at.at[e, "share_pct_gdp"]),
        ends(lambda e: as_float(df.at[year, f"defense_usd_bn_{e}"]) + extra),
        ends(lambda e: at.at[e, "spending_minus_level_usd_bn"]),
    )


def share_title(f: Level) -> str:
    """When the share reaches the line's level ("Czechia would reach the NATO 3.5 % core level in
    2032"), at both ends of a range.
    """
    who = _("{country}'s defense and resilience spending").format(country=f.country) if f.total else f.country
    words = {"country": who, "line": f.line, "end": f.end}
    if not f.line:
        return _("{country}'s defense spending would be {share} of GDP in {year}").format(
            country=f.country, share=pct(f.share), year=f.year
        )
    low, high = f.met
    if low == high:
        if low is None:
            return _("{country} would stay below the {line} level through {end}").format(**words)
        if low <= f.t0:
            return _("{country} would stay at or above the {line} level every year to {end}").format(**words)
        return _("{country} would reach the {line} level in {year}").format(year=low, **words)
    if low is None:
        return _(
            "{country} would reach the {line} level in {year} at the high end of the range, "
            "but stay below it through {end} at the low end"
        ).format(year=high, **words)
    if high is None:
        return _(
            "{country} would reach the {line} level in {year} at the low end of the range, "
            "but stay below it through {end} at the high end"
        ).format(year=low, **words)
    return _(
        "{country} would reach the {line} level in {high} at the high end of the range and in {low} at the low end"
    ).format(high=high, low=low, **words)


def spending_title(f: Level) -> str:
    """The money in the line's year against the line's level ("Czechia would spend USD 17.0 bn on
    defense in 2035, USD 2.9 bn short of the NATO 3.5 % core level").
    """
    what = _("on defense and resilience") if f.total else _("on defense")
    words = {"country": f.country, "amount": usd(f.spending), "what": what, "year": f.year, "line": f.line}
    if not f.line:
        return _("{country} would spend {amount} {what} in {year}").format(**words)
    lo, hi = sorted(f.minus_level)
    where = side(f.minus_level, 1)
    if where == "at":
        return _("{country} would spend {amount} {what} in {year}, exactly the {line} level").format(**words)
    if where == "above":
        return _("{country} would spend {amount} {what} in {year}, {diff} above the {line} level").format(
            diff=usd((lo, hi)), **words
        )
    if where == "short":
        return _("{country} would spend {amount} {what} in {year}, {diff} short of the {line} level").format(
            diff=usd((-hi, -lo)), **words
        )
    return _(
        "{country} would spend {amount} {what} in {year}: between {short} short of and {above} above the {line} level"
    ).format(short=usd((-lo, -lo)), above=usd((hi, hi)), **words)


# --- Procurement -----------------------------------------------------------------------------------


def procurement_title(country: str, summed: Pair, start: int, last: int) -> str:
    """Major equipment summed over the projection ("Czechia would spend USD 27–34 bn on major
    equipment over 2026–2035"), the same numbers as the chart's summed panel.
    """
    return _("{country} would spend {amount} on major equipment over {start}–{end}").format(
        country=country, amount=usd(summed, 0), start=start, end=last
    )
