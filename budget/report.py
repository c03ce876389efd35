"""Report: write a run's tables and charts into an output folder, all or nothing.

Everything is rendered into a hidden temporary folder inside the output folder first; only
when every file is written are the finished folders moved into place. A failed or interrupted
run leaves the previous outputs as they were. Scenarios render in parallel on every core.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from budget.ledger import gaps
from budget.model import project
from budget.provenance import write_sidecar
from budget.scenario import Scenario
from budget.tables import comparison_frame, comparison_markdown, summary_markdown, write_csv
from budget.uncertainty import sensitivity, simulate

Projections = dict[str, tuple[Scenario, pd.DataFrame]]


def render_scenario(s: Scenario, df: pd.DataFrame, folder: Path, draws: int = 10_000, seed: int = 0,
                    key: str = "") -> None:
    """Write one scenario's tables (``projection.csv``, ``gaps.csv``, ``sensitivity.csv``,
    ``simulation.csv`` when ``draws`` > 0, ``summary.md``) and charts into ``folder``.
    """
    from budget import charts  # matplotlib is imported only when charts are drawn

    folder.mkdir(parents=True, exist_ok=True)
    ledger = gaps(s, df)
    sens = sensitivity(s)
    sim = simulate(s, draws, seed) if draws > 0 else None
    table(df, folder / "projection.csv", [s], description=f"{s.title}: yearly projection, history and scenario.",
          key=key)
    table(ledger.set_index(["line", "year"]), folder / "gaps.csv", [s],
          description="Shortfall ledger against NATO's lines (+ = short).")
    table(sens, folder / "sensitivity.csv", [s],
          description="One driver at a time, one standard deviation down and up.")
    if sim is not None:
        table(sim, folder / "simulation.csv", [s], seed=seed,
              description=f"Monte Carlo percentiles and probabilities, {draws:,} draws.")
        charts.save(charts.plot_fan(sim, df, s), folder / "fan.png")
    (folder / "summary.md").write_text(summary_markdown(df, s, ledger, sim, sens), encoding="utf-8")
    charts.save(charts.plot_spending(df, s), folder / "spending.png")
    charts.save(charts.plot_share(df, s), folder / "share_of_gdp.png")
    charts.save(charts.plot_procurement(df, s), folder / "procurement.png")
    charts.save(charts.plot_sensitivity(sens, s), folder / "sensitivity.png")


def render_comparison(projections: Projections, folder: Path, key: str = "") -> None:
    """Write ``comparison.csv``, ``comparison.md`` and ``comparison.png``."""
    from budget import charts

    folder.mkdir(parents=True, exist_ok=True)
    table(comparison_frame(projections), folder / "comparison.csv", [s for s, _ in projections.values()],
          description="Every scenario's central path side by side.", key=key)
    (folder / "comparison.md").write_text(comparison_markdown(projections), encoding="utf-8")
    charts.save(charts.plot_comparison(projections), folder / "comparison.png")


def table(frame: pd.DataFrame, path: Path, scenarios: list[Scenario], seed: int | None = None,
          description: str = "", key: str = "") -> None:
    """Write a CSV and its Table Schema sidecar (``.json``) beside it."""
    write_csv(frame, path)
    write_sidecar(path, frame, scenarios, seed=seed, description=description, inputs_sha256=key)


def write_workbook(projections: Projections, path: Path) -> None:
    """One Excel workbook: a sheet per scenario, the comparison and the sources; every header
    carries its unit, e.g. ``defense_usd_bn [USD bn, current prices]``. Needs openpyxl.
    """
    import pandas as pd

    from budget.provenance import describe, sources_used

    def with_units(frame: pd.DataFrame, cur: str) -> pd.DataFrame:
        named = frame.reset_index()
        units = {c: describe(str(c), cur)[1] for c in named.columns}
        return named.rename(columns={c: f"{c} [{u}]" if u else str(c) for c, u in units.items()})

    scenarios = [s for s, _ in projections.values()]
    cur = scenarios[0].data.cur
    with pd.ExcelWriter(path, engine="openpyxl") as xl:
        for name, (s, df) in projections.items():
            with_units(df, s.data.cur).to_excel(xl, sheet_name=name[:31], index=False)
        with_units(comparison_frame(projections), cur).to_excel(xl, sheet_name="comparison", index=False)
        pd.DataFrame(sources_used(scenarios)).to_excel(xl, sheet_name="sources", index=False)


def run(scenarios: Iterable[Scenario], out: Path, draws: int = 10_000, seed: int = 0,
        workers: int | None = None, xlsx: bool = False, reuse: bool = True) -> list[Path]:
    """Project every scenario and write its outputs plus ``comparison/`` into ``out``.

    With ``xlsx`` also ``budget.xlsx``. A folder whose inputs are unchanged since the last run
    (``reuse``; see ``input_key``) is carried over instead of drawn again. Returns the paths
    written. Names must be unique (checked by the caller).
    """
    projections: Projections = {s.name: (s, project(s)) for s in scenarios}
    keys = {name: input_key(s, draws, seed) for name, (s, _) in projections.items()}
    keys["comparison"] = hashlib.sha256("".join(sorted(keys.values())).encode()).hexdigest()
    with staged(out) as tmp:
        # The comparison last: the shortest job fills in while the other core finishes a scenario,
        # and by then the glyph cache holds most of its text.
        todo: dict[str, tuple[Callable[..., None], tuple[Any, ...]]] = {
            name: (render_scenario, (s, df, tmp / name, draws, seed, keys[name]))
            for name, (s, df) in projections.items()}
        todo["comparison"] = (render_comparison, (projections, tmp / "comparison", keys["comparison"]))
        jobs = [job for name, job in todo.items() if not (reuse and _reuse(out / name, tmp / name, keys[name]))]
        workers = min(workers or os.cpu_count() or 1, len(jobs))
        if workers > 1:
            from budget import charts

            charts.warm_up()  # fonts and PNG writer loaded once, before the workers fork

            with ProcessPoolExecutor(max_workers=workers) as pool:
                for future in [pool.submit(fn, *args) for fn, args in jobs]:
                    future.result()
        else:
            for fn, args in jobs:
                fn(*args)
        if xlsx:
            write_workbook(projections, tmp / "budget.xlsx")
    return [out / name for name in sorted([*projections, "comparison", *(["budget.xlsx"] if xlsx else [])])]


def input_key(s: Scenario, draws: int, seed: int) -> str:
    """SHA-256 of everything a scenario's outputs depend on: its files (with the ``extends``
    chain), the package's code and data, the library versions, the draws and the seed.
    """
    h = hashlib.sha256(f"{s.name}|{draws}|{seed}|{_package_digest()}".encode())
    for path in s.chain:
        h.update(path.read_bytes())
    return h.hexdigest()


@cache
def _package_digest() -> str:
    """SHA-256 of the package's code and data and the library versions (read once per run)."""
    import matplotlib
    import numpy as np

    h = hashlib.sha256(f"{np.__version__}|{pd.__version__}|{matplotlib.__version__}".encode())
    root = Path(__file__).parent
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".py", ".csv", ".toml")):
        h.update(path.read_bytes())
    return h.hexdigest()


