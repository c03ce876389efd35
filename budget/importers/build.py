"""Build every country's ``series.csv`` from the input files, and say what changed.

``python -m budget.importers [INPUTS]`` reads the files that ``inputs.toml`` names from the folder
``INPUTS`` (default ``../shared/data``), writes ``budget/data/<country>/series.csv`` for each
country folder with an ``iso3`` in its ``country.toml``, records each input's name and SHA-256 in
``budget/data/sources.csv``, and prints every value that differs from the series it replaces.
Rows citing a source that no input supplies (hand-sourced rows, e.g. an older NATO edition) are
kept as they are. Nothing is interpolated or filled: a value no input gives is absent, or an
empty ``missing`` row where a publisher is expected to give one.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from budget.history import DATA
from budget.importers import extracts
from budget.importers.weo_tsv import read_weo_tsv

CONFIG = Path(__file__).with_name("inputs.toml")
SERIES_FIELDS = ("year", "indicator", "value", "unit", "status", "source_id", "note")
READERS: dict[str, Callable[[Path], list[Any]]] = {
    "nato_shares": extracts.nato_shares,
    "nato_reported": extracts.nato_reported,
    "weo_long": extracts.weo_long,
    "weo_tsv": read_weo_tsv,  # the IMF's own download: swap `layout` and `file` in inputs.toml
    "fred_long": extracts.fred_long,
    "cnb_annual": extracts.cnb_annual,
}
Key = tuple[int, str]  # (year, indicator)


@dataclass
class Country:
    """A country folder being built: its facts and the rows the inputs give it."""

    key: str
    iso3: str
    currency: str
    memberships: tuple[str, ...]
    rows: dict[Key, dict[str, str]] = field(default_factory=dict)

    def put(
        self, year: int, indicator: str, value: float | None, unit: str, status: str, source: str, note: str = ""
    ) -> None:
        """Set one row (an empty ``value`` makes it ``missing``); values keep 10 decimals."""
        text = "" if value is None or math.isnan(value) else repr(round(value, 10))
        self.rows[(year, indicator)] = {
            "year": str(year),
            "indicator": indicator,
            "value": text,
            "unit": unit,
            "status": "missing" if not text else status,
            "source_id": source,
            "note": note,
        }

    def fill(self, template: str, **extra: object) -> str:
        """``template`` with ``{cur}`` (lower-case currency) and ``{CUR}`` filled in."""
        return template.format(cur=self.currency.lower(), CUR=self.currency, **extra)


def sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, hex."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_countries(data: Path) -> dict[str, Country]:
    """Country folders with an ``iso3``, by ISO code."""
    out = {}
    for meta in sorted(data.glob("*/country.toml")):
        m = tomllib.loads(meta.read_text(encoding="utf-8"))
        if "iso3" in m:
            out[m["iso3"]] = Country(meta.parent.name, m["iso3"], m["currency"], tuple(m.get("memberships", ())))
    return out


def build(
    inputs: Path, data: Path = DATA, config: Path = CONFIG
) -> tuple[dict[str, Country], dict[str, tuple[str, str]]]:
    """Rows for every country from the inputs, and ``{source id: (file name, sha256)}``."""
    cfg = tomllib.loads(config.read_text(encoding="utf-8"))
    countries = load_countries(data)
    urls = _source_urls(data / "sources.csv")
    read: dict[str, list[Any]] = {}
    hashes: dict[str, tuple[str, str]] = {}
    for spec in cfg["inputs"]:
        path = inputs / spec["file"]
        if not path.is_file():
            raise FileNotFoundError(f"{path}: input named in {config.name} ({spec['id']}) not found")
        digest = (spec["file"], sha256(path))
        if spec["layout"] == "budget_items":
            read[spec["id"]] = extracts.budget_items(path, spec["iso3"])
            for item in read[spec["id"]]:
                hashes.setdefault(_source_for(urls, item.url, path), digest)
        else:
            read[spec["id"]] = READERS[spec["layout"]](path)
            hashes[spec["source"]] = digest
    by_id = {s["id"]: s for s in cfg["inputs"]}
    _economy(cfg, by_id["weo"], read["weo"], countries)
    _shares(cfg, [(by_id[i], read[i]) for i in ("nato_table3", "nato_reported")], countries)
    _rates(cfg, read, read["weo"], countries, hashes, by_id)
    for spec in cfg["inputs"]:
        if spec["layout"] == "budget_items":
            _items(cfg, read[spec["id"]], countries, urls, spec)
    _derived(cfg, countries)
    return {c.key: c for c in countries.values()}, hashes


def _economy(cfg: dict[str, Any], spec: dict[str, Any], values: list[Any], countries: dict[str, Country]) -> None:
    for v in values:
        c = countries.get(v.iso3)
        m = cfg["weo"].get(v.weo_code)
        if c is None or m is None or v.year < cfg["weo"]["first_year"]:
            continue
        status = "actual" if v.last_actual is not None and v.year <= v.last_actual else "projection"
        c.put(
            v.year,
            c.fill(m["indicator"], base=v.base_year),
            v.value,
            c.fill(m["unit"], base=v.base_year),
            status,
            spec["source"],
        )


def _shares(cfg: dict[str, Any], tables: list[tuple[dict[str, Any], list[Any]]], countries: dict[str, Country]) -> None:
    first, last = cfg["nato"]["years"]
    for c in countries.values():
        if cfg["nato"]["binds"] in c.memberships:  # NATO is expected to publish: a gap is a missing row
            for year in range(first, last + 1):
                c.put(
                    year,
                    "defense_pct_gdp",
                    None,
                    "percent of GDP",
                    "missing",
                    tables[0][0]["source"],
                    cfg["nato"]["missing_note"],
                )
    for spec, values in tables:
        for v in values:
            if (ally := countries.get(v.iso3)) is not None:
                note = "; ".join(filter(None, (spec.get("note", "") if v.value is not None else "", v.note)))
                ally.put(v.year, spec["indicator"], v.value, spec["unit"], v.status, spec["source"], note)


def _rates(
    cfg: dict[str, Any],
    read: dict[str, list[Any]],
    weo: list[Any],
    countries: dict[str, Country],
    hashes: dict[str, tuple[str, str]],
    by_id: dict[str, dict[str, Any]],
) -> None:
    r = cfg["rates"]
    first, last = r["years"]
    gdp = {(v.iso3, v.weo_code, v.year): v for v in weo}
    for c in countries.values():
        spec = r.get(c.currency)
        name, unit = c.fill("{cur}_per_usd"), c.fill(r["unit"])
        for year in range(first, last + 1):
            if spec is None:  # implied by IMF WEO
                local, usd = gdp.get((c.iso3, "NGDP", year)), gdp.get((c.iso3, "NGDPD", year))
                value = local.value / usd.value if local and usd and local.value and usd.value else None
                status = (
                    r["implied"]["status"]
                    if local and local.last_actual and year <= local.last_actual
                    else "projection"
                )
                c.put(year, name, value, unit, status, r["implied"]["source"], r["implied"]["note"])
                hashes[r["implied"]["source"]] = hashes[by_id["weo"]["source"]]
            elif spec.get("identity"):
                c.put(year, name, 1.0, unit, "actual", spec["source"], spec["note"])
                hashes.setdefault(spec["source"], ("", ""))
            else:
                found = [v for v in read[spec["input"]] if v.series_id == spec["series"] and v.year == year]
                value = found[0].value if found else None
                if value is not None and spec.get("invert"):
                    value = 1 / value
                c.put(year, name, value, unit, "actual", by_id[spec["input"]]["source"], spec.get("note", ""))


def _items(
    cfg: dict[str, Any], items: list[Any], countries: dict[str, Country], urls: dict[str, str], spec: dict[str, Any]
) -> None:
    for it in items:
        c, m = countries.get(it.iso3), cfg["items"].get(it.item)
        if c is None or m is None:
            continue
        value = None if it.value is None else it.value * m["scale"]
        status = cfg["item_status"].get(it.status)
        if status is None:
            raise ValueError(
                f"{spec['file']}: status {it.status!r} of {it.item} {it.year} is not in [item_status] of inputs.toml"
            )
        c.put(
            it.year,
            c.fill(m["indicator"]),
            value,
            c.fill(m["unit"]),
            status,
            _source_for(urls, it.url, Path(spec["file"])),
            it.basis,
        )


def _derived(cfg: dict[str, Any], countries: dict[str, Country]) -> None:
    for d in cfg.get("derived", []):
        if d["iso3"] not in countries:
            continue
        c = countries[d["iso3"]]
        num, den = c.fill(d["numerator"]), c.fill(d["denominator"])
        for (year, indicator), row in list(c.rows.items()):
            other = c.rows.get((year, den))
            if indicator == num and year <= d["last_year"] and row["value"] and other and other["value"]:
                value = float(row["value"]) / float(other["value"]) * 100
                c.put(year, d["indicator"], value, d["unit"], d["status"], row["source_id"], d["note"])


def _source_urls(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8", newline="") as f:
        return {r["url"]: r["id"] for r in csv.DictReader(f)}


def _source_for(urls: dict[str, str], url: str, path: Path) -> str:
    if url not in urls:
        raise ValueError(f"{path}: no row of sources.csv has the url {url}; add one (id, publisher, title, ...)")
    return urls[url]


def series_text(rows: Iterable[dict[str, str]]) -> str:
    """``series.csv`` text: rows sorted by indicator order of first use, then year."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, SERIES_FIELDS, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()
