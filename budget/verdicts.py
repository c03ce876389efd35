"""Verdicts: the sentences and table rows that compare a scenario with the lines that bind it.

Every figure says what it compares with (a line's level, or the path to it, which is our
assumption), what it counts (core, or core + resilience) and both ends of a range. The words
"above" and "short of" come from the sign of one number, share minus reference, never from a
separate test, so a sentence cannot contradict its table. Every sentence is one message in the
current language (``budget.i18n``), with the figures as named placeholders.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from budget.formats import as_float, num, span
from budget.history import load_sources
from budget.i18n import _, billions, money, pgettext, short
from budget.pledges import Line, lines_for, path_label, path_start
from budget.scenario import Scenario

if TYPE_CHECKING:
    import pandas as pd


def end_word(end: str) -> str:
    """A range end (``low``, ``high``) as a table cell in the current language."""
    words = {"low": pgettext("range end", "low"), "high": pgettext("range end", "high")}
    return words.get(end, end)


def status_word(status: str) -> str:
    """A figure's status (``actual``, ``estimate``, ``projection``, ``assumption``) in words."""
    words = {
        "actual": pgettext("status", "actual"),
        "estimate": pgettext("status", "estimate"),
        "projection": pgettext("status", "projection"),
        "assumption": pgettext("status", "assumption"),
    }
    return words.get(status, status)


def unit_words(unit: str, code: str) -> str:
    """A target's or claim's unit (``usd_bn``, ``<cur>_bn``, ``pct_gdp``) in words: ``USD bn``,
    ``CZK bn``, ``% of GDP`` (``mld. USD``, ``mld. Kč``, ``% HDP`` in Czech); ``code`` is the
    country's currency.
    """
    if unit == "pct_gdp":
        return _("% of GDP")
    return billions("USD" if unit == "usd_bn" else code)


def in_unit(amount: str, unit: str, code: str) -> str:
    """A formatted amount with its unit in words: money as ``money`` writes it, a share followed by
    ``unit_words``.

    >>> in_unit("15", "usd_bn", "CZK"), in_unit("3", "pct_gdp", "CZK"), in_unit("400", "czk_bn", "CZK")
    ('USD 15 bn', '3 % of GDP', 'CZK 400 bn')
    """
    if unit == "usd_bn":
        return money(amount, "USD")
    if unit == f"{code.lower()}_bn":
        return money(amount, code)
    return _("{amount} {unit}").format(amount=amount, unit=unit_words(unit, code))


def versus(low: float, high: float, unit: str = "points", digits: int = 2, ref: str = "") -> str:
    """Words for a difference in points of GDP (share minus ``ref``, the reference named as a noun
    phrase) at both ends of a range; ``unit`` is ``points`` (kept for callers that name it).

    >>> versus(0.55, 0.9, "points", ref="the 3.5 % level")
    '0.55-0.90 points above the 3.5 % level'
    >>> versus(-0.3, -0.1, "points")
    '0.10-0.30 points short of'
    >>> versus(-0.2, 0.3, "points")
    'between 0.20 points short of and 0.30 points above'
    >>> versus(0.0, 0.0, "points")
    'exactly at'
    """
    if unit != "points":
        raise ValueError(f"unit: expected 'points', got {unit!r} (money: versus_money)")
    lo, hi = sorted((low, high))
    eps = 0.5 * 10**-digits
    if abs(lo) < eps and abs(hi) < eps:
        text = _("exactly at {ref}").format(ref=ref)
    elif lo >= -eps:
        text = _("{diff} points above {ref}").format(diff=span(lo, hi, digits), ref=ref)
    elif hi <= eps:
        text = _("{diff} points short of {ref}").format(diff=span(-hi, -lo, digits), ref=ref)
    else:
        text = _("between {short} points short of and {above} points above {ref}").format(
            short=num(-lo, digits), above=num(hi, digits), ref=ref
        )
    return text.strip()


def versus_money(low: float, high: float, code: str = "USD", digits: int = 1) -> str:
    """The same difference in money (billions of ``code``), in parentheses.

    >>> versus_money(11.6, 13.6), versus_money(-1.0, -0.5), versus_money(0.01, -0.01)
    ('(USD 11.6-13.6 bn above)', '(USD 0.5-1.0 bn short)', '(exactly, in money too)')
    """
    lo, hi = sorted((low, high))
    eps = 0.5 * 10**-digits
    if abs(lo) < eps and abs(hi) < eps:
        return _("(exactly, in money too)")
    if lo >= -eps:
        return _("({amount} above)").format(amount=money(span(lo, hi, digits), code))
    if hi <= eps:
        return _("({amount} short)").format(amount=money(span(-hi, -lo, digits), code))
    return _("(between {short} short and {above} above)").format(
        short=money(num(-lo, digits), code), above=money(num(hi, digits), code)
    )


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
    return _("The last figure in the data is {share} % of GDP ({year}, {status}; {source}).").format(
        share=num(r.value, 2), year=r.year, status=status_word(r.status), source=src.short or src.publisher
    )


