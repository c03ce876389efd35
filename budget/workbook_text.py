"""Workbook text: every word a reader of ``budget.xlsx`` sees, in one place (English for now).

``say(key, **values)`` fills in ``TEXT[key]``; a translation later wraps it (``_()``) here and
nowhere else. Column headers are built from ``LABELS``, ``WORDS`` and the units of
``budget.provenance.describe`` (shown as ``UNITS`` says, with ``FORMATS``) by ``header``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from budget.i18n import N_, _, currency
from budget.provenance import describe

if TYPE_CHECKING:
    from budget.pledges import Line

TEXT: dict[str, str] = {
    # Sheet names (31 characters at most; a scenario's sheet never takes one, see sheet_names).
    "summary": N_("summary"),
    "gaps": N_("gaps"),
    "simulation": N_("simulation"),
    "sensitivity": N_("sensitivity"),
    "comparison": N_("comparison"),
    "sources": N_("sources"),
    "columns": N_("columns"),
    # The summary sheet.
    "summary_title": N_("{country}: defense spending scenarios, one row each"),
    "scenario": N_("Scenario"),
    "sheet": N_("Sheet (click to open)"),
    "title": N_("Title"),
    "description": N_("Description"),
    "publisher": N_("Plan source: publisher"),
    "source_title": N_("Plan source: title"),
    "date": N_("Plan source: date"),
    "url": N_("Plan source: URL"),
    "note": N_("Plan source: note"),
    "spending": N_("Defense spending {year}, {unit}: {end}"),
    "procurement": N_("Cumulative procurement {years}, {unit}: {end}"),
    "procurement_years": N_("Procurement years"),
    "ten_years": N_("over the first ten projection years"),
    "met": N_("{line}: {ref} met in {year}?"),
    "level": N_("level"),
    "path": N_("path (our assumption)"),
    "low": N_("low"),
    "high": N_("high"),
    "yes": N_("yes"),
    "no": N_("no"),
    "split": N_("{low} (low end), {high} (high end)"),
    "no_resilience": N_("n/a: resilience not modelled"),
    "na": N_("n/a"),
    "ends": N_("n/a: the projection ends in {year}"),
    "not_compared": N_("not compared"),
    "note_units": N_(
        "Money: billions at current prices (nominal), USD at each year's average exchange rate; "
        "shares: % of nominal GDP. Low and high: the two ends of a scenario's target range (equal where its "
        "targets are single values)."
    ),
    "note_lines": N_(
        "Level: the line's own level (e.g. 3.5 % of GDP) in its year and after. Path (our "
        "assumption): a straight path from the last data year's share to the level by the line's year; no "
        "pledge sets it. Yes: met at both ends of the range; no: at neither."
    ),
    "note_sources": N_(
        "Data: {sources}. Details and links: sheet '{sources_sheet}'; every column's name in the "
        "CSV files and its meaning: sheet '{columns_sheet}'."
    ),
    # The other sheets.
    "plan_source": N_("Plan source: {text}"),
    "gaps_title": N_(
        "Spending minus each line that binds the country, against its level and the path to it "
        "(our assumption); + = above, - = short; both ends of the range."
    ),
    "simulation_title": N_("Monte Carlo percentiles and probabilities, {draws} draws, seed {seed}."),
    "sensitivity_title": N_("One driver at a time, one standard deviation down and up."),
    "comparison_title": N_("Every scenario's central path side by side."),
    "sources_title": N_("The data and pledge sources behind every number."),
    "columns_title": N_("Every column header, its name in the CSV files, its unit and its meaning."),
    "table": N_("Table"),
    "header": N_("Column"),
    "csv": N_("Name in the CSV file"),
    "unit": N_("Unit"),
    "meaning": N_("Meaning"),
    "projection_table": N_("each scenario's sheet (projection.csv)"),
    "stacked_table": N_("{sheet} ({csv}.csv, every scenario)"),
    "comparison_table": N_("{sheet} (comparison.csv)"),
    "source": N_("Source"),
    "source_publisher": N_("Publisher"),
    "source_url": N_("URL"),
    "published": N_("Published"),
    "accessed": N_("Accessed"),
}

# Column headers: (regular expression on the CSV column name, {cur} = the currency code; the
# words, filled from the named groups through WORDS; the column whose unit it takes, "" = its own).
LABELS: list[tuple[str, str, str]] = [
    (r"year", N_("Year"), ""),
    (r"scenario", N_("Scenario"), ""),
    (r"status", N_("Defense figure (actual, estimate or projection)"), ""),
    (r"economy_status", N_("GDP figure (actual, projection or assumption)"), ""),
    (r"prices_base_year", N_("Base year of constant prices"), ""),
    (
        r"(?P<what>defense|procurement|resilience|total)_(usd|{cur})_bn(_const)?(_(?P<end>low|high))?",
        N_("{what}{end}"),
        "",
    ),
    (r"(?P<what>defense|resilience|total)_pct_gdp(_(?P<end>low|high))?", N_("{what}{end}"), ""),
    (r"procurement_pct_(?P<end>low|high)", N_("Procurement share of defense{end}"), ""),
    (r"gdp_(usd|{cur})_bn", N_("GDP"), ""),
    (r"gdp_deflator_\d{{4}}_100", N_("GDP deflator"), ""),
    (r"real_gdp_growth_pct", N_("Real GDP growth"), ""),
    (r"deflator_growth_pct", N_("GDP deflator growth"), ""),
    (r"{cur}_per_usd", N_("Exchange rate"), ""),
    (r"equipment_guideline_usd_bn", N_("Equipment guideline (central path)"), ""),
    (r"gap_equipment_guideline_usd_bn", N_("Equipment guideline minus low procurement (+ = short)"), ""),
    (r"(?P<line>[a-z0-9_]+)_level_(usd|{cur})_bn", N_("{line} level"), ""),
    (r"(?P<line>[a-z0-9_]+)_path_(pct_gdp|usd_bn|{cur}_bn)", N_("{line} path (our assumption)"), ""),
    (r"line", N_("Line"), ""),
    (r"end", N_("Range end"), ""),
    (r"compares_with", N_("Compares"), ""),
    (r"level_pct_gdp", N_("Level"), ""),
    (r"path_pct_gdp", N_("Path (our assumption)"), ""),
    (r"share_pct_gdp", N_("Share compared"), ""),
    (r"share_minus_(?P<ref>level|path)_pct_points", N_("Share minus {ref} (+ above, - short)"), ""),
    (r"spending_minus_(?P<ref>level|path)_(usd|{cur})_bn", N_("Spending minus {ref}"), ""),
    (r"meets_(?P<ref>level|path)", N_("Meets the {ref}"), ""),
    (r"cumulative_minus_(?P<ref>level|path)_usd_bn", N_("Spending minus {ref}, running sum"), ""),
    (r"resilience_needed_pct_gdp", N_("Resilience share that meets the level with core"), ""),
    (r"met_from", N_("Meets the level from (history counts)"), ""),
    (r"required_real_growth_pct", N_("Real growth of spending that reaches the level"), ""),
    (
        r"defense_(?P<m>pct_gdp|usd_bn|{cur}_bn)_p(?P<pct>\d\d)_(?P<end>low|high)",
        N_("Defense spending, {pct}{end}"),
        "",
    ),
    (r"prob_meets_(?P<line>[a-z0-9_]+)_(?P<end>low|high)", N_("Probability of meeting the {line} level{end}"), ""),
    (r"driver", N_("Driver moved one standard deviation"), ""),
    (
        r"(?P<m>pct_gdp|usd_bn)_(?P<year>\d{{4}})_(?P<dir>down|base|up)",
        N_("Defense spending {year}, {dir}"),
        "defense_{m}",
    ),
    (r"procurement_usd_bn_(?P<dir>down|base|up)", N_("Procurement summed over the projection years, {dir}"), ""),
]
WORDS: dict[str, dict[str | None, str]] = {
    "what": {
        "defense": N_("Defense spending"),
        "procurement": N_("Procurement (major equipment)"),
        "resilience": N_("Resilience spending"),
        "total": N_("Core defense + resilience"),
    },
    "end": {"low": N_(" (low end)"), "high": N_(" (high end)"), None: ""},
    "ref": {"level": N_("level"), "path": N_("path (our assumption)")},
    "dir": {"down": N_("driver down"), "base": N_("as stated"), "up": N_("driver up")},
    "pct": {"05": N_("5th percentile"), "50": N_("median"), "95": N_("95th percentile")},
    "compares_with": {"core": N_("core defense"), "total": N_("core defense + resilience")},
}
# Number formats by unit (first match); values stay unrounded.
FORMATS = [
    ("bn", "#,##0.0"),
    ("of GDP", "0.00"),
    ("per year", "0.00"),
    ("of defense", "0.0"),
    ("fraction", "0.0%"),
    ("per USD", "0.00"),
    ("index", "0.0"),
    ("year", "0"),
]
# Units of budget.provenance.describe as a header shows them ("USD bn, current prices" becomes
# "USD bn (current prices)" by itself); "" = no unit in the header.
UNITS = {
    "percentage points of GDP": "points of GDP",
    "fraction of draws (0-1)": "% of draws",
    "year": "",
}


def _translated(text: str | None) -> str:
    return _(text) if text else ""


def say(key: str, **values: Any) -> str:
    """``TEXT[key]`` with ``values`` filled in: the one place a translation goes through."""
    return _(TEXT[key]).format(**values)


def shown_unit(unit: str, base: int) -> str:
    """A unit as a header shows it, in the current language: ``USD bn, current prices`` -> ``USD bn
    (current prices)``.
    """
    unit = UNITS.get(unit, unit).replace("prices_base_year", str(base))
    head, sep, tail = unit.partition(", ")
    head, tail = unit_words(head), unit_words(tail)
    return f"{head} ({tail})" if sep else head


# The words of units (budget.tables.COLUMNS and the ledger's), each a pattern and its message.
UNIT_WORDS: list[tuple[str, str]] = [
    (r"(?P<cur>[A-Z]{3}) bn", N_("{cur} bn")),
    (r"(?P<cur>[A-Z]{3}) per USD", N_("{cur} per USD")),
    (r"current prices", N_("current prices")),
    (r"constant prices of (?P<year>\d{4})", N_("constant prices of {year}")),
    (r"constant prices and exchange rate of (?P<year>\d{4})", N_("constant prices and exchange rate of {year}")),
    (r"annual average", N_("annual average")),
    (r"% of GDP", N_("% of GDP")),
    (r"% of defense", N_("% of defense")),
    (r"% per year", N_("% per year")),
    (r"% of draws", N_("% of draws")),
    (r"points of GDP", N_("points of GDP")),
    (r"index", N_("index")),
    (r"(?P<year>\d{4}) = 100", N_("{year} = 100")),
    (r"year", N_("year")),
]


def unit_words(text: str) -> str:
    """A unit's words in the current language (itself where no pattern knows it)."""
    for pattern, message in UNIT_WORDS:
        m = re.fullmatch(pattern, text)
        if m:
            values = {k: currency(v) if k == "cur" else v for k, v in m.groupdict().items()}
            return _(message).format(**values)
    return text


