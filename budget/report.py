"""Report: write a run's tables and charts into an output folder, all or nothing.

Everything is rendered into a hidden temporary folder inside the output folder first; only
when every file is written are the finished folders moved into place. A failed or interrupted
run leaves the previous outputs as they were. Scenarios render in parallel on every core.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from budget.compare import comparison_frame, comparison_markdown
from budget.formats import write_csv
from budget.ledger import gaps
from budget.model import project
from budget.provenance import write_sidecar
from budget.results import long_table
from budget.scenario import Scenario
from budget.tables import summary_markdown
from budget.uncertainty import drivers, sensitivity, simulate

Projections = dict[str, tuple[Scenario, pd.DataFrame]]


def render_scenario(
    s: Scenario, df: pd.DataFrame, folder: Path, draws: int = 10_000, seed: int = 0, key: str = ""
) -> None:
    """Write one scenario's tables (``projection.csv``, ``gaps.csv``, ``sensitivity.csv``,
    ``simulation.csv`` when ``draws`` > 0, ``summary.md``) and charts into ``folder``.
    """
    from budget import charts  # matplotlib is imported only when charts are drawn

    folder.mkdir(parents=True, exist_ok=True)
    ledger = gaps(s, df)
    sens = sensitivity(s)
    sim = simulate(s, draws, seed) if draws > 0 else None
    drv = drivers(s, draws, seed, base=sim) if sim is not None else None
    table(
        df, folder / "projection.csv", [s], description=f"{s.title}: yearly projection, history and scenario.", key=key
    )
    table(
        long_table(s, df).set_index(["country", "scenario", "year", "metric", "end"]),
        folder / "results.csv",
        [s],
        description=f"{s.title}: every result as one row per country, scenario, year, metric and range end "
        "(projection.csv is its pivot).",
    )
    table(
        ledger.set_index(["line", "end", "year"]),
        folder / "gaps.csv",
        [s],
        description="Spending minus each line that binds the country, against its level and the path to "
        "it (our assumption); + = above, - = short; both ends of the range.",
    )
    table(
        sens, folder / "sensitivity.csv", [s], description="One driver at a time, one standard deviation down and up."
    )
    if sim is not None:
        table(
            sim,
            folder / "simulation.csv",
            [s],
            seed=seed,
            description=f"Monte Carlo percentiles and probabilities, {draws:,} draws.",
        )
        assert drv is not None  # drawn with the simulation
        table(
            drv,
            folder / "drivers.csv",
            [s],
            seed=seed,
            description="Probability of meeting each line's level with every driver drawn, and with "
            "each driver held at its central path.",
        )
        charts.save(charts.plot_fan(sim, df, s, drv=drv, ledger=ledger), folder / "fan.png")
    (folder / "summary.md").write_text(summary_markdown(df, s, ledger, sim, sens, drv), encoding="utf-8")
    charts.save(charts.plot_spending(df, s, ledger=ledger), folder / "spending.png")
    charts.save(charts.plot_share(df, s, ledger=ledger), folder / "share_of_gdp.png")
    charts.save(charts.plot_procurement(df, s), folder / "procurement.png")
    charts.save(charts.plot_sensitivity(sens, s), folder / "sensitivity.png")


def render_comparison(projections: Projections, folder: Path, key: str = "") -> None:
    """Write ``comparison.csv``, ``comparison.md`` and ``comparison.png``."""
    from budget import charts

    folder.mkdir(parents=True, exist_ok=True)
    table(
        comparison_frame(projections),
        folder / "comparison.csv",
        [s for s, _ in projections.values()],
        description="Every scenario's central path side by side.",
        key=key,
    )
    (folder / "comparison.md").write_text(comparison_markdown(projections), encoding="utf-8")
    charts.save(charts.plot_comparison(projections), folder / "comparison.png")


def table(
    frame: pd.DataFrame,
    path: Path,
    scenarios: list[Scenario],
    seed: int | None = None,
    description: str = "",
    key: str = "",
) -> None:
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
    sheets = sheet_names(list(projections))
    with pd.ExcelWriter(path, engine="openpyxl") as xl:
        for name, (s, df) in projections.items():
            with_units(df, s.data.cur).to_excel(xl, sheet_name=sheets[name], index=False)
        with_units(comparison_frame(projections), cur).to_excel(xl, sheet_name="comparison", index=False)
        pd.DataFrame(sources_used(scenarios)).to_excel(xl, sheet_name="sources", index=False)


WORKBOOK_SHEETS = ("comparison", "sources")  # the workbook's own sheets, after the scenarios'


def sheet_names(names: list[str]) -> dict[str, str]:
    """A unique Excel sheet name per scenario: the name itself where it fits in Excel's 31
    characters, else cut to 28 with ``~2``, ``~3``... added. Excel compares sheet names without
    regard to case, and the workbook's own sheets come after the scenarios, so both count.

    >>> sheet_names(["a" * 40, "a" * 35, "Comparison"])["a" * 35]
    'aaaaaaaaaaaaaaaaaaaaaaaaaaaa~2'
    """
    taken = {w.casefold() for w in WORKBOOK_SHEETS}
    out: dict[str, str] = {}
    for name in names:
        sheet, n = name[:31], 1
        while sheet.casefold() in taken:
            n += 1
            sheet = f"{name[:28]}~{n}"
        taken.add(sheet.casefold())
        out[name] = sheet
    return out


def run(
    scenarios: Iterable[Scenario],
    out: Path,
    draws: int = 10_000,
    seed: int = 0,
    workers: int | None = None,
    xlsx: bool = False,
    reuse: bool = True,
    alliances: Iterable[Any] = (),
) -> list[Path]:
    """Project every scenario and write its outputs plus ``comparison/`` into ``out``.

    With ``xlsx`` also ``budget.xlsx``; without it, a workbook an earlier run wrote there is
    removed, so that it never looks current. A folder whose inputs are unchanged since the last
    run and whose files are as written (``reuse``; see ``input_key``) is carried over instead of
    drawn again. Only entries budget wrote are replaced (see ``budget.staging``). Returns the
    paths written. Names must be unique (checked by the loader and the CLI).
    """
    from budget.alliance_report import render_alliance
    from budget.staging import Stage, unchanged
    from budget.uncertainty import check_memory

    group = list(scenarios)
    allied = list(alliances)
    workers = max(1, min(workers or os.cpu_count() or 1, len(group) + len(allied) + 1))
    if draws and group:
        check_memory(group, draws, parallel=min(workers, len(group)))
    projections: Projections = {s.name: (s, project(s)) for s in group}
    keys = {name: input_key(s, draws, seed) for name, (s, _) in projections.items()}
    # The comparison depends on the scenarios and their order.
    compared = bool(group) and len({s.country for s in group}) == 1  # a comparison is of one country's plans
    if compared:
        keys["comparison"] = hashlib.sha256("|".join(f"{n}={k}" for n, k in keys.items()).encode()).hexdigest()
    keys.update({a.name: alliance_key(a, draws, seed) for a in allied})
    if xlsx and compared:
        keys["budget.xlsx"] = hashlib.sha256(("xlsx|" + keys["comparison"]).encode()).hexdigest()
    inputs = [p for s in group for p in s.chain] + [p for a in allied for p in alliance_files(a)]
    with Stage(out, inputs) as stage:
        stage.check(keys)
        tmp = stage.tmp
        # The comparison last: the shortest job fills in while the other core finishes a scenario.
        todo: dict[str, tuple[Callable[..., None], tuple[Any, ...]]] = {
            name: (render_scenario, (s, df, tmp / name, draws, seed, keys[name]))
            for name, (s, df) in projections.items()
        }
        todo.update({a.name: (render_alliance, (a, tmp / a.name, draws, seed, keys[a.name])) for a in allied})
        if compared:
            todo["comparison"] = (render_comparison, (projections, tmp / "comparison", keys["comparison"]))
        if xlsx and compared:
            todo["budget.xlsx"] = (write_workbook, (projections, tmp / "budget.xlsx"))
        jobs = []
        for name, job in todo.items():
            if reuse and unchanged(out, name, keys[name]):
                _carry_over(out / name, tmp / name)
            else:
                jobs.append(job)
        _execute(jobs, min(workers, len(jobs)))
        # What this run does not write must not look current: an earlier comparison or workbook goes.
        stage.commit(
            keys, remove=[*([] if xlsx and compared else ["budget.xlsx"]), *([] if compared else ["comparison"])]
        )
    return [out / name for name in sorted(keys)]


def _execute(jobs: list[tuple[Callable[..., None], tuple[Any, ...]]], workers: int) -> None:
    """Run the jobs, in a pool of ``workers`` processes when there are several.

    Workers ignore SIGINT and die on SIGTERM: the parent handles both, and leaving the pool
    (``Pool.__exit__``) terminates every worker, also on an error or an interrupt.
    """
    if workers <= 1:
        for fn, args in jobs:
            fn(*args)
        return
    import multiprocessing as mp

    from budget import charts

    charts.warm_up()  # fonts loaded once, before the workers fork
    context = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else None)
    with context.Pool(workers, initializer=_worker_signals) as pool:
        results = [pool.apply_async(fn, args) for fn, args in jobs]
        for result in results:
            result.get()


def _worker_signals() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def alliance_files(a: Any) -> list[Path]:
    """An alliance's file and every plan file (with what it extends) its rules name."""
    plans = [p for r in a.rules.values() if r.plan is not None for p in r.plan.chain]
    return [a.file, *dict.fromkeys(plans)]