def _no_resilience(s: Scenario, g: pd.DataFrame, df: pd.DataFrame, line: Line, at: int) -> str:
    """A total line where the scenario does not model resilience: the resilience share it needs."""
    core = as_float(df.loc[at, "defense_pct_gdp_low"]), as_float(df.loc[at, "defense_pct_gdp_high"])
    need = _at(g, line, at, "resilience_needed_pct_gdp")
    text = _(
        "**{name}:** this scenario does not model resilience spending, so it states no gap to the total. "
        "Core defense is {core} % of GDP in {year}: the {level} % total is met with resilience spending of "
        "at least **{need} % of GDP**."
    ).format(name=_(line.label), core=span(*core, 2), year=at, level=short(line.level_pct_gdp), need=span(*need, 2))
    known = _resilience_known(s)
    return f"{text} {known}" if known else text


def _met(low: int | None, high: int | None, t0: int, end: int) -> str:
    """The sentence on the first year of meeting the level for good, at each end of the range."""
    if low == high:
        if low is None:
            return _("It does not meet the level by {end}.").format(end=end)
        if low <= t0:
            return _("It meets the level from {year} on (history counts).").format(year=low)
        return _("It meets the level from {year} on.").format(year=low)
    if low is None:
        return _(
            "At the low end it does not meet it by {end}; at the high end it meets the level from {high} on."
        ).format(end=end, high=high)
    if high is None:
        return _(
            "At the low end it meets the level from {low} on; at the high end it does not meet it by {end}."
        ).format(low=low, end=end)
    return _(
        "At the low end it meets the level from {low} on; at the high end it meets the level from {high} on."
    ).format(low=low, high=high)


def line_sentences(s: Scenario, g: pd.DataFrame, df: pd.DataFrame) -> list[str]:
    """Bullets: each binding line against its level and its path, with both range ends."""
    c = s.data
    t0, end = c.last_data_year, s.end_year
    years = sorted(set(g["year"]))
    out: list[str] = []
    for line in lines_for(c):
        year = line.year if line.year in years else end if line.year <= t0 else None
        name = _(line.label)
        met = g.loc[g["line"] == line.id, ["end", "met_from"]].drop_duplicates().set_index("end")["met_from"]
        if line.compares_with == "total" and s.resilience is None:
            out.append("- " + _no_resilience(s, g, df, line, line.year if line.year in years else end))
            continue
        if year is None:
            out.append(
                "- "
                + _("**{name}:** the projection ends in {end}, before the line's year {year}.").format(
                    name=name, end=end, year=line.year
                )
            )
            continue
        share = _at(g, line, year, "share_pct_gdp")
        if math.isnan(share[0]) and math.isnan(share[1]):
            out.append(
                "- " + _("**{name}:** the path stops before {year}: no comparison.").format(name=name, year=year)
            )
            continue
        level = _("the {level} % level").format(level=short(line.level_pct_gdp))
        figures = {
            "name": name,
            "year": year,
            "share": span(*share, 2),
            "versus": versus(*_at(g, line, year, "share_minus_level_pct_points"), ref=level),
            "money": versus_money(*_at(g, line, year, "spending_minus_level_usd_bn")),
        }
        if line.compares_with == "total":
            text = [_("**{name}:** in {year} the plan's core + resilience is {share} % of GDP, **{versus}** {money}.")]
        else:
            text = [_("**{name}:** in {year} the plan's core defense is {share} % of GDP, **{versus}** {money}.")]
        text[0] = text[0].format(**figures)
        mid = 2030 if line.year > 2030 and 2030 in years and path_start(c, line) is not None else None
        if mid is not None:
            path = _("a {path}").format(path=path_label(c, line))
            text.append(
                _(
                    "In {year} it is {share} % of GDP: {level}, and {path} ({path_share} % in {year}; "
                    "the path reaches the level in {line_year})."
                ).format(
                    year=mid,
                    share=span(*_at(g, line, mid, "share_pct_gdp"), 2),
                    level=versus(*_at(g, line, mid, "share_minus_level_pct_points"), ref=level),
                    path=versus(*_at(g, line, mid, "share_minus_path_pct_points"), ref=path),
                    path_share=num(_at(g, line, mid, "path_pct_gdp")[1], 2),
                    line_year=line.year,
                )
            )
        low, high = (None if pd_isna(met.get(e)) else int(met[e]) for e in ("low", "high"))
        text.append(_met(low, high, t0, end))
        out.append("- " + " ".join(text))
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
        return _("n/a")
    lo, hi = (_("not by {year}").format(year=end) if pd_isna(v) else str(int(v)) for v in (low, high))  # type: ignore[call-overload]
    return lo if lo == hi else _("{low} (low) / {high} (high)").format(low=lo, high=hi)
