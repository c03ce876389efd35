"""Procurement: spending on major equipment each year and summed over the projection.

The title states the sum (``budget.charts.headline.procurement_title``), the same numbers as the
summed panel's label. History is drawn in dark grey bars (estimates outlined), the projection as
a band in the scenario's color from the low to the high equipment share.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from budget.charts import headline
from budget.charts.colors import scenario_color
from budget.charts.frame import (
    assumptions,
    country,
    figure,
    legend_below,
    mark_projection,
    money_note,
    publisher,
    source_note,
    style_axes,
    subtitle,
)
from budget.charts.style import DOTTED, GREY, INK, TEXT_CONTRAST, P, finite, legible, literal, num, ok, top
from budget.i18n import _, short
from budget.pledges import equipment_guideline
from budget.scenario import Scenario

BARS = "#4d4d4d"  # history: the data, the same in every scenario
BAND = 0.35  # the projection band's opacity
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
    base = scenario_color(s.name)
    ink = legible(base, TEXT_CONTRAST)
    c = summed(df, t0, end)
    last = int(c.index[-1]) if len(c) else end
    low, high = (num(c.iloc[-1, i]) if len(c) else float("nan") for i in (0, 1))
    title = (
        headline.procurement_title(country(s.data), (low, high), t0 + 1, last)
        if ok(low, high)
        else _("{country}'s spending on major equipment, {first}–{end}").format(
            country=country(s.data), first=first, end=end
        )
    )
    what = _("Spending on major equipment incl. related R&D, USD billion at current prices")
    settings = " ".join(
        [
            _("Projection: {low}–{high} % of defense spending on major equipment.").format(
                low=short(lo), high=short(hi)
            ),
            _("History: {publisher}'s equipment share of defense spending x defense spending.").format(publisher=who)
            if who
            else "",
            assumptions(df, s),
            money_note(s.data),
        ]
    ).replace(" %", P)
    fig, (ax, cum) = figure(
        title,
        [subtitle(what, s.title)],
        source_note(s, settings),  # fitted as one line of words: no-break spaces kept
        ncols=2,
        width_ratios=[2, 1],
        right=0.97,
        titles=0.03,
    )
    style_axes(ax, _("USD billion, current prices"), first, end)
    mark_projection(ax, t0, end)
    hist = df.loc[:t0, "procurement_usd_bn_low"]
    known, missing = hist.dropna(), hist.index[hist.isna()]
    est = (s.data.statuses(SHARE).reindex(known.index) == "estimate").to_numpy() if who else np.zeros(len(known), bool)
    ax.bar(known.index, known, width=0.7, color=BARS, edgecolor=BARS, zorder=3)
    ax.bar(known.index[est], known[est], width=0.7, color="white", edgecolor=BARS, lw=1.4, zorder=3)
    if len(missing):  # a gap, not zeros: the data hold no equipment share for these years
        a, b = missing.min(), missing.max()
        ax.axvspan(a - 0.45, b + 0.45, facecolor="none", edgecolor="#e2e2e2", hatch="//", lw=0, zorder=0.5)
        ax.text(
            (a + b) / 2,
            0.72,
            _("No data\n{first}–{last}:\nequipment\nshares missing").format(first=a, last=b),
            ha="center",
            va="center",
            transform=ax.get_xaxis_transform(),
            fontsize=8.5,
            color=GREY,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 3},
            gid="label:no-data",
        )
    p = df.loc[t0 + 1 :]
    ax.fill_between(
        p.index, p["procurement_usd_bn_low"], p["procurement_usd_bn_high"], color=base, alpha=BAND, lw=0, zorder=3
    )
    # The equipment guideline (where one binds the country): its share of the central defense path.
    guideline = equipment_guideline(s.data) if GUIDE in df else None
    guide = df[GUIDE] if guideline is not None else pd.Series(np.nan, index=df.index)
    if guideline is not None:
        ax.plot(guide.index, guide, color=INK, ls=DOTTED, lw=1.6, zorder=4, gid=f"guideline:{guideline.id}")
    ax.set_ylim(0, top(df["procurement_usd_bn_high"], guide, pad=1.15))
    # Below the panels: the band can rise anywhere in the projection, so no corner is safe.
    handles: list[Artist] = []
    if len(known):
        label = _("Actual ({publisher})").format(publisher=who) if who else _("Actual")
        handles.append(Patch(color=BARS, label=label))
    if est.any():
        label = _("Estimate ({publisher})").format(publisher=who) if who else _("Estimate")
        handles.append(Patch(facecolor="white", edgecolor=BARS, label=label))
    label = _("Projection: {low}–{high} % of defense spending").format(low=short(lo), high=short(hi))
    handles.append(Patch(color=base, alpha=BAND, lw=0, label=label.replace(" %", P)))
    if guideline is not None:
        label = _(guideline.label).split(" (")[0].replace(" %", P)
        handles.append(Line2D([], [], color=INK, ls=DOTTED, lw=1.6, label=label))
    legend_below(fig, handles)
    ax.set_title(_("Each year"), fontsize=10, loc="left", color=INK, fontweight="bold")
    c = c.assign(guide=guide.loc[t0 + 1 : end].cumsum(skipna=False))
    style_axes(cum, _("USD billion, current prices, summed"), t0 + 1, end)
    cum.set_xticks(range(t0 + 1, end + 1, max(1, (end - t0 + 2) // 4)))
    cum.fill_between(c.index, c.iloc[:, 0], c.iloc[:, 1], color=base, alpha=BAND, lw=0)
    if guideline is not None:
        cum.plot(c.index, c.iloc[:, 2], color=INK, ls=DOTTED, lw=1.6)
    cum.set_ylim(0, top(c, pad=1.25))
    if len(c) and ok(low, high):
        early = last - t0 < (end - t0) / 2  # a path that stops early: the label goes right of its end
        cum.annotate(
            _("{amount}\nin {first}–{last}").format(amount=headline.usd((low, high), 0), first=t0 + 1, last=last),
            (last, high),
            xytext=(4 if early else -4, 6),
            textcoords="offset points",
            ha="left" if early else "right",
            fontsize=9,
            color=ink,
            fontweight="bold",
            gid="label:summed",
        )
    cum.set_title(_("Summed from {year}").format(year=t0 + 1), fontsize=10, loc="left", color=INK, fontweight="bold")
    return fig


def summed(df: pd.DataFrame, t0: int, end: int) -> pd.DataFrame:
    """Procurement at the low and the high end summed in current prices from the first projection
    year (USD bn); it ends early where the path stops.
    """
    c = df.loc[t0 + 1 : end, ["procurement_usd_bn_low", "procurement_usd_bn_high"]]
    return c.cumsum(skipna=False).dropna()
