"""Fan: the Monte Carlo draws of ``budget.simulate`` as median and 5th-95th percentile bands.

The title states the chance of meeting the headline line's level (or, where the target fixes
the share, the money 9 in 10 simulations give: ``budget.charts.headline``). The band and median
are in the scenario's color, the binding lines grey, each labelled where it crosses nothing.
Both ends of a target range are drawn where they differ: the high end shaded with its median
dashed, the low end outlined in thin dark lines. A share-of-GDP target fixes the share by
construction, so its fan is drawn in money (USD and local currency) instead of a flat share.
Beside the panels, the chance of meeting each binding line's level at both ends
(``prob_meets_<line>_<low|high>``, printed as the frame holds it, rounded) and, given the
``drivers`` frame, the driver that moves it most.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from budget.charts import lines, uncertainty_headline
from budget.charts.colors import scenario_color
from budget.charts.frame import (
    Entry,
    assumptions,
    figure,
    legend_below,
    mark_projection,
    publisher,
    source_note,
    style_axes,
    subtitle,
)
from budget.charts.headline import line_name
from budget.charts.labels import label_levels
from budget.charts.style import (
    DASHED,
    INK,
    P,
    finite,
    fit,
    legible,
    literal,
    num,
    ok,
    percent,
    span,
    top,
)
from budget.charts.uncertainty_headline import year_of
from budget.i18n import _, currency
from budget.i18n import num as number
from budget.pledges import Line, lines_for
from budget.scenario import Scenario

SIDE = 0.725  # figure fraction where the column of probabilities starts
SIDE_SIZE = 8.5
BAND = 0.25  # the band's opacity
ENDS = ("low", "high")


def chance(p: float) -> str:
    """A probability as printed: whole percent, no unit (``0.896`` -> ``90``)."""
    return number(100 * p, 0)


def chances(low: float, high: float) -> str:
    """Both ends' probabilities, low end first: ``78–90 %``, ``100 %``, or ``n/a``."""
    if not ok(low, high):
        return _("n/a") if not (ok(low) or ok(high)) else chance(low if ok(low) else high) + P
    return span(low, high, chance) + P


def driver_words(driver: str, s: Scenario) -> str:
    """A driver's name in words."""
    return {
        "real_growth": _("real growth"),
        "deflator_growth": _("GDP-deflator growth"),
        "exchange_rate": _("the {currency}/USD rate").format(currency=s.data.currency),
    }.get(driver, driver.replace("_", " "))


def mostly(drv: pd.DataFrame | None, line: Line, s: Scenario) -> str:
    """The driver whose holding moves the probability most (half a point at least), in words
    ("mostly the CZK/USD rate: held at its path, 90–98 %"), or "".
    """
    if drv is None or line.id not in drv.index.get_level_values(0):
        return ""
    rows = drv.loc[line.id]
    base = [num(rows["all_drawn"].get(e)) for e in ENDS]
    best, move = "", 0.005
    for col in (c for c in drv.columns if str(c).endswith("_held")):
        held = [num(rows[col].get(e)) for e in ENDS]
        moved = max((abs(h - b) for h, b in zip(held, base, strict=True) if ok(h, b)), default=0.0)
        if moved > move:
            best, move = str(col), moved
    if not best:
        return ""
    held = [num(rows[best].get(e)) for e in ENDS]
    return _("mostly {driver}: held at its path, {chance}").format(
        driver=driver_words(best.removesuffix("_held"), s), chance=chances(*held)
    )


