"""Tables: key figures, the per-scenario ``summary.md``, the comparison table, CSV writing.

Every figure states its unit; ranges are written low-high. Numbers are formatted here and
nowhere else, so the Markdown, the terminal and the CSV agree.
"""

from __future__ import annotations

import math
import re
from typing import Any

import pandas as pd

from budget.formats import as_float, num, span
from budget.ledger import gaps
from budget.model import cumulative
from budget.pledges import lines_for
from budget.scenario import Scenario, ScenarioError
from budget.sections import assumptions_section, rate_jump, sensitivity_section, sources_markdown, uncertainty_section
from budget.verdicts import line_sentences, met_cell

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
    for money in ("usd", cur):
        for end_ in ("low", "high"):
            out[f"procurement_{money}_bn_{first}_{last}_{end_}"] = _window_sum(
                df, f"procurement_{money}_bn_{end_}", first, last
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
    """``summary.md``: the key figures as plain sentences plus a table, with sources.

    With ``ledger`` (``budget.gaps``), ``sim`` (``budget.simulate``) and ``sens``
    (``budget.uncertainty.sensitivity``) it adds the shortfall ledger, what the targets imply,
    the probabilities of meeting each line and the sensitivity table.
    """
    ledger = gaps(s, df) if ledger is None else ledger
    k = key_figures(df, s, ledger)
    c = s.data
    cur, code, t0, end = c.cur, c.currency, c.last_data_year, s.end_year
    first, last = t0 + 1, min(t0 + 10, end)

    def fig(col: str, year: int, digits: int = 1) -> str:
        return span(k[f"{col}_{year}_low"], k[f"{col}_{year}_high"], digits)  # type: ignore[arg-type]

    years = [y for y in (2030, 2035) if y in df.index]
    text = [f"# {s.title}", "", s.description, ""]
    for y in years:
        if math.isnan(float(k[f"defense_usd_bn_{y}_high"])):  # type: ignore[arg-type]
            text.append(f"- In {y} the scenario has no path (it stops after its last target).")
            continue
        text.append(
            f"- In {y} the plan means **USD {fig('defense_usd_bn', y)} bn**, {code} {fig(f'defense_{cur}_bn', y, 0)} bn"
            f", or **{fig('defense_pct_gdp', y, 2)} % of GDP** (current prices)."
        )
    proc_usd = span(k[f"procurement_usd_bn_{first}_{last}_low"], k[f"procurement_usd_bn_{first}_{last}_high"])  # type: ignore[arg-type]
    proc_loc = span(k[f"procurement_{cur}_bn_{first}_{last}_low"], k[f"procurement_{cur}_bn_{first}_{last}_high"], 0)  # type: ignore[arg-type]
    text.append(
        f"- Procurement ({s.procurement_low_pct:g}-{s.procurement_high_pct:g} % of defense) adds up to "
        f"**USD {proc_usd} bn** ({code} {proc_loc} bn) over {first}-{last}."
    )
    text += rate_jump(df, s)
    heading = "## Against the lines that bind " + c.name
    if c.compared_with and not set(c.compared_with) <= set(c.memberships):
        heading = (
            f"## Against the lines of {', '.join(g.upper() for g in c.compared_with)} "
            f"({c.name} is not a member: compared at this scenario's request)"
        )
    text += ["", heading, ""]
    text += line_sentences(s, ledger, df) or [f"No pledge line binds {c.name} in the data."]
    text += ["", "| Figure | " + " | ".join(map(str, years)) + " |", "|---|" + "---:|" * len(years)]
    rows = [
        ("Defense, USD bn (current prices)", "defense_usd_bn", 1),
        (f"Defense, {code} bn (current prices)", f"defense_{cur}_bn", 0),
        ("Defense, % of GDP", "defense_pct_gdp", 2),
    ]
    for label, col, digits in rows:
        text.append(f"| {label} | " + " | ".join(fig(col, y, digits) for y in years) + " |")
    for ln in lines_for(c):
        for cmp, label in (("level", "level"), ("path", "path (our assumption)")):
            if cmp == "path" and ln.year <= t0:  # the pledge year has passed: the path is the level
                continue
            at = ledger[(ledger["line"] == ln.id)].set_index(["year", "end"])[f"share_minus_{cmp}_pct_points"]
            if at.isna().all():
                continue
            text.append(
                f"| {ln.short_label}: share minus {label}, points (+ above, - short) | "
                + " | ".join(
                    span(float(at.get((y, "low"), math.nan)), float(at.get((y, "high"), math.nan)), 2) for y in years
                )
                + " |"
            )
    text += [f"| Cumulative procurement {first}-{last}, USD bn | {proc_usd} |" + " |" * (len(years) - 1), ""]
    text += _implications(df, s)
    if not ledger.empty:
        text += _ledger(ledger, s)
    if sim is not None:
        text += uncertainty_section(sim, s, drv)
    if sens is not None:
        text += sensitivity_section(sens)
    text += assumptions_section(df, s) + [""] + sources_markdown(s)
    return "\n".join(text) + "\n"


def _implications(df: pd.DataFrame, s: Scenario) -> list[str]:
    from budget.ledger import disagreements, implied_targets, window_claims

    imp = implied_targets(s)
    if imp.empty and not s.claims:
        return []
    cur, code = s.data.cur, s.data.currency
    out = [
        "## What the targets mean",
        "",
        "Each stated figure restated at this scenario's GDP and exchange-rate path (current prices).",
        "",
        f"| Year | Stated | USD bn | {code} bn | % of GDP | Note |",
        "|---|---|---:|---:|---:|---|",
    ]
    units = {"usd_bn": "USD bn", "pct_gdp": "% of GDP", f"{cur}_bn": f"{code} bn"}
    for row in imp.to_dict("records"):
        r: Any = pd.Series(row)
        kind = "" if r.kind == "target" else " (claim)"
        prices = f", {r.prices} prices" if r.prices and r.prices != "current" else ""
        out.append(
            f"| {r.year} | {r.stated:g} {units[r.unit]}{prices}{kind} | {num(r.usd_bn)} | "
            f"{num(getattr(r, f'{cur}_bn'), 0)} | {num(r.pct_gdp, 2)} | {r.note} |"
        )
    windows = window_claims(s)
    if windows:
        out += ["", "Claims over a window, summed at current prices (both ends of the range):", ""]
        out += [f"- {w.sentence}" for w in windows]
    problems = disagreements(s)
    out += (
        [""]
        + (
            ["**Targets and claims disagree:**", ""] + [f"- {p}" for p in problems]
            if problems
            else ["The targets and claims agree within 5 %."]
        )
        + [""]
    )
    return out


def _ledger(g: pd.DataFrame, s: Scenario) -> list[str]:
    """The ledger's totals per line: met from, cumulative differences, required growth."""
    code, t0 = s.data.currency, s.data.last_data_year
    first, last = int(g["year"].min()), int(g["year"].max())
    out = [
        "## Ledger: spending minus each line, summed",
        "",
        f"Spending minus the line in USD bn at current prices, summed over {first}-{last} (+ = above, "
        f"- = short), against the level and against the path to it (our assumption). Low-high: the "
        f"range ends. Required growth: the constant real growth of spending from {t0} that reaches "
        f"the level in the line's year. Money in {code} is in `gaps.csv`.",
        "",
        "| Line | Compares | Meets the level from | Sum vs level, USD bn | Sum vs path, USD bn "
        "| Required real growth, % a year |",
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
            f"| {line.label} | {line.what} | {met} | {both('cumulative_minus_level_usd_bn')} | "
            f"{both('cumulative_minus_path_usd_bn')} | {num(growth, 2)} |"
        )
    if s.resilience is None and any(ln.compares_with == "total" for ln in lines_for(s.data)):
        out += ["", "Total lines (core + resilience) show n/a: this scenario does not model resilience spending."]
    return out + [""]
