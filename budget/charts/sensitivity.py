"""Sensitivity: a tornado chart of ``budget.uncertainty.sensitivity``, at both ends of a range.

The frame is indexed by (driver, end) with columns ``<metric>_<year>_down|_base|_up`` and
``procurement_usd_bn_down|_base|_up``. Where the two ends differ, each driver has two bars: the
high end filled, the low end outlined, each from its own centre line (the scenario as stated at
that end: solid for the high end, dashed for the low end). The title names the driver that moves
the end-year result most, with the results it gives (``budget.charts.headline``).
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from budget.charts import uncertainty_headline
from budget.charts.frame import figure, legend_below, source_note, subtitle
from budget.charts.style import (
    BLUE,
    DASHED,
    GREY,
    INK,
    LIGHT,
    SKY,
    D,
    Numbers,
    finite,
    finite_values,
    literal,
    num,
    ok,
)
from budget.i18n import _, billions
from budget.i18n import num as number
from budget.scenario import Scenario
from budget.uncertainty import driver_label

BAR = 0.6  # height of a driver's bars, both ends together


def by_end(sens: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The frame's rows per range end (``high`` first), drivers as the index; one entry where the
    ends are the same or the frame has no end level.
    """
    attrs = dict(sens.attrs)
    if not isinstance(sens.index, pd.MultiIndex):
        return {"high": finite(sens)}
    ends = list(dict.fromkeys(sens.index.get_level_values(-1)))
    level = sens.index.get_level_values(-1)
    parts = {e: finite(sens[level == e].droplevel(-1)) for e in sorted(ends, key=lambda e: e != "high")}
    for part in parts.values():
        part.attrs = attrs
    first, *rest = parts.values()
    same = all(
        p.shape == first.shape and np.allclose(p.to_numpy(float), first.to_numpy(float), equal_nan=True) for p in rest
    )
    return dict(list(parts.items())[:1]) if same else parts


def bars(ax: Axes, data: pd.DataFrame, base: float, offset: float, height: float, filled: bool, digits: int) -> None:
    """One end's bars (down light, up dark) around ``base``, each labelled with its value."""
    y = np.arange(len(data)) + offset
    for k, color in ((0, SKY), (2, BLUE)):
        width = (data.iloc[:, k] - base).fillna(0).to_numpy(dtype=float)
        some = np.abs(width) > 1e-9  # no bar where the driver moves nothing (an outline would show)
        if filled:
            ax.barh(y[some], width[some], left=base, color=color, height=height, zorder=3)
        else:
            ax.barh(
                y[some], width[some], left=base, facecolor="white", edgecolor=color, lw=1.4, height=height, zorder=3
            )
    for i, (lo, hi) in enumerate(zip(data.iloc[:, 0], data.iloc[:, 2], strict=True)):
        for v in (lo, hi):
            if ok(v) and abs(v - base) > 1e-9:
                ax.annotate(
                    number(v, digits),
                    (v, y[i]),
                    xytext=(4 if v > base else -4, 0),
                    textcoords="offset points",
                    ha="left" if v > base else "right",
                    va="center",
                    fontsize=8 if height < BAR else 8.5,
                    color=INK,
                )


