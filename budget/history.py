"""Facts: sourced yearly series per country, shipped in ``budget/data/``.

Each country is a folder ``budget/data/<key>/`` holding ``country.toml`` (name, currency
code, memberships, known gaps), optionally ``pledges.toml`` (national floors that bind it
alone) and ``sources.csv`` (sources only it cites), and ``series.csv``, a long table with one
value per row::

    year, indicator, value, unit, status, source_id, note

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
from dataclasses import dataclass
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
        """The ids of every source this country's series cite, in first-use order."""
        return list(dict.fromkeys(r.source_id for r in self.rows))


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
def load_country(key: str) -> Country:
    """Read ``<data folder>/<key>/``; raises ``KeyError`` for an unknown country."""
    folder = _country_folders().get(key)
    if folder is None:
        raise KeyError(key)
    meta = tomllib.loads((folder / "country.toml").read_text(encoding="utf-8"))
    with (folder / "series.csv").open(encoding="utf-8", newline="") as f:
        rows = tuple(
            Row(
                int(r["year"]),
                r["indicator"],
                float(r["value"]) if r["value"] else math.nan,
                r["unit"],
                r["status"],
                r["source_id"],
                r["note"],
            )
            for r in csv.DictReader(f)
        )
    return Country(
        key,
        meta["name"],
        meta["currency"],
        tuple(meta.get("gaps", ())),
        rows,
        tuple(meta.get("memberships", ())),
        folder,
        notes=tuple(meta.get("notes", ())),
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