def _reuse(old: Path, folder: Path, key: str) -> bool:
    """Carry the earlier output folder ``old`` over into the staging ``folder`` if its sidecar
    records the same inputs (``key``); False if it must be drawn again.
    """
    sidecar = old / ("comparison.json" if old.name == "comparison" else "projection.json")
    try:
        if json.loads(sidecar.read_text(encoding="utf-8"))["budget"]["inputs_sha256"] != key:
            return False
    except (OSError, ValueError, KeyError, TypeError):
        return False
    shutil.copytree(old, folder, copy_function=_link_or_copy)
    return True


def _link_or_copy(src: str, dst: str) -> None:
    """Hard-link (the old folder is deleted right after the swap); copy where links fail."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def compare_run(scenarios: Iterable[Scenario], out: Path) -> Path:
    """``budget compare``: write ``compare/`` (table, sidecar, Markdown, chart) into ``out``."""
    from budget.compare import write_compare

    projections: Projections = {s.name: (s, project(s)) for s in scenarios}
    with staged(out) as tmp:
        write_compare(projections, tmp / "compare")
    return out / "compare"


@contextmanager
def staged(out: Path) -> Iterator[Path]:
    """Yield a temporary folder inside ``out``; on success move its entries into ``out``.

    Each entry replaces the old one with one rename on the same file system (atomic); on any
    error, or an interrupt, nothing in ``out`` changes and the temporary folder is removed.
    """
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".budget-run-", dir=out))
    try:
        yield tmp
        _swap_in(tmp, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _swap_in(tmp: Path, out: Path) -> None:
    """Move each finished folder or file from ``tmp`` into ``out``, replacing an older one.

    Every rename stays on one file system, so each is atomic; the old copy goes into ``tmp``,
    which is deleted afterwards.
    """
    old = tmp / ".old"
    old.mkdir()
    for folder in sorted(p for p in tmp.iterdir() if p.name != ".old"):
        target = out / folder.name
        if target.exists():
            os.replace(target, old / folder.name)
        os.replace(folder, target)
