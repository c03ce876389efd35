"""Facts: sourced yearly series per country, shipped in ``budget/data/``.

Each country is a folder ``budget/data/<key>/`` holding ``country.toml`` (name, currency
code, known gaps) and ``series.csv``, a long table with one value per row::

    year, indicator, value, unit, status, source_id, note

``status`` is ``actual``, ``estimate`` (a publisher's estimate, e.g. NATO's for 2024-2025),
``projection`` (a publisher's forecast, e.g. IMF WEO for 2025-2030) or ``missing`` (looked for,
not found: the value is empty). ``source_id`` points into ``budget/data/sources.csv``.
Scenarios never override these facts.
"""

from __future__ import annotations

import csv
import math
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


def countries() -> list[str]:
    """Keys of the countries shipped in ``budget/data/``."""
    return sorted(p.parent.name for p in DATA.glob("*/country.toml"))


@cache
def load_country(key: str) -> Country:
    """Read ``budget/data/<key>/``; raises ``KeyError`` for an unknown country."""
    folder = DATA / key
    if not (folder / "country.toml").is_file():
        raise KeyError(key)
    meta = tomllib.loads((folder / "country.toml").read_text(encoding="utf-8"))
    with (folder / "series.csv").open(encoding="utf-8", newline="") as f:
        rows = tuple(Row(int(r["year"]), r["indicator"], float(r["value"]) if r["value"] else math.nan,
                         r["unit"], r["status"], r["source_id"], r["note"]) for r in csv.DictReader(f))
    return Country(key, meta["name"], meta["currency"], tuple(meta.get("gaps", ())), rows)


@cache
def load_sources() -> dict[str, Source]:
    """All sources by id, from ``budget/data/sources.csv``."""
    with (DATA / "sources.csv").open(encoding="utf-8", newline="") as f:
        return {row["id"]: Source(**row) for row in csv.DictReader(f)}


@cache
def load_pledges() -> dict[str, object]:
    """NATO pledge lines and the Czech legal floor, from ``budget/data/pledges.toml``."""
    return tomllib.loads((DATA / "pledges.toml").read_text(encoding="utf-8"))
