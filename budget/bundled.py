"""The scenarios that ship with budget, and ``budget init``, which writes a copy to edit.

In an installed wheel they are package data, ``budget/scenarios/`` (``setup.py`` copies the
repository's top-level ``scenarios/`` there at build time); in a source checkout or an editable
install they are that top-level folder itself. Either way ``root()`` finds them.
"""

from __future__ import annotations

import secrets
import shlex
import shutil
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from budget.scenario import ScenarioError

FOLDER = "scenarios"  # the folder name inside the package, in the checkout and in an init'ed folder


def root() -> Traversable:
    """The bundled scenarios folder: the package's own copy, else the source checkout's."""
    packaged = resources.files("budget").joinpath(FOLDER)
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parent.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / FOLDER).is_dir():
        return checkout / FOLDER
    raise ScenarioError(
        [(str(packaged), "", "the bundled scenarios are missing from this installation; reinstall budget")]
    )


def bundled() -> dict[str, bytes]:
    """Every bundled file by its path under the scenarios folder (``"plans/README.md"``), with its
    bytes; hidden files and caches aside, sorted by path.
    """
    found: dict[str, bytes] = {}

    def walk(node: Traversable, prefix: str) -> None:
        for child in node.iterdir():
            if child.name.startswith(".") or child.name == "__pycache__":
                continue
            if child.is_dir():
                walk(child, f"{prefix}{child.name}/")
            else:
                found[f"{prefix}{child.name}"] = child.read_bytes()

    walk(root(), "")
    return dict(sorted(found.items()))


def _refusal(folder: Path) -> str | None:
    """Why ``init`` must not write into ``folder``, or None."""
    target = folder / FOLDER
    if folder.exists() and not folder.is_dir():
        return "exists and is not a folder"
    if target.exists() and not target.is_dir():
        return f"already holds a file named {FOLDER}"
    if target.is_dir() and any(target.iterdir()):
        return f"already holds a {FOLDER}/ folder; pick a new folder, or move that one away first"
    tomls = sorted(p.name for p in folder.glob("*.toml")) if folder.is_dir() else []
    if tomls:
        shown = ", ".join(tomls[:3]) + (f" and {len(tomls) - 3} more" if len(tomls) > 3 else "")
        return f"already holds scenario files ({shown}); pick a new folder"
    return None


def init(folder: Path) -> list[Path]:
    """Write every bundled file into ``folder/scenarios/`` (creating ``folder``); returns the
    files written. Refuses with ``ScenarioError`` if ``folder`` already holds scenario files.
    All or nothing: the files go into a hidden folder beside the target, renamed into place last.
    """
    why = _refusal(folder)
    if why:
        raise ScenarioError([(str(folder), "", f"{why} (nothing was written)")])
    files = bundled()
    created = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    staging = folder / f".budget-init-{secrets.token_hex(4)}"
    try:
        staging.mkdir()
        for rel, data in files.items():
            path = staging.joinpath(*rel.split("/"))
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        target = folder / FOLDER
        if target.is_dir():
            target.rmdir()  # empty (checked above); a rename onto it fails on some systems
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if created:
            shutil.rmtree(folder, ignore_errors=True)
        raise
    return [target.joinpath(*rel.split("/")) for rel in files]


def summary(folder: Path, written: list[Path]) -> list[str]:
    """What ``init`` wrote, a line per folder, and the command to run next."""
    from budget.inputs import is_alliance_file

    lines = []
    for where in sorted({p.parent for p in written}):
        here = [p for p in written if p.parent == where]
        toml = [p for p in here if p.suffix == ".toml"]
        alliance = sum(is_alliance_file(p) for p in toml)
        parts = [f"{len(toml) - alliance} scenario files"] if len(toml) > alliance else []
        parts += [f"{alliance} alliance files"] if alliance else []
        parts += [p.name for p in here if p.suffix != ".toml"]
        lines.append(f"wrote {where}/: {', '.join(parts)}")
    in_cwd = folder.resolve() == Path.cwd().resolve()
    lines.append("next: budget run" if in_cwd else f"next: cd {shlex.quote(str(folder))} && budget run")
    return lines
