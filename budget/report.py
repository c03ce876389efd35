"""Report: write a run's tables and charts into an output folder, all or nothing.

Everything is rendered into a hidden temporary folder inside the output folder first; only
when every file is written are the finished folders moved into place. A failed or interrupted
run leaves the previous outputs as they were. Scenarios render in parallel on every core.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from budget.compare import comparison_frame, comparison_markdown
from budget.fiscal import DESCRIPTION as FISCAL_TEXT
from budget.fiscal import fiscal_frame, fiscal_sources, has_fiscal
from budget.formats import write_csv
from budget.ledger import gaps
from budget.lineup import check_highlight, column
from budget.model import project
from budget.outturn import DESCRIPTION as OUTTURN
from budget.outturn import outturn_table
from budget.outturn import sources as outturn_sources
from budget.provenance import write_sidecar
from budget.results import long_table
from budget.scenario import Scenario
from budget.tables import summary_markdown
from budget.uncertainty import drivers, sensitivity, simulate
from budget.vintages import VINTAGES_TEXT, comparable, vintage_table, vintages
from budget.workbook import write_workbook

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
    if (plan := outturn_table(s.data)) is not None:  # the country's budget against outturn
        table(plan, folder / "outturn.csv", [s], description=OUTTURN, sources=outturn_sources(plan))
        charts.save(charts.plot_outturn(plan, s), folder / "outturn.png")
    vs = vintages(s, df)  # the scenario under every shipped GDP edition, where two or more compare
    if len(comparable(vs)) >= 2:
        vt = vintage_table(s, vs)
        table(vt, folder / "vintages.csv", [v.scenario for v in vs if v.scenario], description=VINTAGES_TEXT)
        charts.save(charts.plot_vintages(s, vs, vt), folder / "vintages.png")
    if has_fiscal(s.data):  # what the path adds to general-government spending, and the deficit and debt
        fiscal = fiscal_frame(s, df)
        table(fiscal, folder / "fiscal.csv", [s], description=FISCAL_TEXT, sources=fiscal_sources(s))
        charts.save(charts.plot_fiscal(df, s, fiscal), folder / "fiscal.png")


def render_comparison(
    projections: Projections, folder: Path, key: str = "", unit: str = "pct_gdp", highlight: Sequence[str] = ()
) -> None:
    """Write ``comparison.csv``, ``comparison.md`` and ``comparison.png`` (its chart in ``unit``,
    ``highlight`` in colour: see ``budget.charts.plot_comparison``).
    """
    from budget import charts

    folder.mkdir(parents=True, exist_ok=True)
    table(
        comparison_frame(projections),
        folder / "comparison.csv",
        [s for s, _ in projections.values()],
        description="Every scenario's central path side by side.",
        key=key,
    )
    (folder / "comparison.md").write_text(comparison_markdown(projections, unit), encoding="utf-8")
    charts.save(charts.plot_comparison(projections, unit, highlight), folder / "comparison.png")


def table(
    frame: pd.DataFrame,
    path: Path,
    scenarios: list[Scenario],
    seed: int | None = None,
    description: str = "",
    key: str = "",
    sources: Iterable[str] = (),
) -> None:
    """Write a CSV and its Table Schema sidecar (``.json``) beside it (``sources``: ids it cites
    beyond its scenarios' data).
    """
    write_csv(frame, path)
    write_sidecar(path, frame, scenarios, seed=seed, description=description, inputs_sha256=key, sources=sources)


def run(
    scenarios: Iterable[Scenario],
    out: Path,
    draws: int = 10_000,
    seed: int = 0,
    workers: int | None = None,
    xlsx: bool = False,
    reuse: bool = True,
    alliances: Iterable[Any] = (),
    lang: str = "en",
    formats: Sequence[str] = ("png",),
    compare_unit: str = "pct_gdp",
    highlight: Sequence[str] = (),
) -> list[Path]:
    """Project every scenario and write its outputs plus ``comparison/`` into ``out``.

    ``comparison/`` needs two scenarios or more of one country (an earlier one is removed
    otherwise); its chart is in ``compare_unit`` (``budget.lineup.UNITS``) with ``highlight``
    (scenario names, checked: ``ScenarioError`` before anything is written) in colour.

    With ``xlsx`` also ``budget.xlsx``; without it, a workbook an earlier run wrote there is
    removed, so that it never looks current. A folder whose inputs are unchanged since the last
    run and whose files are as written (``reuse``; see ``input_key``) is carried over instead of
    drawn again. Only entries budget wrote are replaced (see ``budget.staging``). Returns the
    paths written. Names must be unique (checked by the loader and the CLI).

    ``lang`` (``en`` or ``cs``, see ``budget.i18n``) is the language of every text; ``formats``
    the chart file formats (``png``, ``svg``, ``pdf``). Both are part of every folder's input key.
    """
    from budget import site
    from budget.alliance_report import render_alliance
    from budget.staging import Stage, unchanged
    from budget.uncertainty import check_memory

    group = list(scenarios)
    allied = list(alliances)
    highlight = check_highlight([s.name for s in group], highlight)
    column(compare_unit, "")  # a unit it knows, or ValueError
    workers = max(1, min(workers or os.cpu_count() or 1, len(group) + len(allied) + 1))
    if draws and group:
        check_memory(group, draws, parallel=min(workers, len(group)))
    projections: Projections = {s.name: (s, project(s)) for s in group}
    variant = f"{lang}|{','.join(formats)}"
    keys = {name: input_key(s, draws, seed, variant) for name, (s, _) in projections.items()}
    # The comparison depends on the scenarios and their order.
    compared = bool(group) and len({s.country for s in group}) == 1  # one country's plans (the workbook)
    comparison = compared and len(group) >= 2  # a comparison is of two or more, never of one
    digest = hashlib.sha256("|".join(f"{n}={k}" for n, k in keys.items()).encode()).hexdigest()
    if comparison:
        keys["comparison"] = hashlib.sha256(f"{digest}|{compare_unit}|{','.join(highlight)}".encode()).hexdigest()
    keys.update({a.name: alliance_key(a, draws, seed, variant) for a in allied})
    if xlsx and compared:
        keys["budget.xlsx"] = hashlib.sha256(("xlsx|" + digest).encode()).hexdigest()
    keys["index.html"] = hashlib.sha256(("index|" + "|".join(f"{n}={k}" for n, k in keys.items())).encode()).hexdigest()
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
        if comparison:
            todo["comparison"] = (
                render_comparison,
                (projections, tmp / "comparison", keys["comparison"], compare_unit, highlight),
            )
        if xlsx and compared:
            todo["budget.xlsx"] = (write_workbook, (projections, tmp / "budget.xlsx", draws, seed))
        jobs = []
        for name, job in todo.items():
            if reuse and unchanged(out, name, keys[name]):
                _carry_over(out / name, tmp / name)
            else:
                jobs.append(job)
        _execute([(_localized, (lang, tuple(formats), fn, args)) for fn, args in jobs], min(workers, len(jobs)))
        # What this run does not write must not look current: an earlier comparison or workbook goes.
        remove = [*([] if xlsx and compared else ["budget.xlsx"]), *([] if comparison else ["comparison"])]
        # index.html: the page of what this run holds (drawn or carried over), rewritten every run.
        site.write_index(tmp, list(projections), [a.name for a in allied], site.earlier(out, [*keys, *remove]), lang)
        stage.commit(keys, remove=remove)
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


def _localized(lang: str, formats: tuple[str, ...], fn: Callable[..., None], args: tuple[Any, ...]) -> None:
    """Run one job with its text in ``lang`` and its charts in ``formats`` (also in a worker process)."""
    from budget.charts.output import use_formats
    from budget.i18n import use

    with use(lang), use_formats(formats):
        fn(*args)


def _worker_signals() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def alliance_files(a: Any) -> list[Path]:
    """An alliance's file and every plan file (with what it extends) its rules name."""
    plans = [p for r in a.rules.values() if r.plan is not None for p in r.plan.chain]
    return [a.file, *dict.fromkeys(plans)]


def alliance_key(a: Any, draws: int, seed: int, variant: str = "") -> str:
    """SHA-256 of everything an alliance's outputs depend on (see ``input_key``)."""
    h = hashlib.sha256(f"alliance|{a.name}|{draws}|{seed}|{variant}|{_package_digest()}".encode())
    for path in alliance_files(a):
        h.update(f"|{path.as_posix()}|".encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def input_key(s: Scenario, draws: int, seed: int, variant: str = "") -> str:
    """SHA-256 of everything a scenario's outputs depend on: its name, its files as named on the
    command line (the sidecars record the paths) and their bytes, the package's code and data,
    the library versions, the draws, the seed and the ``variant`` (language and chart formats).
    """
    h = hashlib.sha256(f"{s.name}|{draws}|{seed}|{variant}|{_package_digest()}".encode())
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
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".py", ".csv", ".toml", ".mo")):
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
