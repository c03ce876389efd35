"""Ranked: every member of an alliance by share of GDP, in its last data year and in the end year
under the alliance's rule (helpers shared with the other alliance charts: ``budget.charts.members``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter
from matplotlib.transforms import blended_transform_factory

from budget.aggregate import Alliance, Member
from budget.charts import alliance_headline
from budget.charts.frame import Steps, publisher
from budget.charts.frame import subtitle as frame_subtitle
from budget.charts.headline import line_name
from budget.charts.key import key
from budget.charts.members import (
    LABEL_SIZE,
    LIGHT_BLUE,
    ROW,
    alliance_note,
    at,
    common_refs,
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
from budget.charts.style import (
    BLUE,
    GREY,
    INK,
    LEVEL_STYLE,
    LIGHT,
    REF_WIDTH,
    TEXT_CONTRAST,
    D,
    legible,
    literal,
    ok,
    text_width,
    top,
)
from budget.history import load_country
from budget.i18n import _, num
from budget.pledges import Line, meets

# --- The ranked chart ---------------------------------------------------------------------------


def _spread_x(items: list[list[float]], lo: float, hi: float, gap: float) -> None:
    """Move centred labels (``[centre, half width]``, points) apart by ``gap``, inside ``lo``..``hi``."""
    edge = lo
    for item in sorted(items, key=lambda i: i[0]):
        item[0] = max(item[0], edge + item[1])
        edge = item[0] + item[1] + gap
    edge = hi
    for item in sorted(items, key=lambda i: -i[0]):
        item[0] = min(item[0], edge - item[1])
        edge = item[0] - item[1] - gap


def title_of(a: Alliance, ms: dict[str, Member]) -> str:
    """The ranked chart's finding, from the data: how many members were below the lowest common
    core line's level in their last data year, and how many reach the highest one's by the end
    year, at the low and the high end (``alliance_headline.ranked_title``).
    """
    keys, end = list(ms), a.end_year
    core = core_refs(keys)
    group = _(a.group.label)
    if not core:
        return alliance_headline.ranked_plain(group, len(keys), end)
    low, high = core[0].line, core[-1].line
    below = sum(not bool(meets(at(m, m.pct["high"], m.t0), low)) for m in ms.values())
    reach = [sum(bool(meets(at(m, m.pct[e], end), high)) for m in ms.values()) for e in ("low", "high")]
    paths = all(a.rules[k].kind == "path" for k in keys)
    return alliance_headline.ranked_title(
        group, len(keys), below, name_of(low), (reach[0], reach[1]), name_of(high), end, paths
    )


def name_of(line: Line) -> str:
    """A line's short label in the current language, with a no-break space before "%"."""
    return line_name(line)


