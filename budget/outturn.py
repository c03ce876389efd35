"""Plan against outturn: a country's defense budget at each stage, NATO's figure and what was spent.

Per year, in the country's currency (billions at current prices): the defense ministry's budget as
passed in the budget act, as amended in the year, the final budget (the year-end budget: the budget
as passed after in-year changes plus claims from unspent earlier-year expenditure and other
sources), NATO's figure (NATO's share of GDP x the data's GDP, with its status) and the outturn,
each with its source id. The execution rate is the outturn in percent of the final budget (the
ministry's own measure, e.g. the Czech ministry's 96.7 % in 2015) and, beside it, of the budget as
passed; the two denominators are never mixed in one average. Missing stays empty.

Driven by the series a country has (``STAGES``; no country is named here): a country with an
outturn and a budget series gets a table, any other none. ``historical_rate`` is the average and
the min-max range of the outturn / final budget rates, the ``historical`` execution rate of a
scenario (``budget.execution``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from budget.history import Country, Row

if TYPE_CHECKING:  # pandas only where the table is built: `budget validate` needs only the rate
    import pandas as pd

# The budget stages of the defense ministry's chapter, in the order a year goes through them
# ({cur}: the currency). ``budget_passed_other``: a second source for the budget as passed that
# disagrees with the first (both are kept, neither is picked).
STAGES: dict[str, str] = {
    "budget_passed": "mod_budget_passed_{cur}_bn",
    "budget_passed_other": "mod_budget_passed_restated_{cur}_bn",
    "budget_amended": "mod_budget_amended_{cur}_bn",
    "budget_final": "mod_budget_final_{cur}_bn",
    "outturn": "mod_outturn_{cur}_bn",
}
NATO_SHARE = "defense_pct_gdp"
DESCRIPTION = (  # of outturn.csv
    "Plan against outturn (the country's data; NATO's figure at the scenario's GDP): the defense ministry's "
    "budget as passed, amended and final, NATO's figure and the outturn per year, with the execution rates "
    "and each value's source."
)
RATES = {"execution_final_pct": "budget_final", "execution_passed_pct": "budget_passed"}  # rate: denominator

# Columns of ``outturn.csv`` for the Table Schema sidecars (``budget.provenance``): regular
# expressions ({cur}: the currency), type, unit, description.
FIELDS: list[tuple[str, str, str, str]] = [
    (
        r"budget_passed_{cur}_bn",
        "number",
        "{CUR} bn, current prices",
        "Defense ministry budget as passed in the budget act.",
    ),
    (
        r"budget_passed_other_{cur}_bn",
        "number",
        "{CUR} bn, current prices",
        "The budget as passed according to a second source that disagrees with the first (both kept).",
    ),
    (
        r"budget_amended_{cur}_bn",
        "number",
        "{CUR} bn, current prices",
        "Budget after in-year changes to the budget act (not the final budget).",
    ),
    (
        r"budget_final_{cur}_bn",
        "number",
        "{CUR} bn, current prices",
        "Final budget: the budget as passed after in-year changes, plus claims from unspent "
        "earlier-year expenditure and other sources (what the ministry had at its disposal).",
    ),
    (
        r"nato_{cur}_bn",
        "number",
        "{CUR} bn, current prices",
        "NATO's figure: NATO's defense share of GDP x GDP (the data's edition); all defense "
        "spending, also outside the ministry.",
    ),
    (r"outturn_{cur}_bn", "number", "{CUR} bn, current prices", "What the defense ministry spent (outturn)."),
    (
        r"(nato|outturn)_status",
        "string",
        "",
        "actual (state closing account, treasury data; NATO's final figure) or estimate (a year-end "
        "or preliminary figure; NATO's estimate).",
    ),
    (
        r"(budget_passed|budget_passed_other|budget_amended|budget_final|nato|outturn)_source",
        "string",
        "",
        "Source id(s) of the value (budget/data/sources.csv), ';'-separated.",
    ),
    (r"execution_final_pct", "number", "% of the final budget", "Execution rate: outturn / final budget x 100."),
    (r"execution_passed_pct", "number", "% of the budget as passed", "Outturn / budget as passed x 100."),
]


@dataclass(frozen=True)
class Rate:
    """The execution rate of the data's years: ``mean_pct`` (the plain average of the yearly rates,
    outturn / final budget, percent), ``low_pct``-``high_pct`` its range and ``years`` the years.
    """

    mean_pct: float
    low_pct: float
    high_pct: float
    years: tuple[int, ...]


def indicator(stage: str, c: Country) -> str:
    """The series of a stage for ``c``, e.g. ``mod_outturn_czk_bn``."""
    return STAGES[stage].format(cur=c.cur)


def has_outturn(c: Country) -> bool:
    """True if the country's data hold an outturn and a budget (passed or final) to set it against."""
    return c.has(indicator("outturn", c)) and any(c.has(indicator(s, c)) for s in ("budget_passed", "budget_final"))


