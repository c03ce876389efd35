"""Installs anywhere: the bundled scenarios, ``budget init``, ``budget run`` with no scenarios/
folder, and a built wheel that holds the scenarios and every data file.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import REPO_ROOT, SCENARIOS, call, snapshot

from budget import bundled


def _visible(files: dict[str, bytes]) -> dict[str, bytes]:
    """``files`` without hidden files and caches (the build skips them)."""
    return {k: v for k, v in files.items() if not any(p.startswith(".") or p == "__pycache__" for p in Path(k).parts)}


def _repo_scenarios() -> dict[str, bytes]:
    return {Path(k).as_posix(): v for k, v in _visible(snapshot(SCENARIOS)).items()}


# ---- the bundled files ----------------------------------------------------------------------


def test_resource_lookup_finds_every_bundled_scenario() -> None:
    found = bundled.bundled()
    assert found == _repo_scenarios()
    assert {"stated-targets.toml", "alliance/europe-canada-3.5.toml", "plans/README.md"} <= set(found)


def test_bundled_files_load_from_where_they_are_found() -> None:
    """Each scenario loads from the found folder: ``extends`` and an alliance's ``../plans/`` resolve."""
    import budget
    from budget.alliance_file import load_alliance

    root = Path(str(bundled.root()))
    names = [p for p in bundled.bundled() if p.endswith(".toml")]
    for rel in names:
        path = root / rel
        loaded = load_alliance(path) if rel.startswith("alliance/") else budget.load_scenario(path)
        assert loaded.name
    weak = budget.load_scenario(root / "stated-targets-weak-koruna.toml")
    assert [p.name for p in weak.chain] == ["stated-targets-weak-koruna.toml", "stated-targets.toml"]


