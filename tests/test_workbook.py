"""budget.xlsx: a summary first, readable headers with units and number formats, unique sheet
names, the ledger, simulation and sensitivity, and the same bytes on every run.
"""

from __future__ import annotations

import math
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest

import budget
from budget.model import cumulative
from budget.workbook import WORKBOOK_SHEETS, sheet_names, write_workbook

openpyxl = pytest.importorskip("openpyxl")

STEM = "a-scenario-name-that-runs-past-31-chars"  # two names sharing their first 31 characters
FULL = f"""name = "{STEM}-1"
title = "Stated plan: USD 15 bn by 2030, USD 23-25 bn by 2035"
description = \"\"\"
A plan in two lines
of text.
\"\"\"

[plan_source]
publisher = "Example Herald"
title = "The minister's remarks"
url = "https://example.org/remarks"
date = 2025-07-09
note = "News report only."

[path]
method = "linear"
interpolate_in = "usd_bn"

[[targets]]
year = 2030
value = 15.0
unit = "usd_bn"

[[targets]]
year = 2035
low = 23.0
high = 25.0
unit = "usd_bn"
"""
BARE = f"""name = "{STEM}-2"
title = "Share plan: 2.5 % of GDP from 2030"

[path]
method = "step"
interpolate_in = "pct_gdp"

[[targets]]
year = 2030
value = 2.5
unit = "pct_gdp"
"""
DRAWS = 200


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The workbook of the two scenarios, written as ``budget.report.run`` writes it (without the
    charts and CSV files: ``test_report_run_writes_the_same_workbook`` runs the whole thing).
    """
    folder = tmp_path_factory.mktemp("workbook")
    files = []
    for i, text in enumerate((FULL, BARE), start=1):
        files.append(folder / f"{i}.toml")
        files[-1].write_text(text, encoding="utf-8")
    scenarios = [budget.load_scenario(f) for f in files]
    path = folder / "budget.xlsx"
    write_workbook({s.name: (s, budget.project(s)) for s in scenarios}, path, draws=DRAWS, seed=0)
    return {"path": path, "files": files, "scenarios": scenarios, "wb": openpyxl.load_workbook(path)}


def header_row(ws: Any) -> int:
    """The row of a sheet's table header: the first bold row after the top block."""
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).font.b)


def table(ws: Any) -> list[dict[str, Any]]:
    """A sheet's table as rows of {header: value}, to the first empty row."""
    top = header_row(ws)
    heads = [c.value for c in ws[top]]
    rows = []
    for r in range(top + 1, ws.max_row + 1):
        if ws.cell(r, 1).value is None:
            break
        rows.append(dict(zip(heads, (c.value for c in ws[r]), strict=True)))
    return rows


def test_the_summary_comes_first_with_a_row_and_a_sheet_per_scenario(run: dict[str, Any]) -> None:
    wb = run["wb"]
    assert wb.sheetnames[0] == "summary"
    rows = {r["Scenario"]: r for r in table(wb["summary"])}
    assert list(rows) == [f"{STEM}-1", f"{STEM}-2"]  # both long names, neither lost
    sheets = [rows[name]["Sheet (click to open)"] for name in rows]
    assert sheets == [STEM[:31], STEM[:28] + "~2"]
    for name, sheet in zip(rows, sheets, strict=True):
        assert wb[sheet]["A1"].value == rows[name]["Title"]  # the listed sheet is the scenario's
        link = wb["summary"].cell(header_row(wb["summary"]) + 1 + list(rows).index(name), 2).hyperlink
        assert link.location == f"'{sheet}'!A1"
    full = rows[f"{STEM}-1"]
    assert full["Description"] == "A plan in two lines of text."
    assert full["Plan source: publisher"] == "Example Herald" and full["Plan source: date"] == "2025-07-09"
    assert full["Plan source: URL"] == "https://example.org/remarks"
    assert rows[f"{STEM}-2"]["Description"] is None and rows[f"{STEM}-2"]["Plan source: URL"] is None
    notes = " ".join(str(c.value) for c in wb["summary"]["A"] if c.value)
    assert "current prices" in notes and "% of nominal GDP" in notes and "International Monetary Fund" in notes
    assert "level: the line" in notes.lower() and "path (our assumption): a straight path" in notes.lower()


