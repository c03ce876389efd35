"""Inputs named on the command line: which files are scenarios and which alliances, loaded with
every problem of every file reported at once (``ScenarioError``), and checked for sanity.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from budget.scenario import Scenario

DEFAULT_DIR = Path("scenarios")  # with its alliance/ folder: what `budget run` runs without arguments
NO_SCENARIOS = (
    "no scenarios/ folder here: run `budget init DIR` to get the bundled scenarios to edit "
    "(then `cd DIR && budget run`), or pass scenario files or a folder"
)


def files(paths: Sequence[str], alliances: bool = False) -> list[Path]:
    """Scenario files (or, with ``alliances``, alliance files) named on the command line; folders
    expand to their ``*.toml``; no paths means ``scenarios/`` and ``scenarios/alliance/``.
    """
    from budget.scenario import ScenarioError

    if not paths:
        if not DEFAULT_DIR.is_dir():
            raise ScenarioError([("", "", NO_SCENARIOS)])
        paths = [str(DEFAULT_DIR)] + ([str(DEFAULT_DIR / "alliance")] if (DEFAULT_DIR / "alliance").is_dir() else [])
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(p.glob("*.toml"))
            if not found:
                raise ScenarioError([(str(p), "", "folder holds no *.toml scenario files")])
            files += found
        else:
            files.append(p)
    return [f for f in files if is_alliance_file(f) == alliances]


def is_alliance_file(path: Path) -> bool:
    """True for an alliance file (it names a ``group`` or ``members``); unreadable files are not."""
    import tomllib

    from budget.alliance_file import is_alliance

    try:
        return is_alliance(tomllib.loads(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return False


def alliances(paths: Sequence[str], taken: Sequence[str]) -> list[Any]:
    """Load every alliance file; all problems at once. ``taken``: scenario names already in use."""
    from budget.alliance_file import load_alliance
    from budget.scenario import ScenarioError

    problems: list[tuple[str, str, str]] = []
    out = []
    seen = {n.casefold() for n in taken}
    for f in files(paths, alliances=True):
        try:
            a = load_alliance(f)
        except ScenarioError as err:
            problems += err.problems
            continue
        if a.name.casefold() in seen:
            problems.append(
                (str(f), "name", f"{a.name!r} is also the name of another scenario; output folders need unique names")
            )
        seen.add(a.name.casefold())
        out.append(a)
    if problems:
        raise ScenarioError(problems)
    return out


def load_all(paths: Sequence[str]) -> list[Scenario]:
    """Load every file; collect the problems of all files into one error."""
    from budget.scenario import ScenarioError, load_scenario

    problems: list[tuple[str, str, str]] = []
    scenarios = []
    for f in files(paths):
        try:
            scenarios.append(load_scenario(f))
        except ScenarioError as err:
            problems += err.problems
    seen: dict[str, Path] = {}
    for s in scenarios:  # folders on some file systems and Excel sheets ignore case
        if s.name.casefold() in seen:
            problems.append(
                (
                    str(s.file),
                    "name",
                    f"{s.name!r} is also used by {seen[s.name.casefold()]} "
                    "(letter case aside); output folders need unique names",
                )
            )
        seen[s.name.casefold()] = s.file
    if problems:
        raise ScenarioError(problems)
    return scenarios


def checked(paths: Sequence[str]) -> list[Scenario]:
    """``_load_all``, then the sanity of each result: errors for all files at once, warnings printed."""
    from budget.sanity import check
    from budget.scenario import ScenarioError

    scenarios = load_all(paths)
    problems: list[tuple[str, str, str]] = []
    for s in scenarios:
        try:
            for warning in check(s):
                print(f"warning: {warning}", file=sys.stderr)
        except ScenarioError as err:
            problems += err.problems
    if problems:
        raise ScenarioError(problems)
    return scenarios
