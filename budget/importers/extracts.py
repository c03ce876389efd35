"""Readers of the checked input extracts (long CSV tables, one value a row).

Each extract keeps the publisher's values unrounded, with the publisher's URL per row; see the
README beside the inputs for how each was checked. A reader returns plain records; which
source id a record cites is decided by ``budget/importers/inputs.toml``, never here.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from budget.importers.records import RateValue, WeoValue


class ShareValue(NamedTuple):
    """A NATO value (``None`` where the publisher gives none): by default the defense share of GDP in
    percent; ``measure`` names another of NATO's figures (``usd_current_m``, ``equipment_share_pct``).
    """

    iso3: str
    year: int
    value: float | None
    status: str
    note: str
    measure: str = "pct_gdp"


class ItemValue(NamedTuple):
    """A national budget item: ``value`` in ``unit`` as published, with its publisher's URL."""

    iso3: str
    year: int
    item: str
    value: float | None
    unit: str
    status: str
    basis: str
    url: str


def _rows(path: Path, needed: tuple[str, ...]) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        missing = [c for c in needed if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(missing)}; found {reader.fieldnames}")
        yield from reader


def _number(text: str) -> float | None:
    return float(text) if text.strip() else None


def nato_shares(path: Path) -> list[ShareValue]:
    """NATO Table 3 (defense expenditure, % of GDP, unrounded): ``iso3, year, pct_gdp, status``."""
    return [
        ShareValue(r["iso3"], int(r["year"]), _number(r["pct_gdp"]), r["status"], "")
        for r in _rows(path, ("iso3", "year", "pct_gdp", "status"))
    ]


def nato_reported(path: Path) -> list[ShareValue]:
    """NATO estimates as reported in news of the release (% of GDP, rounded to 2 dp)."""
    return [
        ShareValue(r["iso3"], int(r["year"]), _number(r["pct_gdp_rounded"]), r["status"], r.get("note", ""))
        for r in _rows(path, ("iso3", "year", "pct_gdp_rounded", "status"))
    ]


def nato_measures(path: Path) -> list[ShareValue]:
    """NATO figures in a long table, one a row: ``iso3, year, indicator, value, status`` (NATO 2026 sample).

    ``indicator`` is NATO's measure as the extract names it (``pct_gdp`` % of GDP, ``usd_current_m``
    USD million at current prices, ``equipment_share_pct`` % of defense expenditure); its unit is
    the extract's ``unit`` column, which ``inputs.toml`` restates for each measure.
    """
    return [
        ShareValue(r["iso3"], int(r["year"]), _number(r["value"]), r["status"], "", r["indicator"])
        for r in _rows(path, ("iso3", "year", "indicator", "value", "status"))
    ]


def weo_long(path: Path) -> list[WeoValue]:
    """IMF WEO values in a long table: ``iso3, weo_code, year, value, base_year, last_actual``."""
    out = []
    for r in _rows(path, ("iso3", "weo_code", "year", "value", "base_year", "last_actual")):
        base = int(r["base_year"]) if r["base_year"].strip() else None
        last = int(r["last_actual"]) if r["last_actual"].strip() else None
        out.append(WeoValue(r["iso3"], r["weo_code"], int(r["year"]), _number(r["value"]), base, last))
    return out


def fred_long(path: Path) -> list[RateValue]:
    """FRED annual exchange rates in a long table: ``series_id, unit, year, value``.

    ``unit`` reads ``"CAD per USD"`` or ``"USD per EUR (...)"``: quote per base.
    """
    out = []
    for r in _rows(path, ("series_id", "unit", "year", "value")):
        quote, _, base = r["unit"].split(" (")[0].partition(" per ")
        out.append(RateValue(r["series_id"], base.strip(), quote.strip(), int(r["year"]), _number(r["value"])))
    return out


def cnb_annual(path: Path) -> list[RateValue]:
    """CNB annual averages: ``year, czk_per_usd`` (CZK per USD)."""
    return [
        RateValue("cnb_czk_per_usd", "USD", "CZK", int(r["year"]), _number(r["czk_per_usd"]))
        for r in _rows(path, ("year", "czk_per_usd"))
    ]


def budget_items(path: Path, iso3: str) -> list[ItemValue]:
    """National budget items (``year, item, value, unit, status``, the publisher's URL in ``source_url``
    or ``url``, and ``basis`` or ``note``).

    Rows whose year is a span (``2024-2028``) are plans over a window: they are skipped here.
    ``basis`` (what the figure covers) is the ``basis`` column, else the ``note`` column.
    """
    out = []
    with path.open(encoding="utf-8", newline="") as f:
        header = next(csv.reader(f), [])
    link = "source_url" if "source_url" in header or "url" not in header else "url"
    for r in _rows(path, ("year", "item", "value", "unit", "status", link)):
        if not r["year"].isdigit():
            continue
        out.append(
            ItemValue(
                iso3,
                int(r["year"]),
                r["item"],
                _number(r["value"]),
                r["unit"],
                r["status"],
                r.get("basis") or r.get("note", ""),
                r[link],
            )
        )
    return out