def test_summary_figures_are_the_projections(run: dict[str, Any]) -> None:
    rows = {r["Scenario"]: r for r in table(run["wb"]["summary"])}
    full, bare = run["scenarios"]
    df = budget.project(full)
    row = rows[full.name]
    assert row["Defense spending 2035, USD bn (current prices): low"] == 23.0  # the target's ends, by hand
    assert row["Defense spending 2035, USD bn (current prices): high"] == 25.0
    assert row["Defense spending 2030, USD bn (current prices): low"] == 15.0
    assert row["Defense spending 2035, % of GDP: high"] == pytest.approx(float(df.loc[2035, "defense_pct_gdp_high"]))
    assert row["Defense spending 2035, % of GDP: low"] < row["Defense spending 2035, % of GDP: high"]
    for end in ("low", "high"):
        proc = cumulative(df, f"procurement_usd_bn_{end}", 2026, 2035)
        assert row[f"Cumulative procurement 2026-2035, USD bn (current prices): {end}"] == pytest.approx(proc)
    assert rows[bare.name]["Defense spending 2035, % of GDP: low"] == pytest.approx(2.5)
    g = budget.gaps(full)
    at = g[(g.line == "nato_core") & (g.year == 2035)].set_index("end")["meets_level"]
    assert at.all()  # by hand: USD 23-25 bn is 4.0-4.4 % of GDP in 2035, above 3.5 %
    assert row["NATO 3.5 % core: level met in 2035?"] == "yes"
    assert rows[bare.name]["NATO 3.5 % core: level met in 2035?"] == "no"  # 2.5 % is short of 3.5 %
    assert rows[bare.name]["NATO 2 %: level met in 2035?"] == "yes"
    assert rows[bare.name]["NATO 3.5 % core: path (our assumption) met in 2035?"] == "no"
    assert rows[bare.name]["NATO 5 % total: level met in 2035?"] == "n/a: resilience not modelled"


def test_scenario_sheets_have_readable_headers_formats_frozen_panes_and_widths(run: dict[str, Any]) -> None:
    wb = run["wb"]
    ws = wb[STEM[:31]]
    top = header_row(ws)
    heads = [c.value for c in ws[top]]
    assert "Defense spending, USD bn (current prices)" in heads
    assert "Defense spending (low end), % of GDP" in heads
    assert "Defense spending, CZK bn (constant prices of 2025)" in heads
    fmt = {h: ws.cell(top + 1 + 20, j).number_format for j, h in enumerate(heads, start=1)}  # 2034
    assert fmt["Year"] == "0"
    assert fmt["Defense spending, USD bn (current prices)"] == "#,##0.0"
    assert fmt["Defense spending, % of GDP"] == "0.00"
    assert ws.freeze_panes == f"B{top + 1}"
    assert all(ws.column_dimensions[c.column_letter].width >= 10 for c in ws[top])
    assert ws.row_dimensions[top].height > 15 and ws.cell(top, 2).alignment.wrap_text
    for name in wb.sheetnames:
        if name == "columns":  # the one sheet that names the CSV columns
            continue
        for row in wb[name].iter_rows(values_only=True):
            text = " ".join(v for v in row if isinstance(v, str) and not v.startswith("http"))
            assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), (name, text)  # no defense_usd_bn, nato_core...
            assert not any(v == 0 and math.copysign(1, v) < 0 for v in row if isinstance(v, float))  # no -0.0
    columns = {r["Name in the CSV file"]: r for r in table(wb["columns"])}
    assert columns["defense_usd_bn"]["Column"] == "Defense spending, USD bn (current prices)"


def test_a_missing_description_or_source_leaves_no_empty_line(run: dict[str, Any]) -> None:
    wb = run["wb"]
    full, bare = wb[STEM[:31]], wb[STEM[:28] + "~2"]
    assert [full.cell(r, 1).value for r in (1, 2, 3)] == [
        "Stated plan: USD 15 bn by 2030, USD 23-25 bn by 2035",
        "A plan in two lines of text.",
        "Plan source: Example Herald, The minister's remarks, 2025-07-09, https://example.org/remarks. "
        "News report only.",
    ]
    assert header_row(full) == 5  # title, description, source, one blank row
    assert bare["A1"].value == "Share plan: 2.5 % of GDP from 2030" and bare["A2"].value is None
    assert header_row(bare) == 3  # title, one blank row: nothing for the missing lines


