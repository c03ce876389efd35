"""Tables: key figures, the per-scenario ``summary.md``, the comparison table, CSV writing.

Every figure states its unit; ranges are written low-high. Numbers are formatted here and
nowhere else, so the Markdown, the terminal and the CSV agree.
"""

from __future__ import annotations

import math
import re
from typing import Any

import pandas as pd

from budget.execution import summary_lines as execution_lines
from budget.fiscal_text import fiscal_section
from budget.formats import as_float, num, span
from budget.i18n import _, billions, currency, money, short
from budget.ledger import gaps
from budget.model import cumulative
from budget.outturn import section as outturn_section
from budget.pledges import lines_for
from budget.scenario import Scenario, ScenarioError
from budget.sections import assumptions_section, rate_jump, sensitivity_section, sources_markdown, uncertainty_section
from budget.verdicts import in_unit, line_sentences, met_cell
from budget.vintages import vintages_markdown

# Every column of ``project()``: name pattern ({cur} = currency code, {line} = a line id from the data),
# type, unit and description. Feeds the README and the Table Schema sidecars of CSV outputs.
COLUMNS: dict[str, tuple[str, str, str]] = {
    "year": ("integer", "year", "Calendar year (index)."),
    "status": ("string", "", "Defense figure: actual, estimate (the publisher's) or projection (this scenario)."),
    "defense_usd_bn": ("number", "USD bn, current prices", "Defense spending; central path (high end of ranges)."),
    "defense_{cur}_bn": ("number", "{CUR} bn, current prices", "Defense spending; central path."),
    "defense_pct_gdp": ("number", "% of GDP", "Defense spending as a share of nominal GDP (2.0 = 2 %)."),
    "defense_usd_bn_low": ("number", "USD bn, current prices", "Low path (low end of range targets)."),
    "defense_usd_bn_high": ("number", "USD bn, current prices", "High path (high end of range targets)."),
    "defense_{cur}_bn_low": ("number", "{CUR} bn, current prices", "Low path."),
    "defense_{cur}_bn_high": ("number", "{CUR} bn, current prices", "High path."),
    "defense_pct_gdp_low": ("number", "% of GDP", "Low path."),
    "defense_pct_gdp_high": ("number", "% of GDP", "High path."),
    "defense_{cur}_bn_const": (
        "number",
        "{CUR} bn, constant prices of prices_base_year",
        "Central path deflated with the GDP deflator.",
    ),
    "defense_usd_bn_const": (
        "number",
        "USD bn, constant prices and exchange rate of prices_base_year",
        "Constant-price amount converted at the base year's exchange rate (constant prices and exchange rates).",
    ),
    "prices_base_year": ("integer", "year", "Base year of the constant-price columns."),
    "gdp_{cur}_bn": (
        "number",
        "{CUR} bn, current prices",
        "Nominal GDP: the data's source and edition (see sources), then the scenario's assumptions.",
    ),
    "gdp_usd_bn": ("number", "USD bn, current prices", "Nominal GDP converted at {cur}_per_usd."),
    "gdp_deflator_{base}_100": ("number", "index, {base} = 100", "GDP deflator (base year as published)."),
    "real_gdp_growth_pct": ("number", "% per year", "Real GDP growth."),
    "deflator_growth_pct": ("number", "% per year", "GDP deflator growth."),
    "{cur}_per_usd": (
        "number",
        "{CUR} per USD, annual average",
        "Exchange rate: the data's source to the last data year, then the scenario's assumption.",
    ),
    "economy_status": ("string", "", "GDP figure: actual, projection (IMF) or assumption (scenario)."),
    "procurement_pct_low": (
        "number",
        "% of defense",
        "Equipment share of defense: the data's in history, the scenario's low end after.",
    ),
    "procurement_pct_high": ("number", "% of defense", "Equipment share, high end."),
    "procurement_usd_bn_low": ("number", "USD bn, current prices", "Procurement: low share x low path."),
    "procurement_usd_bn_high": ("number", "USD bn, current prices", "Procurement: high share x high path."),
    "procurement_{cur}_bn_low": ("number", "{CUR} bn, current prices", "Procurement, low."),
    "procurement_{cur}_bn_high": ("number", "{CUR} bn, current prices", "Procurement, high."),
    "resilience_pct_gdp": ("number", "% of GDP", "Defense- and security-related spending (empty if not modelled)."),
    "resilience_{cur}_bn": ("number", "{CUR} bn, current prices", "Resilience spending."),
    "resilience_usd_bn": ("number", "USD bn, current prices", "Resilience spending."),
    "total_pct_gdp": ("number", "% of GDP", "Core defense + resilience (core alone if not modelled)."),
    "total_{cur}_bn": ("number", "{CUR} bn, current prices", "Core defense + resilience."),
    "total_usd_bn": ("number", "USD bn, current prices", "Core defense + resilience."),
    "{line}_level_usd_bn": ("number", "USD bn, current prices", "The line's level in money: level x GDP."),
    "{line}_level_{cur}_bn": ("number", "{CUR} bn, current prices", "The line's level in money: level x GDP."),
    "{line}_path_pct_gdp": (
        "number",
        "% of GDP",
        "Straight path to the line's level by its year from the last data year (our assumption).",
    ),
    "{line}_path_usd_bn": ("number", "USD bn, current prices", "The path in money: path share x GDP."),
    "{line}_path_{cur}_bn": ("number", "{CUR} bn, current prices", "The path in money: path share x GDP."),
    "equipment_guideline_usd_bn": (
        "number",
        "USD bn, current prices",
        "Equipment guideline (its share of defense) in money, on the central path.",
    ),
    "gap_equipment_guideline_usd_bn": (
        "number",
        "USD bn, current prices",
        "(Guideline share - low procurement share) x central path (+ = short).",
    ),
}