def probability_rows(
    sim: pd.DataFrame, s: Scenario, drv: pd.DataFrame | None, ledger: pd.DataFrame | None, df: pd.DataFrame
) -> tuple[str, list[str]]:
    """The heading and rows of the column of probabilities."""
    bound = lines_for(s.data)
    years = {year_of(ln, s) for ln in bound}
    ranged = any(t.is_range for t in s.targets)
    needed = {ln.id: (lo, hi) for ln, _, lo, hi in lines.resilience_needed(s, df, ledger)}
    rows = []
    printed: set[float] = set()
    for line in bound:
        at = year_of(line, s)
        p = [
            num(sim[f"prob_meets_{line.id}_{e}"].get(at)) if f"prob_meets_{line.id}_{e}" in sim else np.nan
            for e in ENDS
        ]
        label = line_name(line)
        label = label if len(years) == 1 else _("{line} in {year}").format(line=label, year=at)
        if line.id in needed and not (ok(p[0]) or ok(p[1])):
            lo, hi = sorted(needed[line.id])
            text = _("{line}: n/a, resilience not modelled (it needs {share} of GDP)")
            rows.append(text.format(line=label, share=span(lo, hi, lambda v: number(v, 2)) + P))
            continue
        rows.append(_("{line}: {chance}").format(line=label, chance=chances(*p)))
        printed |= {v for v in p if ok(v)}
        if why := mostly(drv, line, s):
            rows.append(f"\u21b3 {why}")
    heading = _("Chance of meeting each level in {year}").format(year=years.pop()) if len(years) == 1 else ""
    heading = heading or _("Chance of meeting each level")
    if ranged:
        heading = _("{heading} (low–high end of the range)").format(heading=heading)
    if s.path_unit == "pct_gdp" and printed <= {0.0, 1.0}:
        rows.append(
            _("A share-of-GDP target fixes the share: each chance is 0 or 100 % by construction.").replace(" %", P)
        )
    return heading, rows


