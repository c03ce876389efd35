"""Report: write a run's tables and charts into an output folder, all or nothing.

Everything is rendered into a hidden temporary folder inside the output folder first; only
when every file is written are the finished scenario folders moved into place. A failed or
interrupted run leaves the previous outputs as they were.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from budget.model import project
from budget.scenario import Scenario
from budget.tables import comparison_frame, comparison_markdown, summary_markdown, write_csv

Projections = dict[str, tuple[Scenario, pd.DataFrame]]


def render_scenario(s: Scenario, df: pd.DataFrame, folder: Path) -> None:
    """Write ``projection.csv``, ``summary.md`` and the three charts of one scenario."""
    from budget import charts  # matplotlib is imported only when charts are drawn

    folder.mkdir(parents=True, exist_ok=True)
    write_csv(df, folder / "projection.csv")
    (folder / "summary.md").write_text(summary_markdown(df, s), encoding="utf-8")
    charts.save(charts.plot_spending(df, s), folder / "spending.png")
    charts.save(charts.plot_share(df, s), folder / "share_of_gdp.png")
    charts.save(charts.plot_procurement(df, s), folder / "procurement.png")


def render_comparison(projections: Projections, folder: Path) -> None:
    """Write ``comparison.csv``, ``comparison.md`` and ``comparison.png``."""
    from budget import charts

    folder.mkdir(parents=True, exist_ok=True)
    write_csv(comparison_frame(projections), folder / "comparison.csv")
    (folder / "comparison.md").write_text(comparison_markdown(projections), encoding="utf-8")
    charts.save(charts.plot_comparison(projections), folder / "comparison.png")


def run(scenarios: Iterable[Scenario], out: Path) -> list[Path]:
    """Project every scenario and write its outputs plus ``comparison/`` into ``out``.

    Returns the folders written. Names must be unique (checked by the caller).
    """
    projections: Projections = {s.name: (s, project(s)) for s in scenarios}
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".budget-run-", dir=out))
    try:
        for name, (s, df) in projections.items():
            render_scenario(s, df, tmp / name)
        render_comparison(projections, tmp / "comparison")
        return _swap_in(tmp, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _swap_in(tmp: Path, out: Path) -> list[Path]:
    """Move each finished folder from ``tmp`` into ``out``, replacing an older one."""
    done = []
    old = tmp / ".old"
    old.mkdir()
    for folder in sorted(p for p in tmp.iterdir() if p.is_dir() and p.name != ".old"):
        target = out / folder.name
        if target.exists():
            os.replace(target, old / folder.name)
        os.replace(folder, target)
        done.append(target)
    return done