def column_doc(name: str, cur: str) -> tuple[str, str, str]:
    """Type, unit and description of a projection column (``KeyError`` if undocumented)."""
    fmt = {"cur": cur, "CUR": cur.upper()}
    for pattern, (kind, unit, text) in COLUMNS.items():
        regex = re.escape(pattern.replace("{cur}", cur)).replace(r"\{line\}", "(?P<line>[a-z][a-z0-9_]*?)")
        regex = regex.replace(r"\{base\}", r"(?P<base>\d{4})")
        match = re.fullmatch(regex, name)
        if match:
            base = match.groupdict().get("base") or ""
            return kind, unit.format(**fmt, base=base), text.format(**fmt, base=base)
    raise KeyError(name)


def _window_sum(df: pd.DataFrame, column: str, first: int, last: int) -> float:
    """``cumulative``, or NaN where a stopped path leaves years without a value (said in the text)."""
    try:
        return cumulative(df, column, first, last)
    except ScenarioError:
        return math.nan


def key_figures(df: pd.DataFrame, s: Scenario, g: pd.DataFrame | None = None) -> dict[str, object]:
    """The figures a reader asks for first, with units in the keys.

    Spending in 2030 and 2035 (USD bn, local bn, % of GDP; low and high), cumulative
    procurement over the first ten projection years (or to the end year), the 2035 gap to
    each binding line's level and the year it is met from (None: not by the end year).
    """
    cur, t0, end = s.data.cur, s.data.last_data_year, s.end_year
    first, last = t0 + 1, min(t0 + 10, end)
    out: dict[str, object] = {"scenario": s.name, "title": s.title}
    for year in sorted({2030, 2035, end} & set(df.index)):
        for col in ("defense_usd_bn", f"defense_{cur}_bn", "defense_pct_gdp"):
            out[f"{col}_{year}_low"] = as_float(df.loc[year, f"{col}_low"])
            out[f"{col}_{year}_high"] = as_float(df.loc[year, f"{col}_high"])
    for unit in ("usd", cur):
        for end_ in ("low", "high"):
            out[f"procurement_{unit}_bn_{first}_{last}_{end_}"] = _window_sum(
                df, f"procurement_{unit}_bn_{end_}", first, last
            )
    g = gaps(s, df) if g is None else g
    for line in lines_for(s.data):
        rows = g[g["line"] == line.id]
        year = line.year if line.year in df.index and line.year > t0 else end
        at = rows[rows["year"] == year].set_index("end")
        for end_ in ("low", "high"):
            out[f"{line.id}_share_minus_level_pct_points_{year}_{end_}"] = as_float(
                at.loc[end_, "share_minus_level_pct_points"]
            )
            out[f"{line.id}_spending_minus_level_usd_bn_{year}_{end_}"] = as_float(
                at.loc[end_, "spending_minus_level_usd_bn"]
            )
            out[f"{line.id}_resilience_needed_pct_gdp_{year}_{end_}"] = as_float(
                at.loc[end_, "resilience_needed_pct_gdp"]
            )
            met = rows.loc[rows["end"] == end_, "met_from"].iloc[0]
            out[f"{line.id}_met_from_{end_}"] = None if pd.isna(met) else int(met)
    return out


