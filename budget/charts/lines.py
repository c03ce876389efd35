"""Reference lines: each line that binds the country (``budget.pledges.lines_for``), drawn two
ways where they differ, under names that say which.

- its **level**: flat at ``level_pct_gdp`` (in money ``<id>_level_usd_bn``, that share of each
  year's GDP), from the start of the path to it, or from the line's year where that has passed;
- its **path** (``<id>_path_pct_gdp`` / ``<id>_path_usd_bn``): a straight line from the data to
  the level by the line's year, our assumption. Where the line's year has passed, the path is
  the level and is drawn once.

Nothing here names a line: colors come from a line's position and what it counts (core, or
core + resilience), labels from ``Line.short_label``. Every artist has a gid, ``line:<id>:level``
or ``line:<id>:path``. A total line is compared with core + resilience only where the scenario
models resilience; otherwise ``resilience_needed`` states the share of GDP it would need.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from budget.charts.frame import Entry, blank
from budget.charts.headline import line_name
from budget.charts.style import (
    GREEN,
    GREY,
    LEVEL_STYLE,
    ORANGE,
    PATH_STYLE,
    PINK,
    REF_WIDTH,
    SKY,
    P,
    num,
    ok,
    span,
    text_width,
)
from budget.i18n import _
from budget.i18n import num as number
from budget.pledges import Line, lines_for, path_start
from budget.scenario import Scenario

if TYPE_CHECKING:
    from budget.history import Country

CORE_COLORS = (GREEN, ORANGE, SKY)  # lines still ahead, by position among those that count core
TOTAL_COLORS = (PINK, ORANGE, SKY)  # ... and among those that count core + resilience


@dataclass(frozen=True)
class Ref:
    """A binding line as the charts draw it."""

    line: Line
    color: str
    start: int  # first year drawn: the path's start, or the line's year where that has passed
    passed: bool  # the line's year has passed (or no path is known): the path is the level

    @property
    def by(self) -> str:
        """The line's year for a label (" by 2035") while it is ahead; "" once it has passed."""
        return "" if self.passed else " " + _("by {year}").format(year=self.line.year)


def refs(c: Country, mono: bool = False) -> list[Ref]:
    """The lines that bind ``c``, lowest level first, each with its color (grey with ``mono``)."""
    out = []
    counts = {"core": 0, "total": 0}
    for line in lines_for(c):
        start = path_start(c, line)
        passed = start is None or line.year <= start[0]
        if passed or mono:
            color = GREY
        else:
            palette = TOTAL_COLORS if line.compares_with == "total" else CORE_COLORS
            color = palette[counts[line.compares_with] % len(palette)]
            counts[line.compares_with] += 1
        first = line.year if passed else start[0]  # type: ignore[index]
        out.append(Ref(line, color, max(first, c.first_year), passed))
    return out


def columns(ref: Ref, unit: str) -> tuple[str | None, str]:
    """The projection's columns of a line's level (None: the level is the constant share) and path."""
    level = None if unit == "pct_gdp" else f"{ref.line.id}_level_{unit}"
    return level, f"{ref.line.id}_path_{unit}"


def draw(ax: Axes, df: pd.DataFrame, lines: Sequence[Ref], unit: str, end: int) -> None:
    """Draw each line's level and, where it differs, its path, in ``unit`` (``pct_gdp``, ``usd_bn``)."""
    years = df.index.to_numpy()
    for ref in lines:
        level_col, path_col = columns(ref, unit)
        if level_col is not None and level_col not in df:
            continue
        keep = (years >= ref.start) & (years <= end)
        if level_col is None:
            x, y = np.array([ref.start, end]), np.array([ref.line.level_pct_gdp] * 2)
        else:
            x, y = years[keep], df[level_col].to_numpy(dtype=float)[keep]
        ax.plot(x, y, color=ref.color, ls=LEVEL_STYLE, lw=REF_WIDTH, zorder=3, gid=f"line:{ref.line.id}:level")
        if not ref.passed and path_col in df:
            path = df[path_col].to_numpy(dtype=float)[keep]
            ax.plot(
                years[keep],
                path,
                color=ref.color,
                ls=PATH_STYLE,
                lw=REF_WIDTH,
                zorder=3,
                gid=f"line:{ref.line.id}:path",
            )


def groups(lines: Sequence[Ref]) -> list[list[Ref]]:
    """Lines drawn on top of each other (passed, same level and count) in one group each."""
    out: list[list[Ref]] = []
    for ref in lines:
        same = next(
            (
                g
                for g in out
                if g[0].passed
                and ref.passed
                and g[0].line.level_pct_gdp == ref.line.level_pct_gdp
                and g[0].line.compares_with == ref.line.compares_with
            ),
            None,
        )
        if same is None:
            out.append([ref])
        else:
            same.append(ref)
    return out


def name(group: Sequence[Ref]) -> str:
    """The short labels of a group of lines, in the current language: "Czech law 2 %, NATO 2 %"."""
    return ", ".join(line_name(r.line) for r in group)


