"""Benchmarks of the alliance arithmetic and its correlated Monte Carlo (``budget.correlated``).

Usage, from the repository root with the package installed::

    python benchmarks/bench_alliance.py            # full run, about a minute
    python benchmarks/bench_alliance.py --quick    # smoke run, about 15 s

Measures (a) the central projection of every country in the data: ``aggregate.members`` of an
all-allies alliance (every ally with data) plus South Korea's plan through ``budget.project``;
(b) ``correlated.simulate_alliance`` at 10,000 draws for NATO Europe and Canada (30 members with
data) and for all allies (31), with and without ``estimate``; (c) the peak memory of 100,000
draws in a child process (peak RSS: ``VmHWM`` of ``/proc/self/status``, which starts afresh at
exec, unlike ``ru_maxrss``; after imports, after a 100-draw warm-up, after the call) and, in
another child, the peak of Python's and numpy's allocations during the call (``tracemalloc``).
Prints a Markdown report on stdout; alliance files go to a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import timeit
from importlib.metadata import version
from pathlib import Path

import budget
from budget import aggregate, correlated

ROOT = Path(__file__).resolve().parent.parent
EUROPE = ROOT / "scenarios" / "alliance" / "europe-canada-3.5.toml"
KOREA = ROOT / "scenarios" / "plans" / "south-korea-mnd-path-3.5-2035.toml"
ALL_ALLIES = """title = "All allies on straight paths to 3.5 %"
group = "nato"