@literal
def plot_sensitivity(sens: pd.DataFrame, s: Scenario) -> Figure:
    """Tornado chart of ``budget.uncertainty.sensitivity``: end-year result and procurement.

    Both ends of a target range are drawn where they differ (high end filled, low end outlined).
    """
    parts = by_end(sens)
    both = len(parts) > 1
    first = next(iter(parts.values()))
    unit = sens.attrs.get("metric_unit", "")
    metric = str(first.columns[1]).rsplit("_", 1)[0]
    year = metric.rsplit("_", 1)[1]
    share = unit.startswith("%")
    what = (
        _("Defense share of GDP in {year} and procurement over {years}, when one driver moves")
        if share
        else _("Defense spending in {year} and procurement over {years}, when one driver moves")
    ).format(year=year, years=sens.attrs["procurement_years"].replace("-", D))
    settings = _(
        "Each driver one standard deviation down and up, the others at the scenario's assumptions; the "
        "procurement share from its low to its high end."
    )
    if both:
        settings += " " + _("Filled bars: the high end of the target range; outlined: the low end.")
    elif any(t.is_range for t in s.targets):
        settings += " " + _("The high end of the target range.")
    fig, axes = figure(
        uncertainty_headline.sensitivity_title(uncertainty_headline.sensitivity_facts(parts, s, int(year), share)),
        [subtitle(what, s.title)],
        source_note(s, settings),
        ncols=2,
        right=0.97,
        left=0.3,
        wspace=0.12,
        titles=0.03,
    )
    order = (first.iloc[:, 2] - first.iloc[:, 0]).abs().sort_values().index
    labels = ["\n".join(textwrap.wrap(driver_label(str(d)), 34)) for d in order]
    shown_unit = {"% of GDP": _("% of GDP"), "USD bn": billions("USD")}.get(unit, unit)
    panels = (
        (axes[0], slice(0, 3), _("{year}, {unit}").format(year=year, unit=shown_unit), 2 if share else 1),
        (
            axes[1],
            slice(3, 6),
            _("Procurement {years}, USD bn").format(years=sens.attrs["procurement_years"].replace("-", D)),
            1,
        ),
    )
    height = BAR / 2 if both else BAR
    for ax, cols, title, digits in panels:
        bases, spread_ = [], 0.0
        for i, (end, part) in enumerate(parts.items()):
            data = part.reindex(order).iloc[:, cols]
            middle = finite_values(data.iloc[:, 1])
            base = num(data.iloc[0, 1])
            if not ok(base):  # the scenario's own result is missing: centre on the others
                base = float(np.median(middle)) if middle.size else 0.0
            offset = (height / 2 if i == 0 else -height / 2) if both else 0.0
            bars(ax, data, base, offset, height, filled=i == 0, digits=digits)
            ax.axvline(base, color=INK, lw=1, ls="-" if i == 0 else DASHED, zorder=4, gid=f"sensitivity:base:{end}")
            bases.append((end, base))
            deviations = finite_values(data.iloc[:, [0, 2]] - base)
            spread_ = max(spread_, float(np.abs(deviations).max()) if deviations.size else 0.0, abs(base) * 0.02)
        lo = min(b for _, b in bases) - max(spread_, 1e-9) * 1.35
        hi = max(b for _, b in bases) + max(spread_, 1e-9) * 1.35
        ax.set_xlim(lo, hi)
        ax.xaxis.set_major_formatter(Numbers())
        y = range(len(order))
        ax.set_yticks(list(y), labels if ax is axes[0] else [""] * len(labels), fontsize=9)
        ax.set_ylim(-0.5, len(order) - 0.5)  # every row, also one whose driver moves nothing here
        ax.spines[["top", "right", "left"]].set_visible(False)
        ax.grid(axis="x", color=LIGHT, lw=0.8)
        ax.set_axisbelow(True)
        ax.tick_params(labelsize=9, colors=INK, length=0)
        ax.set_title(title, fontsize=10, loc="left", color=INK, fontweight="bold")
        if both:
            ends = dict(bases)
            label = _("as stated: {high} high end, {low} low end (dashed)").format(
                high=number(ends["high"], digits), low=number(ends["low"], digits)
            )
        else:
            label = _("centre line: the scenario as stated, {value}").format(value=number(bases[0][1], digits))
        ax.set_xlabel(label, fontsize=8.5, color=GREY, linespacing=1.2)
    entries = [
        Patch(color=SKY, label=_("Driver one standard deviation down")),
        Patch(color=BLUE, label=_("Driver one standard deviation up")),
    ]
    if both:
        entries.append(Patch(facecolor="white", edgecolor=GREY, lw=1.4, label=_("Low end of the range (outlined)")))
    legend_below(fig, entries, ncols=3 if both else 2)
    for ax in axes:  # room under the axes for their label
        box = ax.get_position()
        ax.set_position((box.x0, box.y0 + 0.03, box.width, box.height - 0.03))
    return fig
