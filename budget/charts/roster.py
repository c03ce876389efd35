"""Roster: what both layouts of the comparison chart share: the scenarios in order (``budget.lineup``),
the highlighted few and their looks, each line's label and level, and the title, subtitle and
footnote. ``budget.charts.comparison`` draws it as one panel, ``budget.charts.panels`` as small
multiples.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from budget import lineup as lu
from budget.charts import lines
from budget.charts.colors import Look, looks_for
from budget.charts.frame import data_label, source_note
from budget.charts.style import D, P, finite, one_line
from budget.compare import short_title
from budget.i18n import _, currency, num
from budget.pledges import Line
from budget.scenario import Scenario

Projections = dict[str, tuple[Scenario, pd.DataFrame]]


@dataclass
class Roster:
    """One comparison chart's content (every string in the reader's language)."""

    projections: Projections  # non-finite numbers as NaN
    unit: str  # a ``budget.lineup.UNITS`` key
    col: str  # the projection's column of that unit
    order: list[str]  # names, highest level first
    chosen: list[str]  # the highlighted names
    looks: dict[str, Look]  # the highlighted names' colours and dashes
    labels: dict[str, str]  # each name as the chart calls it
    values: dict[str, str]  # each name's level in ``year``, formatted: "3.5 %", "USD 19.9 bn"
    short: dict[str, str]  # ... without the currency, where the unit is stated nearby: "19.9"
    year: int  # the year the order is by
    t0: int  # last data year
    first: int
    end: int
    history: pd.DataFrame  # the longest projection: its history is every scenario's
    line: Line | None  # the line the title counts
    title: str
    subtitle: str
    note: str
    axis: str  # the unit, as an axis label
    who: str  # the history's publisher ("NATO")

    def path(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """A scenario's central path from the last data year: years and values in the unit."""
        df = self.projections[name][1]
        ahead = df.loc[self.t0 :, self.col]
        return ahead.index.to_numpy(dtype=float), ahead.to_numpy(dtype=float)

    def refs(self) -> list[list[lines.Ref]]:
        """The core lines that bind the country, in groups drawn as one (% of GDP only: a level in
        money is a share of each scenario's own GDP and differs between them).
        """
        if self.unit != "pct_gdp":
            return []
        s0 = self.projections[self.order[0]][0]
        return lines.groups([r for r in lines.refs(s0.data, mono=True) if r.line.compares_with == "core"])


def names(projections: Projections) -> dict[str, str]:
    """What the chart calls each scenario: its title up to the first colon, comma or bracket,
    or its whole title where two would read the same.
    """
    titles = {n: _(s.title.strip()) for n, (s, _df) in projections.items()}  # in the current language
    short = {n: short_title(title) or title for n, title in titles.items()}
    seen: dict[str, int] = {}
    for text in short.values():
        seen[text] = seen.get(text, 0) + 1
    return {n: one_line(text if seen[text] == 1 else titles[n]) for n, text in short.items()}


def unit_words(unit: str, code: str) -> str:
    """The unit as an axis label."""
    if unit == "pct_gdp":
        return _("% of GDP")
    if unit == "usd":
        return _("USD billion, current prices")
    return _("{currency} billion, current prices").format(currency=currency(code))


def build(projections: Projections, unit: str = lu.DEFAULT_UNIT, highlight: Sequence[str] = ()) -> Roster:
    """The comparison of ``projections`` in ``unit``, highlighting ``highlight`` (default:
    ``budget.lineup.default_highlight``); unknown names raise ``ScenarioError``.
    """
    projections = {name: (s, finite(df)) for name, (s, df) in projections.items()}
    s0, df0 = max(projections.values(), key=lambda item: item[0].end_year)
    c = s0.data
    order = lu.ranked(projections, unit)
    chosen = lu.check_highlight(projections, highlight) if highlight else lu.default_highlight(order)
    year, levels = lu.level_year(projections), lu.levels(projections, unit)
    lows = lu.levels(projections, unit, "low")
    t0, first, end = c.last_data_year, int(df0.index[0]), s0.end_year
    digits = 1 if unit == "usd" else 0
    n = len(projections)
    if n > MULTIPLES_ABOVE:
        subtitle = _("Defense spending, {unit}, {first}{dash}{end}: {who} data to {t0}, then each scenario's "
                     "central path; one panel each, highest first")  # fmt: skip
    else:
        subtitle = _("Defense spending, {unit}, {first}{dash}{end}: {who} data to {t0}, then each scenario's "
                     "central path; labelled at the end, highest first")  # fmt: skip
    subtitle = subtitle.format(
        unit=unit_words(unit, c.currency), first=first, dash=D, end=end, who=data_label(c), t0=t0
    )
    if len(chosen) == n:
        colour = ""
    elif highlight:
        colour = _("In colour: {k} of {n} scenarios, as chosen.")
    else:
        colour = _("In colour: {k} of {n} scenarios, spread from the highest to the lowest.")
    settings = [
        colour.format(k=len(chosen), n=n),
        _("Central path: the high end of a range target, the range shaded.")
        if any(t.is_range for s, _df in projections.values() for t in s.targets)
        else "",
        _("Core defense; with resilience in comparison.csv.")
        if any(s.resilience is not None for s, _df in projections.values())
        else "",
    ]
    return Roster(
        projections=projections,
        unit=unit,
        col=lu.column(unit, c.cur),
        order=order,
        chosen=chosen,
        looks=looks_for(chosen),
        labels=names(projections),
        values={
            k: "" if np.isnan(v) else lu.amount_range(lows.get(k, math.nan), v, unit, c.currency)
            for k, v in levels.items()
        },
        short={
            k: "" if np.isnan(v) else lu.amount(v, unit, c.currency) if unit == "pct_gdp" else num(v, digits)
            for k, v in levels.items()
        },
        year=year,
        t0=t0,
        first=first,
        end=end,
        history=df0,
        line=lu.target_line(projections),
        title=lu.finding(projections, unit),
        subtitle=subtitle,
        note=footnote(" ".join(filter(None, settings)), [s for s, _df in projections.values()]),
        axis=unit_words(unit, c.currency),
        who=data_label(c),
    )


MULTIPLES_ABOVE = 8  # more scenarios than this: small multiples


def footnote(settings: str, scenarios: list[Scenario]) -> str:
    """The chart's settings, then its sources (``budget.charts.frame.source_note``)."""
    return source_note(scenarios, settings)


def line_label(group: Sequence[lines.Ref]) -> str:
    """A group of lines drawn as one: "Czech law 2 %, NATO 2 % level"."""
    return _("{lines} level").format(lines=lines.name(group).replace(" %", P))
