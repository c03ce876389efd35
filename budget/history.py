"""Facts: sourced yearly series per country, shipped in ``budget/data/``.

Each country is a folder ``budget/data/<key>/`` holding ``country.toml`` (name, currency
code, memberships, known gaps), optionally ``pledges.toml`` (national floors that bind it
alone) and ``sources.csv`` (sources only it cites), and ``series.csv``, a long table with one
value per row::

    year, indicator, value, unit, status, source_id, note, edition

``edition`` names the publisher's edition a value belongs to (``IMF WEO 2025-10``; empty for a
source with a single edition). Several editions of one series sit side by side; a country is
loaded with one edition of each line (``budget/data/defaults.toml`` ``[editions]`` names the
lines and their defaults), so one value per year and indicator reaches the model.
``status`` is ``actual``, ``estimate`` (a publisher's estimate, e.g. NATO's for 2024-2025),
``projection`` (a publisher's forecast, e.g. IMF WEO for 2025-2030) or ``missing`` (looked for,
not found: the value is empty). ``source_id`` points into ``budget/data/sources.csv``.
Scenarios never override these facts. More country folders can be added without touching the
package: ``BUDGET_DATA_PATH`` lists extra folders (separated by ``os.pathsep``) that hold
``<key>/country.toml`` like ``budget/data/``.
"""

from __future__ import annotations

import csv
import math
import os
import tomllib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from fnmatch import fnmatch
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pandas is imported only where a DataFrame is asked for (fast CLI start)
    import pandas as pd

DATA = Path(str(resources.files("budget") / "data"))
STATUSES = ("actual", "estimate", "projection", "missing")


@dataclass(frozen=True)
class Source:
    """A publication that numbers come from (one row of ``sources.csv``)."""

    id: str
    publisher: str
    title: str
    url: str
    published: str
    accessed: str
    note: str
    short: str = ""  # a short name of the publication for chart footnotes (sources.csv)
    publisher_short: str = ""  # the publisher's short name for chart labels, e.g. "IMF"
    input_file: str = ""  # the input file ``python -m budget.importers`` read for it
    sha256: str = ""  # that file's SHA-256, so a re-run is traceable
    edition: str = ""  # the publisher's edition it is part of (``IMF WEO 2025-10``), if it has several


@dataclass(frozen=True)
class Row:
    """One sourced value of ``series.csv`` (``value`` is NaN when missing)."""

    year: int
    indicator: str
    value: float
    unit: str
    status: str
    source_id: str
    note: str
    edition: str = ""  # the publisher's edition (empty for a single-edition source)


class EditionError(ValueError):
    """An edition that is not shipped; ``allowed`` lists the ones that are."""

    def __init__(self, edition: str, allowed: tuple[str, ...], country: str = "") -> None:
        what = f"has no values for {country}" if country else "is not a shipped edition"
        super().__init__(f"{edition!r} {what}; allowed: {', '.join(allowed)}")
        self.edition, self.allowed = edition, allowed


@dataclass(frozen=True)
class Line:
    """One publisher's series in successive editions (``[editions.<key>]`` of ``defaults.toml``)."""

    key: str
    title: str
    default: str
    editions: tuple[str, ...]


