"""Procurement: spending on major equipment each year and summed over the projection."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from budget.charts.frame import assumptions, figure, legend_below, mark_projection, publisher, source_note, style_axes
from budget.charts.style import BLUE, DOTTED, GREY, INK, VERMILION, D, P, finite, literal, num, ok, top
from budget.pledges import equipment_guideline
from budget.scenario import Scenario

GUIDE = "equipment_guideline_usd_bn"  # the equipment guideline's amount, a column of a projection
SHARE = "equipment_pct_defense"  # the data's equipment share of defense spending


@literal
def plot_procurement(df: pd.DataFrame, scenario: Scenario) -> Figure:
    """Major-equipment spending, USD billion at current prices: each year, and summed over the projection.

    History is the data's equipment share times defense spending where the share is available;
    missing years stay blank (never zero). The projection is a band from the low to the high share.
    """
    df = finite(df)
    s, t0, first, end = scenario, scenario.data.last_data_year, int(df.index[0]), scenario.end_year
    lo, hi = s.procurement_low_pct, s.procurement_high_pct
    who = publisher(s.data, SHARE)
    fig, (ax, cum) = figure(
        f"{s.data.name}'s spending on major equipment, {first}{D}{end}",
        [
            f"Scenario: {s.title}",
            f"Projection: {lo:g}{D}{hi:g}{P} of defense spending on major equipment incl. "
            f"related R&D\u00a0· {assumptions(df, s)}",
        ],
        source_note(s),
        ncols=2,
        width_ratios=[2, 1],
        right=0.97,
        titles=0.03,
    )
    style_axes(ax, "USD billion, current prices", first, end)
    mark_projection(ax, t0, end)
    hist = df.loc[:t0, "procurement_usd_bn_low"]
    known, missing = hist.dropna(), hist.index[hist.isna()]
    est = (s.data.statuses(SHARE).reindex(known.index) == "estimate").to_numpy() if who else np.zeros(len(known), bool)
    ax.bar(known.index, known, width=0.7, color=BLUE, edgecolor=BLUE, zorder=3)
    ax.bar(known.index[est], known[est], width=0.7, color="white", edgecolor=BLUE, lw=1.4, zorder=3)
    if len(missing):  # a gap, not zeros: the data hold no equipment share for these years
        a, b = missing.min(), missing.max()
        ax.axvspan(a - 0.45, b + 0.45, facecolor="none", edgecolor="#e2e2e2", hatch="//", lw=0, zorder=0.5)
        ax.text(
            (a + b) / 2,
            0.72,
            f"No data\n{a}{D}{b}:\nequipment\nshares missing",
            ha="center",
            va="center",
            transform=ax.get_xaxis_transform(),
            fontsize=8.5,
            color=GREY,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 3},
        )
    p = df.loc[t0 + 1 :]
    ax.fill_between(
        p.index, p["procurement_usd_bn_low"], p["procurement_usd_bn_high"], color=BLUE, alpha=0.3, lw=0, zorder=3
    )
    # The equipment guideline (where one binds the country): its share of the central defense path.
    guideline = equipment_guideline(s.data) if GUIDE in df else None
    guide = df[GUIDE] if guideline is not None else pd.Series(np.nan, index=df.index)
    if guideline is not None:
        ax.plot(guide.index, guide, color=VERMILION, ls=DOTTED, lw=1.8, zorder=4, gid=f"guideline:{guideline.id}")
    ax.set_ylim(0, top(df["procurement_usd_bn_high"], guide, pad=1.15))
    # Below the panels: the band can rise anywhere in the projection, so no corner is safe.
    estimates = ", ".join(map(str, known.index[est]))
    handles: list[Artist] = []
    if len(known):
        handles.append(Patch(color=BLUE, label=f"Actual ({who}: equipment share x defense spending)"))
    if estimates:
        handles.append(Patch(facecolor="white", edgecolor=BLUE, label=f"Estimate ({who}, {estimates})"))
    handles.append(
        Patch(color=BLUE, alpha=0.3, lw=0, label=f"Projection: {lo:g}{D}{hi:g}{P} of projected defense spending")
    )
    if guideline is not None:
        label = guideline.label.split(" (")[0] + " (of the central path)"
        handles.append(Line2D([], [], color=VERMILION, ls=DOTTED, lw=1.8, label=label))
    legend_below(fig, handles)
    ax.set_title("Each year", fontsize=10, loc="left", color=INK, fontweight="bold")
    # Summed in current prices from the first projection year; ends early if the path stops.
    c = df.loc[t0 + 1 : end, ["procurement_usd_bn_low", "procurement_usd_bn_high"]].assign(guide=guide)
    c = c.cumsum(skipna=False).dropna(subset=["procurement_usd_bn_low", "procurement_usd_bn_high"])
    style_axes(cum, "USD billion, current prices, summed", t0 + 1, end)
    cum.set_xticks(range(t0 + 1, end + 1, max(1, (end - t0 + 2) // 4)))
    cum.fill_between(c.index, c.iloc[:, 0], c.iloc[:, 1], color=BLUE, alpha=0.3, lw=0)
    if guideline is not None:
        cum.plot(c.index, c.iloc[:, 2], color=VERMILION, ls=DOTTED, lw=1.8)
    if len(c) and ok(c.iloc[-1, 0], c.iloc[-1, 1]):
        last = int(c.index[-1])
        early = last - t0 < (end - t0) / 2  # a path that stops early: the label goes right of its end
        low, high = num(c.iloc[-1, 0]), num(c.iloc[-1, 1])
        cum.annotate(
            f"USD {low:.0f}{D}{high:.0f} bn\nin {t0 + 1}{D}{last}",
            (last, high),
            xytext=(4 if early else -4, 6),
            textcoords="offset points",
            ha="left" if early else "right",
            fontsize=9,
            color=BLUE,
            fontweight="bold",
        )
    cum.set_ylim(0, top(c, pad=1.2))
    cum.set_title(f"Summed from {t0 + 1}", fontsize=10, loc="left", color=INK, fontweight="bold")
    return fig
