"""The public surface is a contract: names, signatures, and the README documents every key and column."""

from __future__ import annotations

import inspect
import subprocess
import sys

from conftest import REPO_ROOT

import budget
from budget.schema import FIELDS
from budget.tables import COLUMNS


def test_public_names() -> None:
    assert sorted(budget.__all__) == sorted(
        ["Scenario", "ScenarioError", "__version__", "cumulative", "gaps", "load_scenario", "project", "simulate"])
    for name in budget.__all__:
        assert getattr(budget, name) is not None


def test_signatures() -> None:
    assert list(inspect.signature(budget.load_scenario).parameters) == ["path"]
    assert list(inspect.signature(budget.project).parameters) == ["scenario"]
    sim = inspect.signature(budget.simulate).parameters
    assert list(sim) == ["scenario", "draws", "seed"]
    assert sim["draws"].default == 10_000 and sim["seed"].default == 0
    assert list(inspect.signature(budget.gaps).parameters) == ["scenario", "frame"]


def test_readme_documents_every_scenario_key_and_output_column() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    missing = [k for k in FIELDS if f"`{k}`" not in readme]
    missing += [c for c in COLUMNS if f"`{c}`" not in readme]
    assert missing == []


def test_quick_commands_do_not_import_pandas_or_matplotlib() -> None:
    code = ("import sys, contextlib, io\nfrom budget.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    main(['validate', {str(REPO_ROOT / 'scenarios')!r}])\n"
            "    main(['list', " + repr(str(REPO_ROOT / "scenarios")) + "])\n"
            "print(sorted(m for m in ('pandas', 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_readme_tables_are_generated_from_the_code() -> None:
    sys.path.insert(0, str(REPO_ROOT / "tests"))
    import regenerate_readme

    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert regenerate_readme.render(text) == text, "run: python tests/regenerate_readme.py"
