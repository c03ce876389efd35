"""Output folder safety: the ownership manifest, the lock, staged writes and the atomic swap.

A run renders into a hidden staging folder inside ``--out``. The manifest
(``<out>/.budget-manifest.json``) lists every entry (folder or file) that budget wrote there,
with the SHA-256 of each file and the inputs key it was drawn from. A run replaces or removes
only what the manifest lists and what is unchanged since; for anything else in its way it
refuses, naming the path, before drawing anything. The swap (old entries aside, new ones in,
the manifest rewritten) runs with SIGINT and SIGTERM held, so an interrupt leaves either the
old or the new set complete, and ``Interrupted`` says which. One run at a time writes into a
folder (an advisory lock; a second run refuses).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from types import TracebackType
from typing import Any

from budget.scenario import ScenarioError

MANIFEST = ".budget-manifest.json"
LOCK = ".budget.lock"
STAGE_PREFIX = ".budget-run-"
HELD = (signal.SIGINT, signal.SIGTERM)


class OutputError(ScenarioError):
    """An output path that a run must not touch, or a folder another run is writing (exit 2)."""


class Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM during a run. ``status`` is 128 + the signal number (130, 143);
    ``state`` says what the output folder holds afterwards.
    """

    def __init__(self, signum: int = signal.SIGINT, state: str = "") -> None:
        super().__init__(state)
        self.signum, self.state = signum, state

    @property
    def status(self) -> int:
        """The exit status: 130 for SIGINT, 143 for SIGTERM."""
        return 128 + self.signum


def raise_interrupted(signum: int, frame: object) -> None:
    """Signal handler: turn SIGINT and SIGTERM into ``Interrupted`` (so cleanup code runs)."""
    raise Interrupted(signum)


