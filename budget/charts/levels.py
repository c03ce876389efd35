"""Levels: defense spending in US dollars and as a share of GDP, against the lines that bind it.

History is solid (estimates with hollow markers), the plan dashed from the last data year with
the band between the low and the high end of a target range; targets sit at their converted
value, labelled as stated. Each binding line is drawn as its level and the path to it
(``budget.charts.lines``), listed below the axes one row per line. Core + resilience is drawn
only where the scenario models resilience; otherwise the chart states the resilience share a
total line needs.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from budget.charts import lines
from budget.charts.frame import (
    assumptions,
    data_label,
    figure,
    legend_below,
    mark_projection,
    source_note,
    style_axes,
    target_text,
)
from budget.charts.key import key
from budget.charts.style import BLUE, DASHED, GREY, HALO, PINK, VERMILION, D, finite, fit, literal, num, ok, top
from budget.scenario import Scenario

NOTE_FONT = 8.5
TOTAL_STYLE = (0, (1.2, 1.2))  # the plan's core + resilience: dotted, in the plan's color


def plan_line(
    ax: Axes,
    df: pd.DataFrame,
    col: str,
    t0: int,
    color: str,
    history: bool = True,
    ls: object = DASHED,
    gid: str = "plan",
    plan: bool = True,
) -> None:
    """History solid (estimates with hollow markers), projection dashed from the last data year,
    and the band between the ends of a range (``history`` / ``plan``: which of the two to draw).
    """
    years = df.index.to_numpy()
    values = df[col].to_numpy(dtype=float)
    past, ahead = years <= t0, years >= t0
    if history:
        status = df["status"].to_numpy()
        ax.plot(years[past], values[past], color=color, lw=2.2, zorder=4, gid="history")
        for kind, face in (("actual", color), ("estimate", "white")):
            pts = past & (status == kind)
            ax.plot(years[pts], values[pts], "o", ms=4.5, color=color, mfc=face, mew=1.4, zorder=5)
    if not plan:
        return
    ax.plot(years[ahead], values[ahead], color=color, lw=2.2, ls=ls, zorder=4, gid=gid)
    low, high = (df[f"{col}_{e}"].to_numpy(dtype=float)[ahead] for e in ("low", "high"))
    with np.errstate(invalid="ignore"):
        ranged = np.nanmax(np.abs(high - low), initial=0.0) > 1e-9
    if ranged:
        ax.fill_between(years[ahead], low, high, color=color, alpha=0.2, lw=0, zorder=2, gid=f"{gid}:range")


def targets(ax: Axes, df: pd.DataFrame, col: str, s: Scenario) -> None:
    """Targets at their converted value (the path passes through them), labelled as stated; where
    targets crowd (under three years apart) only the later one is labelled, so labels never overlap.
    """
    labelled, after = set(), 10_000
    for t in reversed(s.targets):
        if t.year <= after - 3:
            labelled.add(t.year)
            after = t.year
    for t in s.targets:
        lo, hi = num(df.at[t.year, f"{col}_low"]), num(df.at[t.year, f"{col}_high"])
        if not ok(lo, hi):
            continue
        if t.is_range:
            ax.errorbar(
                t.year, (lo + hi) / 2, yerr=(hi - lo) / 2, color=VERMILION, lw=2, capsize=5, capthick=2, zorder=6
            )
        else:
            ax.plot(t.year, hi, "D", ms=7, color=VERMILION, mec="white", mew=1, zorder=6)
        if t.year not in labelled:
            continue
        ax.annotate(
            target_text(t),
            (t.year, hi),
            xytext=(-7, 7),
            textcoords="offset points",
            ha="right",
            fontsize=8.5,
            color=VERMILION,
            fontweight="bold",
            zorder=7,
            path_effects=HALO,
        )
    if s.after_last == "stop" and s.targets and s.targets[-1].year < s.end_year:  # a gap, not missing data
        t = s.targets[-1]
        if ok(df.at[t.year, col]):
            ax.annotate(
                f"path stops after {t.year}",
                (t.year, df.at[t.year, col]),
                xytext=(8, -4),
                textcoords="offset points",
                va="top",
                fontsize=8.5,
                color=GREY,
                style="italic",
                path_effects=HALO,
            )


def data_entries(s: Scenario, money: bool, color: str = BLUE) -> list[Artist]:
    """Legend entries of the data styles: actual, estimate, plan, range, target."""
    ranged = any(t.is_range for t in s.targets)
    who = data_label(s.data, money)
    estimates = s.data.statuses("defense_pct_gdp").loc[lambda x: x == "estimate"].index
    years = f"{estimates.min()}{D}{estimates.max()}" if len(estimates) > 1 else "".join(map(str, estimates))
    has_actual = (s.data.statuses("defense_pct_gdp") == "actual").any()
    out: list[Artist] = []
    if has_actual:  # a country whose data hold only estimates (South Korea) gets no "Actual" entry
        out.append(Line2D([], [], color=color, lw=2.2, marker="o", ms=4.5, label=f"Actual ({who})"))
    if len(estimates):
        out.append(
            Line2D(
                [],
                [],
                color=color,
                lw=2.2,
                marker="o",
                ms=4.5,
                mfc="white",
                label=f"Estimate ({data_label(s.data) if has_actual else who}, {years})",
            )
        )
    out.append(
        Line2D([], [], color=color, lw=2.2, ls=DASHED, label="Plan, high end of the range" if ranged else "Plan")
    )
    if ranged:
        out.append(Patch(color=color, alpha=0.2, lw=0, label="Plan range, low to high end"))
    if s.targets:
        out.append(Line2D([], [], color=VERMILION, marker="D", ls="none", ms=6, label="Stated target"))
    return out


def note_above(ax: Axes, text: str, color: str = PINK) -> None:
    """A note in the room above the axes, fitted to their width (two lines at most)."""
    fig = ax.get_figure()
    inches = fig.get_size_inches()[0] if isinstance(fig, Figure) else 10.0
    width = ax.get_position().width * inches * 72
    ax.text(
        0,
        1.02,
        fit(text, width, NOTE_FONT, max_lines=2),
        transform=ax.transAxes,
        va="bottom",
        ha="left",
        fontsize=NOTE_FONT,
        color=color,
        style="italic",
        gid="note:resilience-needed",
    )


def level_chart(df: pd.DataFrame, s: Scenario, ax: Axes | None, unit: str, ledger: pd.DataFrame | None) -> Figure:
    """Draw defense spending in ``unit`` (``usd_bn`` or ``pct_gdp``): the body of the next two charts."""
    df = finite(df)
    t0, first, end, share = s.data.last_data_year, int(df.index[0]), s.end_year, unit == "pct_gdp"
    col = f"defense_{unit}"
    refs = lines.refs(s.data)
    note = lines.needed_text(lines.resilience_needed(s, df, ledger))
    own = ax is None
    if ax is None:
        what = "as a share of GDP" if share else "in US dollars"
        _, (ax,) = figure(
            f"{s.data.name}'s defense spending {what}, {first}{D}{end}",
            [f"Scenario: {s.title}", assumptions(df, s)],
            source_note(s),
            right=0.97,
            titles=0.045 if note else 0,
        )
    style_axes(ax, "% of GDP" if share else "USD billion, current prices", first, end)
    mark_projection(ax, t0, end)
    total = s.resilience is not None and f"total_{unit}" in df
    drawn: list[Iterable[float]] = [df[f"{col}_high"], df[col]]
    drawn += [df[c] for r in refs for c in lines.columns(r, unit) if c is not None and c in df]
    drawn += [[r.line.level_pct_gdp] for r in refs] if share else []
    drawn += [df[f"total_{unit}"]] if total else []
    ax.set_ylim(0, top(*drawn))
    plan_line(ax, df, col, t0, BLUE)
    extra: list[Artist] = []
    if total:  # the scenario's own core + resilience, kept apart from core
        part = df.loc[t0:, f"total_{unit}"]
        ax.plot(part.index, part, color=BLUE, lw=2.2, ls=TOTAL_STYLE, zorder=4, gid="plan:total")
        extra.append(Line2D([], [], color=BLUE, lw=2.2, ls=TOTAL_STYLE, label="Plan: core + resilience"))
    targets(ax, df, col, s)
    lines.draw(ax, df, refs, unit, end)
    if share:
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g} %"))
    fig = ax.get_figure()
    if fig is not None:  # the data styles, top left, where history sits low (the lines are below)
        key(fig, [*data_entries(s, not share), *extra], 0.0, 0.94, ax.transAxes, inset=7.5, gid="key:axes")
    if note:
        note_above(ax, note)
    if own and refs and isinstance(fig, Figure):
        legend_below(fig, lines.entries(refs), ncols=2)
    return fig  # type: ignore[return-value]


@literal
def plot_spending(
    df: pd.DataFrame, scenario: Scenario, ax: Axes | None = None, ledger: pd.DataFrame | None = None
) -> Figure:
    """Defense spending in USD billion at current prices: history, plan, targets, binding lines.

    Draws into ``ax`` if given (no title, source note or legend of the lines), else into a new
    titled 10 x 6 in figure. ``ledger``: ``budget.gaps(scenario, df)`` if already computed.
    """
    return level_chart(df, scenario, ax, "usd_bn", ledger)


@literal
def plot_share(
    df: pd.DataFrame, scenario: Scenario, ax: Axes | None = None, ledger: pd.DataFrame | None = None
) -> Figure:
    """Defense spending in percent of GDP, with each binding line's level and path.

    Draws into ``ax`` if given (no title, source note or legend of the lines), else into a new
    titled 10 x 6 in figure. ``ledger``: ``budget.gaps(scenario, df)`` if already computed.
    """
    return level_chart(df, scenario, ax, "pct_gdp", ledger)
