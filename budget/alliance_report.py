"""An alliance run's outputs: ``members.csv``, ``totals.csv``, ``results.csv`` (each with a JSON
sidecar), ``uncertainty.csv`` and ``correlations.csv`` when draws are asked for, ``summary.md``
(``budget.alliance_summary``) and the charts. Every sentence says what its number compares with
and where it is our assumption.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pandas as pd

from budget.aggregate import ENDS, members
from budget.alliance_file import Alliance
from budget.alliance_summary import _part, sources, summary_markdown
from budget.alliance_tables import long_table, member_table, totals
from budget.formats import write_csv
from budget.history import load_sources


def sidecar(
    path: Path, frame: pd.DataFrame, a: Alliance, description: str, extra: dict[str, Any] | None = None
) -> None:
    """A Table Schema sidecar for an alliance table (fields, sources, the alliance file)."""
    names = [n for n in frame.index.names if n is not None] + [str(c) for c in frame.columns]
    src = load_sources()
    doc = {
        "profile": "tabular-data-resource",
        "name": path.stem,
        "path": path.name,
        "format": "csv",
        "encoding": "utf-8",
        "description": description,
        "schema": {"fields": [{"name": n} for n in names], "primaryKey": [n for n in frame.index.names if n]},
        "sources": [
            {"id": i, "title": src[i].title, "path": src[i].url, "publisher": src[i].publisher} for i in sources(a)
        ],
        "budget": {"alliance": str(a.file), "sha256": hashlib.sha256(a.file.read_bytes()).hexdigest(), **(extra or {})},
    }
    path.with_suffix(".json").write_text(
        json.dumps(doc, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8"
    )


def render_alliance(a: Alliance, folder: Path, draws: int = 10_000, seed: int = 0, key: str = "") -> None:
    """Write every alliance output into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    ms = members(a)
    table, tot = member_table(a, ms), totals(a, ms)
    extra = {"inputs_sha256": key} if key else {}
    write_csv(table, folder / "members.csv")
    sidecar(
        folder / "members.csv",
        table,
        a,
        "One row per member: last NATO share, 2030 and end-year share and USD, gaps to each line's "
        "level, extra cost against holding the last share, required real growth.",
        extra,
    )
    write_csv(tot, folder / "totals.csv")
    sidecar(
        folder / "totals.csv",
        tot,
        a,
        "Yearly totals of the group and each subgroup: sum of spending over sum of GDP (USD, current "
        "prices), constant prices, extra cost, procurement.",
        extra,
    )
    long = long_table(a, ms).set_index(["country", "scenario", "year", "metric", "end"])
    write_csv(long, folder / "results.csv")
    sidecar(
        folder / "results.csv",
        long,
        a,
        "Every result as one row per country (or group:<id>), scenario, year, metric and range end.",
        extra,
    )
    sim = None
    if draws > 0:
        sim = _uncertainty(a, folder, draws, seed, extra)
    (folder / "summary.md").write_text(summary_markdown(a, table, tot, sim), encoding="utf-8")
    _charts(a, ms, tot, folder)


def _uncertainty(a: Alliance, folder: Path, draws: int, seed: int, extra: dict[str, Any]) -> pd.DataFrame | None:
    try:
        from budget import correlated
    except ImportError:  # pragma: no cover - the module ships with the package
        return None
    result = correlated.simulate_alliance(a, draws, seed)
    corr = result.correlation.frame().set_index(["driver", "statistic", "a", "b"])
    write_csv(corr, folder / "correlations.csv")
    sidecar(
        folder / "correlations.csv",
        corr,
        a,
        "The shocks' standard deviations (percent) and correlations across members, estimated from the data "
        "(Ledoit-Wolf shrinkage to a constant correlation), as the simulation used them.",
        extra,
    )
    frame = result.frame()
    frame.attrs["correlation"] = result.correlation
    write_csv(frame.set_index(["statistic", "end"]), folder / "uncertainty.csv")
    sidecar(
        folder / "uncertainty.csv",
        frame.set_index(["statistic", "end"]),
        a,
        f"Monte Carlo of the group, {draws:,} draws, correlated shocks.",
        {**extra, "seed": seed},
    )
    return frame


def _charts(a: Alliance, ms: dict[str, Any], tot: pd.DataFrame, folder: Path) -> None:
    g = _part(tot, a.group.id)
    from budget.charts import group_path, multiples, neighbours, ranked
    from budget.scenario import DEFAULT_COUNTRY

    ranked.ranked(a, ms, g, folder)
    group_path.group_path(a, ms, g, folder)
    multiples.multiples(a, ms, g, folder)
    if DEFAULT_COUNTRY in ms and any(DEFAULT_COUNTRY in s.members for s in a.subgroups):
        neighbours.neighbours(a, ms, g, folder, DEFAULT_COUNTRY)


__all__ = ["ENDS", "render_alliance", "summary_markdown"]
