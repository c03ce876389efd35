"""Output safety: a run replaces only what budget wrote, swaps atomically under signals, locks its
folder, reuses only intact folders, and the API names a bad argument.
"""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from conftest import SCENARIOS, call, entries, snapshot

import budget
from budget import staging
from budget.workbook import sheet_names

LEGAL, BABIS = str(SCENARIOS / "legal-floor-2pct.toml"), str(SCENARIOS / "babis-2026-budget.toml")
PLAN = 'title = "My plan"\n[[targets]]\nyear = 2030\nvalue = 2.5\nunit = "pct_gdp"\n'


def run(*args: str) -> object:
    return call("run", *args, "--draws", "0")


# ---- own only what you wrote -------------------------------------------------------------------


def test_a_users_folder_with_a_scenarios_name_survives(tmp_path: Path) -> None:
    (tmp_path / "myplan").mkdir()
    (tmp_path / "myplan" / "notes.md").write_text("my notes", encoding="utf-8")
    (tmp_path / "myplan.toml").write_text(PLAN, encoding="utf-8")
    before = snapshot(tmp_path)
    result = call("run", str(tmp_path / "myplan.toml"), "--out", str(tmp_path), "--draws", "0")
    assert result.status == 2, result.stderr
    assert str(tmp_path / "myplan") in result.stderr and "not written by budget" in result.stderr
    assert "--out" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(tmp_path) == before  # nothing written, nothing lost


