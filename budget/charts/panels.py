"""Panels: the comparison as small multiples, one small panel per scenario (highest level first,
read left to right, then down), each its own scenario's path over the others' in light grey, on
shared axes; for more scenarios than one panel can label (``roster.MULTIPLES_ABOVE``).

A panel's own path is in the scenario's colour where it is highlighted, else dark grey. In % of
GDP the line the title counts (e.g. NATO 3.5 % core by 2035) is a thin grey level in each panel.
The figure is 10 in wide and as tall as its rows need.
"""

from __future__ import annotations

import numpy as np
from matplotlib.artist import Artist
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, FuncFormatter

from budget.charts.frame import Steps
from budget.charts.headline import line_name
from budget.charts.key import key
from budget.charts.members import footer_height, header_height, sheet
from budget.charts.roster import Roster
from budget.charts.style import DASHED, GREY, INK, LIGHT, SHADE, Numbers, fit, legible, percent, text_width, top
from budget.i18n import _

FAINT = "#d6d6d6"  # the other scenarios in a panel
DARK = "#595959"  # a panel's own scenario where it is not highlighted
ROW = 1.3  # inches per row of panels, with its title
KEY = 0.25  # inches under the panels for the key
TITLE_SIZE = 8.0


def columns(n: int) -> int:
    """Panels per row: four up to 16 scenarios, five beyond (40 make eight rows)."""
    return 4 if n <= 16 else 5


def plot_panels(r: Roster) -> Figure:
    """Small multiples of ``r`` (see the module's docstring); the caller runs it inside ``literal``."""
    n, cols = len(r.order), columns(len(r.order))
    rows = -(-n // cols)
    height = header_height(r.title, [r.subtitle]) + rows * ROW + footer_height(r.note) + KEY
    left, right, wspace = 0.06, 0.985, 0.12
    fig, axes = sheet(r.title, [r.subtitle], r.note, height, rows, cols, above=0.12, below=KEY,
                      left=left, right=right, wspace=wspace, hspace=0.62)  # fmt: skip
    paths = {name: r.path(name) for name in r.order}
    highest = top(*(y for _x, y in paths.values()), [r.line.level_pct_gdp] if r.line and r.unit == "pct_gdp" else [])
    hist = r.history.loc[: r.t0, r.col]
    panel_width = (right - left) * 10 * 72 / (cols + (cols - 1) * wspace)  # points
    ticks = [y for y in range(r.first, r.end + 1) if y % 10 == 5] or [r.first, r.end]
    for i, ax in enumerate(axes.flat):
        if i >= n:
            ax.remove()
            continue
        name = r.order[i]
        ax.axvspan(r.t0, r.end + 0.6, color=SHADE, lw=0, zorder=0)
        others = [np.column_stack(paths[o]) for o in r.order if o != name]
        ax.add_collection(LineCollection(others, colors=FAINT, linewidths=0.7, zorder=2, gid="others"))
        if r.line is not None and r.unit == "pct_gdp":
            ax.plot([r.t0, r.end], [r.line.level_pct_gdp] * 2, color=GREY, lw=0.8, zorder=3,
                    gid=f"line:{r.line.id}:level")  # fmt: skip
        ax.plot(hist.index, hist.to_numpy(dtype=float), color=INK, lw=1.4, zorder=4, gid="history")
        look = r.looks.get(name)
        color = legible(look.color) if look else DARK
        x, y = paths[name]
        ax.plot(x, y, color=color, lw=1.9, ls=look.dash if look else DASHED, zorder=5, gid=f"plan:{name}")
        value = r.short[name]
        weight = "bold" if look else "normal"
        room = panel_width - text_width(value, TITLE_SIZE, "bold") - TITLE_SIZE
        # Titles as plain text over the panel: an axes title is placed by measuring the axes at every draw.
        over = {"xycoords": "axes fraction", "xytext": (0, 3), "textcoords": "offset points", "va": "bottom"}
        ax.annotate(fit(r.labels[name], room, TITLE_SIZE, weight), (0, 1), ha="left", fontsize=TITLE_SIZE,
                    fontweight=weight, color=INK, gid="panel-title", **over)  # fmt: skip
        ax.annotate(value, (1, 1), ha="right", fontsize=TITLE_SIZE, fontweight="bold", color=color,
                    gid="panel-value", **over)  # fmt: skip
        ax.set_xlim(r.first - 0.5, r.end + 0.6)
        ax.set_ylim(0, highest)
        ax.spines[["top", "right"]].set_visible(False)
        ax.spines[["left", "bottom"]].set_color(GREY)
        ax.grid(axis="y", color=LIGHT, linewidth=0.6)
        ax.set_axisbelow(True)
        ax.tick_params(labelsize=7.5, colors=INK, length=2.5, pad=2)
        ax.xaxis.set_major_locator(FixedLocator(ticks))
        ax.yaxis.set_major_locator(Steps(nbins=4, steps=[1, 2, 2.5, 5, 10]))
        ax.yaxis.set_major_formatter(FuncFormatter(percent) if r.unit == "pct_gdp" else Numbers())
        ax.tick_params(labelleft=i % cols == 0, labelbottom=i + cols >= n)
    entries: list[Artist] = [
        Line2D([], [], color=INK, lw=1.4, label=_("Actual ({who})").format(who=r.who)),
        Line2D([], [], color=DARK, lw=1.9, ls=DASHED, label=_("The panel's scenario")),
        Line2D([], [], color=FAINT, lw=1.4, label=_("The other scenarios")),
        Patch(facecolor=SHADE, edgecolor="#cccccc", lw=0.6, label=_("Projection")),
    ]
    if r.line is not None and r.unit == "pct_gdp":
        level = _("{line} level").format(line=line_name(r.line))
        entries.append(Line2D([], [], color=GREY, lw=0.8, label=level))
    key(fig, entries, left, footer_height(r.note) / height, fig.transFigure, ncols=len(entries), size=8.0)
    return fig
