"""Outturn: the defense ministry's budget as passed and final against what it spent, each year.

Three bars a year (``budget.outturn.outturn_table``): the budget as passed (light grey), the final
budget (grey) and the outturn (ink; hollow where it is an estimate, a year-end or preliminary
figure before the state closing account). The budget as amended in the year is a vermilion mark
on the passed bar, a second source that disagrees on the passed budget a cross. NATO's figure (its
share of GDP x GDP: all defense spending, also outside the ministry) is a blue line, estimates
hollow. A row above the axes gives each year's execution rate (outturn / final budget); the title
states their range, computed from the same numbers. A year without a bar is a value not found.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from budget import __version__
from budget.charts.frame import Years, figure, legend_below, style_axes, subtitle
from budget.charts.style import BLUE, GREY, INK, LINE_WIDTH, NOTE_SIZE, VERMILION, fit, literal, top
from budget.charts.words import SETTINGS_LINES
from budget.history import load_sources
from budget.i18n import _, billions, ngettext, num, pct
from budget.scenario import Scenario

PASSED, FINAL = "#c4c4c4", "#858585"  # greys a step apart, also printed in greyscale
WIDTH = 0.27  # each bar's width in years; three bars and a gap make a year


def title(rates: pd.Series) -> str:
    """The finding: the range of the execution rates (outturn / final budget, %) and their years."""
    if rates.empty:
        return _("What the defense ministry was given and what it spent")
    years = [int(y) for y in rates.index]
    low, high = num(float(rates.min()), 0), pct(float(rates.max()), 0)
    if len(years) == 1:
        return _("The defense ministry spent {rate} of its final budget in {year}").format(rate=high, year=years[0])
    return _("The defense ministry spent {low}–{high} of its final budget in {first}–{last}").format(
        low=low, high=high, first=years[0], last=years[-1]
    )


def note(frame: pd.DataFrame, cur: str) -> str:
    """The footnote: how to read the chart, a second source that disagrees, and the sources."""
    settings = [
        _(
            "Above the chart: the outturn in % of the final budget (the ministry's own measure; the final budget "
            "adds money carried over from earlier years to the budget as passed). Hollow: an estimate (a year-end "
            "or preliminary figure, before the state closing account; NATO's estimate). NATO's figure: NATO's share "
            "of GDP x GDP. No bar: not found."
        )
    ]
    for year, other in frame[f"budget_passed_other_{cur}_bn"].dropna().items():
        settings.append(
            _("{year}: a second source gives {other} for the budget as passed (x).").format(year=year, other=num(other))
        )
    src = load_sources()
    ids = [i for col in frame.columns if col.endswith("_source") for cell in frame[col] for i in str(cell).split("; ")]
    names = dict.fromkeys(_(src[i].publisher_short or src[i].publisher.split(" (")[0]) for i in ids if i)
    text = _("Sources: {publishers} (each value's source in outturn.csv).").format(publishers=", ".join(names))
    tail = " " + _("Chart: budget {version}").format(version=__version__).replace(" ", "\u00a0")
    sources = fit(text, LINE_WIDTH, NOTE_SIZE, max_lines=3, tail=tail)
    return f"{fit(' '.join(settings), LINE_WIDTH, NOTE_SIZE, max_lines=SETTINGS_LINES)}\n{sources}"


@literal
def plot_outturn(frame: pd.DataFrame, scenario: Scenario) -> Figure:
    """The budget as passed and final against the outturn, NATO's figure and the execution rates.

    ``frame`` is ``budget.outturn.outturn_table(scenario.data)`` (CZK bn for Czechia); the chart is
    the country's data, the same in every scenario of it, titled with the scenario for its folder.
    """
    c = scenario.data
    cur = c.cur
    years = frame.index.to_numpy()
    first, last = int(years[0]), int(years[-1])
    col = {stage: frame[f"{stage}_{cur}_bn"].to_numpy(dtype=float) for stage in ("budget_passed", "budget_final")}
    outturn = frame[f"outturn_{cur}_bn"].to_numpy(dtype=float)
    nato = frame[f"nato_{cur}_bn"].to_numpy(dtype=float)
    rates = frame["execution_final_pct"].dropna()
    what = _("Defense ministry budget and outturn, {unit} at current prices, {first}–{last}").format(
        unit=billions(c.currency), first=first, last=last
    )
    fig, (ax,) = figure(title(rates), [subtitle(what, scenario.title)], note(frame, cur), right=0.97, titles=0.06)
    style_axes(ax, _("{unit}, current prices").format(unit=billions(c.currency)), first, last)
    ax.xaxis.set_major_locator(Years(1))
    handles: list[Artist] = []
    for offset, stage, color, label in (
        (-WIDTH, "budget_passed", PASSED, _("Budget as passed")),
        (0.0, "budget_final", FINAL, _("Final budget (with money carried over)")),
    ):
        known = ~np.isnan(col[stage])
        ax.bar(years[known] + offset, col[stage][known], WIDTH, color=color, lw=0, zorder=2, gid=f"bar:{stage}")
        if known.any():
            handles.append(Patch(color=color, lw=0, label=label))
    estimate = (frame["outturn_status"] == "estimate").to_numpy() & ~np.isnan(outturn)
    actual = ~np.isnan(outturn) & ~estimate
    ax.bar(years[actual] + WIDTH, outturn[actual], WIDTH, color=INK, lw=0, zorder=2, gid="bar:outturn")
    ax.bar(
        years[estimate] + WIDTH, outturn[estimate], WIDTH, color="white", edgecolor=INK, lw=1.2, zorder=2,
        gid="bar:outturn:estimate",
    )  # fmt: skip
    if actual.any():
        handles.append(Patch(color=INK, lw=0, label=_("Outturn (final accounts)")))
    if estimate.any():
        handles.append(Patch(facecolor="white", edgecolor=INK, lw=1.2, label=_("Outturn, estimate (year-end figure)")))
    for stage, marker, color, size, label in (
        ("budget_amended", "_", VERMILION, 13, _("Budget as amended in the year")),
        ("budget_passed_other", "x", INK, 6, _("Budget as passed, a second source")),
    ):
        value = frame[f"{stage}_{cur}_bn"].to_numpy(dtype=float)
        known = ~np.isnan(value)
        if known.any():
            ax.plot(years[known] - WIDTH, value[known], marker, ms=size, mew=2.6, color=color, zorder=7, gid=stage)
            handles.append(Line2D([], [], ls="none", marker=marker, ms=size, mew=2.6, color=color, label=label))
    if not np.isnan(nato).all():
        ax.plot(years, nato, color=BLUE, lw=1.8, zorder=5, gid="nato")
        status = frame["nato_status"].to_numpy()
        for kind, face in (("actual", BLUE), ("estimate", "white")):
            pts = status == kind
            ax.plot(years[pts], nato[pts], "o", ms=4.5, color=BLUE, mfc=face, mew=1.4, zorder=6)
        handles.append(Line2D([], [], color=BLUE, lw=1.8, marker="o", ms=4.5, label=_("NATO's figure (all defense)")))
    ax.set_ylim(0, top(col["budget_passed"], col["budget_final"], outturn, nato, pad=1.08))
    ax.set_xlim(first - 0.6, last + 0.6)
    for year, rate in zip(rates.index.astype(int), rates.to_numpy(dtype=float), strict=True):  # one a year, above
        ax.annotate(
            pct(float(rate)),
            (float(year), 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(0, 5),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8.5,
            color=INK,
            gid=f"rate:{year}",
        )
    if len(rates):
        ax.annotate(
            ngettext(
                "Outturn in % of the final budget ({n} year with both figures)",
                "Outturn in % of the final budget ({n} years with both figures)",
                len(rates),
            ).format(n=len(rates)),
            (0.0, 1.0),
            xycoords="axes fraction",
            xytext=(0, 19),
            textcoords="offset points",
            ha="left",
            va="bottom",
            fontsize=8.5,
            color=GREY,
            style="italic",
            gid="rate:header",
        )
    legend_below(fig, handles, ncols=3)
    return fig


__all__ = ["plot_outturn", "title"]
