"""Group path: an alliance's total defense spending in US dollars (current and constant prices)
and as a share of its GDP, against every member holding its last data year's share.

History is solid up to the last year with a figure for every member, the projection dashed; the
band between the low and the high end is drawn where they differ. The extra cost of the rule
(spending minus holding shares, USD bn at current prices) is shaded and summed over
``cumulative_from``..``end_year``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from budget.aggregate import Alliance, Member, window_sum
from budget.charts import alliance_headline, lines
from budget.charts.frame import Entry, figure, legend_below, mark_projection, style_axes
from budget.charts.frame import subtitle as frame_subtitle
from budget.charts.members import alliance_note, core_refs, pct, rules_text, uses_paths
from budget.charts.output import save
from budget.charts.style import BLUE, DASHED, GREY, INK, ORANGE, VERMILION, P, finite, literal, num, ok, span, top
from budget.i18n import _, money
from budget.i18n import num as number


def _line(ax: Axes, years: np.ndarray, values: np.ndarray, h0: int, color: str, gid: str, lw: float = 2.2) -> None:
    """History solid up to ``h0``, the projection dashed from it."""
    past, ahead = years <= h0, years >= h0
    ax.plot(years[past], values[past], color=color, lw=lw, zorder=4, gid=f"{gid}:history")
    ax.plot(years[ahead], values[ahead], color=color, lw=lw, ls=DASHED, zorder=4, gid=f"{gid}:projection")


def _band(ax: Axes, years: np.ndarray, low: np.ndarray, high: np.ndarray, h0: int, color: str) -> bool:
    """The band between the ends of the range where they differ; True if one is drawn."""
    ahead = years >= h0
    with np.errstate(invalid="ignore"):
        ranged = bool(np.nanmax(np.abs(high[ahead] - low[ahead]), initial=0.0) > 1e-9)
    if ranged:
        ax.fill_between(years[ahead], low[ahead], high[ahead], color=color, alpha=0.2, lw=0, zorder=2, gid="range")
    return ranged


def _bn(v: float) -> str:
    return number(v, 0)


@literal
def group_path(a: Alliance, ms: dict[str, Member], g: pd.DataFrame, folder: Path) -> Path:
    """The group's defense spending in USD bn (current prices, and constant prices of
    ``a.prices_base_year``) and in % of GDP (sum of spending over sum of GDP), against every member
    holding its last data year's share; the lines that bind every member (core) as levels. The
    note says the straight paths are an assumption. Writes ``folder/group_path.png``.
    """
    path = Path(folder) / "group_path.png"
    save(group_path_figure(a, ms, g), path)
    return path


def group_path_figure(a: Alliance, ms: dict[str, Member], g: pd.DataFrame) -> Figure:
    """The group path chart (see ``group_path``) as a figure."""
    g = finite(g)
    keys, end, base = list(ms), a.end_year, a.prices_base_year
    h0 = min(m.t0 for m in ms.values())  # the last year every member has a figure
    latest = max(m.t0 for m in ms.values())
    later = sum(m.t0 < latest for m in ms.values())
    g = g.loc[:end]
    years = g.index.to_numpy()
    first = int(years[0])
    needed = [f"{s}_{e}" for s in ("defense_usd_bn", "defense_pct_gdp") for e in ("low", "high")]
    needed += ["defense_usd_bn_const", "hold_usd_bn", "hold_pct_gdp"]
    col = {c: g[c].to_numpy(dtype=float) for c in needed}
    start = a.cumulative_from
    extra = {e: window_sum(g, f"extra_usd_bn_{e}", start, end) for e in ("low", "high")}
    known = sorted(v for v in extra.values() if ok(v))
    extra_text = money(span(known[0], known[-1], _bn), "USD") if known else ""
    share_end = [num(g[f"defense_pct_gdp_{e}"].get(end)) for e in ("low", "high")]
    share_text = span(min(share_end), max(share_end), lambda v: number(v, 2)) + P if all(map(ok, share_end)) else ""
    hold_end = num(g["hold_pct_gdp"].get(end))
    title = alliance_headline.group_path_title(_(a.group.label), share_text, end, extra_text, start, first)
    rates = {
        "constant_real": _("real exchange rates held beyond the data"),
        "held": _("nominal exchange rates held beyond the data"),
    }.get(a.exchange_rates, "")
    settings = [_("Rules: {rules}.").format(rules=rules_text(a, keys, flag=False))]
    if uses_paths(a, keys):
        settings.append(_("Straight paths are our assumption, not a published plan."))
    settings.append(_("Solid: data to {year}, the last year with a figure for every member.").format(year=h0))
    if later:
        settings.append(
            _("{year} includes the paths of {n} members whose figures end in {last}.").format(
                year=latest, n=later, last=h0
            )
        )
    settings.append(
        _("Share: spending summed over GDP summed, in USD; {rates}.").format(rates=rates)
        if rates
        else _("Share: spending summed over GDP summed, in USD.")
    )
    what = _("Defense spending of the group, {first}–{end}").format(first=first, end=end)
    subtitle = [frame_subtitle(what, a.title)]
    refs = core_refs(keys)
    fig, (usd, share) = figure(
        title,
        subtitle,
        alliance_note(a, keys, refs, " ".join(settings)),
        ncols=2,
        right=0.87 if refs else 0.97,
        titles=0.035,
        wspace=0.24,
    )
    ranged = False
    # Left: USD bn.
    style_axes(usd, _("USD billion"), first, end)
    mark_projection(usd, h0, end)
    low, high = col["defense_usd_bn_low"], col["defense_usd_bn_high"]
    hold = col["hold_usd_bn"]
    usd.set_ylim(0, top(high, low, hold, col["defense_usd_bn_const"]))
    window = (years >= start) & (years <= end)
    if extra_text:
        usd.fill_between(
            years[window], hold[window], high[window], color=ORANGE, alpha=0.22, lw=0, zorder=1.5, gid="extra"
        )
    ranged |= _band(usd, years, low, high, h0, BLUE)
    ahead = years >= h0
    usd.plot(years[ahead], hold[ahead], color=GREY, lw=1.8, ls=DASHED, zorder=3.5, gid="hold")
    _line(usd, years, col["defense_usd_bn_const"], h0, VERMILION, "constant", lw=1.8)
    _line(usd, years, high, h0, BLUE, "current")
    # Right: % of GDP.
    style_axes(share, _("% of GDP"), first, end)
    mark_projection(share, h0, end)
    slow, shigh, shold = col["defense_pct_gdp_low"], col["defense_pct_gdp_high"], col["hold_pct_gdp"]
    share.set_ylim(0, top(slow, shigh, shold, [r.line.level_pct_gdp for r in refs]))
    ranged |= _band(share, years, slow, shigh, h0, BLUE)
    share.plot(years[ahead], shold[ahead], color=GREY, lw=1.8, ls=DASHED, zorder=3.5, gid="hold")
    _line(share, years, shigh, h0, BLUE, "share")
    drawn = [lines.Ref(r.line, r.color, r.line.year if r.passed else h0, r.passed) for r in refs]
    frame = pd.DataFrame(index=g.index)
    lines.draw(share, frame, drawn, "pct_gdp", end)
    lines.label_right(share, frame, drawn, "pct_gdp", end)
    share.yaxis.set_major_formatter(FuncFormatter(pct))
    panels = ((usd, _("Defense spending, USD billion")), (share, _("Defense spending, share of the group's GDP")))
    for ax, text in panels:
        ax.set_title(text, fontsize=10, loc="left", color=INK, fontweight="bold")
    if ok(hold_end):
        # On the side with more room between the held line and the nearest other line (the path's
        # end, a pledge level, the axis): the label then crosses none of them.
        others = [float(np.asarray(shigh)[-1]), *(r.line.level_pct_gdp for r in refs)]
        room_above = min([o - hold_end for o in others if o > hold_end] + [share.get_ylim()[1] - hold_end])
        room_below = min([hold_end - o for o in others if o < hold_end] + [hold_end])
        below = room_below > room_above
        share.annotate(
            _("held: {share}").format(share=f"{number(hold_end, 2)}{P}"),
            (end, hold_end),
            xytext=(-4, -4 if below else 4),
            textcoords="offset points",
            ha="right",
            va="top" if below else "bottom",
            fontsize=8,
            color=GREY,
            gid="label:held",
        )
    handles: list[Entry] = [
        Line2D([], [], color=BLUE, lw=2.2, label=_("Spending, current prices (dashed: projection)")),
        Line2D(
            [],
            [],
            color=VERMILION,
            lw=1.8,
            label=_("Spending, constant {year} prices and exchange rates").format(year=base),
        ),
        Line2D([], [], color=GREY, lw=1.8, ls=DASHED, label=_("If each member held its last share")),
    ]
    if extra_text:
        label = _("Extra over holding, {start}–{end}: {amount}").format(start=start, end=end, amount=extra_text)
        handles.append(Patch(color=ORANGE, alpha=0.22, lw=0, label=label))
    if ranged:
        handles.append(Patch(color=BLUE, alpha=0.2, lw=0, label=_("Range, low to high end of the rules")))
    if refs:
        handles.append(Line2D([], [], color=GREY, lw=1.5, label=_("Pledge levels (labelled at right)")))
    legend_below(fig, handles, ncols=2)
    return fig
