"""Helpers the alliance charts share: member names, the lines that bind every member, the
rules in words, the source note, a figure of any height.

Nothing here names a country or a level: names come from ``country.toml``, levels and their
labels from ``budget.pledges.lines_for`` (``Line.short_label``), sources from ``sources.csv``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
from matplotlib.figure import Figure

from budget import __version__
from budget.aggregate import Alliance, Member, data_sources
from budget.charts import alliance_headline, lines
from budget.charts.frame import SETTINGS_LINES, short_source
from budget.charts.headline import line_name
from budget.charts.style import (
    DPI,
    ELLIPSIS,
    GREY,
    INK,
    LINE_WIDTH,
    NOTE_LINES,
    NOTE_SIZE,
    SUBTITLE_SIZE,
    TITLE_SIZE,
    P,
    fit,
    percent,
    shorten,
)
from budget.charts.words import plan_cited
from budget.formats import as_float
from budget.history import load_country
from budget.i18n import _, short
from budget.pledges import Line, lines_for

LABEL_SIZE = 8.5  # country names and line labels
ROW = 0.235  # inches per member in the ranked chart
TITLE_LINE = 0.25  # inches an extra title line takes (18 pt), as in ``budget.charts.frame.figure``
LIGHT_BLUE = "#9cc3de"  # BLUE, lightened: a member whose last figure is older than the others'


# --- Shared by the alliance charts --------------------------------------------------------------


def country_name(key: str) -> str:
    """A member's name as the data spell it, in the current language ("Czechia", "Česko")."""
    return _(load_country(key).name)


def by_name(key: str) -> tuple[str, str]:
    """A sort key: the member's name in the current language, its letters without accents first
    (so that "Česko" sorts among the C's), then as written.
    """
    name = country_name(key)
    plain = "".join(ch for ch in unicodedata.normalize("NFD", name) if not unicodedata.combining(ch))
    return plain.casefold(), name


def common_refs(keys: Sequence[str]) -> list[lines.Ref]:
    """The lines that bind every one of ``keys``, lowest level first, colored as the charts color
    them: grey once a line's year has passed for every member, else by position among the lines
    still ahead that count the same (core, or core + resilience).
    """
    if not keys:
        return []
    shared = set.intersection(*({ln.id for ln in lines_for(load_country(k))} for k in keys))
    t0 = min(load_country(k).last_data_year for k in keys)
    counts = {"core": 0, "total": 0}
    out = []
    for r in lines.refs(load_country(keys[0])):
        if r.line.id not in shared:
            continue
        color = GREY
        if r.line.year > t0:
            palette = lines.TOTAL_COLORS if r.line.compares_with == "total" else lines.CORE_COLORS
            color = palette[counts[r.line.compares_with] % len(palette)]
            counts[r.line.compares_with] += 1
        out.append(replace(r, color=color))
    return out


def core_refs(keys: Sequence[str]) -> list[lines.Ref]:
    """The common lines that count core defense alone (comparable with the members' shares)."""
    return [r for r in common_refs(keys) if r.line.compares_with == "core"]


def ref_label(ref: lines.Ref) -> str:
    """A line's short label in the current language, with a no-break space before "%"; a total line
    says what it counts.
    """
    text = line_name(ref.line)
    return text if ref.line.compares_with == "core" else _("{line} (core defense + resilience)").format(line=text)


def at(m: Member, values: np.ndarray, year: int) -> float:
    """``values`` (on the member's year grid) in ``year``; NaN off the grid."""
    idx = np.flatnonzero(m.years == year)
    return float(values[idx[0]]) if len(idx) else float("nan")


def _rule_line(key: str, line_id: str) -> Line | None:
    return next((ln for ln in lines_for(load_country(key)) if ln.id == line_id), None)


def uses_paths(a: Alliance, keys: Sequence[str]) -> bool:
    """True where any of ``keys`` follows a straight path (our assumption)."""
    return any(a.rules[k].kind == "path" for k in keys)


def rules_text(a: Alliance, keys: Sequence[str], flag: bool = True) -> str:
    """The members' rules in words, grouped: "every member: straight path in share of GDP from the
    last data year to NATO 3.5 % core by 2035, then held (our assumption)" (``flag``: say so).
    """
    texts: dict[str, list[str]] = {}
    for k in keys:
        r = a.rules[k]
        if r.kind == "path":
            line = _rule_line(k, r.line) if r.line else None
            to = line_name(line) if line else _("{share} of GDP").format(share=f"{short(as_float(r.level_pct_gdp))}{P}")
            text = (
                _(
                    "straight path in share of GDP from the last data year to {level} by {year}, then held "
                    "(our assumption)"
                )
                if flag
                else _("straight path in share of GDP from the last data year to {level} by {year}, then held")
            ).format(level=to, year=r.year)
        elif r.kind == "plan":
            text = _("national plan (both ends of its range)")
        else:
            text = _("last data year's share of GDP held")
        texts.setdefault(text, []).append(k)
    parts = []
    for text, ks in texts.items():
        if len(ks) == len(keys):
            who = _("every member") if len(keys) > 1 else country_name(ks[0])
        elif len(ks) <= 3:
            who = ", ".join(country_name(k) for k in ks)
        else:
            who = _("{n} members").format(n=len(ks))
        parts.append(_("{members}: {rule}").format(members=who, rule=text))
    return "; ".join(parts)


