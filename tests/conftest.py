"""Shared fixtures: the repository root, a scenario writer and a working-directory helper."""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from types import SimpleNamespace

import pytest

# Charts are drawn headless in every test, whatever the machine's default backend.
os.environ["MPLBACKEND"] = "Agg"

REPO_ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = REPO_ROOT / "scenarios"


def call(*argv: str) -> SimpleNamespace:
    """Run ``budget.cli.main`` in process; return status, stdout and stderr."""
    from budget.cli import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = main(list(argv))
    return SimpleNamespace(status=status, stdout=out.getvalue(), stderr=err.getvalue())


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones too) by relative path, with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def entries(folder: Path) -> list[str]:
    """The names in an output folder, without budget's ownership manifest."""
    from budget.staging import MANIFEST

    return sorted(p.name for p in folder.iterdir() if p.name != MANIFEST)


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository root (holds ``scenarios/`` and ``budget/``)."""
    return REPO_ROOT


@pytest.fixture(scope="session")
def scenarios_dir() -> Path:
    """The bundled ``scenarios/`` folder."""
    return SCENARIOS


@pytest.fixture
def write_scenario(tmp_path: Path) -> Callable[..., Path]:
    """``write_scenario(text, name="scenario.toml")`` writes TOML into ``tmp_path``; returns its path."""

    def write(text: str, name: str = "scenario.toml") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def chdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run the test inside ``tmp_path`` (restored afterwards); returns it."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run the test from the repository root, so relative ``scenarios/...`` paths resolve."""
    monkeypatch.chdir(REPO_ROOT)
    return REPO_ROOT
