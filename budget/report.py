"""Report: write a run's tables and charts into an output folder, all or nothing.

Everything is rendered into a hidden temporary folder inside the output folder first; only
when every file is written are the finished folders moved into place. A failed or interrupted
run leaves the previous outputs as they were. Scenarios render in parallel on every core.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd

from budget.ledger import gaps
from budget.model import project
from budget.scenario import Scenario
from budget.tables import comparison_frame, comparison_markdown, summary_markdown, write_csv
from budget.uncertainty import sensitivity, simulate

Projections = dict[str, tuple[Scenario, pd.DataFrame]]


def render_scenario(s: Scenario, df: pd.DataFrame, folder: Path, draws: int = 10_000, seed: int = 0) -> None:
    """Write one scenario's tables (``projection.csv``, ``gaps.csv``, ``sensitivity.csv``,
    ``simulation.csv`` when ``draws`` > 0, ``summary.md``) and charts into ``folder``."""
    from budget import charts  # matplotlib is imported only when charts are drawn

    folder.mkdir(parents=True, exist_ok=True)
    ledger = gaps(s, df)
    sens = sensitivity(s)
    sim = simulate(s, draws, seed) if draws > 0 else None
    write_csv(df, folder / "projection.csv")
    write_csv(ledger.set_index(["line", "year"]), folder / "gaps.csv")
    write_csv(sens, folder / "sensitivity.csv")
    if sim is not None:
        write_csv(sim, folder / "simulation.csv")
        charts.save(charts.plot_fan(sim, df, s), folder / "fan.png")
    (folder / "summary.md").write_text(summary_markdown(df, s, ledger, sim, sens), encoding="utf-8")
    charts.save(charts.plot_spending(df, s), folder / "spending.png")
    charts.save(charts.plot_share(df, s), folder / "share_of_gdp.png")
    charts.save(charts.plot_procurement(df, s), folder / "procurement.png")
    charts.save(charts.plot_sensitivity(sens, s), folder / "sensitivity.png")


def render_comparison(projections: Projections, folder: Path) -> None:
    """Write ``comparison.csv``, ``comparison.md`` and ``comparison.png``."""
    from budget import charts

    folder.mkdir(parents=True, exist_ok=True)
    write_csv(comparison_frame(projections), folder / "comparison.csv")
    (folder / "comparison.md").write_text(comparison_markdown(projections), encoding="utf-8")
    charts.save(charts.plot_comparison(projections), folder / "comparison.png")


def _render_one(args: tuple[Scenario, pd.DataFrame, Path, int, int]) -> None:
    render_scenario(*args)


def run(scenarios: Iterable[Scenario], out: Path, draws: int = 10_000, seed: int = 0,
        workers: int | None = None) -> list[Path]:
    """Project every scenario and write its outputs plus ``comparison/`` into ``out``.

    Returns the folders written. Names must be unique (checked by the caller).
    """
    projections: Projections = {s.name: (s, project(s)) for s in scenarios}
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".budget-run-", dir=out))
    try:
        jobs = [(s, df, tmp / name, draws, seed) for name, (s, df) in projections.items()]
        workers = min(workers or os.cpu_count() or 1, len(jobs))
        if workers > 1:
            from budget import charts  # noqa: F401  (imported once, before the workers fork)

            with ProcessPoolExecutor(max_workers=workers) as pool:
                list(pool.map(_render_one, jobs))
        else:
            for job in jobs:
                _render_one(job)
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