def _rows(c: Country, name: str) -> dict[int, Row]:
    return {r.year: r for r in c.rows if r.indicator == name and not math.isnan(r.value)}


def outturn_table(c: Country) -> pd.DataFrame | None:
    """The plan against outturn per year (see the module), or None for a country without the series.

    Index ``year`` from the first to the last year of any stage; columns ``<stage>_<cur>_bn`` and
    ``<stage>_source`` for each stage, ``nato_<cur>_bn``, ``nato_status``, ``nato_source``,
    ``outturn_status``, ``execution_final_pct`` and ``execution_passed_pct`` (empty where a value
    is missing).
    """
    if not has_outturn(c):
        return None
    import pandas as pd

    found = {stage: _rows(c, indicator(stage, c)) for stage in STAGES}
    years = sorted({y for rows in found.values() for y in rows})
    grid = list(range(years[0], years[-1] + 1))
    cols: dict[str, object] = {}
    for stage, rows in found.items():
        cols[f"{stage}_{c.cur}_bn"] = [rows[y].value if y in rows else np.nan for y in grid]
        cols[f"{stage}_source"] = [rows[y].source_id if y in rows else "" for y in grid]
    cols["outturn_status"] = [found["outturn"][y].status if y in found["outturn"] else "" for y in grid]
    share, gdp = _rows(c, NATO_SHARE), _rows(c, f"gdp_{c.cur}_bn")
    nato: list[tuple[float, str, str]] = []  # value, status, sources of each year
    for y in grid:
        if y in share and y in gdp:  # NATO's own status; an estimate where GDP is not an actual either
            status = "actual" if share[y].status == gdp[y].status == "actual" else "estimate"
            nato.append((share[y].value / 100 * gdp[y].value, status, f"{share[y].source_id}; {gdp[y].source_id}"))
        else:
            nato.append((np.nan, "", ""))
    for i, name in enumerate((f"nato_{c.cur}_bn", "nato_status", "nato_source")):
        cols[name] = [n[i] for n in nato]
    frame = pd.DataFrame(cols, index=pd.Index(grid, name="year"))
    outturn = frame[f"outturn_{c.cur}_bn"]
    for rate, stage in RATES.items():
        frame[rate] = outturn / frame[f"{stage}_{c.cur}_bn"] * 100
    order = [f"{s}_{c.cur}_bn" for s in ("budget_passed", "budget_passed_other", "budget_amended", "budget_final")]
    order += [f"nato_{c.cur}_bn", f"outturn_{c.cur}_bn", "nato_status", "outturn_status", *RATES]
    order += [f"{s}_source" for s in ("budget_passed", "budget_passed_other", "budget_amended", "budget_final")]
    return frame[[*order, "nato_source", "outturn_source"]]


def yearly_rates(c: Country, stage: str = "budget_final") -> dict[int, float]:
    """Outturn / ``stage`` x 100 for every year with both values (no pandas: validation uses it)."""
    out, budget = _rows(c, indicator("outturn", c)), _rows(c, indicator(stage, c))
    return {y: out[y].value / budget[y].value * 100 for y in sorted(out.keys() & budget.keys())}


def historical_rate(c: Country) -> Rate | None:
    """The average and range of the outturn / final budget rates of ``c``'s data, or None without any."""
    rates = yearly_rates(c) if has_outturn(c) else {}
    if not rates:
        return None
    values = list(rates.values())
    return Rate(sum(values) / len(values), min(values), max(values), tuple(rates))


def sources(frame: pd.DataFrame) -> list[str]:
    """The source ids the table cites, in first-use order (row by row)."""
    cells = frame[[c for c in frame.columns if c.endswith("_source")]].to_numpy().ravel()
    return list(dict.fromkeys(i.strip() for cell in cells for i in str(cell).split(";") if i.strip()))