def ranked_figure(a: Alliance, ms: dict[str, Member]) -> Figure:
    """The ranked chart (see ``ranked``) as a figure."""
    keys, end = list(ms), a.end_year
    refs = common_refs(keys)
    last = {k: at(m, m.pct["high"], m.t0) for k, m in ms.items()}
    ends = {k: (at(m, m.pct["low"], end), at(m, m.pct["high"], end)) for k, m in ms.items()}
    order = sorted(keys, key=lambda k: (-np.nan_to_num(last[k], nan=-1.0), -np.nan_to_num(ends[k][1]), k))
    latest = max(m.t0 for m in ms.values())
    older = sorted({m.t0 for m in ms.values()} - {latest})
    who = publisher(load_country(keys[0]), "defense_pct_gdp") or _("published")
    labels = [country_name(k) + (f" ({ms[k].t0})" if ms[k].t0 != latest else "") for k in order]
    values = [
        f"{num(last[k], 2)} \u2192 " + (num(ends[k][1], 2) if abs(ends[k][1] - ends[k][0]) < 5e-3 else
                                        f"{num(ends[k][0], 2)}{D}{num(ends[k][1], 2)}")
        for k in order
    ]  # fmt: skip
    ranged_any = any(abs(hi - lo) > 5e-3 for lo, hi in ends.values())
    years = ", ".join(
        _("{year} for {n}").format(year=y, n=sum(m.t0 == y for m in ms.values())) for y in [latest, *reversed(older)]
    )
    what = _("Share of GDP: each member's last figure and {end} under the rule").format(end=end)
    subtitle = [frame_subtitle(what, a.title)]
    settings = _(
        "Bars: share of GDP in each member's last year with a {publisher} figure ({years}; an older year is "
        "named, its bar lighter). Vertical lines: the levels of the pledges that bind every member."
    ).format(publisher=who, years=years)
    if ranged_any:
        settings += " " + _("Where the low and the high end differ, a bar joins them.")
    settings += " " + _("Rules: {rules}.").format(rules=rules_text(a, keys))
    note = alliance_note(a, keys, refs, settings)
    title = title_of(a, ms)
    left = (max(text_width(s, LABEL_SIZE) for s in labels) + 14) / 720 + 0.015
    col = max(text_width(s, 8.0) for s in [*values, f"{latest} \u2192 {end}"]) + 8
    right = 1 - (col + 14) / 720
    line_labels = ["\n".join(_two(ref_label(r))) for r in refs]
    rows_above = max((s.count("\n") + 1 for s in line_labels), default=1)
    above = 0.12 + rows_above * LABEL_SIZE * 1.25 / 72
    below = 0.5  # the x label, then the key
    height = header_height(title, subtitle) + above + len(keys) * ROW + 0.2 + footer_height(note) + below
    fig, axes = sheet(title, subtitle, note, height, above=above, below=below, left=left, right=right)
    ax: Axes = axes[0, 0]
    y = np.arange(len(order))
    colors = [BLUE if ms[k].t0 == latest else LIGHT_BLUE for k in order]
    ax.barh(y, [last[k] for k in order], height=0.62, color=colors, edgecolor=colors, lw=0.6, zorder=2)
    lo_end, hi_end = (np.array([ends[k][i] for k in order]) for i in (0, 1))
    for yi, k in zip(y, order, strict=True):  # the change from the last figure to the end year
        if ok(last[k], hi_end[yi]):
            ax.plot([last[k], hi_end[yi]], [yi, yi], color=GREY, lw=0.9, zorder=3, solid_capstyle="butt")
    ranged = np.abs(hi_end - lo_end) > 5e-3
    if ranged.any():
        ax.hlines(y[ranged], lo_end[ranged], hi_end[ranged], color=INK, lw=2.4, zorder=4)
        ax.plot(lo_end[ranged], y[ranged], "D", ms=5.5, color=INK, mec="white", mew=0.8, zorder=5)
    ax.plot(hi_end, y, "D", ms=5.5, color=INK, mec="white", mew=0.8, zorder=5, gid="end-year")
    ax.set_yticks(y, labels, fontsize=LABEL_SIZE, color=INK)
    ax.set_ylim(len(order) - 0.4, -0.6)
    ax.tick_params(axis="y", length=0, pad=4)
    ax.tick_params(axis="x", labelsize=9, colors=INK, length=3)
    # x range: every bar, diamond and line, and room for each line's label centred on it.
    width_pt = (right - left) * 720
    xmax = top(list(last.values()), hi_end, [r.line.level_pct_gdp for r in refs], pad=1.06)
    for r, text in zip(refs, line_labels, strict=True):
        half = max(text_width(s, LABEL_SIZE, "bold") for s in text.split("\n")) / 2 + 2
        if half < width_pt:
            xmax = max(xmax, r.line.level_pct_gdp / (1 - half / width_pt))
    ax.set_xlim(0, xmax)
    ax.xaxis.set_major_locator(Steps(nbins=6, steps=[1, 2, 2.5, 5, 10]))
    ax.xaxis.set_major_formatter(FuncFormatter(pct))
    ax.grid(axis="x", color=LIGHT, lw=0.8)
    ax.set_axisbelow(True)
    ax.spines[["top", "right", "left"]].set_visible(False)
    ax.spines["bottom"].set_color(GREY)
    ax.set_xlabel(_("% of GDP"), fontsize=9.5, color=INK)
    # The lines' levels, labelled above the axes (nudged apart where they would touch).
    items = []
    for r, text in zip(refs, line_labels, strict=True):
        ax.axvline(
            r.line.level_pct_gdp, color=r.color, ls=LEVEL_STYLE, lw=REF_WIDTH, zorder=3.5, gid=f"line:{r.line.id}"
        )
        half = max(text_width(s, LABEL_SIZE, "bold") for s in text.split("\n")) / 2
        items.append([r.line.level_pct_gdp / xmax * width_pt, half])
    _spread_x(items, 0, width_pt, 6)
    for r, text, (x, _half) in zip(refs, line_labels, items, strict=True):
        ax.annotate(
            text, (x / width_pt, 1), xycoords="axes fraction", xytext=(0, 4), textcoords="offset points",
            ha="center", va="bottom", fontsize=LABEL_SIZE, color=legible(r.color, TEXT_CONTRAST, "#ffffff"),
            fontweight="bold", linespacing=1.1, gid=f"label:line:{r.line.id}",
        )  # fmt: skip
    # The values, in a column at the right.
    where = blended_transform_factory(ax.transAxes, ax.transData)
    for yi, text in zip(y, values, strict=True):
        ax.annotate(
            text, (1, yi), xycoords=where, xytext=(col + 6, 0), textcoords="offset points",
            ha="right", va="center", fontsize=8.0, color=INK, annotation_clip=False,
        )  # fmt: skip
    ax.annotate(
        _("% of GDP\nlast \u2192 {end}").format(end=end), (1, 1), xycoords="axes fraction", xytext=(col + 6, 4),
        textcoords="offset points", ha="right", va="bottom", fontsize=8.0, color=GREY, linespacing=1.1,
    )  # fmt: skip
    last_figure = _("Last {publisher} figure, {years}")
    entries: list[Artist] = [Patch(color=BLUE, label=last_figure.format(publisher=who, years=latest))]
    if older:
        entries.append(
            Patch(color=LIGHT_BLUE, label=last_figure.format(publisher=who, years=", ".join(map(str, older))))
        )
    label = _("{year} under the rule").format(year=end)
    entries.append(Line2D([], [], color=INK, marker="D", ms=5.5, mec="white", ls="none", label=label))
    key_y = (footer_height(note) + below - 0.56) / height  # under the x label
    key(fig, entries, left, key_y, fig.transFigure, ncols=len(entries), size=8.5, handle=1.6, gap=3.0)
    return fig


@literal
def ranked(a: Alliance, ms: dict[str, Member], g: pd.DataFrame, folder: Path) -> Path:
    """Every member ranked by share of GDP in its last data year (bars, lighter where that year is
    older than the latest), with its end-year share under the alliance's rule (diamonds; a bar
    between them where the low and the high end differ) and the lines that bind every member as
    labelled vertical lines. Writes ``folder/ranked.png`` and returns its path.
    """
    path = Path(folder) / "ranked.png"
    save(ranked_figure(a, ms), path)
    return path


def _two(text: str) -> list[str]:
    """A label on one line, or on two where it ends in a part in parentheses (the last one)."""
    head, sep, tail = text.rpartition(" (")
    return [head, f"({tail}"] if sep else [text]