def test_root_prefers_the_packaged_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In an installed wheel the scenarios are package data, ``budget/scenarios/``."""
    package = tmp_path / "site-packages" / "budget"
    (package / "scenarios" / "plans").mkdir(parents=True)
    (package / "scenarios" / "only.toml").write_text("x = 1\n", encoding="utf-8")
    (package / "scenarios" / "plans" / "README.md").write_text("plans\n", encoding="utf-8")
    (package / "scenarios" / ".hidden").write_text("", encoding="utf-8")
    monkeypatch.setattr(bundled.resources, "files", lambda name: package)
    assert bundled.bundled() == {"only.toml": b"x = 1\n", "plans/README.md": b"plans\n"}


def test_missing_scenarios_are_one_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "site-packages" / "budget"
    package.mkdir(parents=True)
    monkeypatch.setattr(bundled.resources, "files", lambda name: package)
    monkeypatch.setattr(bundled, "__file__", str(package / "bundled.py"))
    status = call("init", str(tmp_path / "demo"))
    assert status.status == 2
    assert "bundled scenarios are missing" in status.stderr and "Traceback" not in status.stderr
    assert not (tmp_path / "demo").exists()


# ---- budget init ----------------------------------------------------------------------------


def test_init_writes_the_bundled_scenarios(tmp_path: Path) -> None:
    demo = tmp_path / "demo"
    result = call("init", str(demo))
    assert result.status == 0, result.stderr
    assert sorted(p.name for p in demo.iterdir()) == ["scenarios"]  # no staging folder left
    assert {Path(k).as_posix(): v for k, v in snapshot(demo / "scenarios").items()} == _repo_scenarios()
    lines = result.stdout.splitlines()
    assert lines[0] == f"wrote {demo}/scenarios/: 8 scenario files"
    assert f"wrote {demo}/scenarios/alliance/: 2 alliance files" in lines
    assert f"wrote {demo}/scenarios/plans/: 9 scenario files, README.md" in lines
    assert lines[-1] == f"next: cd {demo} && budget run"


def test_budget_run_inside_the_folder_finds_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = call("init", "my demo")
    assert result.status == 0
    assert result.stdout.splitlines()[-1] == "next: cd 'my demo' && budget run"  # quoted for the shell
    monkeypatch.chdir(tmp_path / "my demo")
    listed = call("list")
    assert listed.status == 0, listed.stderr
    names = {line.split()[0] for line in listed.stdout.splitlines()}
    expected = {p.stem for p in SCENARIOS.glob("*.toml")} | {p.stem for p in (SCENARIOS / "alliance").glob("*.toml")}
    assert names == expected
    checked = call("validate", "scenarios", "scenarios/alliance", "scenarios/plans")
    assert checked.status == 0, checked.stderr


@pytest.mark.parametrize(
    "existing",
    [
        {"scenarios/mine.toml": "x = 1\n"},
        {"scenarios/plans/README.md": "notes\n"},
        {"mine.toml": "x = 1\n"},
    ],
    ids=["scenarios-folder", "scenarios-subfolder", "toml-in-folder"],
)
def test_init_refuses_a_folder_with_scenarios(tmp_path: Path, existing: dict[str, str]) -> None:
    demo = tmp_path / "demo"
    for rel, text in existing.items():
        (demo / rel).parent.mkdir(parents=True, exist_ok=True)
        (demo / rel).write_text(text, encoding="utf-8")
    before = snapshot(demo)
    result = call("init", str(demo))
    assert result.status == 2
    assert result.stdout == ""
    message = result.stderr.removeprefix("budget: error:\n").strip()
    assert "\n" not in message and message.startswith(str(demo))
    assert "already holds" in message and "nothing was written" in message
    assert "Traceback" not in result.stderr
    assert snapshot(demo) == before


def test_init_refuses_a_file(tmp_path: Path) -> None:
    (tmp_path / "demo").write_text("", encoding="utf-8")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "scenarios").write_text("", encoding="utf-8")
    for name, why in [("demo", "is not a folder"), ("other", "a file named scenarios")]:
        result = call("init", str(tmp_path / name))
        assert result.status == 2 and why in result.stderr and "Traceback" not in result.stderr
    assert (tmp_path / "demo").read_text(encoding="utf-8") == ""


def test_init_into_an_empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An empty folder, or one with an empty scenarios/ and other files, is fine."""
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "notes.txt").write_text("mine\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = call("init", ".")
    assert result.status == 0
    assert result.stdout.splitlines()[-1] == "next: budget run"
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine\n"
    assert (tmp_path / "scenarios" / "stated-targets.toml").is_file()


def test_init_writes_all_or_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A write that fails part way leaves nothing: no folder, no half-written scenarios/."""
    real = Path.write_bytes
    count = {"n": 0}

    def failing(self: Path, data: bytes) -> int:
        count["n"] += 1
        if count["n"] > 3:
            raise OSError(28, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", failing)
    result = call("init", str(tmp_path / "new" / "demo"))
    assert result.status == 1
    assert "No space left on device" in result.stderr and "nothing was written" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "new" / "demo").exists()
    (tmp_path / "kept").mkdir()
    count["n"] = 0
    assert call("init", str(tmp_path / "kept")).status == 1
    assert list((tmp_path / "kept").iterdir()) == []


# ---- budget run without scenarios/ ----------------------------------------------------------


@pytest.mark.parametrize("command", ["run", "list"])
def test_no_scenarios_folder_says_how_to_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str) -> None:
    monkeypatch.chdir(tmp_path)
    result = call(command)
    assert result.status == 2
    assert result.stderr.startswith("budget: error:\nno scenarios/ folder here: run `budget init DIR`")
    assert "cd DIR && budget run" in result.stderr and "pass scenario files" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


# ---- the built wheel ------------------------------------------------------------------------

SOURCES = ["pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "budget", "scenarios"]


def test_wheel_holds_the_scenarios_and_every_data_file(tmp_path: Path) -> None:
    """``pip wheel`` (what ``pip install .`` builds) on a copy of the sources: the wheel holds
    ``budget/scenarios/`` byte for byte, every module and every data file under ``budget/``.
    """
    src = tmp_path / "src"
    src.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".*")
    for name in SOURCES:
        if (REPO_ROOT / name).is_dir():
            shutil.copytree(REPO_ROOT / name, src / name, ignore=ignore)
        else:
            shutil.copy2(REPO_ROOT / name, src / name)
    out = tmp_path / "wheels"
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(src)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    (wheel,) = out.glob("defense_budget_projections-*.whl")
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        for rel, data in _repo_scenarios().items():
            assert f"budget/scenarios/{rel}" in names, f"scenarios/{rel} is not in the wheel"
            assert z.read(f"budget/scenarios/{rel}") == data, rel
        package = {Path(k).as_posix() for k in _visible(snapshot(src / "budget"))}
        missing = sorted(f"budget/{rel}" for rel in package if f"budget/{rel}" not in names)
        assert not missing, f"not in the wheel (add them to package-data in pyproject.toml): {missing}"
        (metadata,) = [n for n in names if n.endswith(".dist-info/METADATA")]
        assert "Name: defense-budget-projections" in z.read(metadata).decode()
        (entry_points,) = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
        assert "budget = budget.cli:main" in z.read(entry_points).decode()
