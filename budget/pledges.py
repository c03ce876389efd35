"""Pledges: NATO's lines as reference paths, and a scenario's gap to each.

The lines live in ``budget/data/pledges.toml`` with their sources (Wales 2014: 2 % of GDP and
20 % of defense on major equipment; The Hague 2025: 3.5 % core and 5 % total by 2035; the
Czech Act 177/2023 floor of 2 %). They are evaluated against a projection and never drive it.

A line with ``path = "linear"`` runs in share of GDP from the last data year's share s0 in
t0 to the pledge s* in year T: s(t) = s0 + (s* - s0)(t - t0)/(T - t0), then holds s*.
Gap to a line = line - scenario (positive = short), in USD bn, local bn and points of GDP.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from budget.history import load_pledges

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Line:
    """A NATO reference line in percent of GDP (``year`` is None for a flat line)."""

    id: str
    label: str
    pct_gdp: float
    year: int | None
    sources: tuple[str, ...]


def lines() -> list[Line]:
    """The share-of-GDP lines, lowest first (2 %, 3.5 % core, 5 % total)."""
    return [Line(d["id"], d["label"], float(d["pct_gdp"]), d.get("year"), tuple(d["sources"]))
            for d in load_pledges()["lines"]]  # type: ignore[union-attr]


def equipment_line() -> Line:
    """The 20 % equipment guideline, as a line in percent of defense spending."""
    d = load_pledges()["equipment"]
    return Line(d["id"], d["label"], float(d["equipment_pct"]), None, tuple(d["sources"]))  # type: ignore[index]


def line_pct(line: Line, years: np.ndarray, t0: int, s0: float) -> np.ndarray:
    """The line's share of GDP per year (NaN before ``t0`` for a path line)."""
    years = np.asarray(years)
    if line.year is None:
        return np.full(len(years), line.pct_gdp)
    frac = np.clip((years - t0) / (line.year - t0), 0, 1)
    return np.where(years >= t0, s0 + (line.pct_gdp - s0) * frac, np.nan)


def reference_lines(col: dict[str, np.ndarray], years: np.ndarray, cur: str, t0: int) -> dict[str, np.ndarray]:
    """Each line's path (``<id>_pct_gdp``, ``<id>_usd_bn``, ``<id>_<cur>_bn``) and the gap of the
    central path to it (``gap_<id>_usd_bn``, ``gap_<id>_<cur>_bn``, ``gap_<id>_pct_points``),
    plus the 20 % equipment amount and the shortfall of the low procurement share (on the
    central path) against it. ``col`` holds a projection's columns as arrays over ``years``.
    """
    out: dict[str, np.ndarray] = {}
    i0 = int(np.searchsorted(years, t0))
    for line in lines():
        # The 5 % line covers core + resilience: it starts from, and is compared with, the total
        # where the scenario models resilience (the total equals core where it does not).
        spend = "total" if line.id == "nato_total" and "total_pct_gdp" in col else "defense"
        pct = line_pct(line, years, t0, float(col[f"{spend}_pct_gdp"][i0]))
        out[f"{line.id}_pct_gdp"] = pct
        out[f"{line.id}_usd_bn"] = pct / 100 * col["gdp_usd_bn"]
        out[f"{line.id}_{cur}_bn"] = pct / 100 * col[f"gdp_{cur}_bn"]
        out[f"gap_{line.id}_usd_bn"] = out[f"{line.id}_usd_bn"] - col[f"{spend}_usd_bn"]
        out[f"gap_{line.id}_{cur}_bn"] = out[f"{line.id}_{cur}_bn"] - col[f"{spend}_{cur}_bn"]
        out[f"gap_{line.id}_pct_points"] = pct - col[f"{spend}_pct_gdp"]
    eq = equipment_line()
    out[f"{eq.id}_usd_bn"] = eq.pct_gdp / 100 * col["defense_usd_bn"]
    out[f"gap_{eq.id}_usd_bn"] = (eq.pct_gdp - col["procurement_pct_low"]) / 100 * col["defense_usd_bn"]
    return out


def first_year_met(df: pd.DataFrame, line: Line, after: int) -> int | None:
    """First year after ``after`` whose central share reaches the line's final level.

    The 5 % line is compared with core + resilience (``total_pct_gdp``) where present.
    """
    col = "total_pct_gdp" if line.id == "nato_total" and "total_pct_gdp" in df else "defense_pct_gdp"
    years = df.index[(df.index > after) & (df[col] >= line.pct_gdp - 1e-9)]
    return int(years[0]) if len(years) else None
