"""Comparison charts: every scenario of one country (``plot_comparison``, ``comparison.png``: one
panel with labelled line ends, or small multiples past ``MULTIPLES_ABOVE`` scenarios), and
scenarios against a baseline (``plot_compare``, ``compare.png``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter
from matplotlib.transforms import blended_transform_factory

from budget.charts import roster
from budget.charts.colors import looks_for
from budget.charts.frame import (
    Entry,
    country,
    data_label,
    figure,
    legend_below,
    mark_projection,
    source_note,
    spread,
    style_axes,
)
from budget.charts.levels import plan_line
from budget.charts.placement import stack
from budget.charts.style import (
    DASHED,
    GREY,
    HALO,
    INK,
    LEVEL_STYLE,
    finite,
    finite_values,
    fit,
    legible,
    literal,
    localized,
    percent,
    text_width,
    top,
)
from budget.i18n import _
from budget.i18n import num as number
from budget.lineup import DEFAULT_UNIT, amount
from budget.scenario import Scenario

Projections = dict[str, tuple[Scenario, pd.DataFrame]]


def _range_entry(items: list[tuple[Scenario, pd.DataFrame]]) -> list[Entry]:
    if any(t.is_range for s, _df in items for t in s.targets):
        label = _("Range between the low and the high end of a target")
        return [Patch(color=GREY, alpha=0.25, lw=0, label=label)]
    return []


@literal
def plot_comparison(projections: Projections, unit: str = DEFAULT_UNIT, highlight: Sequence[str] = ()) -> Figure:
    """Every scenario of one country, readable from 2 to 40: defense spending in ``unit``
    (``budget.lineup.UNITS``: % of GDP by default, USD or local currency bn at current prices).

    The title states the finding (``budget.lineup.finding``). Up to ``MULTIPLES_ABOVE``
    scenarios share one panel: history once in black, the highlighted scenarios in their colours
    (``budget.charts.colors``), the others thin grey, each labelled at its end (labels stacked
    without overlap, joined to their lines, highest level first), and in % of GDP the core lines
    that bind the country as grey levels labelled among them. More scenarios: one small panel
    each (``budget.charts.panels``). ``highlight`` names the scenarios in colour (default:
    ``budget.lineup.default_highlight``).
    """
    r = roster.build(projections, unit, highlight)
    if len(r.order) > MULTIPLES_ABOVE:
        from budget.charts.panels import plot_panels

        return plot_panels(r)
    labels = _end_labels(r)
    widest = max((text_width(f"{t.name}  {t.value}", LABEL_SIZE, "bold") for t in labels), default=0.0)
    right = min(max(1 - (widest + LEADER + 14) / 720, 0.62), 0.9)
    fig, (ax,) = figure(r.title, [r.subtitle], r.note, right=right)
    style_axes(ax, r.axis, r.first, r.end)
    mark_projection(ax, r.t0, r.end)
    refs = r.refs()
    chosen = [n for n in r.order if n in r.looks]
    ranged = [r.projections[n][1].loc[r.t0 :, [f"{r.col}_low", f"{r.col}_high"]] for n in chosen]
    ax.set_ylim(0, top(*(r.path(n)[1] for n in r.order), *ranged, [g[0].line.level_pct_gdp for g in refs]))
    _history(ax, r.history, r.col, r.t0)
    for group in refs:
        ref = group[0]
        ax.plot([ref.start, r.end], [ref.line.level_pct_gdp] * 2, color=GREY, ls=LEVEL_STYLE, lw=1.0, zorder=2,
                gid=f"line:{ref.line.id}:level")  # fmt: skip
    for name in reversed(r.order):  # the highest on top
        x, y = r.path(name)
        look = r.looks.get(name)
        if look is None:
            ax.plot(x, y, color=OTHER, lw=1.1, ls=DASHED, zorder=3, gid=f"plan:{name}")
            continue
        color = legible(look.color)
        ax.plot(x, y, color=color, lw=2.2, ls=look.dash, zorder=4, gid=f"plan:{name}")
        low, high = (r.projections[name][1].loc[r.t0 :, f"{r.col}_{e}"].to_numpy(dtype=float) for e in ("low", "high"))
        if np.nanmax(np.abs(high - low), initial=0.0) > 1e-9:
            ax.fill_between(x, low, high, color=look.color, alpha=0.2, lw=0, zorder=2, gid=f"plan:{name}:range")
    if r.unit == "pct_gdp":
        ax.yaxis.set_major_formatter(FuncFormatter(percent))
    _place(fig, ax, labels)
    return fig


LABEL_SIZE = 8.0
LEADER = 14.0  # points from the end of the axes to the labels
OTHER = "#a6a6a6"  # the scenarios not highlighted
MULTIPLES_ABOVE = roster.MULTIPLES_ABOVE


def _history(ax: Axes, df: pd.DataFrame, col: str, t0: int) -> None:
    """History once, in black: solid, estimates as hollow markers."""
    past = df.loc[:t0]
    years, values, status = past.index.to_numpy(), past[col].to_numpy(dtype=float), past["status"].to_numpy()
    ax.plot(years, values, color=INK, lw=2.2, zorder=5, gid="history")
    for kind, face in (("actual", INK), ("estimate", "white")):
        pts = status == kind
        ax.plot(years[pts], values[pts], "o", ms=4.5, color=INK, mfc=face, mew=1.4, zorder=6)


@dataclass(frozen=True)
class EndLabel:
    """A label at the end of a line: what it says, the point it labels (data units), its look."""

    name: str
    value: str
    x: float
    y: float
    color: str  # of the leader joining it to its line
    bold: bool = False
    italic: bool = False
    gid: str = "end-label"


def _end_labels(r: roster.Roster) -> list[EndLabel]:
    """A label per scenario with a value (its name and level) and per group of core lines."""
    out: list[EndLabel] = []
    for name in r.order:
        x, y = r.path(name)
        known = np.flatnonzero(np.isfinite(y))
        if not len(known):
            continue
        end = known[-1]
        value = r.values[name] or amount(float(y[end]), r.unit, r.projections[name][0].data.currency)
        look = r.looks.get(name)
        color = legible(look.color) if look else OTHER
        out.append(EndLabel(r.labels[name], value, float(x[end]), float(y[end]), color, bold=look is not None))
    for group in r.refs():
        level = group[0].line.level_pct_gdp
        out.append(EndLabel("", roster.line_label(group), float(r.end), level, GREY, italic=True, gid="end-label:line"))
    return out


def _place(fig: Figure, ax: Axes, labels: list[EndLabel]) -> None:
    """Stack the labels right of the axes, each as near its line's end as the others leave room
    for (``budget.charts.placement.stack``), joined to it by a thin leader in the line's colour:
    level from the line's end to the edge of the axes, then to the label.
    """
    fig_w, fig_h = fig.get_size_inches() * 72
    box = ax.get_position()
    height = box.height * fig_h
    (x0, x1), (lo, hi) = ax.get_xlim(), ax.get_ylim()
    width = (1 - box.x1) * fig_w - LEADER - 8  # points for a label's text
    wanted = [(label.y - lo) / (hi - lo) * height for label in labels]
    centres = stack(wanted, LABEL_SIZE * 1.3, 0.0, height)
    where = blended_transform_factory(ax.transAxes, ax.transData)
    start = 1 + LEADER / (box.width * fig_w)  # the labels' left edge, in axes fractions
    reach = x0 + (start - 3 / LEADER * (start - 1)) * (x1 - x0)  # the leader's end, 3 points before the text
    for label, centre in zip(labels, centres, strict=True):
        weight = "bold" if label.bold else "normal"
        shown = fit(label.name, width, LABEL_SIZE, weight, tail=f"  {label.value}") if label.name else label.value
        y = lo + centre / height * (hi - lo)
        ax.text(start, y, shown, transform=where, va="center", ha="left", fontsize=LABEL_SIZE, fontweight=weight,
                fontstyle="italic" if label.italic else "normal", color=INK if label.bold else GREY,
                clip_on=False, gid=label.gid)  # fmt: skip
        ax.plot([label.x, x1, reach], [label.y, label.y, y], color=label.color, lw=0.9, clip_on=False, zorder=2.5,
                gid=f"{label.gid}:leader")  # fmt: skip


@literal
def plot_compare(projections: Projections) -> Figure:
    """Scenarios against the first (the baseline): spending, and the difference each year.

    Left: defense in USD billion at current prices, history once in black, the baseline thick.
    Right: each year's spending minus the baseline's (USD billion, current prices; the zero line
    is the baseline), each line labelled at its end with the total difference summed over the
    projection (``budget.compare.compare``). When there are too many lines to label (more than
    eight), the totals go into the legend instead.
    """
    from budget.compare import compare

    projections = {name: (s, finite(df)) for name, (s, df) in projections.items()}
    table = finite(compare(projections))
    (_base, (sb, dfb)), *others = projections.items()
    items = list(projections.values())
    s0, df0 = max(items, key=lambda item: item[0].end_year)  # history from the longest
    t0, first, end = s0.data.last_data_year, int(df0.index[0]), int(table.index[-1])
    p0 = int(table.index[0])
    direct = len(others) <= 8  # end labels 11 % of the panel's height apart: nine fit, the baseline's too
    totals: dict[str, str] = {}  # each scenario's difference summed over the projection
    for name, _frame in others:
        cum = table[f"{name}__cumulative_diff_usd_bn"].dropna()
        if len(cum):
            total = round(float(cum.iloc[-1]), 1) + 0.0
            signed = ("+" if total > 0 else "") + number(total, 1)
            text = _("{amount} bn").format(amount=signed) if total else _("no difference")
            if direct:
                totals[name] = _("{total}\nsummed {first}–{last}").format(total=text, first=p0, last=cum.index[-1])
            else:
                totals[name] = (
                    text if cum.index[-1] == end else _("{total} to {year}").format(total=text, year=cum.index[-1])
                )
    where = _("the label at the end of each line adds them up") if direct else _("the legend gives their sum")
    fig, (usd, diff) = figure(
        _("Defense spending of {country}: scenarios against a baseline").format(country=country(s0.data)),
        [
            _("Baseline (thick grey): {title}").format(title=_(sb.title.strip())),
            _("Right: each scenario's spending minus the baseline's, year by year; {where} over {first}–{end}").format(
                where=where, first=t0 + 1, end=end
            ),
        ],
        source_note(s for s, _df in items),
        ncols=2,
        right=0.85,
        wspace=0.27,
        width_ratios=[1.3, 1],
        titles=0.03,
    )
    looks = looks_for(n for n, _frame in others)  # a name's colour follows it from run to run
    colors = {name: look.color for name, look in looks.items()}
    style_axes(usd, _("USD billion, current prices"), first, end)
    mark_projection(usd, t0, end)
    usd.set_ylim(0, top(*(df["defense_usd_bn_high"] for _s, df in items), *(df["defense_usd_bn"] for _s, df in items)))
    plan_line(usd, df0, "defense_usd_bn", t0, INK, plan=False)
    plan_line(usd, dfb, "defense_usd_bn", t0, GREY, history=False, ls="-", gid="plan:baseline")
    usd.lines[-1].set_linewidth(3.4)
    for name, (_s, df) in others:
        plan_line(usd, df, "defense_usd_bn", t0, colors[name], history=False, ls=looks[name].dash, gid=f"plan:{name}")
    style_axes(diff, _("Scenario minus baseline,\nUSD billion, current prices"), p0, end)
    diff.set_xlim(t0 - 0.4, end + 0.6)
    diff.axhline(0, color=GREY, lw=3.4, zorder=3)
    labels: list[list[Any]] = [[0.0, _("Baseline"), GREY, end]]
    for ax, title in ((usd, _("Defense spending")), (diff, _("More (+) or less (\u2212) than the baseline"))):
        ax.set_title(title, fontsize=10, loc="left", color=INK, fontweight="bold")
    for name, _frame in others:
        d = pd.concat([pd.Series({t0: 0.0}), table[f"{name}__diff_usd_bn"]]).dropna()
        diff.plot(d.index, d, color=colors[name], lw=2.2, ls=looks[name].dash, zorder=4)
        diff.plot(d.index[1:], d.iloc[1:], "o", ms=3.5, color=colors[name], zorder=5)
        if direct and name in totals:
            labels.append([float(d.iloc[-1]), totals[name], colors[name], d.index[-1]])
    values = finite_values(table[[f"{n}__diff_usd_bn" for n, _frame in others]])
    lo, hi = min(0.0, float(values.min(initial=0.0))), max(0.0, float(values.max(initial=0.0)))
    pad = max(hi - lo, 1.0) * 0.12
    diff.set_ylim(lo - pad, hi + pad)
    # Nudge the end labels apart so none overlap, then back under the top.
    spread(labels, (hi - lo + 2 * pad) * 0.11, lo - pad - 1, hi + pad)
    for y, text, color, x in labels:
        diff.annotate(
            text,
            (x, y),
            xytext=(x + 0.6, y),
            va="center",
            fontsize=8,
            color=color,
            fontweight="bold",
            annotation_clip=False,
            linespacing=1.1,
            path_effects=HALO,
        )
    diff.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: localized(f"{v:+g}") if v else "0"))
    actual = _("Actual ({publisher}; hollow: estimate)").format(publisher=data_label(s0.data))
    handles: list[Entry] = [
        Line2D([], [], color=INK, lw=2.2, marker="o", ms=4.5, label=actual),
        Line2D([], [], color=GREY, lw=3.4, label=_("Baseline: {title}").format(title=_(sb.title.strip()))),
    ]
    handles += [
        (
            Line2D([], [], color=colors[n], lw=2.2, ls=looks[n].dash, label=_(s.title.strip())),
            "" if direct or n not in totals else f" ({totals[n]})",
        )
        for n, (s, _df) in others
    ]
    handles += _range_entry(items)
    legend_below(fig, handles, more=" " + _("scenarios: see compare.csv"), plain=False)
    return fig
