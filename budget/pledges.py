"""Pledges: reference lines as data, and the one rule that says whether a year meets one.

A line is a record (``Line``): a level in % of GDP to be reached by a year, what it compares
with (``core`` defense, or ``total`` = core + resilience) and whom it binds. NATO's lines are in
``budget/data/pledges/nato.toml`` and bind the countries whose ``country.toml`` lists ``nato``
in ``memberships``; a national floor (e.g. Czechia's Act 177/2023) lives in that country's
folder (``pledges.toml``) and binds it alone. Lines never drive a scenario's numbers.

Each line is compared two ways, under names that say which:

- its **level**: share minus level, in points of GDP (and the money difference at that year's
  GDP); a year meets the line when the share is at or above the level (``meets``);
- a **path** to the level by the line's year: a straight line in share of GDP from the country's
  last data year, s(t) = s0 + (level - s0)(t - t0)/(year - t0), then the level. The path is our
  assumption (The Hague asks for "a credible, incremental path", not this one) and starts from
  the data, never from a scenario, so it is the same in every scenario of a country.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from budget.history import DATA, Country, load_toml
from budget.i18n import _, num, short

COMPARES_WITH = ("core", "total")
TOLERANCE = 1e-9  # shares are floats: 2.0 stored as 1.9999999999 still meets 2 %


@dataclass(frozen=True)
class Line:
    """A reference line: ``level_pct_gdp`` (% of GDP) by ``year``; ``binds`` is ``nato`` or a country key."""

    id: str
    label: str
    short_label: str
    level_pct_gdp: float
    year: int
    compares_with: str
    binds: str
    sources: tuple[str, ...]
    note: str = ""

    @property
    def spending(self) -> str:
        """The projection's column stem this line compares with: ``defense`` or ``total``."""
        return "total" if self.compares_with == "total" else "defense"

    @property
    def what(self) -> str:
        """What the line counts, in words (in the current language)."""
        return _("core defense + resilience") if self.compares_with == "total" else _("core defense")


@dataclass(frozen=True)
class Guideline:
    """The equipment guideline: ``equipment_pct`` of defense spending on major equipment."""

    id: str
    label: str
    equipment_pct: float
    sources: tuple[str, ...]


def _read(path: Path, binds: str) -> list[Line]:
    doc = load_toml(path)
    binds = str(doc.get("binds", binds))
    out = []
    for d in doc.get("lines", []):  # type: ignore[attr-defined]
        if d["compares_with"] not in COMPARES_WITH:
            raise ValueError(
                f"{path}: lines.{d['id']}.compares_with: {d['compares_with']!r} is not "
                f"one of {', '.join(COMPARES_WITH)}"
            )
        out.append(
            Line(
                d["id"],
                d["label"],
                d.get("short_label", d["label"]),
                float(d["level_pct_gdp"]),
                int(d["year"]),
                d["compares_with"],
                binds,
                tuple(d["sources"]),
                d.get("note", ""),
            )
        )
    return out


@cache
def alliance_lines() -> dict[str, list[Line]]:
    """Lines of every alliance in ``budget/data/pledges/``, keyed by what they bind (``nato``)."""
    out: dict[str, list[Line]] = {}
    for path in sorted((DATA / "pledges").glob("*.toml")):
        for line in _read(path, path.stem):
            out.setdefault(line.binds, []).append(line)
    return out


def lines_for(country: Country) -> list[Line]:
    """The lines that bind ``country``: its alliances' and its own, lowest level first."""
    return list(_lines(country.key, country.folder, (*country.memberships, *country.compared_with)))


@cache
def _lines(key: str, folder: Path, groups: tuple[str, ...]) -> tuple[Line, ...]:
    """``lines_for``, read once per country (a run asks for them many times)."""
    own = folder / "pledges.toml"
    found = [ln for group in dict.fromkeys(groups) for ln in alliance_lines().get(group, [])]
    found += _read(own, key) if own.is_file() else []
    return tuple(sorted(found, key=lambda ln: (ln.level_pct_gdp, ln.year, ln.id)))


def equipment_guideline(country: Country) -> Guideline | None:
    """The equipment guideline that binds ``country`` (NATO members), or None."""
    for path in sorted((DATA / "pledges").glob("*.toml")):
        doc = load_toml(path)
        if str(doc.get("binds", path.stem)) in country.memberships and "equipment" in doc:
            d = doc["equipment"]
            return Guideline(d["id"], d["label"], float(d["equipment_pct"]), tuple(d["sources"]))  # type: ignore[index]
    return None


