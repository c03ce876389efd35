"""Command line: a thin shell over the library. ``budget --help`` lists the commands.

Exit status: 0 success, 2 bad input (one message naming file, key and what is allowed;
nothing written; also an output path budget did not write, or a folder another run is writing), 1 an
output folder that cannot be written, 130 interrupted (Ctrl-C) and 143 terminated (SIGTERM): the message
says whether the output folder holds the earlier or the new set, each complete.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from budget import options
from budget.inputs import alliances as _alliances
from budget.inputs import checked as _checked
from budget.inputs import load_all as _load_all

if TYPE_CHECKING:
    from budget.scenario import Scenario

SHOW_COLUMNS = (
    "status",
    "defense_usd_bn",
    "defense_{cur}_bn",
    "defense_pct_gdp",
    "gdp_{cur}_bn",
    "{cur}_per_usd",
    "procurement_usd_bn_low",
    "procurement_usd_bn_high",
)


def _run(args: argparse.Namespace) -> int:
    import importlib.util

    from budget.report import run
    from budget.scenario import ScenarioError

    scenarios = _checked(args.paths)
    alliances = _alliances(args.paths, [s.name for s in scenarios])
    out = options.out_folder(args.out)
    several = sorted({s.country for s in scenarios})
    if len(several) > 1 and args.xlsx:
        raise ScenarioError(
            [("--xlsx", "", f"the scenarios are about {len(several)} countries ({', '.join(several)}); "
              "the workbook and the comparison are of one country's scenarios: run each country's files apart "
              "(nothing was written)")]
        )  # fmt: skip
    if args.xlsx and importlib.util.find_spec("openpyxl") is None:
        raise ScenarioError(
            [
                (
                    "--xlsx",
                    "",
                    "needs the optional package openpyxl: pip install 'defense-budget-projections[xlsx]' "
                    "(nothing was written)",
                )
            ]
        )
    done = run(
        scenarios,
        out,
        draws=args.draws,
        seed=args.seed,
        xlsx=args.xlsx,
        reuse=not args.force,
        alliances=alliances,
        lang=args.lang,
        formats=args.formats,
        compare_unit=args.compare_unit,
        highlight=args.highlight,
    )
    if len(several) > 1:
        print(
            f"note: no comparison/: the scenarios are about {len(several)} countries ({', '.join(several)}); "
            "compare one country's scenarios, or add members up with an alliance file",
            file=sys.stderr,
        )
    for folder in done:
        print(f"wrote {folder}{'/' if folder.is_dir() else ''}")
    return 0


def _compare(args: argparse.Namespace) -> int:
    from budget.report import compare_run
    from budget.scenario import ScenarioError

    scenarios = _checked(args.files)
    if len(scenarios) < 2:
        raise ScenarioError(
            [(" ".join(args.files), "", "compare needs at least two scenario files; the first one is the baseline")]
        )
    print(f"wrote {compare_run(scenarios, options.out_folder(args.out))}/")
    return 0


def _list(args: argparse.Namespace) -> int:
    scenarios = _load_all(args.paths)
    named = [(s.name, s.title) for s in scenarios] + [(a.name, a.title) for a in _alliances(args.paths, [])]
    width = max(len(n) for n, _ in named)
    for name, title in named:
        print(f"{name:<{width}}  {title}")
    return 0


def _show(args: argparse.Namespace) -> int:
    import pandas as pd

    from budget.model import project
    from budget.scenario import load_scenario

    s = load_scenario(args.file)
    df = project(s)
    cols = list(df.columns) if args.all else [c.format(cur=s.data.cur) for c in SHOW_COLUMNS]
    if s.resilience is not None and not args.all:
        cols += ["resilience_pct_gdp", "total_pct_gdp"]
    print(f"{s.title}\n(money in billions at current prices; pct = percent of GDP)\n")
    with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 200):
        print(df[cols].round(3).to_string())
    return 0


def _validate(args: argparse.Namespace) -> int:
    from budget.ledger import disagreements, window_claims

    scenarios = _checked(args.files)
    for a in _alliances(args.files, [s.name for s in scenarios]):
        print(f"ok  {a.file}: {a.title} ({len(a.members)} members with data)")
    for s in scenarios:
        print(f"ok  {s.file}: {s.title}")
        for problem in disagreements(s):
            print(f"    warning: targets and claims disagree: {problem}")
        for window in window_claims(s):
            if window.agrees:
                print(f"    claim: {window.sentence}")
    if args.max_age is not None:
        _freshness(scenarios, args.max_age)
    return 0


def _init(args: argparse.Namespace) -> int:
    from budget.bundled import init, summary

    folder = Path(args.folder)
    try:
        written = init(folder)
    except OSError as err:
        print(f"budget: cannot write {folder}: {err} (nothing was written)", file=sys.stderr)
        return 1
    print("\n".join(summary(folder, written)))
    return 0


def _freshness(scenarios: list[Scenario], max_age: int) -> None:
    """Warn about every edition a scenario's data uses that was published more than ``max_age`` days ago."""
    import datetime as dt

    from budget.editions import stale

    for line in stale((i for s in scenarios for i in s.data.source_ids()), max_age, dt.date.today()):
        print(line)


def _data_diff(args: argparse.Namespace) -> int:
    """``budget data diff A B [--country X]``: the values that differ between two editions."""
    from budget.editions import diff_lines
    from budget.history import EditionError
    from budget.scenario import ScenarioError

    try:
        print("\n".join(diff_lines(args.edition_a, args.edition_b, args.country)))
    except EditionError as err:
        key = "EDITION_A" if err.edition == args.edition_a else "EDITION_B"
        raise ScenarioError([("budget data diff", key, str(err))]) from None
    except ValueError as err:
        raise ScenarioError([("budget data diff", "--country" if args.country else "EDITION_B", str(err))]) from None
    return 0


