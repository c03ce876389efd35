"""Levels: defense spending in US dollars and as a share of GDP, against the lines that bind it.

The title states the finding (``budget.charts.headline``: when the share reaches the headline
line's level; in money, how far above or short of it). History is drawn in ink (estimates
hollow), the scenario's projection dashed in its own color (``budget.charts.colors``, darkened
where it would lack contrast on the projection's shading) and labelled at its end with its name
and end-year value, with the band between the low and the high end of a target range. Targets
are black diamonds labelled as stated, placed where they cross no line. Each binding line is
drawn in grey as its level and the path to it (``budget.charts.lines``), labelled at its end.
Core + resilience is drawn only where the scenario models resilience; otherwise a note states
the resilience share a total line needs.
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

from budget.charts import headline, lines
from budget.charts.colors import scenario_color
from budget.charts.frame import (
    assumptions,
    figure,
    legend_below,
    mark_projection,
    money_note,
    publisher,
    source_note,
    style_axes,
    subtitle,
)
from budget.charts.key import key
from budget.charts.labels import END_SIZE, end_labels, label_ends, place_labels, targets
from budget.charts.style import (
    BAND_ALPHA,
    DASHED,
    GREY,
    INK,
    TEXT_CONTRAST,
    finite,
    fit,
    legible,
    literal,
    percent,
    text_width,
    top,
)
from budget.i18n import _
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
        ax.fill_between(years[ahead], low, high, color=color, alpha=BAND_ALPHA, lw=0, zorder=2, gid=f"{gid}:range")


def data_entries(s: Scenario, color: str, total: bool = False) -> list[Artist]:
    """Key entries of the data styles in plain words: actual, estimate, the projection's high end
    and range (where the target is a range), target, core + resilience (``total``). The
    projection itself is labelled at its end.
    """
    who = publisher(s.data, "defense_pct_gdp")
    status = s.data.statuses("defense_pct_gdp")
    ranged = any(t.is_range for t in s.targets)
    out: list[Artist] = []
    if (status == "actual").any():  # a country whose data hold only estimates (South Korea) gets no "Actual"
        label = _("Actual ({publisher})").format(publisher=who) if who else _("Actual")
        out.append(Line2D([], [], color=INK, lw=2.2, marker="o", ms=4.5, label=label))
    if (status == "estimate").any():
        label = _("Estimate ({publisher})").format(publisher=who) if who else _("Estimate")
        out.append(Line2D([], [], color=INK, lw=2.2, marker="o", ms=4.5, mfc="white", label=label))
    if ranged:
        out.append(Line2D([], [], color=color, lw=2.2, ls=DASHED, label=_("Projection, high end of range")))
        out.append(Patch(color=color, alpha=BAND_ALPHA, lw=0, label=_("Range, low to high end")))
    if s.targets:
        out.append(Line2D([], [], color=INK, marker="D", ls="none", ms=6, label=_("Stated target")))
    if total:
        out.append(Line2D([], [], color=color, lw=2.2, ls=TOTAL_STYLE, label=_("Projection: core + resilience")))
    return out


def note_above(ax: Axes, text: str, color: str = GREY) -> None:
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
    refs = lines.refs(s.data, mono=True)
    if ledger is None:
        from budget.ledger import gaps

        ledger = gaps(s, df)
    note = lines.needed_text(lines.resilience_needed(s, df, ledger))
    base = scenario_color(s.name)
    color, ink = legible(base), legible(base, TEXT_CONTRAST)
    own = ax is None
    if ax is None:
        plan, names = end_labels(s, df, refs, unit)
        widest = max(text_width(t, END_SIZE, "bold") for label in [plan, *names] for t in label.split("\n"))
        facts = headline.level_facts(s, df, ledger)
        what = (
            _("Defense spending as a share of GDP, {first}–{end}")
            if share
            else _("Defense spending in US dollars at current prices, {first}–{end}")
        ).format(first=first, end=end)
        settings = assumptions(df, s) + ("" if share else " " + money_note(s.data)).rstrip()
        _fig, (ax,) = figure(
            headline.share_title(facts) if share else headline.spending_title(facts),
            [subtitle(what, s.title)],
            source_note(s, settings),
            right=1 - (widest + 16) / 720,
            titles=0.045 if note else 0,
        )
    style_axes(ax, _("% of GDP") if share else _("USD billion, current prices"), first, end)
    mark_projection(ax, t0, end)
    total = s.resilience is not None and f"total_{unit}" in df
    drawn: list[Iterable[float]] = [df[f"{col}_high"], df[col]]
    drawn += [df[c] for r in refs for c in lines.columns(r, unit) if c is not None and c in df]
    drawn += [[r.line.level_pct_gdp] for r in refs] if share else []
    drawn += [df[f"total_{unit}"]] if total else []
    ax.set_ylim(0, top(*drawn))
    plan_line(ax, df, col, t0, INK, plan=False)
    plan_line(ax, df, col, t0, color, history=False)
    if total:  # the scenario's own core + resilience, kept apart from core
        part = df.loc[t0:, f"total_{unit}"]
        ax.plot(part.index, part, color=color, lw=2.2, ls=TOTAL_STYLE, zorder=4, gid="plan:total")
    labels = targets(ax, df, col, s)
    lines.draw(ax, df, refs, unit, end)
    if share:
        ax.yaxis.set_major_formatter(FuncFormatter(percent))
    fig = ax.get_figure()
    if fig is not None:  # the data styles, top left, where history sits low (the lines are below)
        key(fig, data_entries(s, color, total), 0.0, 0.94, ax.transAxes, inset=7.5, gid="key:axes")
    if note:
        note_above(ax, note)
    if own and refs and isinstance(fig, Figure):
        legend_below(fig, lines.mono_entries(refs), ncols=2)
    label_ends(ax, df, s, refs, unit, ink)  # last: the layout is final
    place_labels(ax, labels)
    return fig  # type: ignore[return-value]


@literal
def plot_spending(
    df: pd.DataFrame, scenario: Scenario, ax: Axes | None = None, ledger: pd.DataFrame | None = None
) -> Figure:
    """Defense spending in USD billion at current prices: history, projection, targets, binding lines.

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
