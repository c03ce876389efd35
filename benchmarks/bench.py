"""Benchmarks of the budget package: simulation speed and memory, projection, run and CLI start-up.

Usage, from the repository root with the package installed::

    python benchmarks/bench.py            # full run, a few minutes
    python benchmarks/bench.py --quick    # smoke run, under 30 s
    python benchmarks/bench.py --json results.json

Prints a Markdown report (machine, method, results against targets, details) on stdout and
progress on stderr. Nothing is written inside the repository: outputs go to a temporary folder.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import platform
import pstats
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np

import budget
from budget.model import build_economy, defense_path, rates, resilience_pct
from budget.pledges import lines_for, meets
from budget.scenario import Scenario
from budget.uncertainty import sds

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "scenarios").glob("*.toml"))
MAIN_SCENARIO = ROOT / "scenarios" / "stated-targets.toml"
ENV = {**os.environ, "MPLBACKEND": "Agg"}
QUANTILES = (0.05, 0.5, 0.95)
RUN_TARGET = 1.2  # `budget run` may take at most this many times the plain charts' time
UNITS = ("pct_gdp", "usd_bn", "local_bn")

# Child process for the memory benchmark: peak RSS after imports and a warm-up, then after the call.
MEMORY_CHILD = """
import json, resource, sys, time
import budget
s = budget.load_scenario(sys.argv[1])
budget.simulate(s, draws=1_000)  # warm-up: lazy imports and caches belong to the baseline
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
budget.simulate(s, draws=int(sys.argv[2]))
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"baseline_kib": base, "peak_kib": peak, "seconds": seconds}))
"""

# Baseline for `budget run`: plain line charts drawn one after another, matplotlib import included.
BASELINE_CHILD = """
import sys
from pathlib import Path
import matplotlib
matplotlib.use("Agg")
from matplotlib.figure import Figure
out, count = Path(sys.argv[1]), int(sys.argv[2])
years = list(range(2014, 2036))
for i in range(count):
    fig = Figure(figsize=(10, 6))
    ax = fig.add_subplot()
    ax.plot(years, [0.5 * k + i for k in range(len(years))])
    ax.set_title(f"Chart {i + 1}")
    ax.set_xlabel("Year")
    ax.set_ylabel("USD billion")
    fig.savefig(out / f"chart{i:03d}.png", dpi=150)
