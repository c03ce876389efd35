"""Multiples: one small panel per member of an alliance, its share of GDP from the first data year
to the end year (history solid, the rule's path dashed, the highest core line that binds every
member faint), on a shared y axis, six panels a row, in alphabetical order of the names.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.markers import TICKDOWN, TICKLEFT
from matplotlib.patches import Patch

from budget.aggregate import Alliance, Member
from budget.charts import alliance_headline
from budget.charts.frame import subtitle as frame_subtitle
from budget.charts.key import key
from budget.charts.members import (
    alliance_note,
    at,
    by_name,
    core_refs,
    country_name,
    footer_height,
    header_height,
    pct,
    ref_label,
    rules_text,
    sheet,
)
from budget.charts.output import save
from budget.charts.style import BLUE, DASHED, GREY, INK, literal, ok, top
from budget.i18n import _

COLUMNS = 6
PANEL = 1.18  # inches per row of panels, with its title
WSPACE, HSPACE = 0.12, 0.55  # gaps between panels, as fractions of a panel's width and height


def _first_share(m: Member) -> tuple[int, float]:
    """The first year with a share of GDP, and the share."""
    values = m.pct["high"]
    known = np.flatnonzero(np.isfinite(values) & (m.years <= m.t0))
    return (int(m.years[known[0]]), float(values[known[0]])) if len(known) else (m.t0, float("nan"))


def title_of(a: Alliance, ms: dict[str, Member]) -> str:
    """The finding: how many members raised their share from their first to their last data year,
    and whose share moves most by the end year under the rule (chosen at the high end), with how
    much at both ends.
    """
    n, end = len(ms), a.end_year
    rose = sum(at(m, m.pct["high"], m.t0) > _first_share(m)[1] for m in ms.values())
    firsts = {_first_share(m)[0] for m in ms.values()}
    change = {k: at(m, m.pct["high"], end) - at(m, m.pct["high"], m.t0) for k, m in ms.items()}
    change = {k: v for k, v in change.items() if ok(v)}
    paths = all(a.rules[k].kind == "path" for k in ms)
    since = min(firsts) if len(firsts) == 1 else None
    group = _(a.group.label)
    if not change:
        return alliance_headline.multiples_title(group, rose, n, since, "", (0.0, 0.0), end, paths)
    k = max(change, key=lambda k: (abs(change[k]), k))
    m = ms[k]
    both = (at(m, m.pct["low"], end) - at(m, m.pct["low"], m.t0), change[k])
    return alliance_headline.multiples_title(group, rose, n, since, country_name(k), both, end, paths)


@literal
def multiples(a: Alliance, ms: dict[str, Member], g: pd.DataFrame, folder: Path) -> Path:
    """One panel per member: share of GDP, history solid, the rule's path dashed (a band where the
    ends of a range differ), the highest common core line faint; shared axes, the country's name
    as the panel's title. Writes ``folder/multiples.png`` and returns its path.
    """
    path = Path(folder) / "multiples.png"
    save(multiples_figure(a, ms), path)
    return path


def multiples_figure(a: Alliance, ms: dict[str, Member]) -> Figure:
    """The small multiples (see ``multiples``) as a figure."""
    keys = sorted(ms, key=by_name)
    end = a.end_year
    first = min(int(m.years[0]) for m in ms.values())
    refs = core_refs(keys)
    ref = refs[-1] if refs else None
    rows = -(-len(keys) // COLUMNS)
    title = title_of(a, ms)
    latest = max(m.t0 for m in ms.values())
    older = sorted({m.t0 for m in ms.values()} - {latest})
    ends = _("{latest} or {older}").format(latest=latest, older=", ".join(map(str, older))) if older else f"{latest}"
    subtitle = [frame_subtitle(_("Share of GDP by member, {first}–{end}").format(first=first, end=end), a.title)]
    settings = _(
        "Solid: data to each member's last figure ({years}; an older year follows the name); dashed: under the "
        "rule. Rules: {rules}."
    ).format(years=ends, rules=rules_text(a, keys))
    note = alliance_note(a, keys, refs[-1:], settings)
    below = 0.36  # the key
    above = 0.1
    height = header_height(title, subtitle) + above + rows * PANEL + footer_height(note) + below
    # One axes holds every panel, each shifted to its place in data units: 31 small axes would
    # cost most of the drawing time (each has its own axis and tick machinery).
    fig, axes = sheet(title, subtitle, note, height, 1, 1, above=above, below=below, left=0.07, right=0.985)
    ax: Axes = axes[0, 0]
    ax.set_axis_off()
    ymax = top(
        *(m.pct["high"] for m in ms.values()),
        *(m.pct["low"] for m in ms.values()),
        [ref.line.level_pct_gdp] if ref else [],
    )
    step = 2.0 if ymax > 4 else 1.0
    x_lo, x_hi = first - 0.5, end + 0.5
    span = x_hi - x_lo
    dx, dy = span * (1 + WSPACE), ymax * (1 + HSPACE)
    ax.set_xlim(0, COLUMNS * span + (COLUMNS - 1) * span * WSPACE)
    ax.set_ylim(-(rows - 1) * dy, ymax)
    for i, k in enumerate(keys):
        m = ms[k]
        x0, y0 = (i % COLUMNS) * dx - x_lo, -(i // COLUMNS) * dy  # panel origin: year x_lo at x0 + x_lo
        years = m.years.astype(float)
        high, low = m.pct["high"], m.pct["low"]
        past, ahead = years <= m.t0, years >= m.t0
        ax.fill_between([x0 + m.t0, x0 + x_hi], y0, y0 + ymax, color="#f2f2f2", lw=0, zorder=0)
        if ref is not None:
            level = y0 + ref.line.level_pct_gdp
            ax.plot(
                [x0 + x_lo, x0 + x_hi],
                [level, level],
                color=ref.color,
                lw=1.0,
                alpha=0.55,
                zorder=1,
                gid=f"line:{ref.line.id}",
            )
        if np.nanmax(np.abs(high[ahead] - low[ahead]), initial=0.0) > 1e-9:
            ax.fill_between(x0 + years[ahead], y0 + low[ahead], y0 + high[ahead], color=BLUE, alpha=0.2, lw=0, zorder=2)
        ax.plot(x0 + years[past], y0 + high[past], color=BLUE, lw=1.6, zorder=3)
        ax.plot(x0 + years[ahead], y0 + high[ahead], color=BLUE, lw=1.6, ls=DASHED, zorder=3)
        # the panel's own axis lines (left and bottom), as the other charts draw their spines
        ax.plot([x0 + x_lo, x0 + x_lo, x0 + x_hi], [y0 + ymax, y0, y0], color=GREY, lw=0.8, zorder=4)
        name = country_name(k) + (f" ({m.t0})" if m.t0 != latest else "")
        ax.annotate(
            name,
            (x0 + x_lo, y0 + ymax),
            xytext=(0, 3),
            textcoords="offset points",
            fontsize=9,
            color=INK,
            fontweight="bold",
            va="bottom",
            ha="left",
            annotation_clip=False,
        )
        if i % COLUMNS == 0:  # the shared scale, labelled once a row
            for v in np.arange(0, ymax, step):
                _tick(ax, (x0 + x_lo, y0 + v), pct(float(v)), TICKLEFT, (-4, 0), "right", "center")
        if i + COLUMNS >= len(keys):  # no panel below: label the years
            for year in (y for y in range(first + 1, end) if y % 10 == 0):
                _tick(ax, (x0 + year, y0), str(year), TICKDOWN, (0, -4), "center", "top")
    fig.text(
        0.012,
        1 - (header_height(title, subtitle) + above + rows * PANEL / 2) / height,
        _("% of GDP"),
        rotation=90,
        va="center",
        ha="left",
        fontsize=9.5,
        color=INK,
    )
    entries: list[Artist] = [
        Line2D([], [], color=BLUE, lw=1.6, label=_("Data")),
        Line2D([], [], color=BLUE, lw=1.6, ls=DASHED, label=_("Under the rule")),
        Patch(facecolor="#f2f2f2", edgecolor="#cccccc", lw=0.6, label=_("Years after the member's last figure")),
    ]
    if ref is not None:
        label = _("{line} level").format(line=ref_label(ref))
        entries.append(Line2D([], [], color=ref.color, lw=1.0, alpha=0.55, label=label))
    key(
        fig,
        entries,
        0.07,
        (footer_height(note) + below - 0.3) / height,
        fig.transFigure,
        ncols=len(entries),
        size=8.5,
        gap=3.0,
    )
    return fig


def _tick(ax: Axes, at: tuple[float, float], text: str, marker: int, offset: tuple[int, int], ha: str, va: str) -> None:
    """One tick of a panel's own scale (the panels share one axes): a grey mark and its label."""
    ax.plot(*at, marker=marker, ms=2, color=GREY, mew=0.8, clip_on=False)
    ax.annotate(
        text, at, xytext=offset, textcoords="offset points", fontsize=8, color=INK, ha=ha, va=va, annotation_clip=False
    )
