"""Provenance: a Table Schema sidecar (``<table>.json``) beside every CSV the tool writes.

Each sidecar is a Frictionless *tabular data resource*: the table's fields (name, type, unit,
description), the data sources (publisher, title, URL, dates), the scenario files with their
``extends`` chain and a SHA-256 hash of each, the package version and the random seed where one
was used. No timestamps, sorted keys: the same inputs give the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from budget.fiscal import COLUMNS as FISCAL_FIELDS
from budget.history import load_sources
from budget.outturn import FIELDS as OUTTURN_FIELDS
from budget.pledges import pledge_sources
from budget.scenario import Scenario
from budget.tables import column_doc

if TYPE_CHECKING:
    import pandas as pd


# Columns of the other tables ({cur}: currency code). Regular expressions, first match wins.
OTHER_FIELDS: list[tuple[str, str, str, str]] = [
    (r"line", "string", "", "Id of a line that binds the country (see the sources for its pledge)."),
    (r"end", "string", "", "End of the scenario's range: low or high (equal where targets are single values)."),
    (r"compares_with", "string", "", "core (core defense) or total (core + resilience)."),
    (r"level_pct_gdp", "number", "% of GDP", "The line's level."),
    (
        r"path_pct_gdp",
        "number",
        "% of GDP",
        "Straight path to the level by the line's year from the last data year (our assumption).",
    ),
    (
        r"share_pct_gdp",
        "number",
        "% of GDP",
        "Scenario share the line compares with: core, or core + resilience (empty if resilience is not modelled).",
    ),
    (
        r"share_minus_(level|path)_pct_points",
        "number",
        "percentage points of GDP",
        "Share minus the level (or the path): + = above, - = short.",
    ),
    (
        r"spending_minus_(level|path)_usd_bn",
        "number",
        "USD bn, current prices",
        "Share minus the level (or path), in money at that year's GDP: + = above, - = short.",
    ),
    (
        r"spending_minus_(level|path)_{cur}_bn",
        "number",
        "{CUR} bn, current prices",
        "Share minus the level (or path), in money at that year's GDP: + = above, - = short.",
    ),
    (r"meets_(level|path)", "boolean", "", "Share at or above the level (or the path) that year."),
    (
        r"cumulative_minus_(level|path)_usd_bn",
        "number",
        "USD bn, current prices",
        "Running sum from the first projection year of spending minus the level (or path).",
    ),
    (
        r"resilience_needed_pct_gdp",
        "number",
        "% of GDP",
        "Total lines: the resilience share that, added to core, meets the level (0: core alone meets it).",
    ),
    (
        r"met_from",
        "integer",
        "year",
        "First year of the unbroken run of years meeting the level up to the end year (history counts).",
    ),
    (
        r"required_real_growth_pct",
        "number",
        "% per year",
        "Constant real growth of spending from the last data year that reaches the level in the line's year.",
    ),
    (r"driver", "string", "", "Driver moved one standard deviation (or the procurement share, low to high)."),
    (
        r"(pct_gdp|usd_bn)_(\d{4})_(down|base|up)",
        "number",
        "% of GDP or USD bn, current prices",
        "End-year result with the driver down, as stated (base) or up, at the row's range end.",
    ),
    (
        r"procurement_usd_bn_(down|base|up)",
        "number",
        "USD bn, current prices",
        "Procurement summed over the projection years (driver down, as stated, up).",
    ),
    (
        r"defense_pct_gdp_p(05|50|95)_(low|high)",
        "number",
        "% of GDP",
        "Percentile of the simulated share of GDP, at the low or high end of the range.",
    ),
    (
        r"defense_usd_bn_p(05|50|95)_(low|high)",
        "number",
        "USD bn, current prices",
        "Percentile of the simulated amount.",
    ),
    (
        r"defense_{cur}_bn_p(05|50|95)_(low|high)",
        "number",
        "{CUR} bn, current prices",
        "Percentile of the simulated amount.",
    ),
    (
        r"prob_meets_[a-z0-9_]+_(low|high)",
        "number",
        "fraction of draws (0-1)",
        "Share of draws meeting the line's level (core, or core + resilience for a total line).",
    ),
    (
        r"edition",
        "string",
        "",
        "Edition of the GDP series (GDP, deflator, growth, implied exchange rates) the row uses.",
    ),
    (r"published", "string", "date (YYYY-MM-DD)", "Publication date of the row's edition."),
    (r"defense_share_pct_gdp", "number", "% of GDP", "Defense spending at the row's range end, under its edition."),
    (
        r"defense_spending_usd_bn",
        "number",
        "USD bn, current prices",
        "Defense spending at the row's range end, under its edition.",
    ),
    (
        r"meets_[a-z][a-z0-9_]*_level",
        "boolean",
        "",
        "The line's level met at the row's range end and edition (empty: the share it compares with is not modelled).",
    ),
    (r"year", "integer", "year", "Calendar year."),
    (r"country", "string", "", "Country key (a folder of budget/data/)."),
    (r"scenario", "string", "", "Scenario name."),
    (
        r"metric",
        "string",
        "",
        "What is measured: defense, gdp, exchange_rate, procurement, <line>_level, <line>_path...",
    ),
    (
        r"unit",
        "string",
        "",
        "Unit of value: % of GDP, USD bn, <CUR> bn, <CUR> per USD, % per year, % of defense, index.",
    ),
    (r"prices", "string", "", "current, constant <base year>, or empty for shares, rates and indices."),
    (
        r"status",
        "string",
        "",
        "actual, estimate or projection (the publisher's), or projection/assumption (the scenario's).",
    ),
    (r"value", "number", "see unit", "The value, in the row's unit."),
    (r"all_drawn", "number", "fraction of draws (0-1)", "Probability of meeting the level with every driver drawn."),
    (
        r"(real_growth|deflator_growth|exchange_rate)_held",
        "number",
        "fraction of draws (0-1)",
        "The same probability with that driver held at its central path.",
    ),
    (r"(?P<s>.+)__diff_usd_bn", "number", "USD bn, current prices", "Scenario minus the first scenario."),
    (r"(?P<s>.+)__diff_{cur}_bn", "number", "{CUR} bn, current prices", "Scenario minus the first scenario."),
    (r"(?P<s>.+)__diff_pct_points", "number", "percentage points of GDP", "Scenario minus the first scenario."),
    (r"(?P<s>.+)__cumulative_diff_usd_bn", "number", "USD bn, current prices", "Running sum of the difference."),
    (r"(?P<s>.+)__cumulative_diff_{cur}_bn", "number", "{CUR} bn, current prices", "Running sum of the difference."),
]


def describe(name: str, cur: str) -> tuple[str, str, str]:
    """Type, unit and description of any output column (``KeyError`` if undocumented)."""
    for pattern, kind, unit, text in [*OTHER_FIELDS, *OUTTURN_FIELDS, *FISCAL_FIELDS]:
        if re.fullmatch(pattern.replace("{cur}", cur), name):  # not str.format: regexes use braces
            return kind, unit.replace("{CUR}", cur.upper()), text
    if "__" in name:  # <scenario>__<projection column> in comparison tables
        scenario, column = name.split("__", 1)
        kind, unit, text = column_doc(column, cur)
        return kind, unit, f"Scenario {scenario}: {text}"
    return column_doc(name, cur)


def file_hash(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sources_used(scenarios: Iterable[Scenario], extra: Iterable[str] = ()) -> list[dict[str, str]]:
    """The data and pledge sources behind a table, then the ``extra`` ids a table cites itself (e.g.
    its side series), in first-use order (Frictionless ``sources``).
    """
    ids: dict[str, None] = {}
    for s in scenarios:
        ids.update(dict.fromkeys([*s.data.source_ids(), *pledge_sources(s.data)]))
    ids.update(dict.fromkeys(extra))
    src = load_sources()
    return [
        {
            "id": i,
            "title": src[i].title,
            "path": src[i].url,
            "publisher": src[i].publisher,
            "published": src[i].published,
            "accessed": src[i].accessed,
        }
        for i in ids
    ]


def scenario_record(s: Scenario) -> dict[str, Any]:
    """The scenario's name and files: the file itself, then each file it extends, with hashes."""
    return {
        "name": s.name,
        "title": s.title,
        "files": [{"path": p.as_posix(), "sha256": file_hash(p)} for p in s.chain],
        "plan_source": dict(sorted(s.plan_source.items())),
    }


