"""Editions of the shipped series: what changed between two, and which are older than a limit.

A line is one publisher's series in successive editions (``[editions]`` of ``defaults.toml``,
e.g. IMF WEO ``2025-10`` and ``2026-04``); every row of a country's ``series.csv`` names its
edition. ``diff`` compares two editions of one line value by value (``budget data diff``);
``stale`` says which editions behind a set of sources were published more than a number of days
before a date (``budget validate --max-age``), judging each by its publication date (the
``published`` column of ``sources.csv``), not the day it was read.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from budget.history import EditionError, Line, countries, lines, load_country, load_sources, series_rows

ABSENT = "-"  # a value an edition does not give (shown in place of a number)


@dataclass(frozen=True)
class Change:
    """One value that differs between edition ``a`` (old) and ``b`` (new); ``None``: not given."""

    country: str
    indicator: str
    year: int
    old: float | None
    new: float | None
    old_status: str = ""
    new_status: str = ""

    @property
    def difference(self) -> float | None:
        """New minus old, in the indicator's unit (``None`` unless both are given)."""
        return None if self.old is None or self.new is None else round(self.new - self.old, 10)


def line_of(edition: str) -> Line:
    """The line that ships ``edition``; ``EditionError`` listing every shipped edition otherwise."""
    for line in lines().values():
        if edition in line.editions:
            return line
    raise EditionError(edition, tuple(e for x in lines().values() for e in x.editions))


def published(edition: str) -> dt.date | None:
    """An edition's publication date: the latest ``published`` of the sources filed under it."""
    dates = [_date(s.published) for s in load_sources().values() if s.edition == edition]
    return max((d for d in dates if d is not None), default=None)


def _values(key: str, edition: str) -> dict[tuple[str, int], tuple[float | None, str, str]]:
    """``(indicator, year) -> (value or None, status, unit)`` of one country's rows of ``edition``."""
    rows = series_rows(load_country(key).folder)
    return {
        (r.indicator, r.year): (None if math.isnan(r.value) else r.value, r.status, r.unit)
        for r in rows
        if r.edition == edition
    }


def units(a: str, b: str, keys: Iterable[str] | None = None) -> dict[str, tuple[str, str]]:
    """Indicators whose unit differs between editions ``a`` and ``b`` (another basis) in the countries
    ``keys`` (default: all): ``(unit a, unit b)``.
    """
    found: dict[str, tuple[str, str]] = {}
    for key in countries() if keys is None else keys:
        ua = {i: u for (i, _), (_, _, u) in _values(key, a).items()}
        ub = {i: u for (i, _), (_, _, u) in _values(key, b).items()}
        found.update({i: (ua[i], ub[i]) for i in ua.keys() & ub.keys() if ua[i] != ub[i]})
    return dict(sorted(found.items()))


def diff(a: str, b: str, country: str | None = None) -> tuple[list[Change], list[str]]:
    """Every value that differs between editions ``a`` and ``b`` of one line, and the countries
    only one of them covers (their values are not listed).

    A value one edition gives and the other does not is a change with ``None`` on that side; so
    is an indicator renamed by a rebased deflator or a new currency (its old and new names each
    appear once). Raises ``EditionError`` for an edition not shipped and ``ValueError`` for two
    editions of different lines or an unknown ``country``.
    """
    la, lb = line_of(a), line_of(b)
    if la.key != lb.key:
        raise ValueError(f"{a!r} and {b!r} are editions of different series ({la.title}; {lb.title})")
    keys = countries()
    if country is not None and country not in keys:
        raise ValueError(f"{country!r} is not a shipped country; allowed: {', '.join(keys)}")
    out: list[Change] = []
    one_sided: list[str] = []
    for key in [country] if country else keys:
        old, new = _values(key, a), _values(key, b)
        if bool(old) != bool(new):
            one_sided.append(key)
            continue
        for indicator, year in sorted(old.keys() | new.keys()):
            va, sa, _ = old.get((indicator, year), (None, "", ""))
            vb, sb, _ = new.get((indicator, year), (None, "", ""))
            if va == vb and (sa == sb or not sa or not sb):
                continue
            out.append(Change(key, indicator, year, va, vb, sa, sb))
    return out, one_sided


def _number(value: float | None) -> str:
    return ABSENT if value is None else f"{value:.10g}"


def diff_lines(a: str, b: str, country: str | None = None) -> list[str]:
    """``diff`` as an aligned table: country, indicator, year, old, new, difference (and a changed status)."""
    changes, one_sided = diff(a, b, country)
    pa, pb = published(a), published(b)
    out = [f"{a} (published {pa or 'date not known'}) -> {b} (published {pb or 'date not known'})"]
    rows = [("country", "indicator", "year", a, b, "difference", "status")]
    for c in changes:
        status = f"{c.old_status} -> {c.new_status}" if "" != c.old_status != c.new_status != "" else ""
        diff_text = "" if c.difference is None else f"{c.difference:+.10g}"
        rows.append((c.country, c.indicator, str(c.year), _number(c.old), _number(c.new), diff_text, status))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    out += ["  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    count = "1 value differs" if len(changes) == 1 else f"{len(changes)} values differ"
    out.append(count + (f" ({ABSENT}: not in that edition)" if changes else ""))
    for indicator, (ua, ub) in units(a, b, None if country is None else [country]).items():
        out.append(f"{indicator}: another basis in each edition: {ua} ({a}); {ub} ({b})")
    if one_sided:
        out.append(
            f"in only one of the two editions, not compared: {', '.join(one_sided)}"
            + (f" ({len(one_sided)} countries)" if len(one_sided) > 1 else "")
        )
    return out


def _date(text: str) -> dt.date | None:
    """A publication date: ``YYYY-MM-DD``; ``YYYY-MM`` or ``YYYY`` count as the period's last day
    (an age is never overstated); ``None`` for text that is not a date.
    """
    text = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return dt.date.fromisoformat(text)
    if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
        year, month = int(m[1]), int(m[2])
        return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    if re.fullmatch(r"\d{4}", text):
        return dt.date(int(text), 12, 31)
    return None


def stale(source_ids: Iterable[str], max_age: int, today: dt.date) -> list[str]:
    """A warning for each edition behind ``source_ids`` published more than ``max_age`` days before
    ``today`` (sources of one edition are judged once, by the edition's date); a note for a source
    whose publication is not stated as a date. Names a newer shipped edition of the same line.
    """
    src = load_sources()
    out: list[str] = []
    seen: set[str] = set()
    for i in dict.fromkeys(source_ids):
        s = src[i]
        name = s.edition or i
        if name in seen:
            continue
        seen.add(name)
        date = published(s.edition) if s.edition else _date(s.published)
        if date is None:
            out.append(f"note: data source {i} ({s.publisher}, {s.title}): publication {s.published!r} is not a date")
            continue
        age = (today - date).days
        if age <= max_age:
            continue
        what = f"edition {s.edition}" if s.edition else f"data source {i}"
        text = (
            f"warning: {what} ({s.publisher}, {s.title}) was published on {date}, {age} days ago: "
            f"older than --max-age {max_age}"
        )
        newer = _newer(s.edition, date) if s.edition else []
        out.append(text + (f"; newer edition shipped: {', '.join(newer)}" if newer else "; check for a newer edition"))
    return out


def _newer(edition: str, date: dt.date) -> list[str]:
    """The editions of ``edition``'s line published after ``date``, with their dates."""
    found = []
    for e in line_of(edition).editions:
        d = published(e)
        if e != edition and d is not None and d > date:
            found.append(f"{e} (published {d})")
    return found