def parser() -> argparse.ArgumentParser:
    """The argument parser (also used to document the commands in the README)."""
    p = argparse.ArgumentParser(
        prog="budget",
        description="Defense-budget projections against stated targets and NATO pledges, with sources attached.",
    )
    from budget import __version__

    p.add_argument("--version", action="version", version=f"budget {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="project scenarios and write tables and charts")
    run.add_argument(
        "paths", nargs="*", metavar="FILE|DIR", help="scenario files or folders (default: every file in scenarios/)"
    )
    run.add_argument("--out", default="outputs", metavar="DIR", help="output folder (default: outputs)")
    run.add_argument(
        "--draws",
        type=options.draws,
        default=10_000,
        metavar="N",
        help="Monte Carlo draws per scenario, 0 turns it off (default: 10000)",
    )
    run.add_argument(
        "--seed", type=options.seed, default=0, metavar="S", help="random seed, a whole number 0 or more (default: 0)"
    )
    run.add_argument("--xlsx", action="store_true", help="also write budget.xlsx (needs openpyxl)")
    run.add_argument(
        "--lang",
        type=options.lang,
        default="en",
        metavar="LANG",
        help="language of every chart, summary, table header and report: en (default) or cs (Czech)",
    )
    run.add_argument(
        "--format",
        type=options.formats,
        default=("png",),
        metavar="FMT[,FMT]",
        dest="formats",
        help="chart file formats, any of png, svg, pdf, comma-separated (default: png)",
    )
    run.add_argument(
        "--force",
        action="store_true",
        help="draw everything again, even folders whose inputs are unchanged since the last run",
    )
    run.add_argument(
        "--compare-unit",
        choices=("pct_gdp", "usd", "local"),
        default="pct_gdp",
        help="unit of comparison/comparison.png: pct_gdp (share of GDP, default), usd (USD bn) or local "
        "(the country's currency, bn), at current prices",
    )
    run.add_argument(
        "--highlight",
        type=options.names,
        default=(),
        metavar="NAME[,NAME]",
        help="scenarios in colour in comparison/comparison.png, the others grey (default: every one up to four, "
        "else four spread from the highest to the lowest 2035 level)",
    )
    run.set_defaults(func=_run)
    cmp = sub.add_parser("compare", help="scenarios side by side, as differences against the first")
    cmp.add_argument("files", nargs="+", metavar="FILE", help="scenario files; the first is the baseline")
    cmp.add_argument(
        "--out", default="outputs", metavar="DIR", help="output folder; writes DIR/compare/ (default: outputs)"
    )
    cmp.set_defaults(func=_compare)
    ls = sub.add_parser("list", help="list scenarios with their titles")
    ls.add_argument("paths", nargs="*", metavar="FILE|DIR", help="default: scenarios/")
    ls.set_defaults(func=_list)
    show = sub.add_parser("show", help="print one scenario's yearly table")
    show.add_argument("file", metavar="FILE")
    show.add_argument("--all", action="store_true", help="every column, not just the main ones")
    show.set_defaults(func=_show)
    init = sub.add_parser("init", help="write the bundled scenarios into a folder to edit")
    init.add_argument("folder", metavar="DIR", help="writes DIR/scenarios/; then: cd DIR && budget run")
    init.set_defaults(func=_init)
    val = sub.add_parser("validate", help="check scenario files without writing anything")
    val.add_argument("files", nargs="+", metavar="FILE|DIR")
    val.add_argument(
        "--max-age",
        type=options.days,
        default=None,
        metavar="DAYS",
        help="warn when an edition of the data was published more than DAYS days ago",
    )
    val.set_defaults(func=_validate)
    data = sub.add_parser("data", help="the shipped data's editions")
    data_sub = data.add_subparsers(dest="data_command", required=True)
    dd = data_sub.add_parser("diff", help="print the values that differ between two editions of a series")
    dd.add_argument("edition_a", metavar="EDITION_A", help='the older edition, e.g. "IMF WEO 2025-10"')
    dd.add_argument("edition_b", metavar="EDITION_B", help='the newer edition, e.g. "IMF WEO 2026-04"')
    dd.add_argument("--country", metavar="X", default=None, help="one country's folder name, e.g. czechia")
    dd.set_defaults(func=_data_diff)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    SIGTERM is handled like Ctrl-C (SIGINT): the run stops its workers, removes its staging
    folder and says what the output folder holds; the status is 143 or 130. The package is
    imported only once the handlers are in place, so an early Ctrl-C prints no traceback either.
    """
    previous = {sig: signal.signal(sig, _interrupt) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        return _main(argv)
    except KeyboardInterrupt as err:
        state = getattr(err, "state", "") or "nothing was written"
        print(f"budget: interrupted; {state}", file=sys.stderr)
        return int(getattr(err, "status", 130))
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _interrupt(signum: int, frame: object) -> None:
    from budget.staging import Interrupted

    raise Interrupted(signum)


def _main(argv: Sequence[str] | None) -> int:
    from budget.scenario import ScenarioError

    args = parser().parse_args(argv)
    try:
        return int(args.func(args))
    except ScenarioError as err:
        print(f"budget: error:\n{err}", file=sys.stderr)
        return 2
    except OSError as err:
        print(f"budget: cannot write outputs: {err}", file=sys.stderr)
        return 1
    except Exception as err:  # a bug: say so in one line (BUDGET_DEBUG=1 shows the traceback)
        if os.environ.get("BUDGET_DEBUG"):
            raise
        print(
            f"budget: internal error, please report it with the command and files used: {type(err).__name__}: {err}",
            file=sys.stderr,
        )
        return 1
