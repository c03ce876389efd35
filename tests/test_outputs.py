"""Outputs people can trust: golden projections, byte-identical reruns, all-or-nothing writes,
a Table Schema sidecar beside every CSV, and the Excel workbook."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from conftest import REPO_ROOT, SCENARIOS, call, snapshot

import budget.charts
from budget import load_scenario, project
from budget.formats import write_csv

GOLDEN = REPO_ROOT / "tests" / "golden"
NAMES = sorted(load_scenario(p).name for p in SCENARIOS.glob("*.toml"))
# Golden tolerance: relative 1e-9 (the CSV keeps 10 significant digits), NaN must match NaN.
RTOL = 1e-9


@pytest.mark.parametrize("name", NAMES)
def test_projection_matches_golden(name: str, tmp_path: Path) -> None:
    s = next(load_scenario(p) for p in SCENARIOS.glob("*.toml") if load_scenario(p).name == name)
    result = tmp_path / f"{name}.res.csv"
    write_csv(project(s), result)
    got = pd.read_csv(result, index_col="year")
    want = pd.read_csv(GOLDEN / f"{name}.projection.csv", index_col="year")
    hint = "after an intended change: python tests/regenerate_golden.py, then review git diff tests/golden"
    assert list(got.columns) == list(want.columns), hint
    pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=RTOL, obj=f"{name} ({hint})")


def test_every_scenario_has_a_golden_file() -> None:
    assert sorted(p.name.removesuffix(".projection.csv") for p in GOLDEN.glob("*.projection.csv")) == NAMES


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    # Three scenarios cover every kind of output: USD and share targets, extends, resilience.
    files = [str(SCENARIOS / f"{n}.toml") for n in ("stated-targets-weak-koruna", "stated-targets", "nato-total-5")]
    outs = []
    for i in (1, 2):
        out = tmp_path_factory.mktemp(f"run{i}") / "out"
        result = call("run", *files, "--out", str(out), "--draws", "2000", "--seed", "7")
        assert result.status == 0, result.stderr
        outs.append(out)
    return outs[0], outs[1]


def test_two_runs_are_byte_identical(two_runs: tuple[Path, Path]) -> None:
    first, second = (snapshot(p) for p in two_runs)
    assert first.keys() == second.keys()
    kinds = {Path(k).suffix for k in first}
    assert {".csv", ".md", ".json", ".png"} <= kinds
    different = [k for k in first if first[k] != second[k]]
    assert different == []


def test_no_temporary_folder_is_left(two_runs: tuple[Path, Path]) -> None:
    from budget.staging import MANIFEST

    assert [p.name for p in two_runs[0].iterdir() if p.name.startswith(".")] == [MANIFEST]


def test_every_csv_has_a_table_schema_sidecar(two_runs: tuple[Path, Path]) -> None:
    out = two_runs[0]
    csvs = sorted(out.rglob("*.csv"))
    # per scenario at least: projection, results, gaps, sensitivity, simulation, drivers, vintages; the comparison
    tables = ("projection", "results", "gaps", "sensitivity", "simulation", "drivers", "vintages")
    names = {p.parent.name for p in csvs} - {"comparison"}
    assert len(names) == 3 and (out / "comparison" / "comparison.csv") in csvs
    assert {out / n / f"{t}.csv" for n in names for t in tables} <= set(csvs)
    for path in csvs:
        sidecar = path.with_suffix(".json")
        assert sidecar.is_file(), path
        doc = json.loads(sidecar.read_text(encoding="utf-8"))
        header = pd.read_csv(path, nrows=0).columns.tolist()
        fields = doc["schema"]["fields"]
        assert [f["name"] for f in fields] == header, path
        assert all(f["type"] in ("integer", "number", "string", "boolean") for f in fields)
        assert all(f["description"] for f in fields), path
        assert doc["path"] == path.name
        assert doc["budget"]["version"] == budget.__version__
        for src in doc["sources"]:
            assert src["publisher"] and src["title"] and src["path"].startswith("http") and src["published"]
        for scenario in doc["budget"]["scenarios"]:
            for f in scenario["files"]:
                assert len(f["sha256"]) == 64


def test_sidecar_records_units_chain_hashes_and_seed(two_runs: tuple[Path, Path]) -> None:
    out = two_runs[0]
    doc = json.loads((out / "stated-targets-weak-koruna" / "projection.json").read_text(encoding="utf-8"))
    units = {f["name"]: f["unit"] for f in doc["schema"]["fields"]}
    assert units["defense_usd_bn"] == "USD bn, current prices"
    assert units["defense_pct_gdp"] == "% of GDP"
    assert units["czk_per_usd"].startswith("CZK per USD")
    files = doc["budget"]["scenarios"][0]["files"]
    assert [Path(f["path"]).name for f in files] == ["stated-targets-weak-koruna.toml", "stated-targets.toml"]
    import hashlib

    assert files[1]["sha256"] == hashlib.sha256((SCENARIOS / "stated-targets.toml").read_bytes()).hexdigest()
    assert {s["id"] for s in doc["sources"]} >= {"nato_2025", "imf_weo_2025_10", "cnb_fx"}
    sim = json.loads((out / "stated-targets" / "simulation.json").read_text(encoding="utf-8"))
    assert sim["budget"]["seed"] == 7


def test_failed_run_leaves_previous_outputs_untouched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    files = [str(SCENARIOS / "legal-floor-2pct.toml"), str(SCENARIOS / "babis-2026-budget.toml")]
    assert call("run", *files, "--out", str(out), "--draws", "0").status == 0
    before = snapshot(out)
    calls = {"n": 0}
    real_save = budget.charts.save

    def failing_save(fig: object, path: object) -> None:  # fails midway, after some charts
        calls["n"] += 1
        if calls["n"] == 5:
            raise OSError("disk full (simulated)")
        real_save(fig, path)  # type: ignore[arg-type]

    monkeypatch.setattr(budget.charts, "save", failing_save)
    monkeypatch.setattr("budget.report.os.cpu_count", lambda: 1)  # in-process, so the patch applies
    result = call("run", *files, "--out", str(out), "--draws", "0", "--seed", "3")
    assert result.status == 1 and "disk full" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(out) == before


def test_killed_run_leaves_previous_outputs_intact(tmp_path: Path) -> None:
    out = tmp_path / "out"
    files = [str(SCENARIOS / "legal-floor-2pct.toml"), str(SCENARIOS / "stated-targets.toml")]
    assert call("run", *files, "--out", str(out), "--draws", "0").status == 0
    before = snapshot(out)
    proc = subprocess.Popen(
        [sys.executable, "-m", "budget", "run", *files, "--out", str(out), "--draws", "200000", "--seed", "5"],
        cwd=tmp_path,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    try:  # wait until the run is writing into its temporary folder, then kill it hard
        while not any(p.is_dir() for p in out.glob(".budget-run-*/*")):
            assert proc.poll() is None, "the run ended before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.02)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    after = {k: v for k, v in snapshot(out).items() if not k.startswith(".budget-run-")}
    assert after == before


def test_xlsx_workbook(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    import openpyxl

    out = tmp_path / "out"
    files = [str(SCENARIOS / "legal-floor-2pct.toml"), str(SCENARIOS / "stated-targets.toml")]
    assert call("run", *files, "--out", str(out), "--draws", "0", "--xlsx").status == 0
    wb = openpyxl.load_workbook(out / "budget.xlsx", read_only=True)
    assert wb.sheetnames[:3] == ["summary", "legal-floor-2pct", "stated-targets"]  # budget.workbook: the rest
    rows = list(wb["stated-targets"].iter_rows(values_only=True))
    top = next(i for i, r in enumerate(rows) if r[0] == "Year")
    header = list(rows[top])
    assert "Defense spending, % of GDP" in header
    year_col, usd_col = header.index("Year"), header.index("Defense spending, USD bn (current prices)")
    assert {r[year_col]: r[usd_col] for r in rows[top + 1 :]}[2030] == 15.0
    sources = list(wb["sources"].iter_rows(values_only=True))
    assert {"Publisher", "Source", "URL"} <= set(next(r for r in sources if r[0] == "Source"))


def test_xlsx_without_openpyxl_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "openpyxl" else real(name, *a))
    out = tmp_path / "out"
    result = call("run", str(SCENARIOS / "legal-floor-2pct.toml"), "--out", str(out), "--xlsx")
    assert result.status == 2
    assert "openpyxl" in result.stderr and "pip install" in result.stderr
    assert not out.exists()


def test_unchanged_folders_are_reused_and_changed_ones_redrawn(tmp_path: Path) -> None:
    out = tmp_path / "out"
    files = [str(SCENARIOS / "legal-floor-2pct.toml"), str(SCENARIOS / "babis-2026-budget.toml")]

    def inode(name: str) -> int:
        return (out / name / "spending.png").stat().st_ino

    assert call("run", *files, "--out", str(out), "--draws", "500").status == 0
    first = snapshot(out)
    before = inode("legal-floor-2pct")
    assert call("run", *files, "--out", str(out), "--draws", "500").status == 0
    assert snapshot(out) == first
    assert inode("legal-floor-2pct") == before  # carried over (hard link), not drawn again
    assert call("run", *files, "--out", str(out), "--draws", "500", "--force").status == 0
    assert inode("legal-floor-2pct") != before and snapshot(out) == first
    assert call("run", *files, "--out", str(out), "--draws", "500", "--seed", "9").status == 0
    changed = snapshot(out)
    assert changed["legal-floor-2pct/simulation.json"] != first["legal-floor-2pct/simulation.json"]