def test_a_scenario_named_like_its_own_file_never_replaces_it(tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    path.write_text('name = "plan.toml"\n' + PLAN, encoding="utf-8")
    result = call("run", str(path), "--out", str(tmp_path), "--draws", "0")
    assert result.status == 2
    assert "input file" in result.stderr and str(path) in result.stderr
    assert path.read_text(encoding="utf-8").startswith('name = "plan.toml"')
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.toml"]


def test_a_file_added_to_budgets_folder_is_not_deleted(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run(LEGAL, "--out", str(out)).status == 0
    (out / "legal-floor-2pct" / "notes.md").write_text("mine", encoding="utf-8")
    result = run(LEGAL, "--out", str(out), "--force")
    assert result.status == 2 and "notes.md" in result.stderr and "did not write" in result.stderr
    assert (out / "legal-floor-2pct" / "notes.md").read_text(encoding="utf-8") == "mine"


def test_a_users_workbook_is_neither_replaced_nor_removed(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    out = tmp_path / "out"
    out.mkdir()
    (out / "budget.xlsx").write_bytes(b"my own workbook")
    assert run(LEGAL, "--out", str(out)).status == 0  # without --xlsx: left alone
    assert (out / "budget.xlsx").read_bytes() == b"my own workbook"
    result = run(LEGAL, "--out", str(out), "--xlsx")
    assert result.status == 2 and "budget.xlsx" in result.stderr
    assert (out / "budget.xlsx").read_bytes() == b"my own workbook"


def test_budgets_own_workbook_does_not_stay_looking_current(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    out = tmp_path / "out"
    assert run(LEGAL, BABIS, "--out", str(out), "--xlsx").status == 0
    assert (out / "budget.xlsx").is_file()
    assert run(LEGAL, "--out", str(out)).status == 0
    assert not (out / "budget.xlsx").exists()
    assert "budget.xlsx" not in staging.read_manifest(out)


def test_an_edited_workbook_is_kept_and_becomes_the_users(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    out = tmp_path / "out"
    assert run(LEGAL, "--out", str(out), "--xlsx").status == 0
    (out / "budget.xlsx").write_bytes(b"edited by hand")
    assert run(LEGAL, "--out", str(out)).status == 0
    assert (out / "budget.xlsx").read_bytes() == b"edited by hand"
    assert "budget.xlsx" not in staging.read_manifest(out)


def test_a_failed_run_leaves_no_new_empty_output_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> None:
        raise OSError("disk full (simulated)")

    monkeypatch.setattr("budget.report.render_comparison", broken)
    monkeypatch.setattr("budget.report.os.cpu_count", lambda: 1)
    out = tmp_path / "new" / "out"
    result = run(LEGAL, BABIS, "--out", str(out))  # two: a comparison to fail
    assert result.status == 1 and "disk full" in result.stderr
    assert not out.exists()


# ---- the swap and signals ------------------------------------------------------------------------


def _signal_at(monkeypatch: pytest.MonkeyPatch, target: str, signum: int, call_no: int = 1) -> None:
    """Send ``signum`` to this process on the ``call_no``-th call of ``target`` (fault injection)."""
    module, name = target.rsplit(".", 1)
    real = getattr(sys.modules[module], name)
    calls = {"n": 0}

    def hooked(*args: object, **kwargs: object) -> object:
        calls["n"] += 1
        if calls["n"] == call_no:
            os.kill(os.getpid(), signum)
        return real(*args, **kwargs)

    monkeypatch.setattr(target, hooked)


@pytest.mark.parametrize(("signum", "status"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_during_the_swap_is_held_until_the_new_set_is_complete(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, signum: int, status: int
) -> None:
    out = tmp_path / "out"
    assert run(LEGAL, BABIS, "--out", str(out), "--seed", "1").status == 0
    fresh = tmp_path / "fresh"
    assert call("run", BABIS, LEGAL, "--out", str(fresh), "--draws", "0").status == 0
    monkeypatch.setattr("budget.report.os.cpu_count", lambda: 1)
    _signal_at(monkeypatch, "budget.staging._move", signum)  # the first rename of the swap
    result = call("run", BABIS, LEGAL, "--out", str(out), "--draws", "0")  # new order: new comparison
    assert result.status == status
    assert "holds the complete new set" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(out) == snapshot(fresh)  # every entry and the manifest are the new ones
    assert not list(out.glob(".budget-run-*"))


@pytest.mark.parametrize(("signum", "status"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_before_the_swap_leaves_the_old_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, signum: int, status: int
) -> None:
    out = tmp_path / "out"
    assert run(LEGAL, BABIS, "--out", str(out)).status == 0
    before = snapshot(out)
    monkeypatch.setattr("budget.report.os.cpu_count", lambda: 1)
    _signal_at(monkeypatch, "budget.staging.conflicts", signum, call_no=2)  # the check inside commit
    result = call("run", BABIS, LEGAL, "--out", str(out), "--draws", "0", "--seed", "4")
    assert result.status == status
    assert "nothing in" in result.stderr and "changed" in result.stderr
    assert snapshot(out) == before


def _children_of(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.parametrize(("signum", "status"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_mid_run_stops_the_workers_and_removes_the_staging_folder(
    tmp_path: Path, signum: int, status: int
) -> None:
    out = tmp_path / "out"
    files = [LEGAL, str(SCENARIOS / "stated-targets.toml"), BABIS]
    assert call("run", *files, "--out", str(out), "--draws", "0").status == 0
    before = snapshot(out)
    proc = subprocess.Popen(
        [sys.executable, "-m", "budget", "run", *files, "--out", str(out), "--draws", "300000", "--seed", "5"],
        cwd=tmp_path,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not any(p.is_dir() for p in out.glob(".budget-run-*/*")):  # workers are drawing
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.02)
    proc.send_signal(signum)  # to the main process only, as `timeout` does
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == status, err
    assert "Traceback" not in err and "interrupted" in err
    time.sleep(0.2)
    assert not _children_of(proc.pid), "worker processes outlived the run"
    assert not list(out.glob(".budget-run-*"))
    assert snapshot(out) == before


def test_a_second_run_into_a_locked_folder_refuses(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run(LEGAL, "--out", str(out)).status == 0
    before = snapshot(out)
    with staging.Stage(out):  # another run holds the folder
        result = run(LEGAL, "--out", str(out), "--force")
    assert result.status == 2 and "another budget run" in result.stderr
    assert snapshot(out) == before


def test_stale_staging_folders_of_a_killed_run_are_removed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / ".budget-run-dead" / "x").mkdir(parents=True)
    assert run(LEGAL, "--out", str(out)).status == 0
    assert not list(out.glob(".budget-run-*"))


# ---- reuse ---------------------------------------------------------------------------------------


def test_another_scenario_order_redraws_the_comparison(tmp_path: Path) -> None:
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    assert run(LEGAL, BABIS, "--out", str(out)).status == 0
    assert run(BABIS, LEGAL, "--out", str(out)).status == 0
    assert run(BABIS, LEGAL, "--out", str(fresh)).status == 0
    csv = Path("comparison") / "comparison.csv"
    assert (out / csv).read_bytes() == (fresh / csv).read_bytes()
    assert snapshot(out) == snapshot(fresh)


def test_a_deleted_or_damaged_output_file_is_redrawn(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run(LEGAL, BABIS, "--out", str(out)).status == 0
    first = snapshot(out)
    (out / "legal-floor-2pct" / "spending.png").unlink()
    (out / "legal-floor-2pct" / "projection.csv").write_text("damaged", encoding="utf-8")
    (out / "comparison" / "comparison.md").unlink()
    assert run(LEGAL, BABIS, "--out", str(out)).status == 0
    assert snapshot(out) == first


def test_the_manifest_lists_every_file_with_its_hash(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run(LEGAL, "--out", str(out)).status == 0
    manifest = json.loads((out / staging.MANIFEST).read_text(encoding="utf-8"))["entries"]
    assert sorted(manifest) == entries(out)
    for name, entry in manifest.items():
        assert entry["files"] == staging.hashes(out / name)


# ---- workbook ------------------------------------------------------------------------------------


def test_sheet_names_are_unique_and_never_a_workbook_sheet() -> None:
    names = ["x" * 40, "x" * 35, "x" * 31, "SOURCES-like", "Comparison2"]
    sheets = sheet_names(names)
    assert len({v.casefold() for v in sheets.values()}) == len(names)
    assert all(len(v) <= 31 for v in sheets.values())
    assert sheets["x" * 40] == "x" * 31 and sheets["x" * 35] == "x" * 28 + "~2"


def test_two_long_names_give_two_sheets(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    import openpyxl

    stem = "a-scenario-name-that-runs-past-31-chars"
    for i in (1, 2):
        (tmp_path / f"{i}.toml").write_text(f'name = "{stem}-{i}"\n' + PLAN, encoding="utf-8")
    out = tmp_path / "out"
    assert run(str(tmp_path / "1.toml"), str(tmp_path / "2.toml"), "--out", str(out), "--xlsx").status == 0
    wb = openpyxl.load_workbook(out / "budget.xlsx", read_only=True)
    assert wb.sheetnames[1:3] == [stem[:31], stem[:28] + "~2"]  # after the summary, before the workbook's own


# ---- the API names a bad argument ----------------------------------------------------------------


STATED = budget.load_scenario(SCENARIOS / "stated-targets.toml")


@pytest.mark.parametrize("fn", [budget.project, budget.gaps, budget.simulate])
def test_a_path_instead_of_a_scenario_names_the_argument(fn: object) -> None:
    with pytest.raises(TypeError, match=r"scenario: expected a budget.Scenario.*load_scenario"):
        fn("scenarios/stated-targets.toml")  # type: ignore[operator]


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"seed": -1}, ValueError, "seed"),
        ({"seed": 1.5}, TypeError, "seed"),
        ({"draws": 0}, ValueError, "draws"),
        ({"draws": True}, TypeError, "draws"),
        ({"draws": "10"}, TypeError, "draws"),
    ],
)
def test_simulate_names_a_bad_argument(kwargs: dict[str, object], error: type, name: str) -> None:
    with pytest.raises(error, match=f"^{name}: "):
        budget.simulate(STATED, **kwargs)  # type: ignore[arg-type]


def test_gaps_names_a_bad_frame() -> None:
    with pytest.raises(TypeError, match=r"^frame: "):
        budget.gaps(STATED, frame="x")  # type: ignore[arg-type]


def test_draws_that_cannot_fit_in_memory_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("budget.uncertainty.available_memory", lambda: 2**30)  # 1 GiB
    long = dataclasses.replace(STATED, end_year=2100)
    with pytest.raises(
        budget.ScenarioError,
        match=r"--draws: 10,000,000 draws x 75 projection years need about "
        r"39\.1 GiB; 1\.0 GiB is available: use at most 204,522 draws",
    ):
        budget.simulate(long, draws=10_000_000)


def test_the_cli_refuses_a_negative_seed(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as info:
        call("run", LEGAL, "--out", str(tmp_path / "out"), "--seed", "-1")
    assert info.value.code == 2
    assert not (tmp_path / "out").exists()


# ---- what validate accepts, run draws ------------------------------------------------------------

USD_TARGET = '[[targets]]\nyear = 2030\nvalue = 15\nunit = "usd_bn"\n'
ODD = {
    "dollar-title": 'title = "From $10 bn to $15 bn: a $ plan with ^_{} and \\\\"\n' + PLAN.split("\n", 1)[1],
    "long-title": f'title = "{"A very long title " * 30}"\n' + PLAN.split("\n", 1)[1],
    "long-publisher": PLAN + f'[plan_source]\npublisher = "{"Ministry " * 60}"\ntitle = "{"t" * 400}"\n',
    "no-targets-hold": 'title = "No targets"\n',
    "no-targets-stop": 'title = "No targets, stop"\n[path]\nafter_last = "stop"\n',
    "double-underscore": 'name = "a__b"\n' + PLAN,
    "reserved-name": 'name = "Sources"\n' + PLAN,
    "huge-amount": 'title = "Huge"\n[[targets]]\nyear = 2030\nvalue = 99999\nunit = "usd_bn"\n',
    "huge-rate": 'title = "Rate"\n[economy]\nczk_per_usd = 999999\n' + USD_TARGET,
    "tiny-rate": 'title = "Rate"\n[economy]\nczk_per_usd = 0.0001\n' + USD_TARGET,
    "placeholder-key": PLAN + '[economy]\n"{cur}_per_usd" = 40\n',
    "dotted-key": '"economy.real_growth_pct" = 3\n' + PLAN,
    "empty-extends": 'extends = ""\n' + PLAN,
    "nul-extends": 'extends = "a\\u0000b.toml"\n' + PLAN,
    "deep-nesting": PLAN + "x = " + "[" * 5000 + "]" * 5000 + "\n",
    "wide-sd": PLAN + "[uncertainty]\nreal_growth_sd_pct = 50\n",
}


@pytest.mark.parametrize("case", sorted(ODD))
def test_what_validate_accepts_run_draws_and_the_rest_is_refused(case: str, tmp_path: Path) -> None:
    path = tmp_path / f"{case}.toml"
    path.write_text(ODD[case], encoding="utf-8")
    checked = call("validate", str(path))
    out = tmp_path / "out"
    result = call("run", str(path), "--out", str(out), "--draws", "300")
    for r in (checked, result):
        assert "Traceback" not in r.stderr and r.status in (0, 2), r.stderr
    assert result.status == checked.status, (checked.stderr, result.stderr)
    if result.status == 2:  # one line per problem, each naming the file, nothing written
        lines = [ln for ln in result.stderr.splitlines()[1:] if ln.strip()]
        assert lines and all(ln.startswith(str(path)) for ln in lines), result.stderr
        assert not out.exists()
        return
    import pandas as pd

    for csv in out.rglob("*.csv"):
        frame = pd.read_csv(csv)
        numbers = frame.select_dtypes("number").to_numpy(dtype=float)
        assert not np.isinf(numbers).any(), csv
    assert (out / path.stem / "spending.png").is_file() or any(out.glob("*/spending.png"))


def test_a_bom_and_a_symlink_loop_are_one_message_each(tmp_path: Path) -> None:
    bom = tmp_path / "bom.toml"
    bom.write_bytes(b"\xef\xbb\xbf" + PLAN.encode())
    loop = tmp_path / "loop.toml"
    loop.symlink_to(loop)
    for path in (bom, loop):
        result = call("validate", str(path))
        assert result.status == 2 and "Traceback" not in result.stderr
        assert len([ln for ln in result.stderr.splitlines()[1:] if ln.strip()]) == 1, result.stderr
