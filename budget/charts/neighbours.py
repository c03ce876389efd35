"""Neighbours: one member of an alliance against the others of its comparison group (a subgroup
of the alliance file that holds it), share of GDP over time.

The highlighted member is drawn in a strong color with its data points (hollow: estimates), the
others in muted colors; every line is labelled at its end (no legend box), and the levels of the
lines that bind every member are drawn flat, each labelled where no member's line runs.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from budget.aggregate import Alliance, Member
from budget.charts import alliance_headline
from budget.charts.frame import figure, mark_projection, style_axes
from budget.charts.frame import subtitle as frame_subtitle
from budget.charts.members import alliance_note, at, common_refs, country_name, pct, ref_label, rules_text
from budget.charts.output import save
from budget.charts.style import (
    BLUE,
    DASHED,
    HALO,
    LEVEL_STYLE,
    REF_WIDTH,
    SHADE,
    TEXT_CONTRAST,
    D,
    P,
    legible,
    literal,
    ok,
    text_width,
    top,
)
from budget.groups import Group
from budget.i18n import _, num

MUTED = ("#a0785a", "#7b8fa6", "#b59a5b", "#8c8c8c", "#9c8aa5", "#b0a08c", "#6f7f7f")  # brown, slate, ochre, grey...
LABEL_SIZE = 9.0


def comparison_group(a: Alliance, ms: dict[str, Member], highlight: str) -> Group:
    """The smallest subgroup of ``a`` that holds ``highlight`` and another member with data."""
    found = [s for s in a.subgroups if highlight in s.members and sum(k in ms for k in s.members) > 1]
    if highlight not in ms or not found:
        named = ", ".join(s.id for s in a.subgroups) or "none"
        raise ValueError(f"{highlight!r}: no subgroup of {a.file} holds it with another member (subgroups: {named})")
    return min(found, key=lambda s: (len(s.members), s.id))


def rank_text(position: int, n: int) -> str:
    """A rank in words: "the highest", "the third highest", "the lowest" (``position`` from 1, highest first)."""
    return alliance_headline.rank_text(position, n)


def centred(values: list[float], gap: float, lo: float, hi: float) -> list[float]:
    """Label heights at least ``gap`` apart, each cluster of close labels centred on its members'
    mean, inside ``lo``..``hi``; the order of ``values`` (ties: their order in the list) is kept.
    """
    order = sorted(range(len(values)), key=lambda i: (round(values[i], 6), i))
    clusters: list[list[int]] = []
    for i in order:
        clusters.append([i])
        while len(clusters) > 1:
            a, b = clusters[-2], clusters[-1]
            top_a = np.mean([values[j] for j in a]) + (len(a) - 1) * gap / 2
            bottom_b = np.mean([values[j] for j in b]) - (len(b) - 1) * gap / 2
            if bottom_b - top_a >= gap:
                break
            clusters[-2:] = [a + b]
    out = [0.0] * len(values)
    for c in clusters:
        centre = float(np.mean([values[j] for j in c]))
        centre = min(max(centre, lo + (len(c) - 1) * gap / 2), hi - (len(c) - 1) * gap / 2)
        for n, j in enumerate(c):
            out[j] = centre + (n - (len(c) - 1) / 2) * gap
    return out


def _free(ax: Axes, series: list[tuple[np.ndarray, np.ndarray]], x0: float, x1: float, y0: float, y1: float) -> bool:
    """True where no line of ``series`` passes through the box ``x0``..``x1`` x ``y0``..``y1`` (data units)."""
    grid = np.linspace(x0, x1, 24)
    for xs, ys in series:
        keep = np.isfinite(ys)
        if keep.sum() < 2:
            continue
        inside = (grid >= xs[keep][0]) & (grid <= xs[keep][-1])
        values = np.interp(grid[inside], xs[keep], ys[keep])
        if np.any((values >= y0) & (values <= y1)):
            return False
    return True


@literal
def neighbours(
    a: Alliance, ms: dict[str, Member], g: pd.DataFrame, folder: Path, highlight: str, group: Group | None = None
) -> Path:
    """``highlight`` in a strong color and the other members of its comparison group (``group``, by
    default the smallest subgroup of ``a`` that holds it) in muted colors: share of GDP over time,
    each line labelled at its end, the levels of the lines that bind every member as reference
    lines. Writes ``folder/neighbours.png`` and returns its path.
    """
    group = group or comparison_group(a, ms, highlight)
    path = Path(folder) / "neighbours.png"
    save(neighbours_figure(a, ms, highlight, group), path)
    return path


def neighbours_figure(a: Alliance, ms: dict[str, Member], highlight: str, group: Group) -> Figure:
    """The neighbours chart (see ``neighbours``) as a figure."""
    keys = [k for k in group.members if k in ms]
    if highlight not in keys:
        raise ValueError(f"{highlight!r} is not a member of {group.id} with data")
    end = a.end_year
    first = min(int(ms[k].years[0]) for k in keys)
    h = ms[highlight]
    last = {k: at(ms[k], ms[k].pct["high"], ms[k].t0) for k in keys}
    order = sorted(keys, key=lambda k: (-np.nan_to_num(last[k], nan=-1.0), k))
    others = [k for k in order if k != highlight]
    name = country_name(highlight)
    ends = [at(h, h.pct[e], end) for e in ("low", "high")]
    end_text = (
        f"{num(min(ends), 2)}{P}" if abs(ends[1] - ends[0]) < 5e-3 else f"{num(ends[0], 2)}{D}{num(ends[1], 2)}{P}"
    )
    paths = all(a.rules[k].kind == "path" for k in keys)
    rank = rank_text(order.index(highlight) + 1, len(keys))
    share = f"{num(last[highlight], 2)}{P}"
    title = alliance_headline.neighbours_title(name, share, h.t0, rank, len(keys), _(group.label), end_text, end, paths)
    figures = ", ".join(f"{country_name(k)} {num(last[k], 2)}{P} ({ms[k].t0})" for k in others)
    what = _("Share of GDP, {first}–{end}").format(first=first, end=end)
    settings = _(
        "Last figures, share of GDP: {name} {share} ({year}); {others}. Solid: data (dots on {name}'s line, "
        "hollow: estimates); dashed: under the rule. Rules: {rules}."
    ).format(name=name, share=share, year=h.t0, others=figures, rules=rules_text(a, keys))
    refs = common_refs(keys)
    fig, (ax,) = figure(title, [frame_subtitle(what, a.title)], alliance_note(a, keys, refs, settings), right=0.82)
    style_axes(ax, _("% of GDP"), first, end)
    mark_projection(ax, h.t0, end)
    shares = [ms[k].pct[e] for k in keys for e in ("low", "high")]
    ymax = top(*shares, [r.line.level_pct_gdp for r in refs])
    ax.set_ylim(0, ymax)
    colors = {k: MUTED[i % len(MUTED)] for i, k in enumerate(others)} | {highlight: BLUE}
    series: list[tuple[np.ndarray, np.ndarray]] = []
    for k in [*others, highlight]:
        m, strong = ms[k], k == highlight
        years = m.years.astype(float)
        high, low = m.pct["high"], m.pct["low"]
        past, ahead = years <= m.t0, years >= m.t0
        lw, z = (2.6, 5) if strong else (1.7, 4)
        if np.nanmax(np.abs(high[ahead] - low[ahead]), initial=0.0) > 1e-9:
            ax.fill_between(years[ahead], low[ahead], high[ahead], color=colors[k], alpha=0.18, lw=0, zorder=2)
        ax.plot(years[past], high[past], color=colors[k], lw=lw, zorder=z, gid=f"member:{k}")
        ax.plot(years[ahead], high[ahead], color=colors[k], lw=lw, ls=DASHED, zorder=z, gid=f"member:{k}:path")
        if strong:
            status = np.array(m.status)
            for kind, face in (("actual", colors[k]), ("estimate", "white")):
                pts = past & (status == kind)
                ax.plot(years[pts], high[pts], "o", ms=4.5, color=colors[k], mfc=face, mew=1.4, zorder=6)
        series.append((years, high))
        if not np.allclose(high, low, equal_nan=True):
            series.append((years, low))
    # The levels, each labelled where no member's line passes (left, then right of the last data).
    box = ax.get_position()
    inches = fig.get_size_inches()
    per_pt_x = (end + 0.6 - (first - 0.6)) / (box.width * inches[0] * 72)
    per_pt_y = ymax / (box.height * inches[1] * 72)
    placed: list[tuple[float, float, float, float]] = []
    for r in refs:
        level = r.line.level_pct_gdp
        ax.plot([first - 0.6, end + 0.6], [level, level], color=r.color, ls=LEVEL_STYLE, lw=REF_WIDTH, zorder=3,
                gid=f"line:{r.line.id}")  # fmt: skip
        text = ref_label(r)
        w, hgt = (text_width(text, 8.5, "bold") + 4) * per_pt_x, 8.5 * 1.3 * per_pt_y
        spots: list[tuple[float, float, str, str]] = []
        for x0 in (first - 0.2, float(h.t0) + 0.4):
            spots += [(x0, level + 2 * per_pt_y, "left", "bottom"), (x0, level - 2 * per_pt_y, "left", "top")]
        spot = spots[0]
        for x0, y0, ha, va in spots:
            lo, hi = (y0, y0 + hgt) if va == "bottom" else (y0 - hgt, y0)
            clear = all(x0 + w < p[0] or x0 > p[1] or hi < p[2] or lo > p[3] for p in placed)
            if hi <= ymax and lo >= 0 and clear and _free(ax, series, x0, x0 + w, lo, hi):
                spot = (x0, y0, ha, va)
                placed.append((x0, x0 + w, lo, hi))
                break
        ax.text(spot[0], spot[1], text, ha=spot[2], va=spot[3], fontsize=8.5,
                color=legible(r.color, TEXT_CONTRAST, "#ffffff", SHADE), fontweight="bold", path_effects=HALO,
                zorder=7, gid=f"label:line:{r.line.id}")  # fmt: skip
    # Each member's name at the end of its line, nudged apart.
    names = [k for k in [*others, highlight] if ok(at(ms[k], ms[k].pct["high"], end))]
    # Ties at the end year are ordered as the lines run just before it.
    before = {k: np.nan_to_num(at(ms[k], ms[k].pct["high"], end - 1)) for k in names}
    names.sort(key=lambda k: (round(at(ms[k], ms[k].pct["high"], end), 6), before[k]))
    ys = centred([at(ms[k], ms[k].pct["high"], end) for k in names], LABEL_SIZE * 1.35 * per_pt_y, 0, ymax)
    for k, y in zip(names, ys, strict=True):
        ax.annotate(
            country_name(k), (end, y), xytext=(end + 0.9, y), va="center", fontsize=LABEL_SIZE, color=colors[k],
            fontweight="bold" if k == highlight else "normal", annotation_clip=False,
        )  # fmt: skip
    ax.yaxis.set_major_formatter(FuncFormatter(pct))
    return fig