@dataclass(frozen=True)
class Country:
    """One country's facts: names, currency and its sourced yearly values."""

    key: str
    name: str
    currency: str
    gaps: tuple[str, ...]
    rows: tuple[Row, ...]
    memberships: tuple[str, ...] = ()
    folder: Path = DATA
    compared_with: tuple[str, ...] = ()  # alliances whose lines a scenario compares it with (not a member)
    notes: tuple[str, ...] = ()  # what a reader needs to know about the data (currency changes, definitions)
    editions: tuple[str, ...] = ()  # the edition of each line the rows come from (see ``lines()``)

    @property
    def cur(self) -> str:
        """Lower-case currency code used in column names, e.g. ``czk``."""
        return self.currency.lower()

    @property
    def first_year(self) -> int:
        """First year of the data."""
        return min(r.year for r in self.rows)

    @property
    def last_data_year(self) -> int:
        """Last year with a published defense share of GDP: projections start after it."""
        return max(r.year for r in self.rows if r.indicator == "defense_pct_gdp" and not math.isnan(r.value))

    @property
    def deflator(self) -> str:
        """Name of the GDP deflator indicator (its base year is in the name)."""
        return next(r.indicator for r in self.rows if r.indicator.startswith("gdp_deflator_"))

    @property
    def deflator_base(self) -> str:
        """The deflator's base as named by its indicator, e.g. ``2020`` in ``gdp_deflator_2020_100``."""
        return self.deflator.removeprefix("gdp_deflator_").removesuffix("_100")

    def has(self, indicator: str) -> bool:
        """True if the series holds at least one value of ``indicator``."""
        return any(r.indicator == indicator and not math.isnan(r.value) for r in self.rows)

    def array(self, indicator: str, years: np.ndarray) -> np.ndarray:
        """Values of ``indicator`` for ``years`` (NaN where there is none)."""
        found = {r.year: r.value for r in self.rows if r.indicator == indicator}
        return np.array([found.get(int(y), np.nan) for y in years], dtype=float)

    def status_list(self, indicator: str, years: np.ndarray) -> list[str]:
        """Status of ``indicator`` for ``years`` (``missing`` where there is no row)."""
        found = {r.year: r.status for r in self.rows if r.indicator == indicator}
        return [found.get(int(y), "missing") for y in years]

    @cached_property
    def series(self) -> pd.DataFrame:
        """The long table as a DataFrame (year, indicator, value, unit, status, source_id, note)."""
        import pandas as pd

        return pd.DataFrame([r.__dict__ for r in self.rows])

    def values(self, indicator: str) -> pd.Series:
        """Yearly values of one indicator (float, NaN where missing), indexed by year."""
        rows = self.series[self.series["indicator"] == indicator]
        return rows.set_index("year")["value"].astype(float).rename(indicator)

    def statuses(self, indicator: str) -> pd.Series:
        """Yearly status of one indicator, indexed by year."""
        rows = self.series[self.series["indicator"] == indicator]
        return rows.set_index("year")["status"].rename(indicator)

    def source_of(self, indicator: str) -> str:
        """Main source id of an indicator: the one most of its values come from."""
        return Counter(r.source_id for r in self.rows if r.indicator == indicator).most_common(1)[0][0]

    def source_ids(self) -> list[str]:
        """The ids of every source this country's series cite, in first-use order, except sources
        cited only by side series (``side_series`` of ``defaults.toml``: see ``sources_of``).
        """
        side = load_toml(DATA / "defaults.toml").get("side_series", [])
        assert isinstance(side, list)
        return list(dict.fromkeys(r.source_id for r in self.rows if not any(fnmatch(r.indicator, p) for p in side)))

    def sources_of(self, indicators: Iterable[str]) -> list[str]:
        """The ids of the sources the rows of ``indicators`` cite, in first-use order."""
        wanted = set(indicators)
        return list(dict.fromkeys(r.source_id for r in self.rows if r.indicator in wanted))


def data_folders() -> list[Path]:
    """Where country folders are looked for: ``budget/data/``, then each ``BUDGET_DATA_PATH`` entry."""
    extra = [Path(p) for p in os.environ.get("BUDGET_DATA_PATH", "").split(os.pathsep) if p]
    return [DATA, *extra]


def _country_folders() -> dict[str, Path]:
    return _folders_in(tuple(data_folders()))


@cache
def _folders_in(roots: tuple[Path, ...]) -> dict[str, Path]:
    """Country folders under ``roots`` (looked up once per set of roots: a run asks often)."""
    found: dict[str, Path] = {}
    for root in roots:
        for meta in sorted(root.glob("*/country.toml")):
            found.setdefault(meta.parent.name, meta.parent)
    return found