def group_label(group: Sequence[Ref], width: float, size: float) -> str:
    """A group's name to label it with: its lines' names on one line, or one a line where they are
    wider than ``width`` points at ``size``; the year of a line still ahead on a line of its own
    ("NATO 3.5 % core" / "by 2035").
    """
    names = [line_name(r.line) for r in group]
    out = [", ".join(names)]
    if text_width(out[0], size) > width:
        out = [n + "," for n in names[:-1]] + names[-1:]
    return "\n".join(out + ([group[0].by.strip()] if group[0].by else []))


def entries(lines: Sequence[Ref], rows: int = 0) -> list[Entry]:
    """Legend entries, one row per line drawn (column by column, for two columns): its level on
    the left, the path to it on the right; each column padded to ``rows``.
    """
    left: list[Entry] = []
    right: list[Entry] = []
    for group in groups(lines):
        ref = group[0]
        left.append(
            Line2D(
                [],
                [],
                color=ref.color,
                ls=LEVEL_STYLE,
                lw=REF_WIDTH,
                label=_("{line}: level").format(line=name(group) + ref.by),
            )
        )
        right.append(
            blank()
            if ref.passed
            else Line2D([], [], color=ref.color, ls=PATH_STYLE, lw=REF_WIDTH, label=_("path to it (our assumption)"))
        )
    pad = [blank() for _ in range(rows - len(left))]
    return [*left, *pad, *right, *(blank() for _ in pad)]


def mono_entries(lines: Sequence[Ref], where: str = "") -> list[Entry]:
    """Two legend entries for lines drawn in grey and labelled at their ends: the levels, and the
    straight paths to them (our assumption) where any line's year is still ahead; ``where``: how
    the levels are named (default: "labelled at its end").
    """
    label = _("Level of a commitment ({where})").format(where=where or _("labelled at its end"))
    out: list[Entry] = [Line2D([], [], color=GREY, ls=LEVEL_STYLE, lw=REF_WIDTH, label=label)]
    if not all(r.passed for r in lines):
        label = _("Straight path to the level (our assumption)")
        out.append(Line2D([], [], color=GREY, ls=PATH_STYLE, lw=REF_WIDTH, label=label))
    return out


def resilience_needed(
    s: Scenario, df: pd.DataFrame, ledger: pd.DataFrame | None = None
) -> list[tuple[Line, int, float, float]]:
    """For each total line where ``s`` does not model resilience: the line, the year, and the share
    of GDP of resilience it needs at the low and the high end (``budget.gaps`` column
    ``resilience_needed_pct_gdp``, in the line's year, or the end year if the line's is beyond).
    """
    totals = [ln for ln in lines_for(s.data) if ln.compares_with == "total"]
    if s.resilience is not None or not totals:
        return []
    if ledger is None:
        from budget.ledger import gaps

        ledger = gaps(s, df)
    out = []
    for line in totals:
        rows = ledger[ledger["line"] == line.id]
        at = line.year if line.year in set(rows["year"]) else s.end_year
        need = rows[rows["year"] == at].set_index("end")["resilience_needed_pct_gdp"]
        low, high = (float(need.get(e, np.nan)) for e in ("low", "high"))
        if ok(low) or ok(high):
            out.append((line, at, low, high))
    return out


def needed_text(needed: Sequence[tuple[Line, int, float, float]]) -> str:
    """The resilience each total line needs, in words ("NATO 5 % total counts core + resilience,
    which this scenario does not model: it needs resilience of at least 0.60–0.95 % of GDP in
    2035"); "" where there is none.
    """
    parts = []
    for line, at, low, high in needed:
        known = sorted(v for v in (low, high) if ok(v))
        name = line_name(line)
        if known[-1] < 0.005:  # core alone is at or above the total line's level: it needs none
            text = _(
                "{line} counts core + resilience, which this scenario does not model: core alone reaches it in {year}"
            )
            parts.append(text.format(line=name, year=at))
            continue
        parts.append(
            _(
                "{line} counts core + resilience, which this scenario does not model: it needs resilience "
                "of at least {share} of GDP in {year}"
            ).format(line=name, share=span(known[0], known[-1], lambda v: number(v, 2)) + P, year=at)
        )
    return "; ".join(parts)


def label_right(ax: Axes, df: pd.DataFrame, lines: Sequence[Ref], unit: str, end: int) -> None:
    """Label each group of lines at the right edge, at its end-year value (nudged apart so none
    overlap); for charts whose colors belong to scenarios.
    """
    labels: list[tuple[float, str, str]] = []
    for group in groups(lines):
        ref = group[0]
        level_col, _path = columns(ref, unit)
        values = df[level_col] if level_col in df else pd.Series(dtype=float)
        at = ref.line.level_pct_gdp if level_col is None else num(values.get(end))
        if ok(at):
            labels.append((float(at), "\n".join(textwrap.wrap(name(group), 16) + [ref.by.strip()]).strip(), ref.color))
    lo, hi = ax.get_ylim()
    gap, floor = (hi - lo) * 0.075, lo
    for y, text, color in sorted(labels):
        floor = max(y, floor + gap)
        ax.annotate(
            text,
            (end, floor),
            xytext=(end + 0.9, floor),
            va="center",
            fontsize=8,
            color=color,
            fontweight="bold",
            annotation_clip=False,
            linespacing=1.1,
        )