@literal
def plot_fan(
    sim: pd.DataFrame,
    df: pd.DataFrame,
    s: Scenario,
    drv: pd.DataFrame | None = None,
    ledger: pd.DataFrame | None = None,
) -> Figure:
    """Fan chart of ``budget.simulate``: 5th-95th percentile band and median at both ends of the
    range, in % of GDP and local currency (a USD target), or USD and local currency (a share
    target), beside the chance of meeting each binding line's level.

    ``drv``: ``budget.uncertainty.drivers`` (names the driver that moves each probability most);
    ``ledger``: ``budget.gaps(s, df)`` if already computed.
    """
    sim, df = finite(sim), finite(df)
    t0, first, end, cur = s.data.last_data_year, int(df.index[0]), s.end_year, s.data.cur
    panels = {
        "pct_gdp": ("defense_pct_gdp", _("% of GDP")),
        "usd_bn": ("defense_usd_bn", _("USD billion, current prices")),
        "local": (
            f"defense_{cur}_bn",
            _("{currency} billion, current prices").format(currency=currency(s.data.currency)),
        ),
    }
    if s.path_unit == "pct_gdp":  # the share is fixed: both panels in money
        shown = ["usd_bn", "local"]
    else:  # the share, and the money the target does not fix
        shown = ["pct_gdp", "local" if s.path_unit == "usd_bn" else "usd_bn"]
    refs = lines.refs(s.data, mono=True)
    base = scenario_color(s.name)
    color = legible(base)
    draws = sim.attrs.get("draws", 0)
    settings = _(
        "{draws} random draws of real growth, GDP-deflator growth and the {currency}/USD rate around the "
        "scenario's assumptions; the band holds the middle 90 % of them (5th to 95th percentile)."
    ).format(draws=number(draws, 0), currency=s.data.currency)
    if s.path_unit == "pct_gdp":
        settings += " " + _("The target fixes the share of GDP, so the fan is in money.")
    what = _("Simulated defense spending, {first}–{end}").format(first=first, end=end)
    fig, axes = figure(
        uncertainty_headline.fan_title(uncertainty_headline.fan_facts(sim, s)),
        [subtitle(what, s.title)],
        source_note(s, f"{settings} {assumptions(df, s)}".replace(" %", P)),
        ncols=2,
        right=SIDE - 0.03 if refs else 0.97,
        wspace=0.3,
    )
    ranged = False
    share_ax = None
    for ax, key in zip(axes, shown, strict=True):
        col, ylabel = panels[key]
        style_axes(ax, ylabel, first, end)
        mark_projection(ax, t0, end)
        h = df.loc[:t0, col]
        ax.plot(h.index, h, color=INK, lw=2.2, zorder=4, gid="history")
        start = df.loc[[t0], col]
        band = {
            e: [
                pd.concat([start, sim.get(f"{col}_{q}_{e}", pd.Series(np.nan, index=sim.index))])
                for q in ("p05", "p50", "p95")
            ]
            for e in ENDS
        }
        differs = bool((band["low"][1] - band["high"][1]).abs().max() > 1e-9)
        ranged |= differs
        lo, mid, hi = band["high"]
        ax.fill_between(lo.index, lo, hi, color=base, alpha=BAND, lw=0, zorder=2, gid="fan:band")
        ax.plot(mid.index, mid, color=color, lw=2.2, ls=DASHED, zorder=4, gid="fan:median", label=f"{col}_p50_high")
        if differs:
            low = band["low"]
            for q, series in zip(("p05", "p95"), (low[0], low[2]), strict=True):
                ax.plot(series.index, series, color=INK, lw=0.9, zorder=4, gid=f"fan:{q}:low")
            ax.plot(
                low[1].index,
                low[1],
                color=INK,
                lw=1.3,
                ls=DASHED,
                zorder=4,
                gid="fan:median:low",
                label=f"{col}_p50_low",
            )
        tops: list[object] = [hi, band["low"][2], h]
        if key == "pct_gdp":
            share_ax = ax
            lines.draw(ax, df, refs, "pct_gdp", end)
            tops += [df[c] for r in refs for c in lines.columns(r, "pct_gdp") if c is not None and c in df]
            tops += [[r.line.level_pct_gdp] for r in refs]
            ax.yaxis.set_major_formatter(FuncFormatter(percent))
        ax.set_ylim(0, top(*tops, pad=1.16 if key == "pct_gdp" else 1.12))
    if refs:
        heading, rows = probability_rows(sim, s, drv, ledger, df)
        side_column(fig, heading, rows, axes[0].get_position().y1)
    who = publisher(s.data, "defense_pct_gdp")
    actual = _("Actual ({publisher})").format(publisher=who) if who else _("Actual")
    entries: list[Entry] = [
        Line2D([], [], color=INK, lw=2.2, label=actual),
        Line2D(
            [],
            [],
            color=color,
            lw=2.2,
            ls=DASHED,
            label=_("Median outcome, high end of range") if ranged else _("Median outcome"),
        ),
        Patch(
            color=base,
            alpha=BAND,
            lw=0,
            label=_("Middle 90 % of outcomes, high end of range").replace(" %", P)
            if ranged
            else _("Middle 90 % of outcomes").replace(" %", P),
        ),
    ]
    if ranged:
        label = _("Low end of range: median, middle 90 % (thin)").replace(" %", P)
        entries.append(Line2D([], [], color=INK, lw=1.3, ls=DASHED, label=label))
    if share_ax is not None and refs:
        legend_below(fig, [*entries, *lines.mono_entries(refs, _("labelled"))], ncols=2)
        label_levels(share_ax, refs, t0, end)
    else:
        legend_below(fig, entries, ncols=2)
    return fig


def side_column(fig: Figure, heading: str, rows: Sequence[str], y: float) -> None:
    """The column of probabilities at the right of the panels, from height ``y`` down."""
    width = (0.985 - SIDE) * 10 * 72
    head = fit(heading, width, SIDE_SIZE + 0.5, "bold", max_lines=3)
    fig.text(
        SIDE,
        y,
        head,
        fontsize=SIDE_SIZE + 0.5,
        fontweight="bold",
        color=INK,
        va="top",
        gid="fan:heading",
        linespacing=1.25,
    )
    body = "\n".join(fit(r, width, SIDE_SIZE, max_lines=3) for r in rows)
    below = (head.count("\n") + 1) * (SIDE_SIZE + 0.5) * 1.25 / 72 / 6 + 0.012
    fig.text(SIDE, y - below, body, fontsize=SIDE_SIZE, color=INK, va="top", linespacing=1.35, gid="fan:probabilities")