def write_sidecar(
    csv_path: Path,
    frame: pd.DataFrame,
    scenarios: Iterable[Scenario],
    seed: int | None = None,
    description: str = "",
    inputs_sha256: str = "",
    sources: Iterable[str] = (),
) -> Path:
    """Write ``<csv_path>.json`` describing ``frame`` as written to ``csv_path``; ``sources``: ids
    the table cites beyond its scenarios' data (``sources_used``).

    ``inputs_sha256`` (``budget.report.input_key``), where given, lets a later run reuse the
    folder when nothing it depends on has changed.
    """
    from budget import __version__

    group = list(scenarios)
    cur = group[0].data.cur
    names = [n for n in frame.index.names if n is not None] + [str(c) for c in frame.columns]
    fields = []
    for name in map(str, names):
        kind, unit, text = describe(name, cur)
        fields.append({"name": name, "type": kind, "unit": unit, "description": text})
    doc: dict[str, Any] = {
        "profile": "tabular-data-resource",
        "name": csv_path.stem,
        "path": csv_path.name,
        "format": "csv",
        "encoding": "utf-8",
        "description": description,
        "schema": {"fields": fields, "primaryKey": [n for n in frame.index.names if n is not None]},
        "sources": sources_used(group, sources),
        "budget": {
            "version": __version__,
            "scenarios": [scenario_record(s) for s in {s.name: s for s in group}.values()],  # once each
            "seed": seed,
            **({"inputs_sha256": inputs_sha256} if inputs_sha256 else {}),
        },
    }
    out = csv_path.with_suffix(".json")
    out.write_text(json.dumps(doc, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    return out