def section(c: Country) -> list[str]:
    """The summary's "Budget against outturn" section ([] for a country without the series): the
    table of the years with data, the average execution rate and its range, and the sources.
    """
    from budget.formats import as_float
    from budget.history import load_sources
    from budget.i18n import _, billions, num

    frame = outturn_table(c)
    if frame is None:
        return []
    cur = c.cur
    rate, passed = historical_rate(c), yearly_rates(c, "budget_passed")
    out = ["## " + _("Budget against outturn"), ""]
    out.append(
        _(
            "The defense ministry's budget as passed in the budget act, as amended during the year, and its final "
            "budget (the budget after in-year changes plus money carried over from earlier years and other "
            "sources), against what it spent (the outturn), in {unit} at current prices. NATO's figure is NATO's "
            "share of GDP x GDP: all defense spending, also outside the ministry. The execution rate is the outturn "
            "in % of the final budget (the ministry's own measure), beside it in % of the budget as passed; the "
            "two are never averaged together. In italics: estimates (a year-end or preliminary figure before the "
            "state closing account; NATO's estimate). Empty: not found."
        ).format(unit=billions(c.currency))
    )
    out.append("")
    if rate is not None:
        final = yearly_rates(c)
        low, high = min(final, key=final.__getitem__), max(final, key=final.__getitem__)
        out.append(
            _(
                "In the {n} years with both figures ({first}-{last}) the ministry spent on average {mean} % of its "
                "final budget, from {low} % in {low_year} to {high} % in {high_year}."
            ).format(
                n=len(rate.years),
                first=rate.years[0],
                last=rate.years[-1],
                mean=num(rate.mean_pct),
                low=num(rate.low_pct),
                low_year=low,
                high=num(rate.high_pct),
                high_year=high,
            )
        )
    if passed:
        values = list(passed.values())
        out.append(
            _(
                "Against the budget as passed it spent on average {mean} % ({n} years, {low}-{high} %): the final "
                "budget adds what earlier years left unspent."
            ).format(mean=num(sum(values) / len(values)), n=len(values), low=num(min(values)), high=num(max(values)))
        )
    head = [_("Year"), _("Passed"), _("Amended"), _("Final"), _("Outturn"), _("NATO's figure")]
    head += [_("Outturn / final, %"), _("Outturn / passed, %"), _("Sources")]
    out += ["", "| " + " | ".join(head) + " |", "|---:|" + "---:|" * 7 + "---|"]

    def cell(year: int, stage: str, status: str = "") -> str:
        value = as_float(frame.loc[year, f"{stage}_{cur}_bn"])
        if math.isnan(value):
            return ""
        text = num(value)
        return f"*{text}*" if status and frame.loc[year, status] == "estimate" else text

    src = load_sources()
    number = {i: k + 1 for k, i in enumerate(sources(frame))}  # the list of sources below, numbered

    def who(sid: str) -> str:
        return _(src[sid].publisher_short or src[sid].publisher.split(" (")[0]) if sid else "-"

    conflicts = []
    for year in frame.index:
        if frame.loc[year, [f"{s}_{cur}_bn" for s in STAGES if s != "budget_passed_other"]].isna().all():
            continue  # a year with a second source only: said below
        passed_text = cell(year, "budget_passed")
        other = as_float(frame.loc[year, f"budget_passed_other_{cur}_bn"])
        if not math.isnan(other):
            passed_text = _("{value} or {other}").format(value=passed_text or "-", other=num(other))
            conflicts.append(
                _(
                    "{year}: two sources disagree on the budget as passed, {value} ({source}) and {other} "
                    "({other_source}); both are shown, neither is picked."
                ).format(
                    year=year,
                    value=num(as_float(frame.loc[year, f"budget_passed_{cur}_bn"])),
                    source=who(frame.loc[year, "budget_passed_source"]),
                    other=num(other),
                    other_source=who(frame.loc[year, "budget_passed_other_source"]),
                )
            )
        ids = sources(frame.loc[[year]])
        row = [str(year), passed_text, cell(year, "budget_amended"), cell(year, "budget_final")]
        row += [cell(year, "outturn", "outturn_status"), cell(year, "nato", "nato_status")]
        row += [num(v) if not math.isnan(v := as_float(frame.loc[year, r])) else "" for r in RATES]
        out.append("| " + " | ".join([*row, ", ".join(str(n) for n in sorted(number[i] for i in ids))]) + " |")
    out += ["", *conflicts, *([""] if conflicts else [])]
    out += [_("Sources of the table (the numbers in its last column):"), ""]
    for i, k in number.items():
        x = src[i]
        out.append(f"- ({k}) {x.publisher}, *{x.title}*, {x.published}, <{x.url}>")
    return [*out, ""]