def meets(share: np.ndarray | float, line: Line, path: np.ndarray | None = None) -> np.ndarray:
    """True where ``share`` (% of GDP) is at or above the line's level (or, given ``path``, at
    or above the path); False where either is NaN.

    The one rule: every table, sentence, probability and chart decides "meets" here.

    >>> ln = Line("x", "x", "x", 2.0, 2024, "core", "nato", ())
    >>> meets(np.array([1.99, 2.0, 2.08, np.nan]), ln).tolist()
    [False, True, True, False]
    """
    reference = line.level_pct_gdp if path is None else np.asarray(path, dtype=float)
    with np.errstate(invalid="ignore"):
        return np.asarray(np.asarray(share, dtype=float) >= reference - TOLERANCE)


def met_from(years: np.ndarray, share: np.ndarray, line: Line) -> int | None:
    """First year of the unbroken run of years that meet the line's level up to the last year
    (None if the last year does not): "meets 2 % from 2024". History counts.

    >>> ln = Line("x", "x", "x", 2.0, 2024, "core", "nato", ())
    >>> met_from(np.array([2023, 2024, 2025, 2026]), np.array([1.3, 2.08, 2.0, 2.1]), ln)
    2024
    """
    ok = meets(share, line)
    if not len(ok) or not ok[-1]:
        return None
    misses = np.flatnonzero(~ok)
    return int(years[misses[-1] + 1]) if len(misses) else int(years[0])


def path_start(country: Country, line: Line) -> tuple[int, float] | None:
    """Where the path to ``line`` starts: the last data year and its share (core; for a total
    line, the last year with both core and resilience data, their sum). None if unknown.
    """
    years = np.arange(country.first_year, country.last_data_year + 1)
    core = country.array("defense_pct_gdp", years)
    share = core + country.array("resilience_pct_gdp", years) if line.compares_with == "total" else core
    known = np.flatnonzero(~np.isnan(share))
    return (int(years[known[-1]]), float(share[known[-1]])) if len(known) else None


def path_pct(line: Line, years: np.ndarray, start: tuple[int, float] | None) -> np.ndarray:
    """The straight path to the line, % of GDP, for ``years`` (NaN before its start, and
    everywhere if the start is unknown); the level from the line's year on.
    """
    years = np.asarray(years)
    if start is None:
        return np.full(len(years), np.nan)
    t0, s0 = start
    if line.year <= t0:
        return np.where(years >= t0, line.level_pct_gdp, np.nan)
    frac = np.clip((years - t0) / (line.year - t0), 0, 1)
    return np.where(years >= t0, s0 + (line.level_pct_gdp - s0) * frac, np.nan)


def path_label(country: Country, line: Line) -> str:
    """The path in words (a noun phrase, in the current language), flagged as our assumption."""
    start = path_start(country, line)
    name = _(line.short_label)
    if start is None:
        if line.compares_with == "total":
            return _("no path to {line}: no core defense + resilience share in the data to start from").format(
                line=name
            )
        return _("no path to {line}: no core defense share in the data to start from").format(line=name)
    if line.year <= start[0]:
        return _("{line} level from {year} (the pledge year has passed)").format(line=name, year=start[0])
    return _("straight path from {start} % of GDP in {year0} to {level} % by {year}, our assumption").format(
        start=num(start[1], 2), year0=start[0], level=short(line.level_pct_gdp), year=line.year
    )


def line_columns(
    country: Country, years: np.ndarray, gdp_local: np.ndarray, gdp_usd: np.ndarray, cur: str
) -> dict[str, np.ndarray]:
    """Each binding line in money at each year's GDP (``<id>_level_usd_bn``, ``<id>_level_<cur>_bn``)
    and its path (``<id>_path_pct_gdp``, ``<id>_path_usd_bn``, ``<id>_path_<cur>_bn``).
    """
    out: dict[str, np.ndarray] = {}
    for line in lines_for(country):
        out[f"{line.id}_level_usd_bn"] = line.level_pct_gdp / 100 * gdp_usd
        out[f"{line.id}_level_{cur}_bn"] = line.level_pct_gdp / 100 * gdp_local
        path = path_pct(line, years, path_start(country, line))
        out[f"{line.id}_path_pct_gdp"] = path
        out[f"{line.id}_path_usd_bn"] = path / 100 * gdp_usd
        out[f"{line.id}_path_{cur}_bn"] = path / 100 * gdp_local
    return out


def pledge_sources(country: Country) -> list[str]:
    """Source ids of every line and guideline that binds ``country``, in order."""
    guide = equipment_guideline(country)
    ids = [i for ln in lines_for(country) for i in ln.sources] + (list(guide.sources) if guide else [])
    return list(dict.fromkeys(ids))