def alliance_note(a: Alliance, keys: Sequence[str], refs: Sequence[lines.Ref] = (), settings: str = "") -> str:
    """The note of an alliance chart: the chart's ``settings`` (how to read it, the members' rules;
    at most ``SETTINGS_LINES`` lines), then the members' data sources (short names, editions of
    one publication together), the lines' sources, plan sources, who is left out, package version
    (at most ``NOTE_LINES`` lines across the figure).
    """
    editions: dict[str, list[str]] = {}
    for text in dict.fromkeys(short_source(i) for k in keys for i in data_sources(k)):
        name, _sep, edition = text.partition(" (")
        editions.setdefault(name, []).append(edition.rstrip(")"))
    data = []
    for name, eds in editions.items():
        named = [e for e in eds if e]
        more = ", ".join(named)
        data.append(name if not named else f"{name} ({'+ ' if '' in eds else ''}{more})")
    text = _("Sources: {data}.").format(data="; ".join(data))
    pledged = list(dict.fromkeys(short_source(i) for r in refs for i in r.line.sources))
    if pledged:
        text += " " + _("Lines: {sources}.").format(sources=", ".join(pledged))
    plans = [a.rules[k].plan for k in keys if a.rules[k].kind == "plan"]
    cited = dict.fromkeys(plan_cited(p.plan_source) for p in plans if p is not None)
    if cited := {c: None for c in cited if c}:
        plans_text = shorten("; ".join(cited), 120)
        text += " " + _("Plans: {plans}").format(plans=plans_text) + ("" if plans_text.endswith(ELLIPSIS) else ".")
    if uses_paths(a, keys):
        text += " " + _("Straight paths: own assumption.")
    if a.left_out:  # why, in the current language (``Alliance.left_out`` holds it in English)
        why = _("{country}: no defense share in the data (NATO publishes none)")
        text += " " + _("Left out: {members}.").format(
            members="; ".join(why.format(country=country_name(k)) for k in a.left_out)
        )
    tail = " " + _("Chart: budget {version}").format(version=__version__).replace(" ", "\u00a0")
    sources = fit(text, LINE_WIDTH, NOTE_SIZE, max_lines=NOTE_LINES, tail=tail)
    return f"{fit(settings, LINE_WIDTH, NOTE_SIZE, max_lines=SETTINGS_LINES)}\n{sources}" if settings else sources


def pct(v: float, _pos: object = None) -> str:
    """An axis tick in percent, in the current language: "3.5 %" / "3,5 %"."""
    return percent(v)


def sheet(
    title: str,
    subtitle: Sequence[str],
    note: str,
    height: float,
    nrows: int = 1,
    ncols: int = 1,
    above: float = 0.0,
    below: float = 0.0,
    **grid: float,
) -> tuple[Figure, np.ndarray]:
    """A 10 in wide figure ``height`` in tall laid out as ``budget.charts.frame.figure`` lays out
    its 10 x 6 in one (the same distances in inches): bold title, grey subtitle, source note,
    ``nrows`` x ``ncols`` axes between; ``above`` / ``below`` (inches) leave room over and under them.
    """
    fig = Figure(figsize=(10, height), dpi=DPI, facecolor="white")
    head = fit(title, LINE_WIDTH, TITLE_SIZE, "bold", max_lines=2)
    sub = "\n".join(fit(p, LINE_WIDTH, SUBTITLE_SIZE, max_lines=2 if i == 0 else 3) for i, p in enumerate(subtitle))
    extra = TITLE_LINE * head.count("\n")
    fig.text(0.015, 1 - 0.15 / height, head, fontsize=TITLE_SIZE, fontweight="bold", color=INK, va="top")
    fig.text(
        0.015, 1 - (0.468 + extra) / height, sub, fontsize=SUBTITLE_SIZE, color="#444444", va="top", linespacing=1.4
    )
    fig.text(0.015, 0.072 / height, note, fontsize=NOTE_SIZE, color=GREY, va="bottom", linespacing=1.3)
    top_in = 0.9 + extra + 0.198 * sub.count("\n") + above
    bottom_in = 0.84 + 0.132 * max(0, note.count("\n") - 1) + below
    layout = {"left": 0.075, "right": 0.97, "top": 1 - top_in / height, "bottom": bottom_in / height} | grid
    axes = fig.subplots(nrows, ncols, squeeze=False, gridspec_kw=layout)
    return fig, axes


def header_height(title: str, subtitle: Sequence[str]) -> float:
    """Inches the title and subtitle of ``sheet`` take above the axes (without ``above``)."""
    head = fit(title, LINE_WIDTH, TITLE_SIZE, "bold", max_lines=2)
    sub = "\n".join(fit(p, LINE_WIDTH, SUBTITLE_SIZE, max_lines=2 if i == 0 else 3) for i, p in enumerate(subtitle))
    return 0.9 + TITLE_LINE * head.count("\n") + 0.198 * sub.count("\n")


def footer_height(note: str) -> float:
    """Inches the source note of ``sheet`` takes below the axes (without ``below``)."""
    return 0.84 + 0.132 * max(0, note.count("\n") - 1)


def count(n: int, total: int) -> str:
    """How many of ``total``: "none of the 30", "all 30" or "4 of 30" (``alliance_headline.count``)."""
    return alliance_headline.count(n, total)
