"""Labels: the texts that name a chart's lines and targets, put where they cross no line and no
other text (``budget.charts.place``, from measured extents), once the layout is final.

- ``targets``: the stated targets as black diamonds, their labels placed around them (a leader
  joins one placed farther off);
- ``label_ends``: the projection (its name and end-year value, and a target in that year as
  stated) and each group of binding lines, labelled right of the axes at their ends, stacked;
- ``label_levels``: each group of lines named beside its level, inside the axes (the fan).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.text import Annotation, Text

from budget.charts import headline, lines, place
from budget.charts.frame import target_text
from budget.charts.style import GREY, HALO, INK, fit, num, ok
from budget.compare import short_title
from budget.i18n import _
from budget.scenario import Scenario

END_SIZE = 8.5  # the labels at the lines' ends
END_WIDTH = 96.0  # points: the widest line of an end label


def targets(ax: Axes, df: pd.DataFrame, col: str, s: Scenario) -> list[Text]:
    """Targets at their converted value (the path passes through them) as black diamonds, and
    their labels as stated (returned, to be placed once the layout is final: ``place_labels``);
    where targets crowd (under three years apart) only the later one is labelled, and a target in
    the projection's last year is named in the projection's end label instead (``end_labels``).
    """
    last, labelled, after = end_value(df, col, False)[0], set(), 10_000
    for t in reversed(s.targets):
        if t.year != last and t.year <= after - 3:
            labelled.add(t.year)
            after = t.year
    out: list[Text] = []
    for t in s.targets:
        lo, hi = num(df.at[t.year, f"{col}_low"]), num(df.at[t.year, f"{col}_high"])
        if not ok(lo, hi):
            continue
        if t.is_range:
            ax.errorbar(t.year, (lo + hi) / 2, yerr=(hi - lo) / 2, color=INK, lw=2, capsize=5, capthick=2, zorder=6)
        else:
            ax.plot(t.year, hi, "D", ms=7, color=INK, mec="white", mew=1, zorder=6)
        if t.year in labelled:
            out.append(
                ax.annotate(
                    target_text(t),
                    (t.year, hi),
                    xytext=(-7, 7),
                    textcoords="offset points",
                    ha="right",
                    fontsize=8.5,
                    color=INK,
                    fontweight="bold",
                    zorder=7,
                    path_effects=HALO,
                    gid=f"label:target:{t.year}",
                    arrowprops=dict(place.LEADER),
                )
            )
    if s.after_last == "stop" and s.targets and s.targets[-1].year < s.end_year:  # a gap, not missing data
        t = s.targets[-1]
        if ok(df.at[t.year, col]):
            out.append(
                ax.annotate(
                    _("path stops after {year}").format(year=t.year),
                    (t.year, df.at[t.year, col]),
                    xytext=(8, -4),
                    textcoords="offset points",
                    va="top",
                    fontsize=8.5,
                    color=GREY,
                    style="italic",
                    path_effects=HALO,
                    gid="label:stops",
                    arrowprops=dict(place.LEADER),
                )
            )
    return out


def end_value(df: pd.DataFrame, col: str, share: bool) -> tuple[int, str]:
    """The last projection year with a value and the value there at both ends, as printed."""
    known = df[f"{col}_high"].dropna()
    year = int(known.index[-1]) if len(known) else int(df.index[-1])
    ends = (num(df.at[year, f"{col}_low"]), num(df.at[year, f"{col}_high"]))
    return year, headline.pct(ends) if share else headline.usd(ends)


def end_labels(s: Scenario, df: pd.DataFrame, refs: list[lines.Ref], unit: str) -> tuple[str, list[str]]:
    """The texts at the lines' right ends: the scenario's name and end value, each line group's name."""
    share = unit == "pct_gdp"
    name = fit(short_title(_(s.title.strip())) or s.name, END_WIDTH, END_SIZE, "bold", max_lines=2)
    year, value = end_value(df, f"defense_{unit}", share)
    stated = [target_text(t) for t in s.targets if t.year == year and (t.unit != unit or t.prices == "constant")]
    if stated:
        value += "\n" + _("target: {target}").format(target=stated[0])
    groups = [lines.group_label(g, END_WIDTH, END_SIZE) for g in lines.groups(refs)]
    return f"{name}\n{value}", groups


def label_ends(
    ax: Axes, df: pd.DataFrame, s: Scenario, refs: list[lines.Ref], unit: str, color: str
) -> list[Annotation]:
    """Label the projection and each group of lines at their right ends, stacked apart."""
    plan, names = end_labels(s, df, refs, unit)
    col = f"defense_{unit}"
    year, _value = end_value(df, col, unit == "pct_gdp")
    out = []
    if ok(df.at[year, col]):
        out.append(
            ax.annotate(
                plan,
                (year, df.at[year, col]),
                xytext=(7, 0),
                textcoords="offset points",
                va="center",
                fontsize=END_SIZE,
                color=color,
                fontweight="bold",
                annotation_clip=False,
                linespacing=1.15,
                gid="label:plan",
            )
        )
    for group, text in zip(lines.groups(refs), names, strict=True):
        level_col, _path = lines.columns(group[0], unit)
        at = group[0].line.level_pct_gdp if level_col is None else num(df[level_col].get(s.end_year))
        if ok(at):
            out.append(
                ax.annotate(
                    text,
                    (s.end_year, at),
                    xytext=(7, 0),
                    textcoords="offset points",
                    va="center",
                    fontsize=END_SIZE,
                    color=GREY,
                    annotation_clip=False,
                    linespacing=1.15,
                    gid=f"label:line:{group[0].line.id}",
                )
            )
    place.stack(ax, out)
    return out


def place_labels(ax: Axes, labels: Iterable[Text]) -> None:
    """Move each label around its point to where it crosses no line and overlaps no text; one
    moved farther off is joined to its point by a thin leader.
    """
    segs = place.segments(ax)
    for label in labels:
        place.place(ax, label, place.around(), segs, place.texts_near(ax, skip=label))
        if isinstance(label, Annotation):
            place.lead(label)


def label_levels(ax: Axes, refs: list[lines.Ref], t0: int, end: int) -> None:
    """Name each group of lines beside its level, where the name crosses no line and no text: at
    the right end, just right of the last data year, else in the free room left of it.
    """
    segs = place.segments(ax)
    first = ax.get_xlim()[0]
    for group in lines.groups(refs):
        level = group[0].line.level_pct_gdp
        label = ax.annotate(
            lines.group_label(group, 80, 8),
            (end, level),
            xytext=(0, 3),
            textcoords="offset points",
            fontsize=8,
            color=GREY,
            path_effects=HALO,
            zorder=7,
            gid=f"label:line:{group[0].line.id}",
            linespacing=1.1,
        )
        spots = [
            {"xy": (x, level), "position": (0, dy), "ha": ha, "va": va}
            for x, ha in ((end + 0.4, "right"), (t0 + 0.3, "left"), (first + 0.4, "left"))
            for dy, va in ((3, "bottom"), (-3, "top"))
        ]
        place.place(ax, label, spots, segs, place.texts_near(ax, skip=label))
