"""Build every country's ``series.csv`` from the input files, and say what changed.

``python -m budget.importers [INPUTS ...]`` reads the files that ``inputs.toml`` names, each from the
first of the folders ``INPUTS`` that holds it (default ``../shared/data``, then the repository's own
``inputs/``), writes ``budget/data/<country>/series.csv`` for each country folder with an ``iso3`` in
its ``country.toml``, records each input's name and SHA-256 in ``budget/data/sources.csv``, and
prints every value that differs from the series it replaces. Every row names its publisher's
edition (``IMF WEO 2025-10``, ``NATO 2025``; empty for a source with one edition), so several
editions of one series sit side by side: one row per year, indicator and edition.
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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from budget.history import DATA
from budget.importers import extracts
from budget.importers.rates import rates
from budget.importers.weo_tsv import DEFAULT_CODES, read_weo_tsv

CONFIG = Path(__file__).with_name("inputs.toml")
SERIES_FIELDS = ("year", "indicator", "value", "unit", "status", "source_id", "note", "edition")
READERS: dict[str, Callable[[Path], list[Any]]] = {
    "nato_shares": extracts.nato_shares,
    "nato_reported": extracts.nato_reported,
    "nato_measures": extracts.nato_measures,
    "weo_long": extracts.weo_long,
    "weo_tsv": read_weo_tsv,  # the IMF's own download: swap `layout` and `file` in inputs.toml
    "fred_long": extracts.fred_long,
    "cnb_annual": extracts.cnb_annual,
}
WEO_LAYOUTS = ("weo_long", "weo_tsv")
Key = tuple[int, str, str]  # (year, indicator, edition)


@dataclass
class Country:
    """A country folder being built: its facts and the rows the inputs give it."""

    key: str
    iso3: str
    currency: str
    memberships: tuple[str, ...]
    rows: dict[Key, dict[str, str]] = field(default_factory=dict)
    edition_currency: dict[str, str] = field(default_factory=dict)  # edition -> currency, where not ``currency``

    def put(
        self,
        year: int,
        indicator: str,
        value: float | None,
        unit: str,
        status: str,
        source: str,
        note: str = "",
        edition: str = "",
    ) -> None:
        """Set one row of one edition (an empty ``value`` makes it ``missing``); values keep 10 decimals."""
        text = "" if value is None or math.isnan(value) else repr(round(value, 10))
        self.rows[(year, indicator, edition)] = {
            "year": str(year),
            "indicator": indicator,
            "value": text,
            "unit": unit,
            "status": "missing" if not text else status,
            "source_id": source,
            "note": note,
            "edition": edition,
        }

    def fill(self, template: str, edition: str = "", **extra: object) -> str:
        """``template`` with ``{cur}`` (lower-case currency) and ``{CUR}`` filled in: the currency
        ``edition`` states the amounts in (``edition_currency`` of ``country.toml``, e.g. Bulgaria in
        euro in IMF WEO April 2026), else ``currency``.
        """
        code = self.edition_currency.get(edition, self.currency)
        return template.format(cur=code.lower(), CUR=code, **extra)


def sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, hex."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_countries(data: Path) -> dict[str, Country]:
    """Country folders with an ``iso3``, by ISO code."""
    out = {}
    for meta in sorted(data.glob("*/country.toml")):
        m = tomllib.loads(meta.read_text(encoding="utf-8"))
        if "iso3" in m:
            out[m["iso3"]] = Country(
                meta.parent.name,
                m["iso3"],
                m["currency"],
                tuple(m.get("memberships", ())),
                edition_currency=dict(m.get("edition_currency", {})),
            )
    return out


def find_input(roots: Sequence[Path], name: str, spec_id: str, config: Path) -> Path:
    """The input file ``name`` in the first of ``roots`` that holds it; ``FileNotFoundError`` naming them all."""
    for root in roots:
        if (root / name).is_file():
            return root / name
    looked = ", ".join(str(r) for r in roots)
    raise FileNotFoundError(f"{name}: input named in {config.name} ({spec_id}) not found in {looked}")


def build(
    inputs: Path | Sequence[Path], data: Path = DATA, config: Path = CONFIG
) -> tuple[dict[str, Country], dict[str, tuple[str, str]]]:
    """Rows for every country from the inputs, and ``{source id: (file name, sha256)}``.

    ``inputs`` is a folder, or several looked in in order (the first that holds a file gives it).
    """
    roots = [inputs] if isinstance(inputs, Path) else list(inputs)
    cfg = tomllib.loads(config.read_text(encoding="utf-8"))
    countries = load_countries(data)
    urls = _source_urls(data / "sources.csv")
    read: dict[str, list[Any]] = {}
    hashes: dict[str, tuple[str, str]] = {}
    for spec in cfg["inputs"]:
        path = find_input(roots, spec["file"], spec["id"], config)
        digest = (spec["file"], sha256(path))
        if spec["layout"] == "budget_items":
            read[spec["id"]] = extracts.budget_items(path, spec["iso3"])
            for item in read[spec["id"]]:
                hashes.setdefault(_source_for(urls, item.url, path), digest)
        elif spec["layout"] == "weo_tsv":
            codes = dict.fromkeys([*DEFAULT_CODES, *(c for c in cfg["weo"] if c.isupper())])  # NGDPD: rates
            read[spec["id"]] = read_weo_tsv(path, codes=tuple(codes))
            hashes[spec["source"]] = digest
        else:
            read[spec["id"]] = READERS[spec["layout"]](path)
            hashes[spec["source"]] = digest
    specs = cfg["inputs"]
    for spec in specs:
        if spec["layout"] in WEO_LAYOUTS:
            _economy(cfg, spec, read[spec["id"]], countries)
    _shares(cfg, [(s, read[s["id"]]) for s in specs if s["layout"].startswith("nato_")], countries)
    rates(cfg, read, countries, hashes)
    for spec in specs:
        if spec["layout"] == "budget_items":
            _items(cfg, read[spec["id"]], countries, urls, spec)
    _derived(cfg, countries)
    return {c.key: c for c in countries.values()}, hashes


def _economy(cfg: dict[str, Any], spec: dict[str, Any], values: list[Any], countries: dict[str, Country]) -> None:
    """IMF WEO values of one input -> rows of its edition (status from WEO's last actual year)."""
    for v in values:
        c = countries.get(v.iso3)
        m = cfg["weo"].get(v.weo_code)
        if c is None or m is None or v.year < cfg["weo"]["first_year"]:
            continue
        status = "actual" if v.last_actual is not None and v.year <= v.last_actual else "projection"
        c.put(
            v.year,
            c.fill(m["indicator"], spec["edition"], base=v.base_year),
            v.value,
            c.fill(m["unit"], spec["edition"], base=v.base_year),
            status,
            spec["source"],
            spec.get("notes", {}).get(c.iso3, "") if "{cur}" in m["indicator"] else "",
            spec["edition"],
        )


def _shares(cfg: dict[str, Any], tables: list[tuple[dict[str, Any], list[Any]]], countries: dict[str, Country]) -> None:
    """NATO's figures, each table in its own edition; allies lacking a value of the expected edition
    get an empty ``missing`` row.
    """
    nato = cfg["nato"]
    first, last = nato["years"]
    expected = next(s for s, _ in tables if s["edition"] == nato["edition"])
    for c in countries.values():
        if nato["binds"] in c.memberships:  # NATO is expected to publish: a gap is a missing row
            for year in range(first, last + 1):
                m = expected["measures"]["pct_gdp"]
                c.put(
                    year,
                    m["indicator"],
                    None,
                    m["unit"],
                    "missing",
                    expected["source"],
                    nato["missing_note"],
                    nato["edition"],
                )
    for spec, values in tables:
        for v in values:
            if (ally := countries.get(v.iso3)) is not None:
                m = spec["measures"][v.measure]
                note = "; ".join(filter(None, (spec.get("note", "") if v.value is not None else "", v.note)))
                ally.put(v.year, m["indicator"], v.value, m["unit"], v.status, spec["source"], note, spec["edition"])


def _items(
    cfg: dict[str, Any], items: list[Any], countries: dict[str, Country], urls: dict[str, str], spec: dict[str, Any]
) -> None:
    """National budget items -> rows (no edition). An item whose ``[items]`` entry gives a ``status``
    takes it, and the publisher's own status text goes into the note (e.g. ``budget act``); its
    ``actual_if`` phrases, found in that text, make it ``actual`` (the final accounts).

    A value an earlier row already gave (same year and indicator) is kept with its source, a
    second source named in its note; a different value is an error naming both: two
    sources that disagree go to two indicators (see ``inputs.toml``), never one silently.
    """
    for it in items:
        c, m = countries.get(it.iso3), cfg["items"].get(it.item)
        if c is None or m is None:
            continue
        value = None if it.value is None else it.value * m["scale"]
        status = m.get("status") or cfg["item_status"].get(it.status)
        if status is None:
            raise ValueError(
                f"{spec['file']}: status {it.status!r} of {it.item} {it.year} is not in [item_status] of inputs.toml"
            )
        if any(phrase in it.status for phrase in m.get("actual_if", ())):
            status = "actual"
        note = "; ".join(filter(None, (it.status, it.basis))) if "status" in m else it.basis
        indicator, source = c.fill(m["indicator"]), _source_for(urls, it.url, Path(spec["file"]))
        if (earlier := c.rows.get((it.year, indicator, ""))) is not None:
            if value is None or not earlier["value"] or float(earlier["value"]) != round(value, 10):
                raise ValueError(
                    f"{spec['file']}: {it.item} {it.year} = {it.value} ({source}) conflicts with "
                    f"{earlier['value'] or '(missing)'} ({earlier['source_id']}) of an earlier row; "
                    "give one of them its own indicator in inputs.toml"
                )
            if source != earlier["source_id"] and source not in earlier["note"]:
                earlier["note"] = "; ".join(filter(None, (earlier["note"], f"same value in source {source}")))
            continue
        c.put(it.year, indicator, value, c.fill(m["unit"]), status, source, note)


def _derived(cfg: dict[str, Any], countries: dict[str, Country]) -> None:
    """Shares no publisher gives: numerator / denominator x 100, once per edition of the inputs."""
    for d in cfg.get("derived", []):
        if d["iso3"] not in countries:
            continue
        c = countries[d["iso3"]]
        num, den = c.fill(d["numerator"]), c.fill(d["denominator"])
        for (year, indicator, edition), row in list(c.rows.items()):
            if indicator != num or year > d["last_year"] or not row["value"]:
                continue
            for (y, i, e), other in list(c.rows.items()):
                if (y, i) != (year, den) or not other["value"] or (edition and e and edition != e):
                    continue
                value = float(row["value"]) / float(other["value"]) * 100
                c.put(year, d["indicator"], value, d["unit"], d["status"], row["source_id"], d["note"], e or edition)


def _source_urls(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8", newline="") as f:
        return {r["url"]: r["id"] for r in csv.DictReader(f)}


def _source_for(urls: dict[str, str], url: str, path: Path) -> str:
    if url not in urls:
        raise ValueError(f"{path}: no row of sources.csv has the url {url}; add one (id, publisher, title, ...)")
    return urls[url]


def series_text(rows: Iterable[dict[str, str]]) -> str:
    """``series.csv`` text: rows sorted by indicator order of first use, then edition, then year."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, SERIES_FIELDS, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()