[rule]
kind = "path"
line = "nato_core"
"""
TARGETS = {"central": 0.050, "simulate": 1.0, "memory_mib": 1024}

MEMORY_CHILD = """
import json, resource, sys, time
from budget import aggregate, correlated
def rss():
    # Peak RSS in KiB: VmHWM (Linux; it starts afresh at exec), else ru_maxrss, which Linux
    # carries over from the parent process across exec.
    try:
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
a = aggregate.load(sys.argv[1])
c = correlated.estimate(a)
imports = rss()  # after imports, the data files and the estimate
correlated.simulate_alliance(a, draws=100, correlation=c)  # warm-up: one block of one stream
warm = rss()
start = time.perf_counter()
d = correlated.simulate_alliance(a, draws=int(sys.argv[2]), correlation=c)
seconds = time.perf_counter() - start
print(json.dumps({"imports_kib": imports, "warm_kib": warm, "peak_kib": rss(), "seconds": seconds}))
"""

TRACE_CHILD = """
import json, sys, tracemalloc
from budget import aggregate, correlated
a = aggregate.load(sys.argv[1])
c = correlated.estimate(a)
correlated.simulate_alliance(a, draws=100, correlation=c)
tracemalloc.start()
d = correlated.simulate_alliance(a, draws=int(sys.argv[2]), correlation=c)
current, peak = tracemalloc.get_traced_memory()
print(json.dumps({"peak_bytes": peak, "kept_bytes": current}))
"""


def machine() -> dict[str, str]:
    """CPU, cores, RAM, OS, versions and load."""
    cpu, ram = platform.processor() or "unknown", "unknown"
    try:
        if found := re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M):
            cpu = found[1].strip()
        if mem := re.search(r"^MemTotal:\s*(\d+) kB", Path("/proc/meminfo").read_text(), re.M):
            ram = f"{int(mem[1]) / 1024**2:.1f} GiB"
    except OSError:
        pass
    return {
        "Platform": platform.platform(),
        "CPU": cpu,
        "Cores (os.cpu_count)": str(os.cpu_count()),
        "RAM": ram,
        "Python": platform.python_version(),
        **{lib: version(lib) for lib in ("numpy", "pandas")},
        "Load average at start (1/5/15 min)": load(),
    }


def load() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def timed(fn: object, repeat: int, number: int = 1) -> tuple[float, float]:
    """Best and median seconds per call over ``repeat`` rounds of ``number`` calls."""
    times = [t / number for t in timeit.repeat(fn, number=number, repeat=repeat)]  # type: ignore[arg-type]
    return min(times), statistics.median(times)


def child(code: str, *args: str) -> dict[str, float]:
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, 20,000 draws for the memory run")
    args = parser.parse_args(argv)
    repeats = {"central": 20 if args.quick else 100, "simulate": 3 if args.quick else 7}
    memory_draws = 20_000 if args.quick else 100_000
    info = machine()
    folder = Path(tempfile.mkdtemp(prefix="bench-alliance-"))
    (folder / "all-allies.toml").write_text(ALL_ALLIES, encoding="utf-8")
    allies = aggregate.load(folder / "all-allies.toml")
    europe = aggregate.load(EUROPE)
    korea = budget.load_scenario(KOREA)

    def central() -> None:
        aggregate.members(allies)
        budget.project(korea)

    central()  # data files read, caches filled: what is timed is the arithmetic
    counted = len(allies.members) + 1
    rows = []
    best, median = timed(central, repeats["central"], number=5)
    rows.append(
        (
            f"(a) central projection: `aggregate.members` of all allies ({len(allies.members)} with data; "
            f"{', '.join(allies.left_out)} left out: no NATO figure) + `budget.project` of South Korea's plan "
            f"= {counted} countries",
            f"best {best * 1000:.1f} ms, median {median * 1000:.1f} ms (best of {repeats['central']} x 5 calls)",
            f"< {TARGETS['central'] * 1000:.0f} ms: {'met' if best < TARGETS['central'] else 'NOT met'}",
        )
    )
    print(f"central: {best * 1000:.1f} ms", file=sys.stderr)
    for a in (europe, allies):
        c = correlated.estimate(a)
        correlated.simulate_alliance(a, draws=2_500, correlation=c)  # warm-up
        best, median = timed(
            lambda a=a, c=c: correlated.simulate_alliance(a, 10_000, correlation=c), repeats["simulate"]
        )
        with_est, _ = timed(lambda a=a: correlated.simulate_alliance(a, 10_000), repeats["simulate"])
        rows.append(
            (
                f"(b) `simulate_alliance`, 10,000 draws, {a.group.label} ({len(a.members)} members, "
                f"{len(c.currencies)} exchange-rate blocks)",
                f"best {best:.2f} s, median {median:.2f} s; with `estimate`: best {with_est:.2f} s "
                f"(best of {repeats['simulate']})",
                f"< {TARGETS['simulate']:.0f} s: {'met' if best < TARGETS['simulate'] else 'NOT met'}",
            )
        )
        print(f"simulate {a.group.id}: {best:.2f} s", file=sys.stderr)
    mem = child(MEMORY_CHILD, str(EUROPE), str(memory_draws))
    trace = child(TRACE_CHILD, str(EUROPE), str(memory_draws))
    peak_mib = mem["peak_kib"] / 1024
    rows.append(
        (
            f"(c) peak memory, {memory_draws:,} draws, NATO Europe and Canada, child process",
            f"peak RSS {peak_mib:.0f} MiB (after imports and `estimate` {mem['imports_kib'] / 1024:.0f} MiB, "
            f"after a 100-draw run {mem['warm_kib'] / 1024:.0f} MiB), {mem['seconds']:.1f} s; `tracemalloc` peak "
            f"{trace['peak_bytes'] / 2**20:.0f} MiB of arrays during the call, "
            f"{trace['kept_bytes'] / 2**20:.1f} MiB kept in the result",
            f"< {TARGETS['memory_mib']} MiB: {'met' if peak_mib < TARGETS['memory_mib'] else 'NOT met'}",
        )
    )
    info["Load average at end (1/5/15 min)"] = load()
    c = correlated.estimate(europe)
    print("## Alliance benchmarks (`benchmarks/bench_alliance.py`)\n")
    print("\n".join(f"- {k}: {v}" for k, v in info.items()))
    print("\n| What | Measured | Target |\n|---|---|---|")
    print("\n".join(f"| {w} | {m} | {t} |" for w, m, t in rows))
    print("\nEstimated shocks, NATO Europe and Canada (`correlated.estimate`):\n")
    columns = ["series", "observations", "average_correlation", "shrinkage_weight", "min_eigenvalue"]
    print(c.summary_frame()[columns].round(3).to_string())
    print(f"\nPegged currencies (draw the anchor's shock): {c.pegs}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