def header(name: str, cur: str, base: int, lines: dict[str, Line]) -> tuple[str, str, str]:
    """(header, number format, unit) of a CSV column: ``defense_usd_bn`` gives ``Defense spending,
    USD bn (current prices)``, ``#,##0.0`` and ``USD bn, current prices`` (``KeyError`` if unknown).
    ``base``: the base year of constant prices; ``lines``: the binding lines by id.
    """
    if "__" in name:  # <scenario>__<column> in the comparison
        scenario, column = name.split("__", 1)
        text, fmt, unit = header(column, cur, base, lines)
        return f"{scenario}: {text}", fmt, unit
    for pattern, words, unit_of in LABELS:
        m = re.fullmatch(pattern.format(cur=cur), name)
        if m is None or ("line" in m.groupdict() and m["line"] not in lines):
            continue
        parts = {k: _translated(WORDS[k].get(v, v)) if k in WORDS else v for k, v in m.groupdict().items()}
        if "line" in parts:
            parts["line"] = _(lines[str(parts["line"])].short_label)
        unit = describe(unit_of.format(**parts) if unit_of else name, cur)[1]
        fmt = next((f for key, f in FORMATS if key in unit), "General")
        shown = shown_unit(unit, base)
        return (
            _(words).format(**parts) + (f", {shown}" if shown else ""),
            fmt,
            unit.replace("prices_base_year", str(base)),
        )
    raise KeyError(name)