def test_gaps_simulation_and_sensitivity_are_stacked_with_a_scenario_column(run: dict[str, Any]) -> None:
    wb = run["wb"]
    full, bare = run["scenarios"]
    assert wb.sheetnames[3:] == ["gaps", "simulation", "sensitivity", "comparison", "sources", "columns"]
    gaps = table(wb["gaps"])
    assert {r["Scenario"] for r in gaps} == {full.name, bare.name}
    assert len(gaps) == len(budget.gaps(full)) + len(budget.gaps(bare))
    core = "NATO 3.5 % core defense by 2035 (The Hague 2025)"  # the line's label, not its id
    row = next(
        r for r in gaps if (r["Scenario"], r["Line"], r["Year"], r["Range end"]) == (bare.name, core, 2035, "high")
    )
    assert row["Compares"] == "core defense"
    assert row["Share minus level (+ above, - short), points of GDP"] == pytest.approx(2.5 - 3.5)
    sim = table(wb["simulation"])
    assert len(sim) == 2 * 10 and wb["simulation"]["A1"].value.startswith("Monte Carlo")
    expected = budget.simulate(full, DRAWS, 0).loc[2035, "defense_pct_gdp_p50_high"]
    got = next(r for r in sim if r["Scenario"] == full.name and r["Year"] == 2035)
    assert got["Defense spending, median (high end), % of GDP"] == pytest.approx(float(expected))
    sens = table(wb["sensitivity"])
    assert {r["Scenario"] for r in sens} == {full.name, bare.name} and len(sens) == 16
    top = header_row(wb["gaps"])
    assert wb["gaps"].freeze_panes == f"C{top + 1}" and wb["gaps"].auto_filter.ref.startswith(f"A{top}:")


def test_no_simulation_sheet_without_draws(run: dict[str, Any], tmp_path: Path) -> None:
    projections = {s.name: (s, budget.project(s)) for s in run["scenarios"]}
    write_workbook(projections, tmp_path / "b.xlsx", draws=0)
    assert "simulation" not in openpyxl.load_workbook(tmp_path / "b.xlsx").sheetnames


def test_sheet_names_are_unique_case_insensitively_also_against_the_workbooks_own() -> None:
    names = ["Gaps", "SUMMARY-like", "columns", "x" * 40, "x" * 35, "X" * 31]
    sheets = sheet_names(names)
    assert sheets == sheet_names(names)  # deterministic
    taken = [v.casefold() for v in sheets.values()] + [w.casefold() for w in WORKBOOK_SHEETS]
    assert len(set(taken)) == len(taken) and all(len(v) <= 31 for v in sheets.values())
    assert sheets["Gaps"] == "Gaps~2" and sheets["columns"] == "columns~2"
    assert sheets["x" * 40] == "x" * 31 and sheets["x" * 35] == "x" * 28 + "~2" and sheets["X" * 31] == "X" * 28 + "~3"


def test_a_scenario_named_like_a_workbook_sheet_gets_its_own(run: dict[str, Any], tmp_path: Path) -> None:
    import dataclasses

    s = dataclasses.replace(run["scenarios"][1], name="gaps")
    write_workbook({"gaps": (s, budget.project(s))}, tmp_path / "b.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "b.xlsx")
    assert wb.sheetnames[:2] == ["summary", "gaps~2"] and "gaps" in wb.sheetnames
    assert table(wb["summary"])[0]["Sheet (click to open)"] == "gaps~2"


def test_two_writes_give_the_same_bytes(run: dict[str, Any], tmp_path: Path) -> None:
    projections = {s.name: (s, budget.project(s)) for s in run["scenarios"]}
    write_workbook(projections, tmp_path / "1.xlsx", draws=DRAWS)
    write_workbook(projections, tmp_path / "2.xlsx", draws=DRAWS)
    assert (tmp_path / "1.xlsx").read_bytes() == (tmp_path / "2.xlsx").read_bytes() == run["path"].read_bytes()
    with zipfile.ZipFile(tmp_path / "1.xlsx") as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
    assert "2000-01-01T00:00:00Z" in core


def test_report_run_writes_the_same_workbook(run: dict[str, Any], tmp_path: Path) -> None:
    from budget.report import run as report_run

    for force in (False, True):  # the second run draws everything again
        report_run(run["scenarios"], tmp_path, draws=DRAWS, seed=0, workers=1, xlsx=True, reuse=not force)
        assert (tmp_path / "budget.xlsx").read_bytes() == run["path"].read_bytes()