def alliance_key(a: Any, draws: int, seed: int) -> str:
    """SHA-256 of everything an alliance's outputs depend on (see ``input_key``)."""
    h = hashlib.sha256(f"alliance|{a.name}|{draws}|{seed}|{_package_digest()}".encode())
    for path in alliance_files(a):
        h.update(f"|{path.as_posix()}|".encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def input_key(s: Scenario, draws: int, seed: int) -> str:
    """SHA-256 of everything a scenario's outputs depend on: its name, its files as named on the
    command line (the sidecars record the paths) and their bytes, the package's code and data,
    the library versions, the draws and the seed.
    """
    h = hashlib.sha256(f"{s.name}|{draws}|{seed}|{_package_digest()}".encode())
    for path in s.chain:
        h.update(f"|{path.as_posix()}|".encode())
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


def _carry_over(old: Path, new: Path) -> None:
    """Carry an unchanged earlier entry into the staging folder (hard links where possible)."""
    if old.is_dir():
        shutil.copytree(old, new, copy_function=_link_or_copy)
    else:
        _link_or_copy(str(old), str(new))


def _link_or_copy(src: str, dst: str) -> None:
    """Hard-link (the old entry is deleted right after the swap); copy where links fail."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def compare_run(scenarios: Iterable[Scenario], out: Path) -> Path:
    """``budget compare``: write ``compare/`` (table, sidecar, Markdown, chart) into ``out``."""
    from budget.compare import write_compare
    from budget.staging import Stage

    group = list(scenarios)
    projections: Projections = {s.name: (s, project(s)) for s in group}
    key = hashlib.sha256("|".join(input_key(s, 0, 0) for s in group).encode()).hexdigest()
    with Stage(out, [p for s in group for p in s.chain]) as stage:
        stage.check(["compare"])
        write_compare(projections, stage.tmp / "compare")
        stage.commit({"compare": key})
    return out / "compare"