"""


@dataclass
class Plan:
    """How many repeats each benchmark gets."""

    simulate_repeats: int
    loop_draws: int
    loop_repeats: int
    project_calls: int
    run_repeats: int
    cli_repeats: int
    run_scenarios: list[Path]

    @classmethod
    def make(cls, quick: bool) -> Plan:
        if quick:  # two scenarios still exercise the process pool and the comparison chart
            return cls(
                simulate_repeats=3,
                loop_draws=500,
                loop_repeats=1,
                project_calls=20,
                run_repeats=1,
                cli_repeats=2,
                run_scenarios=[MAIN_SCENARIO, ROOT / "scenarios" / "nato-core-3.5.toml"],
            )
        return cls(
            simulate_repeats=15,
            loop_draws=2_000,
            loop_repeats=3,
            project_calls=200,
            run_repeats=3,
            cli_repeats=5,
            run_scenarios=SCENARIOS,
        )


@dataclass
class Result:
    """One row of the results table."""

    key: str
    benchmark: str
    result: str
    target: str = "-"
    met: bool | None = None
    values: dict[str, Any] = field(default_factory=dict)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def seconds(t: float) -> str:
    """Format a duration: ms below one second."""
    return f"{t * 1000:.1f} ms" if t < 1 else f"{t:.2f} s"


def repeat(fn: Callable[[], object], repeats: int, warmup: int = 1) -> list[float]:
    """Wall times of ``repeats`` calls of ``fn`` after ``warmup`` untimed calls."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def run_child(cmd: Sequence[str], cwd: Path = ROOT) -> tuple[float, subprocess.CompletedProcess[str]]:
    """Run ``cmd`` to completion; return its wall time (start-up included) and the process."""
    start = time.perf_counter()
    proc = subprocess.run(list(cmd), cwd=cwd, env=ENV, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited with {proc.returncode}:\n{proc.stderr[-2000:]}")
    return elapsed, proc


def budget_command() -> list[str]:
    """The installed ``budget`` script next to this interpreter, else ``python -m budget``."""
    script = Path(sys.executable).with_name("budget")
    return [str(script)] if script.exists() else [sys.executable, "-m", "budget"]


# --- machine --------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    """CPU, cores, RAM, load and library versions."""
    cpu = platform.processor() or "unknown"
    ram = "unknown"
    try:
        text = Path("/proc/cpuinfo").read_text()
        if found := re.search(r"^model name\s*:\s*(.+)$", text, re.M):
            cpu = found[1].strip()
        mem = re.search(r"^MemTotal:\s*(\d+) kB", Path("/proc/meminfo").read_text(), re.M)
        ram = f"{int(mem[1]) / 1024**2:.1f} GiB" if mem else ram
    except OSError:
        pass
    return {
        "CPU": cpu,
        "Cores (os.cpu_count)": str(os.cpu_count()),
        "RAM": ram,
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        **{lib: version(lib) for lib in ("numpy", "pandas", "matplotlib")},
        "budget": budget.__version__,
        "Load average at start (1/5/15 min)": load(),
    }


def load() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


# --- 1. simulate ----------------------------------------------------------------------------


def bench_simulate(s: Scenario, plan: Plan) -> Result:
    times = repeat(lambda: budget.simulate(s, draws=100_000), plan.simulate_repeats)
    best, median = min(times), statistics.median(times)
    years = budget.simulate(s, draws=10).index
    return Result(
        "simulate_100k",
        f"`simulate` 100,000 draws, {years[0]}-{years[-1]}, {s.name}",
        f"best {seconds(best)}, median {seconds(median)} ({len(times)} runs)",
        "median < 0.3 s",
        median < 0.3,
        {"best_s": best, "median_s": median, "times_s": times},
    )


# --- 2. per-draw loop -----------------------------------------------------------------------


def per_draw_loop(s: Scenario, draws: int, seed: int = 0) -> dict[str, np.ndarray]:
    """The straightforward version of ``simulate``: one draw at a time on 1-D year arrays.

    Returns the 5th/50th/95th percentiles of each unit by year and the share of draws that meet
    each binding line's level, as ``simulate`` computes them at the upper end of the range.
    """
    r = rates(s)
    sd = sds(s)
    g0, p0, x0 = r.real_pct, r.deflator_pct, np.log1p(r.rate_change_pct / 100)
    n = len(r.years)
    rng = np.random.default_rng(seed)
    out = {k: np.empty((draws, n)) for k in UNITS}
    for i in range(draws):
        if s.distribution == "uniform":
            z = rng.uniform(-np.sqrt(3), np.sqrt(3), size=(3, n))
        else:
            z = rng.standard_normal((3, n))
        real = g0 + sd["real_growth_sd_pct"] * z[0]
        defl = p0 + sd["deflator_growth_sd_pct"] * z[1]
        rate = np.expm1(x0 + sd["local_per_usd_sd_pct"] / 100 * z[2]) * 100
        e = build_economy(s, real, defl, rate)
        path = defense_path(s, e, "high")
        for k in UNITS:
            out[k][i] = path[k]
    result = {f"{k}_q": np.quantile(out[k], QUANTILES, axis=0) for k in UNITS}
    extra = np.nan_to_num(resilience_pct(s, r.years))
    for line in lines_for(s.data):
        pct = out["pct_gdp"] + extra if line.compares_with == "total" else out["pct_gdp"]
        result[f"prob_meets_{line.id}_high"] = meets(pct, line).mean(axis=0)
    return result


def bench_loop(s: Scenario, plan: Plan, vectorized_s: float) -> tuple[Result, list[dict[str, Any]]]:
    draws = plan.loop_draws
    loop: dict[str, np.ndarray] = {}

    def call() -> None:
        loop.update(per_draw_loop(s, draws))

    times = repeat(call, plan.loop_repeats, warmup=0)
    best = min(times)
    scaled = best * 100_000 / draws
    speedup = scaled / vectorized_s
    sim = budget.simulate(s, draws=100_000)
    median = "defense_pct_gdp_p50_high" if "defense_pct_gdp_p50_high" in sim else "defense_pct_gdp_p50"
    vec = sim[median].to_numpy()
    mine = loop["pct_gdp_q"][1]
    rel = float(np.max(np.abs(mine / vec - 1)))
    rows = [
        {"year": int(y), "loop_p50_pct_gdp": float(a), "vectorized_p50_pct_gdp": float(b)}
        for y, a, b in zip(sim.index, mine, vec, strict=True)
    ]
    agrees = rel < 0.02
    text = (
        f"loop {seconds(best)} for {draws:,} draws (best of {len(times)}), scaled x{100_000 // draws} "
        f"to {seconds(scaled)} per 100,000; vectorized median {seconds(vectorized_s)}: "
        f"**{speedup:.0f}x faster**; median paths agree within {rel:.2%}"
    )
    return Result(
        "loop_speedup",
        "Speed-up over a per-draw Python loop",
        text,
        "sanity: paths agree (< 2 %)",
        agrees,
        {
            "loop_draws": draws,
            "loop_best_s": best,
            "loop_scaled_100k_s": scaled,
            "vectorized_median_s": vectorized_s,
            "speedup": speedup,
            "max_rel_diff_p50": rel,
        },
    ), rows


# --- 3. memory ------------------------------------------------------------------------------


def bench_memory(path: Path, draws: int = 1_000_000) -> Result:
    _, proc = run_child([sys.executable, "-c", MEMORY_CHILD, str(path), str(draws)])
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    base_mb, peak_mb = (data[k] * 1024 / 1e6 for k in ("baseline_kib", "peak_kib"))
    text = (
        f"peak RSS {peak_mb:,.0f} MB (after imports {base_mb:,.0f} MB, simulation "
        f"+{peak_mb - base_mb:,.0f} MB); {seconds(data['seconds'])}"
    )
    return Result(
        "simulate_1m_memory",
        f"`simulate` {draws:,} draws, peak memory (child process)",
        text,
        "peak < 1 GB",
        peak_mb < 1000,
        {"baseline_mb": base_mb, "peak_mb": peak_mb, "increase_mb": peak_mb - base_mb, "seconds": data["seconds"]},
    )


# --- 4. project -----------------------------------------------------------------------------


def bench_project(plan: Plan) -> tuple[Result, list[dict[str, Any]]]:
    rows = []
    for path in SCENARIOS:
        s = budget.load_scenario(path)
        budget.project(s)  # warm-up
        start = time.perf_counter()
        for _ in range(plan.project_calls):
            budget.project(s)
        mean = (time.perf_counter() - start) / plan.project_calls
        rows.append({"scenario": s.name, "mean_ms": mean * 1000, "met": mean < 0.005})
    worst = max(rows, key=lambda r: r["mean_ms"])
    best = min(rows, key=lambda r: r["mean_ms"])
    met = sum(r["met"] for r in rows)
    text = (
        f"mean of {plan.project_calls} calls: {best['mean_ms']:.1f}-{worst['mean_ms']:.1f} ms "
        f"(slowest {worst['scenario']}); {met} of {len(rows)} scenarios under 5 ms"
    )
    return Result(
        "project", "`project` per scenario, once imported", text, "< 5 ms each", met == len(rows), {"scenarios": rows}
    ), rows


# --- 5. budget run --------------------------------------------------------------------------


def bench_run(plan: Plan, tmp: Path, key: str = "run", what: str = "scenarios") -> Result:
    cmd = budget_command()
    files = [str(p.relative_to(ROOT)) for p in plan.run_scenarios]
    run_times, pngs = [], 0
    for i in range(plan.run_repeats):
        out = tmp / f"run{i}"
        t, _ = run_child([*cmd, "run", *files, "--out", str(out)])
        run_times.append(t)
        pngs = len(list(out.rglob("*.png")))
    base_times = []
    for i in range(plan.run_repeats):
        out = tmp / f"baseline{i}"
        out.mkdir()
        t, _ = run_child([sys.executable, "-c", BASELINE_CHILD, str(out), str(pngs)])
        base_times.append(t)
    run_best, base_best = min(run_times), min(base_times)
    ratio = run_best / base_best
    verdict = f"{ratio:.2f}x the baseline ({run_best - base_best:+.2f} s)"
    text = (
        f"`budget run` {len(files)} {what}, {pngs} PNGs: {seconds(run_best)}; {pngs} plain line "
        f"charts in one process: {seconds(base_best)} (best of {plan.run_repeats} each): run is {verdict}"
    )
    # The same command again on the same output folder: unchanged folders are carried over.
    again = min(run_child([*cmd, "run", *files, "--out", str(tmp / "run0")])[0] for _ in range(plan.run_repeats))
    text += f"; the same run again with unchanged inputs (folders reused): {seconds(again)}"
    return Result(
        key,
        f"`budget run` of the {what} (charts, 10,000 draws) vs plain charts",
        text,
        f"run <= {RUN_TARGET:g}x baseline",
        ratio <= RUN_TARGET,
        {
            "scenarios": len(files),
            "pngs": pngs,
            "run_s": run_times,
            "baseline_s": base_times,
            "run_best_s": run_best,
            "baseline_best_s": base_best,
            "ratio": ratio,
            "rerun_best_s": again,
        },
    )


def chart_breakdown(s: Scenario, tmp: Path) -> list[dict[str, Any]]:
    """Time of each part of ``render_scenario`` for one scenario, in this process, after
    ``charts.warm_up()`` (as ``budget run`` does before it forks its workers) and one untimed
    render: each chart's build and save (drawn as ``render_scenario`` draws it, ledger and
    drivers passed), and each step that is not a chart.
    """
    from budget import charts
    from budget.ledger import gaps
    from budget.report import render_scenario, table
    from budget.results import long_table
    from budget.tables import summary_markdown
    from budget.uncertainty import drivers, sensitivity

    df = budget.project(s)
    charts.warm_up()
    render_scenario(s, df, tmp / "warm-up")
    start = time.perf_counter()
    render_scenario(s, df, tmp / "timed")
    whole = time.perf_counter() - start
    rows: list[dict[str, Any]] = []

    def step(part: str, fn: Callable[[], Any]) -> Any:
        t0 = time.perf_counter()
        out = fn()
        rows.append({"part": part, "build_s": time.perf_counter() - t0})
        return out

    ledger = step("not a chart: `gaps` (ledger)", lambda: gaps(s, df))
    sens = step("not a chart: `sensitivity`", lambda: sensitivity(s))
    sim = step("not a chart: `simulate`, 10,000 draws", lambda: budget.simulate(s, draws=10_000))
    drv = step("not a chart: `drivers` (three more simulations)", lambda: drivers(s, 10_000, 0, base=sim))
    out = tmp / "parts"
    out.mkdir()
    frames = [
        (df, "projection.csv", None),
        (long_table(s, df), "results.csv", None),
        (ledger.set_index(["line", "end", "year"]), "gaps.csv", None),
        (sens, "sensitivity.csv", None),
        (sim, "simulation.csv", 0),
        (drv, "drivers.csv", 0),
    ]
    step(
        "not a chart: `long_table`, six CSVs and their JSON sidecars",
        lambda: [table(f, out / name, [s], seed=seed) for f, name, seed in frames],
    )
    step("not a chart: `summary.md`", lambda: summary_markdown(df, s, ledger, sim, sens, drv))
    makers: dict[str, Callable[[], Any]] = {
        "fan.png": lambda: charts.plot_fan(sim, df, s, drv=drv, ledger=ledger),
        "spending.png": lambda: charts.plot_spending(df, s, ledger=ledger),
        "share_of_gdp.png": lambda: charts.plot_share(df, s, ledger=ledger),
        "procurement.png": lambda: charts.plot_procurement(df, s),
        "sensitivity.png": lambda: charts.plot_sensitivity(sens, s),
    }
    for name, make in makers.items():
        t0 = time.perf_counter()
        fig = make()
        t1 = time.perf_counter()
        charts.save(fig, tmp / name)
        rows.append({"part": name, "build_s": t1 - t0, "save_s": time.perf_counter() - t1})
    drawn = sum(r["build_s"] + r.get("save_s", 0.0) for r in rows if r["part"].endswith(".png"))
    rows.append({"part": "**the five charts**", "build_s": drawn})
    rows.append(
        {
            "part": "**not a chart, summed**",
            "build_s": sum(r["build_s"] for r in rows if r["part"].startswith("not a chart")),
        }
    )
    rows.append({"part": f"**render_scenario total** ({s.name})", "build_s": whole})
    return rows


# Where own time goes in a render, by the first pattern that matches "file:function".
PROFILE_GROUPS = (
    ("text as glyph outlines (budget.charts.glyphs)", r"budget[/\\]charts[/\\]glyphs"),
    ("text: layout and rasterizing", r"ft2font|draw_text|_text_glyphs|text\.py|textpath|font_manager"),
    ("PNG encoding (Pillow, zlib)", r"ImagingEncoder|PIL[/\\]"),
    ("ticks and axes", r"axis\.py|ticker\.py|axes[/\\]_base"),
    ("Agg paths, lines, patches", r"backend_agg|[/\\]path\.py|_path|patches|lines\.py|collections|markers"),
    (
        "artist bookkeeping: properties, rcParams, copies, transforms",
        r"artist\.py|matplotlib[/\\]__init__|copy\.py|cbook|colors\.py|_api|transforms|deepcopy",
    ),
    ("budget, pandas, numpy: tables, simulation, CSV", r"budget[/\\]|pandas|numpy"),
)
OTHER = "other: generic builtins (isinstance, getattr, dict, locks) and the standard library"


def profile_render(s: Scenario, tmp: Path, top: int = 12) -> dict[str, list[dict[str, Any]]]:
    """cProfile of ``render_scenario`` for one scenario: own time by group, and the top functions."""
    from budget.report import render_scenario

    df = budget.project(s)
    render_scenario(s, df, tmp / "profile-warm-up")
    profiler = cProfile.Profile()
    profiler.enable()
    render_scenario(s, df, tmp / "profile")
    profiler.disable()
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    total = sum(v[2] for v in stats.values())
    groups = dict.fromkeys([*(name for name, _ in PROFILE_GROUPS), OTHER], 0.0)
    functions = []
    for (file, line, func), (_, calls, own, cum, _) in stats.items():
        where = f"{file}:{func}"
        group = next((name for name, pattern in PROFILE_GROUPS if re.search(pattern, where)), OTHER)
        groups[group] += own
        name = func if file == "~" else f"{'/'.join(Path(file).parts[-2:])}:{line}({func})"
        functions.append({"function": name, "calls": calls, "own_s": own, "cum_s": cum, "share": own / total})
    functions.sort(key=lambda r: -r["own_s"])
    return {
        "groups": [{"group": g, "own_s": v, "share": v / total} for g, v in groups.items()],
        "functions": functions[:top],
    }


# --- 6. CLI start-up ------------------------------------------------------------------------


def bench_cli(plan: Plan) -> list[Result]:
    cmd = budget_command()
    files = [str(p.relative_to(ROOT)) for p in SCENARIOS]
    commands = {"--help": ["--help"], "list": ["list"], "validate scenarios/*.toml": ["validate", *files]}
    results = []
    for label, args in commands.items():
        times = [run_child([*cmd, *args])[0] for _ in range(plan.cli_repeats)]
        _, proc = run_child([sys.executable, "-X", "importtime", "-m", "budget", *args])
        modules = {
            line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")
        }
        loaded = {
            lib: any(m == lib or m.startswith(lib + ".") for m in modules) for lib in ("matplotlib", "pandas", "numpy")
        }
        best = min(times)
        text = (
            f"best {seconds(best)} of {len(times)}; imports matplotlib: {yes(loaded['matplotlib'])}, "
            f"pandas: {yes(loaded['pandas'])}, numpy: {yes(loaded['numpy'])}"
        )
        results.append(
            Result(
                f"cli_{args[0].strip('-')}",
                f"`budget {label}` start-up",
                text,
                "< 0.3 s, no matplotlib",
                best < 0.3 and not loaded["matplotlib"],
                {"times_s": times, "best_s": best, "imports": loaded},
            )
        )
    return results


# --- report ---------------------------------------------------------------------------------


def yes(flag: bool | None) -> str:
    return "-" if flag is None else "yes" if flag else "no"


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def markdown(info: dict[str, str], method: list[str], results: list[Result], details: dict[str, Any]) -> str:
    parts = [
        "# budget benchmarks",
        "",
        "## Machine",
        "",
        table(["", ""], list(info.items())),
        "",
        "## Method",
        "",
        *(f"- {m}" for m in method),
        "",
        "## Results",
        "",
        table(
            ["#", "Benchmark", "Result", "Target", "Met"],
            [(i, r.benchmark, r.result, r.target, yes(r.met)) for i, r in enumerate(results, 1)],
        ),
    ]
    parts += [
        "",
        "## Details",
        "",
        "Median path, % of GDP: per-draw loop vs vectorized `simulate`",
        "",
        table(
            ["Year", "Loop p50", "Vectorized p50"],
            [
                (r["year"], f"{r['loop_p50_pct_gdp']:.3f}", f"{r['vectorized_p50_pct_gdp']:.3f}")
                for r in details["loop_vs_vectorized"]
            ],
        ),
        "",
        "`project`, mean per call",
        "",
        table(
            ["Scenario", "Mean", "< 5 ms"],
            [(r["scenario"], f"{r['mean_ms']:.2f} ms", yes(r["met"])) for r in details["project"]],
        ),
        "",
        "One scenario's outputs, drawn in one process (build = figure code, save = drawing and PNG)",
        "",
        table(
            ["Part", "Build", "Save"],
            [
                (r["part"], seconds(r["build_s"]), seconds(r["save_s"]) if "save_s" in r else "")
                for r in details["charts"]
            ],
        ),
    ]
    if profile := details.get("profile"):
        parts += [
            "",
            "cProfile of `render_scenario` (one scenario, profiler overhead included): own time by group",
            "",
            table(
                ["Group", "Own time", "Share"],
                [(r["group"], seconds(r["own_s"]), f"{r['share']:.0%}") for r in profile["groups"]],
            ),
            "",
            "Functions with the most own time",
            "",
            table(
                ["Function", "Calls", "Own", "Cumulative", "Share"],
                [
                    (f"`{r['function']}`", r["calls"], seconds(r["own_s"]), seconds(r["cum_s"]), f"{r['share']:.0%}")
                    for r in profile["functions"]
                ],
            ),
        ]
    return "\n".join(parts) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "--quick",
        action="store_true",
        help="fewer repeats, two scenarios for `budget run`, no profile: a smoke run in under 30 s",
    )
    p.add_argument("--json", metavar="FILE", help="also write the results as JSON to FILE")
    p.add_argument(
        "--profile", action="store_true", help="add the cProfile of render_scenario even when the run meets its target"
    )
    args = p.parse_args(argv)
    plan = Plan.make(args.quick)
    info = machine()
    started = time.perf_counter()
    s = budget.load_scenario(MAIN_SCENARIO)
    details: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="budget-bench-") as folder:
        tmp = Path(folder)
        log("1/6 simulate, 100,000 draws")
        results = [bench_simulate(s, plan)]
        log(f"2/6 per-draw loop, {plan.loop_draws:,} draws")
        loop, details["loop_vs_vectorized"] = bench_loop(s, plan, results[0].values["median_s"])
        results.append(loop)
        log("3/6 simulate, 1,000,000 draws, memory (child process)")
        results.append(bench_memory(MAIN_SCENARIO))
        log("4/6 project")
        project, details["project"] = bench_project(plan)
        results.append(project)
        log("5/6 budget run vs plain charts")
        run = bench_run(plan, tmp)
        results.append(run)
        details["charts"] = chart_breakdown(s, tmp / "charts")
        if args.profile or (not run.met and not args.quick):
            log("    profiling render_scenario")
            details["profile"] = profile_render(s, tmp)
        log("5b/6 budget run of the alliances vs plain charts")
        alliances = sorted((ROOT / "scenarios" / "alliance").glob("*.toml"))
        results.append(bench_run(replace(plan, run_scenarios=alliances), tmp / "alliance", "run_alliance", "alliances"))
        log("6/6 CLI start-up")
        results += bench_cli(plan)
    info["Load average at end (1/5/15 min)"] = load()
    method = [
        "Timer: `time.perf_counter` (wall clock). In-process timings follow one untimed warm-up call.",
        f"`simulate`: best and median of {plan.simulate_repeats} calls; seed 0.",
        f"Per-draw loop: best of {plan.loop_repeats} on {plan.loop_draws:,} draws, scaled linearly to "
        "100,000 (numpy shocks for one draw, `build_economy` and `defense_path` on 1-D arrays, same percentiles).",
        "Memory: `ru_maxrss` of a child process after imports and a 1,000-draw warm-up (baseline), then "
        "after the 1,000,000-draw call (peak); 1 MB = 10^6 bytes.",
        f"`project`: mean of {plan.project_calls} calls per scenario after a warm-up call.",
        f"`budget run` and the baseline: subprocess wall time (interpreter start and imports included), "
        f"best of {plan.run_repeats}, each into a fresh temporary folder; baseline charts are 10 x 6 in, "
        "one axes, a 22-point line, title and labels, PNG at 150 dpi, one after another.",
        f"CLI: subprocess wall time, best of {plan.cli_repeats}; imports seen by `python -X importtime -m budget`.",
        f"Mode: {'quick (smoke run)' if args.quick else 'full'}; total benchmark time "
        f"{time.perf_counter() - started:.0f} s.",
    ]
    report = markdown(info, method, results, details)
    print(report)
    if args.json:
        payload = {
            "machine": info,
            "method": method,
            "quick": args.quick,
            "results": [asdict(r) for r in results],
            "details": details,
        }
        Path(args.json).write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
