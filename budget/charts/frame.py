"""Frame: the figure around the axes (title, subtitle, source note), legends and quiet axes. The
words that name the data's publishers, the note's settings and sources are ``budget.charts.words``
(imported here too, where the charts have always found them).

A figure is 10 x 6 in: a bold title (two lines at most), a grey subtitle of paragraphs (the
scenario's title two lines, the others three), the axes, an optional legend below them and the
source note at the foot (three lines at most). Positions are computed from line counts, never
by measuring drawn text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeAlias

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator, MultipleLocator

from budget.charts.key import key
from budget.charts.style import (
    DPI,
    GREY,
    INK,
    LEGEND_ROWS,
    LIGHT,
    LINE_WIDTH,
    NOTE_SIZE,
    SUBTITLE_SIZE,
    TITLE_SIZE,
    Numbers,
    fit,
)
from budget.charts.words import SETTINGS_LINES as SETTINGS_LINES
from budget.charts.words import assumptions as assumptions
from budget.charts.words import country as country
from budget.charts.words import data_label as data_label
from budget.charts.words import money_note as money_note
from budget.charts.words import publisher as publisher
from budget.charts.words import short_source as short_source
from budget.charts.words import source_note as source_note
from budget.charts.words import subtitle as subtitle
from budget.charts.words import target_text as target_text
from budget.i18n import _

TITLE_LINE = TITLE_SIZE * 1.2  # points from one title line to the next
Entry: TypeAlias = Artist | tuple[Artist, str]  # a legend handle, or a handle and a tail its label keeps when cut


# --- Layout -----------------------------------------------------------------------------------


def figure(title: str, subtitle: Sequence[str], note: str, ncols: int = 1, **grid: Any) -> tuple[Figure, list[Axes]]:
    """Make a 10 x 6 in figure: bold title, grey subtitle, source note, ``ncols`` axes in between.

    The title is fitted to two lines; ``subtitle`` is a list of paragraphs, the first (the
    scenario's title) fitted to two lines, the others to three. The axes move down to make room.
    ``titles`` (a figure fraction) leaves room above the axes for their titles.
    """
    fig = Figure(figsize=(10, 6), dpi=DPI, facecolor="white")
    head = fit(title, LINE_WIDTH, TITLE_SIZE, "bold", max_lines=2)
    sub = "\n".join(fit(p, LINE_WIDTH, SUBTITLE_SIZE, max_lines=2 if i == 0 else 3) for i, p in enumerate(subtitle))
    # Each extra title line moves everything under it down by one line (18 pt of 432): an accent on a
    # capital ("Č") or a ring ("ů") makes a line taller than the font's usual line, lowering the rest.
    below = TITLE_LINE / 432 * head.count("\n")
    fig.text(0.015, 0.975, head, fontsize=TITLE_SIZE, fontweight="bold", color=INK, va="top")
    fig.text(0.015, 0.922 - below, sub, fontsize=SUBTITLE_SIZE, color="#444444", va="top", linespacing=1.4)
    fig.text(0.015, 0.012, note, fontsize=NOTE_SIZE, color=GREY, va="bottom", linespacing=1.3)
    top = 0.85 - below - 0.033 * sub.count("\n") - grid.pop("titles", 0)  # room for the subtitle's lines
    bottom = 0.14 + 0.022 * max(0, note.count("\n") - 1)  # and for a third line of the note
    layout = {"left": 0.075, "right": 0.86, "bottom": bottom, "top": top, "wspace": 0.28} | grid
    return fig, list(fig.subplots(1, ncols, squeeze=False, gridspec_kw=layout)[0])


def legend_below(
    fig: Figure, entries: Sequence[Entry], more: str = "", ncols: int | None = None, plain: bool = True
) -> None:
    """Put a legend between the axes and the source note, and make room for it.

    Up to 12 entries: two columns (or ``ncols``) at 8.5 pt, filled column by column. More: three
    or four columns at 7 pt, at most ``LEGEND_ROWS`` rows; entries beyond those are counted in a
    last one ("+ 4 more``more``"). Each label is cut to one line of its column, keeping the
    entry's tail. ``plain``: drawn as a key (``budget.charts.key``), else as a ``Legend``.
    """
    items = [e if isinstance(e, tuple) else (e, "") for e in entries]
    if len(items) <= 12:
        ncols, size, style = ncols or 2, 8.5, {"labelspacing": 0.5}
    else:
        ncols, size = min(4, max(3, -(-len(items) // LEGEND_ROWS))), 7.0
        style = {"labelspacing": 0.3, "handlelength": 1.8, "handletextpad": 0.5, "columnspacing": 1.2}
        if len(items) > ncols * LEGEND_ROWS:
            hidden = len(items) - ncols * LEGEND_ROWS + 1
            items = [
                *items[: ncols * LEGEND_ROWS - 1],
                (Line2D([], [], lw=0, label=_("+ {n} more").format(n=hidden) + more), ""),
            ]
    handle = (style.get("handlelength", 2.0) + style.get("handletextpad", 0.8) + style.get("columnspacing", 2.0)) * size
    width = 0.915 * 10 * 72 / ncols - handle - size  # points for a label: the legend starts at 0.07
    handles = []
    for artist, tail in items:
        artist.set_label(fit(str(artist.get_label()), width, size, tail=tail))
        handles.append(artist)
    rows = -(-len(handles) // ncols)
    note_lines = fig.texts[2].get_text().count("\n") + 1
    row = size * (1.25 + style["labelspacing"]) / 72 / 6  # figure fraction per legend row
    top = 0.025 + 0.022 * note_lines + row * rows
    fig.axes[0].get_gridspec().update(bottom=top + 0.075)  # type: ignore[union-attr]
    for ax in fig.axes:  # update() moves only pyplot-managed axes
        ax.set_position(ax.get_subplotspec().get_position(fig))  # type: ignore[union-attr]
    if plain:
        key(
            fig,
            handles,
            0.07,
            top,
            fig.transFigure,
            ncols=ncols,
            size=size,
            spacing=style["labelspacing"],
            handle=style.get("handlelength", 2.0),
            pad=style.get("handletextpad", 0.8),
            gap=style.get("columnspacing", 2.0),
        )
        return
    fig.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.07, top),
        ncols=ncols,
        frameon=False,
        fontsize=size,
        borderaxespad=0,
        **style,
    )


def blank() -> Line2D:
    """An empty legend entry: keeps a row's second column free."""
    return Line2D([], [], lw=0, label="")


class InView:
    """A locator mixin that returns only the ticks inside the view: matplotlib makes a Tick (two
    lines, two texts) for every location a locator returns, also those it then leaves undrawn.
    """

    axis: Any

    def __call__(self) -> Sequence[float]:
        """The locations inside the view interval."""
        locs = super().__call__()  # type: ignore[misc]
        lo, hi = sorted(self.axis.get_view_interval()) if self.axis is not None else (-np.inf, np.inf)
        eps = (hi - lo) * 1e-9
        return [x for x in locs if lo - eps <= x <= hi + eps]


class Years(InView, MultipleLocator):
    """Every fifth year, inside the view."""


class Steps(InView, MaxNLocator):
    """Round steps, inside the view."""


def style_axes(ax: Axes, ylabel: str, first: int, end: int) -> None:
    """Quiet axes: y grid only, no top/right spine, ticks every 5 years, at most seven y ticks."""
    ax.spines[["top", "right"]].set_visible(False)
    ax.spines[["left", "bottom"]].set_color(GREY)
    ax.grid(axis="y", color=LIGHT, linewidth=0.8)
    ax.set_axisbelow(True)
    ax.tick_params(labelsize=9, colors=INK, length=3)
    ax.xaxis.set_major_locator(Years(5))
    ax.yaxis.set_major_locator(Steps(nbins=6, steps=[1, 2, 2.5, 5, 10]))
    ax.yaxis.set_major_formatter(Numbers())  # 2.5 / 2,5: the current language's format
    # A mark for every year: one line collection, not 22 minor Tick objects (a seventh of a chart's time).
    years = [y for y in range(first, end + 1) if y % 5]
    ax.vlines(years, 0, -0.012, transform=ax.get_xaxis_transform(), colors=GREY, lw=0.8, clip_on=False)
    ax.set_xlim(first - 0.6, end + 0.6)
    ax.set_ylabel(ylabel, fontsize=9.5, color=INK)


def mark_projection(ax: Axes, t0: int, end: int) -> None:
    """Light shading from the last data year on, labelled at its top."""
    ax.axvspan(t0, end + 0.6, color="#f2f2f2", zorder=0, lw=0)
    ax.axvline(t0, color=GREY, lw=0.8, zorder=1)
    ax.text(
        t0 + 0.3,
        0.985,
        _("Projection →"),
        transform=ax.get_xaxis_transform(),
        fontsize=8.5,
        color=GREY,
        va="top",
        ha="left",
    )


def spread(labels: list[list[Any]], gap: float, floor: float, ceiling: float) -> None:
    """Nudge the labels' heights (``label[0]``) apart by ``gap``, above ``floor``, then back under ``ceiling``."""
    for item in sorted(labels, key=lambda item: item[0]):
        item[0] = floor = max(item[0], floor + gap)
    for item in sorted(labels, key=lambda item: -item[0]):
        item[0] = ceiling = min(item[0], ceiling)
        ceiling -= gap
