"""The loader's edges (symlinks, odd bytes) and the invariants ``Scenario`` and ``Target`` keep themselves."""

from __future__ import annotations

import dataclasses
import os
import pickle
import time
from pathlib import Path

import pytest
from bad_scenarios import GOOD
from conftest import SCENARIOS, call

from budget import ScenarioError, load_scenario
from budget.scenario import NAME, RESERVED, Scenario, Target

STATED = load_scenario(SCENARIOS / "stated-targets.toml")
needs_symlinks = pytest.mark.skipif(os.name == "nt", reason="symlinks need privileges on Windows")


def _problems(path: Path) -> list[tuple[str, str, str]]:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return info.value.problems


# ---- symlinks and paths --------------------------------------------------------------------------


@needs_symlinks
def test_a_file_that_is_a_symlink_to_itself_gives_one_message(tmp_path: Path) -> None:
    (tmp_path / "self.toml").symlink_to("self.toml")
    (problem,) = _problems(tmp_path / "self.toml")
    assert problem[0] == str(tmp_path / "self.toml") and "symbolic link" in problem[2] and "loop" in problem[2]


@needs_symlinks
def test_extends_pointing_at_a_looping_symlink_names_extends(tmp_path: Path) -> None:
    (tmp_path / "a.toml").symlink_to("b.toml")
    (tmp_path / "b.toml").symlink_to("a.toml")
    child = tmp_path / "child.toml"
    child.write_text('extends = "a.toml"\n' + GOOD, encoding="utf-8")
    (problem,) = _problems(child)
    assert problem[:2] == (str(child), "extends")
    assert "'a.toml'" in problem[2] and "loop" in problem[2]


@needs_symlinks
def test_a_broken_symlink_says_so(tmp_path: Path) -> None:
    (tmp_path / "gone.toml").symlink_to("nowhere.toml")
    (problem,) = _problems(tmp_path / "gone.toml")
    assert "symbolic link" in problem[2] and "does not exist" in problem[2]


