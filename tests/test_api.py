"""The public surface is a contract: names, signatures, and the README documents every key and column."""

from __future__ import annotations

import inspect
import subprocess
import sys

import pytest
from conftest import REPO_ROOT, SCENARIOS

import budget
import budget.results
from budget.schema import FIELDS
from budget.tables import COLUMNS


def test_public_names() -> None:
    assert sorted(budget.__all__) == sorted(
        [
            "Scenario",
            "ScenarioError",
            "alliance",
            "__version__",
            "cumulative",
            "gaps",
            "load_scenario",
            "long_table",
            "project",
            "simulate",
        ]
    )
    for name in budget.__all__:
        assert getattr(budget, name) is not None
    assert set(budget.__all__) <= set(dir(budget))
    assert budget.long_table is budget.results.long_table


def test_signatures() -> None:
    assert list(inspect.signature(budget.load_scenario).parameters) == ["path"]
    assert list(inspect.signature(budget.project).parameters) == ["scenario"]
    sim = inspect.signature(budget.simulate).parameters
    assert list(sim) == ["scenario", "draws", "seed", "hold"]
    assert sim["draws"].default == 10_000 and sim["seed"].default == 0 and sim["hold"].default == ()
    gaps = inspect.signature(budget.gaps).parameters
    assert list(gaps) == ["scenario", "frame"] and gaps["frame"].default is None
    assert list(inspect.signature(budget.cumulative).parameters) == ["frame", "column", "start", "end"]
    assert list(inspect.signature(budget.long_table).parameters) == ["s", "df"]


STATED = SCENARIOS / "stated-targets.toml"


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda s, df: budget.project(str(STATED)), TypeError, "scenario: expected a budget.Scenario"),
        (lambda s, df: budget.gaps(STATED), TypeError, "scenario: expected a budget.Scenario"),
        (lambda s, df: budget.gaps(s, frame=[1, 2]), TypeError, "frame: expected the DataFrame"),
        (lambda s, df: budget.simulate(None), TypeError, "scenario: expected a budget.Scenario"),
        (lambda s, df: budget.simulate(s, draws=0), ValueError, "draws: 0 is outside"),
        (lambda s, df: budget.simulate(s, draws="100"), TypeError, "draws: expected a whole number"),
        (lambda s, df: budget.simulate(s, draws=10, seed=-1), ValueError, "seed: -1 is outside"),
        (lambda s, df: budget.simulate(s, draws=10, hold=("growth",)), ValueError, "hold: expected drivers"),
        (lambda s, df: budget.cumulative(s, "defense_usd_bn", 2026, 2030), TypeError, "frame: expected a DataFrame"),
        (lambda s, df: budget.cumulative(df, "defence_usd_bn", 2026, 2030), ValueError, "column: 'defence_usd_bn'"),
        (lambda s, df: budget.cumulative(df, "defense_usd_bn", "2026", 2030), TypeError, "start: expected"),
    ],
)
def test_public_functions_name_the_bad_argument(call, error: type, words: str) -> None:
    s = budget.load_scenario(STATED)
    with pytest.raises(error, match=words) as info:
        call(s, budget.project(s))
    assert not isinstance(info.value, budget.ScenarioError)  # the call is wrong, not the scenario


# ---- bugs: these fail against the package as it is -----------------------------------------------


@pytest.mark.parametrize(
    ("args", "error", "words"),
    [
        (lambda s, df: (str(STATED), df), TypeError, "s: expected a budget.Scenario"),
        (lambda s, df: (s, None), TypeError, "df: "),
        (lambda s, df: (s, df.to_dict()), TypeError, "df: "),
    ],
    ids=["path-for-scenario", "none-for-frame", "dict-for-frame"],
)
def test_long_table_names_the_bad_argument(args, error: type, words: str) -> None:
    # long_table is public (budget.__all__) like the others, but passes its arguments on unchecked:
    # long_table("scenarios/...", df) raises AttributeError "'str' object has no attribute 'data'",
    # long_table(s, None) TypeError "'NoneType' object is not subscriptable".
    s = budget.load_scenario(STATED)
    with pytest.raises(error, match=words):
        budget.long_table(*args(s, budget.project(s)))


def test_cumulative_names_a_column_without_numbers() -> None:
    # cumulative(df, "status", 2026, 2027) concatenates "projection" + "projection" and fails in
    # float() with "could not convert string to float: 'projectionprojection'", naming no argument.
    s = budget.load_scenario(STATED)
    with pytest.raises(ValueError, match="column: 'status'"):
        budget.cumulative(budget.project(s), "status", 2026, 2027)


def test_readme_documents_every_scenario_key_and_output_column() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    missing = [k for k in FIELDS if f"`{k}`" not in readme]
    missing += [c for c in COLUMNS if f"`{c}`" not in readme]
    assert missing == []


def test_quick_commands_do_not_import_pandas_or_matplotlib() -> None:
    code = (
        "import sys, contextlib, io\nfrom budget.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['validate', {str(REPO_ROOT / 'scenarios')!r}])\n"
        "    main(['list', " + repr(str(REPO_ROOT / "scenarios")) + "])\n"
        "print(sorted(m for m in ('pandas', 'matplotlib') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_readme_tables_are_generated_from_the_code() -> None:
    sys.path.insert(0, str(REPO_ROOT / "tests"))
    import regenerate_readme

    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert regenerate_readme.render(text) == text, "run: python tests/regenerate_readme.py"
