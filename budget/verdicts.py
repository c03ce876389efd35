"""Verdicts: the sentences and table rows that compare a scenario with the lines that bind it.

Every figure says what it compares with (a line's level, or the path to it, which is our
assumption), what it counts (core, or core + resilience) and both ends of a range. The words
"above" and "short of" come from the sign of one number, share minus reference, never from a
separate test, so a sentence cannot contradict its table.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from budget.formats import as_float, num, span
from budget.history import load_sources
from budget.pledges import Line, lines_for, path_label, path_start
from budget.scenario import Scenario

if TYPE_CHECKING:
    import pandas as pd

NBSP = "\u00a0"


def versus(low: float, high: float, unit: str, digits: int = 2) -> str:
    """Words for a difference (share minus reference) at both ends of a range.

    >>> versus(0.55, 0.9, "points")
    '0.55-0.90 points above'
    >>> versus(-0.3, -0.1, "points")
    '0.10-0.30 points short of'
    >>> versus(-0.2, 0.3, "points")
    'between 0.20 points short of and 0.30 points above'
    >>> versus(0.0, 0.0, "points")
    'exactly at'
    """
    lo, hi = sorted((low, high))
    eps = 0.5 * 10**-digits
    if abs(lo) < eps and abs(hi) < eps:
        return "exactly at"
    if lo >= -eps:
        return f"{span(lo, hi, digits)} {unit} above"
    if hi <= eps:
        return f"{span(-hi, -lo, digits)} {unit} short of"
    return f"between {num(-lo, digits)} {unit} short of and {num(hi, digits)} {unit} above"


def _at(g: pd.DataFrame, line: Line, year: int, column: str) -> tuple[float, float]:
    rows = g[(g["line"] == line.id) & (g["year"] == year)].set_index("end")[column]
    return float(rows.get("low", math.nan)), float(rows.get("high", math.nan))


def _resilience_known(s: Scenario) -> str:
    """The last resilience share in the country's data, with year, status and source, or ""."""
    c = s.data
    rows = [r for r in c.rows if r.indicator == "resilience_pct_gdp" and not math.isnan(r.value)]
    if not rows:
        return ""
    r = max(rows, key=lambda r: r.year)
    src = load_sources()[r.source_id]
    return (
        f" The last figure in the data is {r.value:.2f} % of GDP ({r.year}, {r.status}; {src.short or src.publisher})."
    )


def line_sentences(s: Scenario, g: pd.DataFrame, df: pd.DataFrame) -> list[str]:
    """Bullets: each binding line against its level and its path, with both range ends."""
    c = s.data
    t0, end = c.last_data_year, s.end_year
    years = sorted(set(g["year"]))
    out: list[str] = []
    for line in lines_for(c):
        year = line.year if line.year in years else end if line.year <= t0 else None
        name = line.label
        met = g.loc[g["line"] == line.id, ["end", "met_from"]].drop_duplicates().set_index("end")["met_from"]
        if line.compares_with == "total" and s.resilience is None:
            at = line.year if line.year in years else end
            core = as_float(df.loc[at, "defense_pct_gdp_low"]), as_float(df.loc[at, "defense_pct_gdp_high"])
            need = _at(g, line, at, "resilience_needed_pct_gdp")
            out.append(
                f"- **{name}:** this scenario does not model resilience spending, so it states no "
                f"gap to the total. Core defense is {span(*core, 2)} % of GDP in {at}: the "
                f"{line.level_pct_gdp:g} % total is met with resilience spending of at least "
                f"**{span(*need, 2)} % of GDP**.{_resilience_known(s)}"
            )
            continue
        if year is None:
            out.append(f"- **{name}:** the projection ends in {end}, before the line's year {line.year}.")
            continue
        share = _at(g, line, year, "share_pct_gdp")
        if math.isnan(share[0]) and math.isnan(share[1]):
            out.append(f"- **{name}:** the path stops before {year}: no comparison.")
            continue
        what = "core + resilience" if line.compares_with == "total" else "core defense"
        level = _at(g, line, year, "share_minus_level_pct_points")
        money = _at(g, line, year, "spending_minus_level_usd_bn")
        text = (
            f"- **{name}:** in {year} the plan's {what} is {span(*share, 2)} % of GDP, "
            f"**{versus(*level, 'points')} the {line.level_pct_gdp:g} % level** "
            + (
                f"(USD {versus(*money, 'bn', 1).replace(' bn', f'{NBSP}bn', 2)})."
                if versus(*money, "bn", 1) != "exactly at"
                else "(exactly, in money too)."
            )
        )
        mid = 2030 if line.year > 2030 and 2030 in years and path_start(c, line) is not None else None
        if mid is not None:
            pct = _at(g, line, mid, "share_pct_gdp")
            path = _at(g, line, mid, "path_pct_gdp")[1]
            diff = _at(g, line, mid, "share_minus_path_pct_points")
            mid_level = _at(g, line, mid, "share_minus_level_pct_points")
            text += (
                f" In {mid} it is {span(*pct, 2)} % of GDP: {versus(*mid_level, 'points')} the "
                f"{line.level_pct_gdp:g} % level, and {versus(*diff, 'points')} a {path_label(c, line)} "
                f"({path:.2f} % in {mid}; the path reaches the level in {line.year})."
            )
        low, high = (None if pd_isna(met.get(e)) else int(met[e]) for e in ("low", "high"))
        if low == high:
            text += (
                f" It meets the level from {low} on" + (" (history counts)." if low <= t0 else ".")
                if low is not None
                else f" It does not meet the level by {end}."
            )
        else:
            text += (
                " "
                + "; ".join(
                    f"at the {e} end it {f'meets the level from {y} on' if y else f'does not meet it by {end}'}"
                    for e, y in (("low", low), ("high", high))
                ).capitalize()
                + "."
            )
        out.append(text)
    return out


def pd_isna(value: object) -> bool:
    """True for None, NaN or pandas' NA."""
    if value is None or str(value) in ("<NA>", "nan", "NaT"):
        return True
    return isinstance(value, float) and math.isnan(value)


def met_cell(low: object, high: object, end: int, known: bool = True) -> str:
    """A table cell for "meets the level from": one year, or each end's, low first.

    >>> met_cell(2031, 2031, 2035), met_cell(2034, 2031, 2035), met_cell(None, 2033, 2035)
    ('2031', '2034 (low) / 2031 (high)', 'not by 2035 (low) / 2033 (high)')
    """
    if not known:
        return "n/a"
    lo, hi = (f"not by {end}" if pd_isna(v) else str(int(v)) for v in (low, high))  # type: ignore[call-overload]
    return lo if lo == hi else f"{lo} (low) / {hi} (high)"
