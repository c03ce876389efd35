"""Vintages: one scenario's share of GDP under every shipped GDP edition (``budget.vintages``).

Left, the share of GDP: history in ink (NATO's, the same in every edition), then the scenario's
path under each edition in its own colour and dash (``budget.charts.colors.looks_for``), this
scenario's edition thicker, with the band between the ends of a range; each binding line's
level in grey, labelled at its end. Right, each edition minus this scenario's edition: in points
of GDP where the shares differ (money targets), else in USD billion (share targets). The title
states the finding: the first verdict that flips with the edition, or that none does for the
headline line. Every artist has a gid: ``vintage:<edition>`` (``:range``, ``:diff``),
``line:<id>:level``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from budget.charts import lines
from budget.charts.colors import Look, looks_for
from budget.charts.frame import (
    assumptions,
    blank,
    figure,
    legend_below,
    mark_projection,
    source_note,
    style_axes,
    subtitle,
)
from budget.charts.headline import headline_line, line_name
from budget.charts.levels import data_entries, plan_line
from budget.charts.style import (
    BAND_ALPHA,
    DOTTED,
    GREY,
    INK,
    LEVEL_STYLE,
    REF_WIDTH,
    P,
    finite,
    finite_values,
    fit,
    legible,
    literal,
    localized,
    percent,
    top,
)
from budget.i18n import _
from budget.scenario import Scenario
from budget.vintages import Vintage, comparable, flips, vintage_table, vintages

OWN_WIDTH, OTHER_WIDTH = 3.0, 1.8  # this scenario's edition is drawn thicker
SHARE_MOVES = 0.005  # points of GDP: below this the editions give the same shares (share targets)


def _and(items: tuple[str, ...]) -> str:
    return items[0] if len(items) == 1 else _("{first} and {last}").format(first=", ".join(items[:-1]), last=items[-1])


def vintage_title(s: Scenario, table: pd.DataFrame) -> str:
    """The finding: the first verdict that flips with the GDP edition ("With GDP of IMF WEO 2025-10,
    Czechia would meet NATO 2 % in 2026; with IMF WEO 2026-04 it would not"), else whether the
    headline line's level is met in its year under every edition.
    """
    country = _(s.data.name)
    found = flips(table, s)
    if found:
        first = found[0]
        same = [f for f in found if (f.year, f.met, f.missed) == (first.year, first.met, first.missed)]
        names = _and(tuple(dict.fromkeys(line_name(f.line) for f in same)))
        ends = {f.end for f in same if f.line == first.line}
        ranged = any(t.is_range for t in s.targets) and len(ends) == 1
        words: dict[str, object] = {
            "met": _and(tuple(_(e) for e in first.met)),
            "missed": _and(tuple(_(e) for e in first.missed)),
            "country": country,
            "lines": names,
        }
        if ranged and first.end == "low":
            text = _(
                "With GDP of {met}, {country} would meet {lines} in {year} at the low end; with {missed} it would not"
            )
        elif ranged:
            text = _(
                "With GDP of {met}, {country} would meet {lines} in {year} at the high end; with {missed} it would not"
            )
        else:
            text = _("With GDP of {met}, {country} would meet {lines} in {year}; with {missed} it would not")
        return text.format(year=first.year, **words)
    line, t0, end = headline_line(s), s.data.last_data_year, s.end_year
    if line is None:
        return _("{country}'s defense spending as a share of GDP under every GDP edition").format(country=country)
    year = line.year if t0 < line.year <= end else end
    col = f"meets_{line.id}_level"
    at = table[table.index.get_level_values("year") == year][col].dropna() if col in table else pd.Series()
    words = {"country": country, "line": line_name(line), "year": year}
    if len(at) and at.all():
        return _("Under every GDP edition, {country} would meet the {line} level in {year}").format(**words)
    if len(at) and not at.any():
        return _("Under every GDP edition, {country} would stay below the {line} level in {year}").format(**words)
    return _("The GDP edition does not change whether {country} would meet the {line} level in {year}").format(**words)


def _label(v: Vintage, s: Scenario) -> str:
    date = "" if v.published is None else v.published.isoformat()
    if v.edition == s.gdp_edition:
        return _("{edition} GDP, published {date} (this scenario's edition)").format(edition=_(v.edition), date=date)
    return _("{edition} GDP, published {date}").format(edition=_(v.edition), date=date)


def _levels(ax: Axes, refs: list[lines.Ref], t0: int, end: int) -> None:
    """Each binding line's level, flat over the projection (``t0`` to ``end``)."""
    for ref in refs:
        level = ref.line.level_pct_gdp
        ax.plot([t0, end], [level, level], color=GREY, ls=LEVEL_STYLE, lw=REF_WIDTH, gid=f"line:{ref.line.id}:level")


def _mark_flips(ax: Axes, s: Scenario, table: pd.DataFrame) -> None:
    """A dotted line at each year whose verdict flips with the edition; the first one labelled."""
    found = sorted({f.year for f in flips(table, s)})
    for year in found:
        ax.axvline(year, color=GREY, lw=1.0, ls=DOTTED, zorder=1, gid=f"flip:{year}")
    if found:
        late = found[0] > (s.data.last_data_year + s.end_year) / 2
        ax.text(
            found[0] + (-0.25 if late else 0.25),
            0.98,
            _("verdict flips in {year}").format(year=found[0]),
            transform=ax.get_xaxis_transform(),
            ha="right" if late else "left",
            va="top",
            fontsize=8,
            color=GREY,
            gid="label:flip",
        )


def _difference(ax: Axes, shown: list[Vintage], s: Scenario, looks: dict[str, Look]) -> bool:
    """Each edition minus this scenario's, from the last data year: in points of GDP where the
    shares differ (returns True), else in USD billion (False).
    """
    t0, end = s.data.last_data_year, s.end_year
    own = next(v for v in shown if v.edition == s.gdp_edition).frame
    assert own is not None
    span = slice(t0, end)
    share = {
        v.edition: (v.frame.loc[span, "defense_pct_gdp_high"] - own.loc[span, "defense_pct_gdp_high"])
        for v in shown
        if v.frame is not None
    }
    moves = float(np.max(np.abs(finite_values(*share.values())), initial=0.0)) >= SHARE_MOVES
    col, unit = ("defense_pct_gdp", _("percentage points of GDP")) if moves else ("defense_usd_bn", _("USD billion"))
    style_axes(ax, unit, t0, end)
    ax.set_xlim(t0 - 0.4, end + 0.6)
    drawn = []
    for v in shown:
        if v.frame is None:
            continue
        look = looks[v.edition]
        color = legible(look.color)
        d = {e: (v.frame.loc[span, f"{col}_{e}"] - own.loc[span, f"{col}_{e}"]) for e in ("low", "high")}
        drawn += [d["low"], d["high"]]
        mine = v.edition == s.gdp_edition
        ax.plot(
            d["high"].index,
            d["high"],
            color=color,
            lw=OWN_WIDTH if mine else OTHER_WIDTH,
            ls="-" if mine else look.dash,
            zorder=4,
            gid=f"vintage:{v.edition}:diff",
        )
        if not mine and np.nanmax(np.abs(d["high"] - d["low"]), initial=0.0) > 1e-9:
            ax.fill_between(d["high"].index, d["low"], d["high"], color=color, alpha=BAND_ALPHA, lw=0, zorder=2)
    values = finite_values(*drawn)
    reach = max(float(np.abs(values).max(initial=0.0)), 0.05 if moves else 0.1) * 1.3
    ax.set_ylim(-reach, reach)
    ax.yaxis.set_major_formatter(FuncFormatter(_signed))
    return moves


def _signed(x: float, _pos: object = None) -> str:
    """A difference tick with its sign, in the current language: ``+0.05`` / ``+0,05``; ``0``."""
    return localized(f"{x:+g}").replace("-", "\u2212") if x else "0"


@literal
def plot_vintages(s: Scenario, vs: list[Vintage] | None = None, table: pd.DataFrame | None = None) -> Figure:
    """The scenario's share of GDP under every shipped GDP edition, against each line's level,
    and each edition minus this scenario's (``vs``: ``budget.vintages.vintages(s)``; ``table``:
    ``vintage_table(s, vs)``, if already computed).
    """
    vs = vintages(s) if vs is None else vs
    table = vintage_table(s, vs) if table is None else table
    shown = comparable(vs)
    own = next((v for v in shown if v.edition == s.gdp_edition), None)
    if own is None or own.frame is None or own.scenario is None:
        raise ValueError(f"the scenario's own edition {s.gdp_edition!r} is not among the vintages")
    frames = {v.edition: finite(v.frame) for v in shown if v.frame is not None}
    df = frames[s.gdp_edition]
    t0, first, end = s.data.last_data_year, int(df.index[0]), s.end_year
    looks = looks_for(frames)
    refs = lines.refs(s.data, mono=True)
    widest = max([len(lines.name(g) + g[0].by) for g in lines.groups(refs)] or [0])
    settings = " ".join(
        [
            _(
                "Each edition: the same scenario with that edition's GDP, deflator, real growth and exchange rates; "
                "NATO's shares of past years as published."
            ),
            assumptions(df, s),
            *(v.reason for v in vs if v.scenario is None),
        ]
    ).replace(" %", P)
    what = _("Defense spending as a share of GDP under each GDP edition, {first}–{end}").format(first=first, end=end)
    fig, (ax, diff) = figure(
        vintage_title(s, table),
        [subtitle(what, s.title)],
        source_note([v.scenario for v in shown if v.scenario is not None], settings),
        ncols=2,
        width_ratios=[2.3, 1],
        wspace=0.2 + 0.025 * min(widest, 16),
        right=0.97,
        titles=0.03,
    )
    style_axes(ax, _("% of GDP"), first, end)
    mark_projection(ax, t0, end)
    plan_line(ax, df, "defense_pct_gdp", t0, INK, plan=False)
    ranged = False
    for edition, frame in frames.items():
        look, mine = looks[edition], edition == s.gdp_edition
        color = legible(look.color)
        ahead = frame.loc[t0:end]
        ax.plot(
            ahead.index,
            ahead["defense_pct_gdp_high"],
            color=color,
            lw=OWN_WIDTH if mine else OTHER_WIDTH,
            ls="-" if mine else look.dash,
            zorder=5 if mine else 4,
            gid=f"vintage:{edition}",
        )
        low, high = ahead["defense_pct_gdp_low"], ahead["defense_pct_gdp_high"]
        if np.nanmax(np.abs(high - low), initial=0.0) > 1e-9:
            ranged = True
            ax.fill_between(
                ahead.index, low, high, color=color, alpha=BAND_ALPHA, lw=0, zorder=2, gid=f"vintage:{edition}:range"
            )
    levels = [r.line.level_pct_gdp for r in refs]
    ax.set_ylim(0, top(*(f["defense_pct_gdp_high"] for f in frames.values()), df["defense_pct_gdp"], levels))
    _levels(ax, refs, t0, end)
    lines.label_right(ax, pd.DataFrame(index=df.index), refs, "pct_gdp", end)
    ax.yaxis.set_major_formatter(FuncFormatter(percent))
    moves = _difference(diff, shown, s, looks)
    _mark_flips(diff, s, table)
    panel = fit(_("Minus {edition}").format(edition=_(s.gdp_edition)), diff.get_position().width * 720, 10, "bold")
    heading = _("Share of GDP") if moves else _("Share of GDP: the same under every edition")
    ax.set_title(heading, fontsize=10, loc="left", color=INK, fontweight="bold")
    diff.set_title(panel, fontsize=10, loc="left", color=INK, fontweight="bold")
    left: list[Artist] = [e for e in data_entries(s, INK) if isinstance(e, Line2D) and e.get_marker() == "o"]
    if refs:
        left.append(Line2D([], [], color=GREY, ls=LEVEL_STYLE, lw=REF_WIDTH, label=_("Level of a commitment")))
    handles: list[Artist] = []
    for edition in frames:
        look, mine = looks[edition], edition == s.gdp_edition
        v = next(x for x in shown if x.edition == edition)
        handles.append(
            Line2D(
                [],
                [],
                color=legible(look.color),
                lw=OWN_WIDTH if mine else OTHER_WIDTH,
                ls="-" if mine else look.dash,
                label=_label(v, s),
            )
        )
    if ranged:
        handles.append(Patch(color=GREY, alpha=BAND_ALPHA, lw=0, label=_("Range, low to high end (line: high end)")))
    rows = max(len(left), len(handles))
    pad = [blank() for _ in range(2 * rows - len(left) - len(handles))]
    legend_below(fig, [*left, *pad[: rows - len(left)], *handles, *pad[rows - len(left) :]], ncols=2)
    return fig