@contextmanager
def signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM: one that arrives inside the block is delivered when it ends.

    The handlers are swapped for one that only records the signal, then restored and the signal
    raised again. This works whichever thread the OS delivers a signal to (a signal mask would
    hold it in the main thread only, and numpy's BLAS threads could take it). Python runs signal
    handlers in the main thread only, so elsewhere the block holds nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[int] = []
    previous = {sig: signal.signal(sig, lambda signum, frame: pending.append(signum)) for sig in HELD}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if pending:
            signal.raise_signal(pending[0])


def _move(src: Path, dst: Path) -> None:
    """One rename within the output folder's file system (atomic); the swap's only move."""
    os.replace(src, dst)


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def hashes(path: Path) -> dict[str, str]:
    """SHA-256 of every file of an entry, keyed by its path relative to the entry ("" for a file)."""
    if not path.is_dir():
        return {"": file_sha256(path)}
    return {p.relative_to(path).as_posix(): file_sha256(p) for p in sorted(path.rglob("*")) if p.is_file()}


def read_manifest(out: Path) -> dict[str, dict[str, Any]]:
    """The entries budget wrote into ``out``: ``{name: {"files": {rel: sha256}, "inputs_sha256": key}}``."""
    try:
        doc = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        entries = doc["entries"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    return entries if isinstance(entries, dict) else {}


def _write_manifest(out: Path, entries: dict[str, dict[str, Any]]) -> None:
    from budget import __version__

    doc = {
        "about": "Entries written by budget into this folder; budget replaces only these.",
        "budget_version": __version__,
        "entries": dict(sorted(entries.items())),
    }
    tmp = out / f"{MANIFEST}.tmp"
    tmp.write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, out / MANIFEST)


def unchanged(out: Path, name: str, key: str) -> bool:
    """True if ``out/name`` is budget's, drawn from inputs ``key``, with every file as written."""
    entry = read_manifest(out).get(name)
    path = out / name
    if not entry or entry.get("inputs_sha256") != key or not path.exists() or path.is_symlink():
        return False
    try:
        return bool(hashes(path) == entry.get("files"))
    except OSError:
        return False


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def conflicts(out: Path, names: Iterable[str], inputs: Iterable[Path]) -> list[tuple[str, str, str]]:
    """Problems with replacing ``out/<name>`` for each name: paths budget did not write, files
    changed or added since, and input files inside what would be replaced.
    """
    manifest = read_manifest(out)
    problems: list[tuple[str, str, str]] = []
    how = "move it away, or choose another --out"
    real_inputs = [p.resolve() for p in inputs]
    for name in names:
        target = out / name
        for p in real_inputs:
            if _inside(p, target.resolve()):
                problems.append(
                    (str(target), "--out", f"holds the input file {p}; a run would replace it: choose another --out")
                )
        if not os.path.lexists(target):
            continue
        entry = manifest.get(name)
        if entry is None or target.is_symlink():
            problems.append((str(target), "--out", f"exists and was not written by budget; {how}"))
            continue
        try:
            now = hashes(target)
        except OSError as err:
            problems.append((str(target), "--out", f"cannot be read ({err}); {how}"))
            continue
        was = entry.get("files", {})
        if ("" in now) != ("" in was):
            problems.append(
                (str(target), "--out", f"is not the {'file' if '' in was else 'folder'} budget wrote there; {how}")
            )
            continue
        added = sorted(set(now) - set(was))
        if added:
            more = f" and {len(added) - 3} more" if len(added) > 3 else ""
            listed = ", ".join(str(target / a) for a in added[:3])
            problems.append((str(target), "--out", f"holds files budget did not write ({listed}{more}); {how}"))
    return problems


class Stage:
    """``with Stage(out, inputs) as st:`` write into ``st.tmp``, then ``st.commit(...)``.

    Entering creates ``out`` if needed, takes the lock and removes staging folders left by a
    killed run. Leaving removes the staging folder (and ``out`` itself if this run created it
    and wrote nothing), with signals held; an interrupt becomes ``Interrupted`` with the state.
    """

    def __init__(self, out: Path, inputs: Iterable[Path] = ()) -> None:
        self.out, self.inputs = out, list(inputs)
        self.swapped = False
        self.created = not out.exists()
        self._lock: int | None = None
        self.tmp = out / ".unset"

    def __enter__(self) -> Stage:
        self.out.mkdir(parents=True, exist_ok=True)
        try:
            self._take_lock()
            for stale in self.out.glob(f"{STAGE_PREFIX}*"):  # left by a killed run; the lock says none is live
                shutil.rmtree(stale, ignore_errors=True)
            self.tmp = Path(tempfile.mkdtemp(prefix=STAGE_PREFIX, dir=self.out))
        except BaseException:
            self._release(failed=True)
            raise
        return self

    def _take_lock(self) -> None:
        # POSIX: an advisory lock on the folder itself (no lock file; the OS drops it if the
        # process dies). Windows: a byte-range lock on a lock file in the folder.
        try:
            if sys.platform == "win32":
                import msvcrt

                self._lock = os.open(self.out / LOCK, os.O_RDWR | os.O_CREAT)
                msvcrt.locking(self._lock, msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                self._lock = os.open(self.out, os.O_RDONLY)
                fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            if self._lock is not None:
                os.close(self._lock)
                self._lock = None
            raise OutputError(
                [
                    (
                        str(self.out),
                        "--out",
                        "another budget run is writing into this folder; "
                        "wait for it to finish, or choose another --out",
                    )
                ]
            ) from None

    def check(self, names: Iterable[str]) -> None:
        """Refuse (``OutputError``) if replacing any of ``names`` would touch what budget did not write."""
        if problems := conflicts(self.out, names, self.inputs):
            raise OutputError(problems)

    def commit(self, keys: dict[str, str], remove: Iterable[str] = ()) -> None:
        """Move each staged entry (``keys``: name -> inputs key) into ``out``, replacing budget's
        older copy, and delete budget's entries named in ``remove``; then rewrite the manifest.
        """
        entries = read_manifest(self.out)
        # Remove only what is exactly as budget wrote it; an edited one is the user's from now on.
        edited = [
            n
            for n in remove
            if n in entries
            and os.path.lexists(self.out / n)
            and not unchanged(self.out, n, entries[n].get("inputs_sha256", ""))
        ]
        for name in edited:
            entries.pop(name)
        remove = [n for n in remove if n in entries and os.path.lexists(self.out / n)]
        self.check([*keys, *remove])  # again: a file may have been added while the run was drawing
        new = {name: {"files": hashes(self.tmp / name), "inputs_sha256": key} for name, key in keys.items()}
        old = self.tmp / ".old"
        old.mkdir()
        with signals_held():
            aside: list[str] = []
            placed: list[str] = []
            try:
                for name in [*keys, *remove]:
                    if os.path.lexists(self.out / name):
                        _move(self.out / name, old / name)
                        aside.append(name)
                for name in keys:
                    _move(self.tmp / name, self.out / name)
                    placed.append(name)
                for name in remove:
                    entries.pop(name, None)
                _write_manifest(self.out, entries | new)
            except OSError:  # roll back: the old entries return and the manifest is unchanged
                for name in placed:
                    _move(self.out / name, self.tmp / name)
                for name in aside:
                    _move(old / name, self.out / name)
                raise
            self.swapped = True

    def __exit__(self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None) -> None:
        self._release(failed=kind is not None)
        if isinstance(err, KeyboardInterrupt):
            signum = err.signum if isinstance(err, Interrupted) else signal.SIGINT
            state = (
                f"interrupted after the new outputs were in place: {self.out} holds the complete new set"
                if self.swapped
                else f"interrupted before the swap: nothing in {self.out} changed"
            )
            raise Interrupted(signum, state) from None

    def _release(self, failed: bool) -> None:
        with signals_held():
            shutil.rmtree(self.tmp, ignore_errors=True)
            if self._lock is not None:
                os.close(self._lock)
                self._lock = None
            if failed and self.created:  # leave no empty --out behind
                with suppress(OSError):
                    if sys.platform == "win32":
                        (self.out / LOCK).unlink()
                    self.out.rmdir()