def summary_markdown(
    df: pd.DataFrame,
    s: Scenario,
    ledger: pd.DataFrame | None = None,
    sim: pd.DataFrame | None = None,
    sens: pd.DataFrame | None = None,
    drv: pd.DataFrame | None = None,
) -> str:
    """``summary.md``: the key figures as plain sentences plus a table, with sources, in the
    current language (``budget.i18n``).

    With ``ledger`` (``budget.gaps``), ``sim`` (``budget.simulate``) and ``sens``
    (``budget.uncertainty.sensitivity``) it adds the shortfall ledger, what the targets imply,
    the probabilities of meeting each line and the sensitivity table.
    """
    ledger = gaps(s, df) if ledger is None else ledger
    k = key_figures(df, s, ledger)
    c = s.data
    cur, code, t0, end = c.cur, c.currency, c.last_data_year, s.end_year
    first, last = t0 + 1, min(t0 + 10, end)
    country = _(c.name)

    def fig(col: str, year: int, digits: int = 1) -> str:
        return span(k[f"{col}_{year}_low"], k[f"{col}_{year}_high"], digits)  # type: ignore[arg-type]

    years = [y for y in (2030, 2035) if y in df.index]
    text = [f"# {_(s.title)}", "", _(s.description), ""]
    for y in years:
        if math.isnan(float(k[f"defense_usd_bn_{y}_high"])):  # type: ignore[arg-type]
            text.append("- " + _("In {year} the scenario has no path (it stops after its last target).").format(year=y))
            continue
        text.append(
            "- "
            + _("In {year} the plan means **{usd}**, {local}, or **{share} % of GDP** (current prices).").format(
                year=y,
                usd=money(fig("defense_usd_bn", y), "USD"),
                local=money(fig(f"defense_{cur}_bn", y, 0), code),
                share=fig("defense_pct_gdp", y, 2),
            )
        )
    proc_usd = span(k[f"procurement_usd_bn_{first}_{last}_low"], k[f"procurement_usd_bn_{first}_{last}_high"])  # type: ignore[arg-type]
    proc_loc = span(k[f"procurement_{cur}_bn_{first}_{last}_low"], k[f"procurement_{cur}_bn_{first}_{last}_high"], 0)  # type: ignore[arg-type]
    text.append(
        "- "
        + _("Procurement ({low}-{high} % of defense) adds up to **{usd}** ({local}) over {first}-{last}.").format(
            low=short(s.procurement_low_pct),
            high=short(s.procurement_high_pct),
            usd=money(proc_usd, "USD"),
            local=money(proc_loc, code),
            first=first,
            last=last,
        )
    )
    text += rate_jump(df, s)
    text += execution_lines(s)  # an execution rate applied: say so and what it is
    heading = _("Against the lines that bind {country}").format(country=country)
    if c.compared_with and not set(c.compared_with) <= set(c.memberships):
        heading = _(
            "Against the lines of {groups} ({country} is not a member: compared at this scenario's request)"
        ).format(groups=", ".join(g.upper() for g in c.compared_with), country=country)
    text += ["", f"## {heading}", ""]
    text += line_sentences(s, ledger, df) or [_("No pledge line binds {country} in the data.").format(country=country)]
    text += ["", f"| {_('Figure')} | " + " | ".join(map(str, years)) + " |", "|---|" + "---:|" * len(years)]
    rows = [
        (_("Defense, {unit} (current prices)").format(unit=billions("USD")), "defense_usd_bn", 1),
        (_("Defense, {unit} (current prices)").format(unit=billions(code)), f"defense_{cur}_bn", 0),
        (_("Defense, % of GDP"), "defense_pct_gdp", 2),
    ]
    for label, col, digits in rows:
        text.append(f"| {label} | " + " | ".join(fig(col, y, digits) for y in years) + " |")
    for ln in lines_for(c):
        for cmp in ("level", "path"):
            if cmp == "path" and ln.year <= t0:  # the pledge year has passed: the path is the level
                continue
            at = ledger[(ledger["line"] == ln.id)].set_index(["year", "end"])[f"share_minus_{cmp}_pct_points"]
            if at.isna().all():
                continue
            if cmp == "level":
                label = _("{line}: share minus level, points (+ above, - short)").format(line=_(ln.short_label))
            else:
                label = _("{line}: share minus path (our assumption), points (+ above, - short)").format(
                    line=_(ln.short_label)
                )
            text.append(
                f"| {label} | "
                + " | ".join(
                    span(float(at.get((y, "low"), math.nan)), float(at.get((y, "high"), math.nan)), 2) for y in years
                )
                + " |"
            )
    total = _("Cumulative procurement {first}-{last}, {unit}").format(first=first, last=last, unit=billions("USD"))
    text += [f"| {total} | {proc_usd} |" + " |" * (len(years) - 1), ""]
    text += _implications(df, s)
    if not ledger.empty:
        text += _ledger(ledger, s)
    if sim is not None:
        text += uncertainty_section(sim, s, drv)
    if sens is not None:
        text += sensitivity_section(sens)
    text += vintages_markdown(s, df)
    text += outturn_section(c)  # the country's budget against outturn, where its data hold them
    text += fiscal_section(s, df)  # what the path adds to general-government spending, the deficit, the debt
    text += assumptions_section(df, s) + [""] + sources_markdown(s)
    return "\n".join(text) + "\n"