def countries() -> list[str]:
    """Keys of the countries shipped in ``budget/data/`` (and in ``BUDGET_DATA_PATH``)."""
    return sorted(_country_folders())


@cache
def lines() -> dict[str, Line]:
    """The series shipped in several editions, by key, from ``defaults.toml`` ``[editions]``."""
    raw = load_toml(DATA / "defaults.toml").get("editions", {})
    assert isinstance(raw, dict)
    return {k: Line(k, v["title"], v["default"], tuple(v["shipped"])) for k, v in raw.items()}


def chosen_editions(editions: Iterable[str] = ()) -> tuple[str, ...]:
    """The edition of every line: the default, unless ``editions`` names another of that line.

    Raises ``EditionError`` (listing the shipped editions) for an edition no line ships.
    """
    chosen = {k: line.default for k, line in lines().items()}
    allowed = tuple(e for line in lines().values() for e in line.editions)
    for edition in editions:
        line = next((k for k, v in lines().items() if edition in v.editions), None)
        if line is None:
            raise EditionError(edition, allowed)
        chosen[line] = edition
    return tuple(chosen.values())


def load_country(key: str, editions: Iterable[str] = ()) -> Country:
    """Read ``<data folder>/<key>/`` with the default edition of every line, or the ``editions`` named
    (e.g. ``("IMF WEO 2026-04",)``); raises ``KeyError`` for an unknown country and ``EditionError``
    for an edition not shipped or one named that has no values for this country. Read once per
    country and choice of editions.
    """
    named = tuple(editions)
    c = _load_country(key, chosen_editions(named))
    present = {r.edition for r in series_rows(c.folder)} - {""}
    for edition in named:
        if edition not in present:
            raise EditionError(
                edition, tuple(e for line in lines().values() for e in line.editions if e in present), key
            )
    return c


@cache
def _load_country(key: str, chosen: tuple[str, ...]) -> Country:
    folder = _country_folders().get(key)
    if folder is None:
        raise KeyError(key)
    meta = tomllib.loads((folder / "country.toml").read_text(encoding="utf-8"))
    rows = tuple(r for r in series_rows(folder) if not r.edition or r.edition in chosen)
    currency = next((c for e, c in meta.get("edition_currency", {}).items() if e in chosen), meta["currency"])
    return Country(
        key,
        meta["name"],
        currency,
        tuple(meta.get("gaps", ())),
        rows,
        tuple(meta.get("memberships", ())),
        folder,
        notes=tuple(meta.get("notes", ())),
        editions=chosen,
    )


@cache
def series_rows(folder: Path) -> tuple[Row, ...]:
    """Every row of ``folder/series.csv``, of every edition."""
    with (folder / "series.csv").open(encoding="utf-8", newline="") as f:
        return tuple(
            Row(
                int(r["year"]),
                r["indicator"],
                float(r["value"]) if r["value"] else math.nan,
                r["unit"],
                r["status"],
                r["source_id"],
                r["note"],
                r.get("edition", ""),
            )
            for r in csv.DictReader(f)
        )


def load_sources() -> dict[str, Source]:
    """All sources by id: ``budget/data/sources.csv`` and every country folder's own ``sources.csv``."""
    return _sources_in(tuple(data_folders()))


@cache
def _sources_in(roots: tuple[Path, ...]) -> dict[str, Source]:
    files = [DATA / "sources.csv", *(f / "sources.csv" for f in _folders_in(roots).values())]
    return _sources(tuple(str(p) for p in files if p.is_file()))


@cache
def _sources(files: tuple[str, ...]) -> dict[str, Source]:
    out: dict[str, Source] = {}
    for path in files:
        with open(path, encoding="utf-8", newline="") as f:
            out.update({row["id"]: Source(**row) for row in csv.DictReader(f)})
    return out


@cache
def load_toml(path: Path) -> dict[str, object]:
    """A data file's TOML (read once)."""
    return tomllib.loads(path.read_text(encoding="utf-8"))
