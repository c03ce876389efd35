"""Comparison: every scenario on one figure (``plot_comparison``), and scenarios against a
baseline (``plot_compare``).
"""

from __future__ import annotations

import itertools
from typing import Any

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from budget.charts import lines
from budget.charts.frame import (
    Entry,
    data_label,
    figure,
    legend_below,
    mark_projection,
    source_note,
    spread,
    style_axes,
)
from budget.charts.levels import plan_line
from budget.charts.style import GREY, HALO, INK, LOOKS, D, finite, finite_values, literal, top
from budget.scenario import Scenario

Projections = dict[str, tuple[Scenario, pd.DataFrame]]


def _range_entry(items: list[tuple[Scenario, pd.DataFrame]]) -> list[Entry]:
    if any(t.is_range for s, _ in items for t in s.targets):
        return [Patch(color=GREY, alpha=0.25, lw=0, label="Range between the low and the high end of a target")]
    return []


@literal
def plot_comparison(projections: Projections) -> Figure:
    """Every scenario: defense in USD billion (current prices) and in percent of GDP.

    History (the same data in every scenario) is drawn once in black; the lines that bind the
    country, which depend only on the data, are drawn in grey in the share panel (level and
    path) and labelled at the right. Every scenario is drawn; with many, the legend takes up to
    four columns in a smaller font.
    """
    projections = {name: (s, finite(df)) for name, (s, df) in projections.items()}
    items = list(projections.values())
    s0, df0 = max(items, key=lambda item: item[0].end_year)  # history and lines from the longest
    t0, first, end = s0.data.last_data_year, int(df0.index[0]), s0.end_year
    who = data_label(s0.data)
    refs = lines.refs(s0.data, mono=True)
    fig, (usd, pct) = figure(
        f"{s0.data.name}'s defense spending: scenarios compared",
        [
            "Each scenario's path follows its own targets and economy assumptions; history is "
            f"{who} data, the same in every scenario" + (f" ({len(items)} scenarios)" if len(items) > 12 else "")
        ],
        source_note(s for s, _ in items),
        ncols=2,
        right=0.87 if refs else 0.97,
    )
    looks = dict(zip(projections, itertools.cycle(LOOKS)))
    colors = {name: look[0] for name, look in looks.items()}
    panels = ((usd, "defense_usd_bn", "USD billion, current prices"), (pct, "defense_pct_gdp", "% of GDP"))
    for ax, col, label in panels:
        style_axes(ax, label, first, end)
        mark_projection(ax, t0, end)
        tops: list[Any] = [df[[f"{col}_high", col]] for _, df in items]
        tops += [df[col.replace("defense", "total")] for s, df in items if s.resilience is not None]
        if ax is pct:
            tops += [df0[c] for r in refs for c in lines.columns(r, "pct_gdp") if c is not None and c in df0]
            tops += [[r.line.level_pct_gdp] for r in refs]
        ax.set_ylim(0, top(*tops))
        plan_line(ax, df0, col, t0, INK, plan=False)
        for name, (s, df) in projections.items():
            plan_line(ax, df, col, t0, colors[name], history=False, ls=looks[name][1], gid=f"plan:{name}")
            if s.resilience is not None:  # core + resilience, thin, in the same color
                total = df.loc[t0:, col.replace("defense", "total")]
                ax.plot(
                    total.index,
                    total,
                    color=colors[name],
                    lw=1.2,
                    ls=looks[name][1],
                    zorder=4,
                    gid=f"plan:{name}:total",
                )
    lines.draw(pct, df0, refs, "pct_gdp", end)
    lines.label_right(pct, df0, refs, "pct_gdp", end)
    pct.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g} %"))
    handles: list[Entry] = [
        Line2D([], [], color=INK, lw=2.2, marker="o", ms=4.5, label=f"Actual ({who}; hollow: estimate)")
    ]
    handles += [
        (
            Line2D([], [], color=colors[n], lw=2.2, ls=looks[n][1], label=s.title),
            "; thin: + resilience" if s.resilience else "",
        )
        for n, (s, _) in projections.items()
    ]
    handles += _range_entry(items) + (lines.mono_entries(refs) if refs else [])
    legend_below(fig, handles, more=" scenarios: see comparison.csv", plain=False)
    return fig


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
    (_, (sb, dfb)), *others = projections.items()
    items = list(projections.values())
    s0, df0 = max(items, key=lambda item: item[0].end_year)  # history from the longest
    t0, first, end = s0.data.last_data_year, int(df0.index[0]), int(table.index[-1])
    p0 = int(table.index[0])
    direct = len(others) <= 8  # end labels 11 % of the panel's height apart: nine fit, the baseline's too
    totals: dict[str, str] = {}  # each scenario's difference summed over the projection
    for name, _ in others:
        cum = table[f"{name}__cumulative_diff_usd_bn"].dropna()
        if len(cum):
            total = round(float(cum.iloc[-1]), 1) + 0.0
            text = f"{total:+,.1f} bn".replace("-", "\u2212") if total else "no difference"
            if direct:
                totals[name] = f"{text}\nsummed {p0}{D}{cum.index[-1]}"
            else:
                totals[name] = text if cum.index[-1] == end else f"{text} to {cum.index[-1]}"
    where = "the label at the end of each line adds them up" if direct else "the legend gives their sum"
    fig, (usd, diff) = figure(
        f"{s0.data.name}'s defense spending: scenarios against a baseline",
        [
            f"Baseline (thick grey): {sb.title}",
            f"Right: each scenario's spending minus the baseline's, year by year; {where} over {t0 + 1}{D}{end}",
        ],
        source_note(s for s, _ in items),
        ncols=2,
        right=0.85,
        wspace=0.27,
        width_ratios=[1.3, 1],
        titles=0.03,
    )
    looks = dict(zip([n for n, _ in others], itertools.cycle(LOOKS)))
    colors = {name: look[0] for name, look in looks.items()}
    style_axes(usd, "USD billion, current prices", first, end)
    mark_projection(usd, t0, end)
    usd.set_ylim(0, top(*(df["defense_usd_bn_high"] for _, df in items), *(df["defense_usd_bn"] for _, df in items)))
    plan_line(usd, df0, "defense_usd_bn", t0, INK, plan=False)
    plan_line(usd, dfb, "defense_usd_bn", t0, GREY, history=False, ls="-", gid="plan:baseline")
    usd.lines[-1].set_linewidth(3.4)
    for name, (_, df) in others:
        plan_line(usd, df, "defense_usd_bn", t0, colors[name], history=False, ls=looks[name][1], gid=f"plan:{name}")
    style_axes(diff, "Scenario minus baseline,\nUSD billion, current prices", p0, end)
    diff.set_xlim(t0 - 0.4, end + 0.6)
    diff.axhline(0, color=GREY, lw=3.4, zorder=3)
    labels: list[list[Any]] = [[0.0, "Baseline", GREY, end]]
    for ax, title in ((usd, "Defense spending"), (diff, "More (+) or less (\u2212) than the baseline")):
        ax.set_title(title, fontsize=10, loc="left", color=INK, fontweight="bold")
    for name, _ in others:
        d = pd.concat([pd.Series({t0: 0.0}), table[f"{name}__diff_usd_bn"]]).dropna()
        diff.plot(d.index, d, color=colors[name], lw=2.2, ls=looks[name][1], zorder=4)
        diff.plot(d.index[1:], d.iloc[1:], "o", ms=3.5, color=colors[name], zorder=5)
        if direct and name in totals:
            labels.append([float(d.iloc[-1]), totals[name], colors[name], d.index[-1]])
    values = finite_values(table[[f"{n}__diff_usd_bn" for n, _ in others]])
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
    diff.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:+g}".replace("-", "\u2212") if v else "0"))
    handles: list[Entry] = [
        Line2D(
            [], [], color=INK, lw=2.2, marker="o", ms=4.5, label=f"Actual ({data_label(s0.data)}; hollow: estimate)"
        ),
        Line2D([], [], color=GREY, lw=3.4, label=f"Baseline: {sb.title}"),
    ]
    handles += [
        (
            Line2D([], [], color=colors[n], lw=2.2, ls=looks[n][1], label=s.title),
            "" if direct or n not in totals else f" ({totals[n]})",
        )
        for n, (s, _) in others
    ]
    handles += _range_entry(items)
    legend_below(fig, handles, more=" scenarios: see compare.csv", plain=False)
    return fig