def _implications(df: pd.DataFrame, s: Scenario) -> list[str]:
    from budget.ledger import disagreements, implied_targets, window_claims

    imp = implied_targets(s)
    if imp.empty and not s.claims:
        return []
    cur, code = s.data.cur, s.data.currency
    head = [_("Year"), _("Stated"), billions("USD"), billions(code), _("% of GDP"), _("Note")]
    out = [
        "## " + _("What the targets mean"),
        "",
        _("Each stated figure restated at this scenario's GDP and exchange-rate path (current prices)."),
        "",
        "| " + " | ".join(head) + " |",
        "|---|---|---:|---:|---:|---|",
    ]
    for row in imp.to_dict("records"):
        r: Any = pd.Series(row)
        stated = in_unit(short(r.stated), r.unit, code)
        if r.prices and r.prices != "current":
            stated = _("{stated}, constant prices").format(stated=stated)
        if r.kind != "target":
            stated = _("{stated} (claim)").format(stated=stated)
        out.append(
            f"| {r.year} | {stated} | {num(r.usd_bn)} | "
            f"{num(getattr(r, f'{cur}_bn'), 0)} | {num(r.pct_gdp, 2)} | {_(r.note) if r.note else ''} |"
        )
    windows = window_claims(s)
    if windows:
        out += ["", _("Claims over a window, summed at current prices (both ends of the range):"), ""]
        out += [f"- {w.sentence}" for w in windows]
    problems = disagreements(s)
    out += (
        [""]
        + (
            ["**" + _("Targets and claims disagree:") + "**", ""] + [f"- {p}" for p in problems]
            if problems
            else [_("The targets and claims agree within 5 %.")]
        )
        + [""]
    )
    return out


def _ledger(g: pd.DataFrame, s: Scenario) -> list[str]:
    """The ledger's totals per line: met from, cumulative differences, required growth."""
    code, t0 = s.data.currency, s.data.last_data_year
    first, last = int(g["year"].min()), int(g["year"].max())
    head = [
        _("Line"),
        _("Compares"),
        _("Meets the level from"),
        _("Sum vs level, {unit}").format(unit=billions("USD")),
        _("Sum vs path, {unit}").format(unit=billions("USD")),
        _("Required real growth, % a year"),
    ]
    out = [
        "## " + _("Ledger: spending minus each line, summed"),
        "",
        _(
            "Spending minus the line in {unit} at current prices, summed over {first}-{last} (+ = above, - = short), "
            "against the level and against the path to it (our assumption). Low-high: the range ends. Required "
            "growth: the constant real growth of spending from {t0} that reaches the level in the line's year. "
            "Money in {currency} is in `gaps.csv`."
        ).format(unit=billions("USD"), first=first, last=last, t0=t0, currency=currency(code)),
        "",
        "| " + " | ".join(head) + " |",
        "|---|---|---|---:|---:|---:|",
    ]
    for line in lines_for(s.data):
        rows = g[g["line"] == line.id]
        tail = rows[rows["year"] == last].set_index("end")
        ends = rows.drop_duplicates("end").set_index("end")["met_from"]
        known = not (line.compares_with == "total" and s.resilience is None)
        met = met_cell(ends.get("low"), ends.get("high"), last, known)

        def both(col: str, tail: pd.DataFrame = tail) -> str:
            return span(as_float(tail.loc["low", col]), as_float(tail.loc["high", col]))

        growth = as_float(tail["required_real_growth_pct"].iloc[0])
        out.append(
            f"| {_(line.label)} | {line.what} | {met} | {both('cumulative_minus_level_usd_bn')} | "
            f"{both('cumulative_minus_path_usd_bn')} | {num(growth, 2)} |"
        )
    if s.resilience is None and any(ln.compares_with == "total" for ln in lines_for(s.data)):
        out += ["", _("Total lines (core + resilience) show n/a: this scenario does not model resilience spending.")]
    return out + [""]