@needs_symlinks
def test_a_symlink_to_a_good_file_loads(tmp_path: Path) -> None:
    (tmp_path / "real.toml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "link.toml").symlink_to("real.toml")
    assert load_scenario(tmp_path / "link.toml").name == "link"


@needs_symlinks
@pytest.mark.parametrize("command", ["validate", "show", "run"])
def test_the_cli_refuses_a_symlink_loop_without_a_traceback(tmp_path: Path, command: str) -> None:
    (tmp_path / "self.toml").symlink_to("self.toml")
    result = call(command, str(tmp_path / "self.toml"), *(["--out", str(tmp_path / "out")] if command == "run" else []))
    assert result.status == 2, result.stderr
    assert "self.toml" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_nul_byte_in_the_file_name_is_refused(tmp_path: Path) -> None:
    (problem,) = _problems(tmp_path / "a\x00b.toml")
    assert "NUL" in problem[2]


def test_utf16_text_is_refused_with_a_hint(tmp_path: Path) -> None:
    path = tmp_path / "utf16.toml"
    path.write_text(GOOD, encoding="utf-16")
    (problem,) = _problems(path)
    assert "UTF-16" in problem[2] and "UTF-8" in problem[2]


def test_a_bom_in_a_parent_is_reported_against_the_parent(tmp_path: Path) -> None:
    (tmp_path / "parent.toml").write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    child = tmp_path / "child.toml"
    child.write_text('extends = "parent.toml"\n', encoding="utf-8")
    (problem,) = _problems(child)
    assert problem[0] == str(tmp_path / "parent.toml") and "byte-order mark" in problem[2]


def test_a_syntax_error_in_a_parent_is_reported_against_the_parent(tmp_path: Path) -> None:
    (tmp_path / "parent.toml").write_text("this is = not = toml\n", encoding="utf-8")
    child = tmp_path / "child.toml"
    child.write_text('extends = "parent.toml"\n', encoding="utf-8")
    (problem,) = _problems(child)
    assert problem[0] == str(tmp_path / "parent.toml") and "TOML syntax error" in problem[2]


@pytest.mark.parametrize("depth", [50, 300, 2_000, 200_000])
@pytest.mark.parametrize("opener", ["[", "{a = ", "[{a = "])
def test_any_nesting_depth_loads_or_gives_one_message(tmp_path: Path, depth: int, opener: str) -> None:
    closer = "".join({"[": "]", "{a = ": "}", "[{a = ": "}]"}[opener] for _ in range(depth))
    path = tmp_path / "deep.toml"
    path.write_text(GOOD.replace("\n[[targets]]", f"x = {opener * depth}1{closer}\n[[targets]]", 1), encoding="utf-8")
    problems = _problems(path)
    assert len(problems) == 1
    assert problems[0][1] == "x" or "nested too deeply" in problems[0][2]


def test_an_integer_too_long_to_read_is_one_message(tmp_path: Path) -> None:
    path = tmp_path / "long.toml"
    path.write_text(GOOD + "\n[procurement]\nlow_pct = " + "9" * 5_000 + "\n", encoding="utf-8")
    (problem,) = _problems(path)
    assert problem[1] == "" and "cannot read a value" in problem[2]


# ---- Scenario and Target are valid by construction -------------------------------------------------


@pytest.mark.parametrize(
    ("change", "key", "words"),
    [
        ({"method": "cubic"}, "method", ("'cubic'", "linear")),
        ({"after_last": "grow"}, "after_last", ("hold_share",)),
        ({"distribution": "cauchy"}, "distribution", ("normal", "uniform")),
        ({"interpolate_in": "eur_bn"}, "interpolate_in", ("czk_bn",)),
        ({"name": "a/b"}, "name", ("'/'", "allowed")),
        ({"name": "Summary"}, "name", ("reserved",)),
        ({"country": "narnia"}, "country", ("czechia",)),
        ({"end_year": 2025}, "end_year", ("2026",)),
        ({"end_year": 2101}, "end_year", ("2100",)),
        ({"end_year": 2030.0}, "end_year", ("whole number",)),
        ({"prices_base_year": 2000}, "prices_base_year", ("2014",)),
        ({"assumptions_from": 2025}, "assumptions_from", ("2026",)),
        ({"real_growth_pct": float("nan")}, "real_growth_pct", ("finite",)),
        ({"real_growth_pct": -50}, "real_growth_pct", ("above -50",)),
        ({"local_per_usd": 0.0}, "local_per_usd", ("above 0",)),
        ({"local_per_usd": 2e6}, "local_per_usd", ("1,000,000",)),
        ({"local_per_usd_change_pct": True}, "local_per_usd_change_pct", ("expected a number",)),
        ({"procurement_low_pct": -1}, "procurement_low_pct", ("negative",)),
        ({"procurement_low_pct": 30.0, "procurement_high_pct": 20.0}, "procurement_low_pct", ("above high_pct",)),
        ({"real_growth_sd_pct": -0.1}, "real_growth_sd_pct", ("negative",)),
        ({"local_per_usd_sd_pct": 51}, "local_per_usd_sd_pct", ("50",)),
        ({"resilience": (1.0, 1.5)}, "resilience", ("year",)),
        ({"resilience": (1.0, 150.0, 2035)}, "resilience[1]", ("0-100",)),
        ({"resilience": (1.0, 1.5, 2040)}, "resilience[2]", ("2035",)),
        ({"targets": ({"year": 2030},)}, "targets[0]", ("expected a Target",)),
        ({"targets": STATED.targets[::-1]}, "targets", ("increasing", "2035, 2030")),
        ({"targets": (Target(2020, 1.0, 1.0, "usd_bn"),)}, "targets[0].year", ("2020", "2026")),
        ({"targets": (Target(2030, 1.0, 1.0, "eur_bn"),)}, "targets[0].unit", ("czk_bn",)),
        ({"claims": (Target(2040, 1.0, 1.0, "usd_bn"),)}, "claims[0].year", ("end_year",)),
        ({"targets": (Target(2030, 1.0, 1.0, "usd_bn", "constant", 2000),)}, "targets[0].base_year", ("2014",)),
        ({"method": "geometric", "targets": (Target(2030, 0.0, 0.0, "usd_bn"),)}, "method", ("above 0",)),
        ({"plan_source": {"date": 5}}, "plan_source", ("strings",)),
        ({"chain": [5]}, "chain", ("Path",)),
    ],
)
def test_replace_cannot_make_an_invalid_scenario(change: dict, key: str, words: tuple[str, ...]) -> None:
    with pytest.raises(ScenarioError) as info:
        dataclasses.replace(STATED, **change)
    problems = info.value.problems
    assert [k for _, k, _ in problems] == [key], problems
    assert problems[0][0] == str(STATED.file)
    for word in words:
        assert word in problems[0][2], problems[0][2]


@pytest.mark.parametrize(
    ("args", "key", "words"),
    [
        ((2030.0, 1.0, 1.0, "usd_bn"), "year", ("whole number",)),
        ((2030, -1.0, -1.0, "usd_bn"), "low", ("negative",)),
        ((2030, 5.0, 3.0, "usd_bn"), "low", ("above high 3",)),
        ((2030, 1.0, float("inf"), "usd_bn"), "high", ("finite",)),
        ((2030, 1.0, 2e5, "usd_bn"), "high", ("100,000", "world GDP")),
        ((2030, 1.0, 2e9, "czk_bn"), "high", ("1,000,000,000",)),
        ((2030, 1.0, 101.0, "pct_gdp"), "high", ("0-100",)),
        ((2030, 1.0, 1.0, "euro"), "unit", ("usd_bn", "pct_gdp")),
        ((2030, 1.0, 1.0, "usd_bn", "nominal"), "prices", ("current", "constant")),
        ((2030, 1.0, 1.0, "usd_bn", "constant"), "base_year", ("required",)),
        ((2030, 1.0, 1.0, "usd_bn", "current", 2025), "base_year", ("only used",)),
        ((2030, 1.0, 1.0, "usd_bn", "current", None, 5), "note", ("string",)),
    ],
)
def test_an_invalid_target_cannot_be_built(args: tuple, key: str, words: tuple[str, ...]) -> None:
    with pytest.raises(ScenarioError) as info:
        Target(*args)
    problems = info.value.problems
    assert [k for _, k, _ in problems] == [key], problems
    for word in words:
        assert word in problems[0][2]


def test_valid_changes_still_work_and_numbers_become_floats() -> None:
    s = dataclasses.replace(
        STATED,
        method="step",
        procurement_low_pct=10,
        local_per_usd=25,
        resilience=(1, 2, 2035),
        targets=[Target(2030, 15, 15, "usd_bn")],
    )
    assert s.method == "step" and isinstance(s.targets, tuple)
    assert isinstance(s.procurement_low_pct, float) and isinstance(s.local_per_usd, float)
    assert s.resilience == (1.0, 2.0, 2035) and isinstance(s.resilience[0], float)
    assert isinstance(s.targets[0].low, float)
    assert Scenario("x", "X", Path("x.toml"), (Path("x.toml"),)).end_year == 2035


def test_checks_use_the_cached_country_and_are_quick() -> None:
    from budget.history import _load_country  # the cache behind load_country (one per edition choice)

    misses = _load_country.cache_info().misses
    start = time.perf_counter()
    for _ in range(200):
        dataclasses.replace(STATED, method="step")
    per_call = (time.perf_counter() - start) / 200
    assert _load_country.cache_info().misses == misses  # no data file read again
    assert per_call < 0.002  # far below project()'s ~1 ms even on a slow machine


def test_a_scenario_error_survives_pickling() -> None:
    err = ScenarioError([("f.toml", "k", "m")])
    back = pickle.loads(pickle.dumps(err))
    assert back.problems == err.problems and str(back) == str(err)
    with pytest.raises(ScenarioError) as info:
        dataclasses.replace(STATED, method="cubic")
    assert pickle.loads(pickle.dumps(info.value)).problems == info.value.problems


def test_public_names_stay_in_budget_scenario() -> None:
    from budget import scenario

    for name in ("load_scenario", "Scenario", "Target", "ScenarioError", "NAME", "RESERVED"):
        assert hasattr(scenario, name)
    assert NAME.fullmatch("stated-targets") and not NAME.fullmatch(".x")
    assert {"comparison", "compare", "budget.xlsx", "sources", "summary"} <= set(RESERVED)
