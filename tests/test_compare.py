"""``budget compare``: differences against the first scenario, checked by hand, and the files written."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import SCENARIOS

from budget import load_scenario, project
from budget.compare import compare, compare_markdown, write_compare
from budget.provenance import describe


def _load(*names: str) -> dict:
    return {n: (s := load_scenario(SCENARIOS / f"{n}.toml"), project(s)) for n in names}


@pytest.fixture(scope="module")
def pair() -> dict:
    return _load("legal-floor-2pct", "fiala-3pct-2030")


def test_rows_are_the_projection_years(pair: dict) -> None:
    table = compare(pair)
    assert table.index.name == "year"
    assert list(table.index) == list(range(2026, 2036))


def test_diff_is_the_difference_of_the_projections(pair: dict) -> None:
    table = compare(pair)
    (_, floor), (_, fiala) = pair["legal-floor-2pct"], pair["fiala-3pct-2030"]
    # The legal floor is 2 % of GDP and Fiala's plan 3 % from 2030: one point of GDP apart.
    assert table.loc[2030, "fiala-3pct-2030__diff_pct_points"] == pytest.approx(1.0)
    assert table.loc[2026, "fiala-3pct-2030__diff_pct_points"] == pytest.approx(0.2)
    for year in (2026, 2030, 2035):
        for col, diff in (
            ("defense_usd_bn", "diff_usd_bn"),
            ("defense_czk_bn", "diff_czk_bn"),
            ("defense_pct_gdp", "diff_pct_points"),
        ):
            expected = fiala.loc[year, col] - floor.loc[year, col]
            assert table.loc[year, f"fiala-3pct-2030__{diff}"] == pytest.approx(expected)
        assert table.loc[year, "legal-floor-2pct__defense_usd_bn"] == floor.loc[year, "defense_usd_bn"]
    assert not any("legal-floor-2pct__diff" in c for c in table.columns)  # the baseline has no diffs


def test_cumulative_diff_is_the_running_sum(pair: dict) -> None:
    table = compare(pair)
    (_, floor), (_, fiala) = pair["legal-floor-2pct"], pair["fiala-3pct-2030"]
    years = range(2026, 2031)
    by_hand = sum(fiala.loc[y, "defense_usd_bn"] - floor.loc[y, "defense_usd_bn"] for y in years)
    assert table.loc[2030, "fiala-3pct-2030__cumulative_diff_usd_bn"] == pytest.approx(by_hand)
    for money in ("usd", "czk"):
        np.testing.assert_allclose(
            table[f"fiala-3pct-2030__cumulative_diff_{money}_bn"], np.cumsum(table[f"fiala-3pct-2030__diff_{money}_bn"])
        )


def test_a_scenario_against_itself_differs_by_nothing() -> None:
    s, df = _load("babis-2026-budget")["babis-2026-budget"]
    table = compare({"a": (s, df), "b": (s, df)})
    diffs = table.filter(like="b__diff").join(table.filter(like="b__cumulative"))
    assert len(diffs.columns) == 5
    assert (diffs == 0).all().all()
    text = compare_markdown({"a": (s, df), "b": (s, df)})
    assert "spends the same as Babiš 2026 budget as passed in 2030" in text


def test_markdown_names_the_baseline_and_the_differences(pair: dict) -> None:
    text = compare_markdown(pair)
    table = compare(pair)
    assert text.startswith("# Differences against Czech legal floor: 2 % of GDP every year\n")
    usd_2030 = float(table["fiala-3pct-2030__diff_usd_bn"].loc[2030])
    total = float(table["fiala-3pct-2030__cumulative_diff_usd_bn"].loc[2035])
    assert (
        f"**Fiala cabinet plan** spends USD {usd_2030:.1f} bn more than Czech legal floor in 2030 "
        f"(+1.00 points of GDP) and USD {total:.1f} bn more over 2026\u20132035"
    ) in text


def test_every_column_is_documented(pair: dict) -> None:
    for col in ["year", *compare(pair).columns]:
        kind, unit, text = describe(col, "czk")
        assert kind in ("integer", "number") and unit and text
    with pytest.raises(KeyError):
        describe("fiala__nonsense", "czk")


def test_write_compare_writes_three_files(pair: dict, tmp_path: Path) -> None:
    folder = tmp_path / "out" / "compare"
    write_compare(pair, folder)
    assert sorted(p.name for p in folder.iterdir()) == ["compare.csv", "compare.json", "compare.md", "compare.png"]
    back = pd.read_csv(folder / "compare.csv", index_col="year")
    pd.testing.assert_frame_equal(back, compare(pair), check_dtype=False, rtol=1e-9)
    assert (folder / "compare.md").read_text(encoding="utf-8") == compare_markdown(pair)
    assert (folder / "compare.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_compare_chart_gives_each_scenario_its_own_colour_in_any_order() -> None:
    from matplotlib.lines import Line2D

    from budget.charts import plot_compare
    from budget.charts.colors import looks_for

    def color(projections: dict, name: str) -> str:
        fig = plot_compare(projections)
        (line,) = [ln for ln in fig.findobj(Line2D) if ln.get_gid() == f"plan:{name}"]
        return str(line.get_color())

    three = _load("legal-floor-2pct", "fiala-3pct-2030", "nato-core-3.5")
    swapped = {k: three[k] for k in ("legal-floor-2pct", "nato-core-3.5", "fiala-3pct-2030")}
    want = looks_for(["fiala-3pct-2030", "nato-core-3.5"])
    for name in ("fiala-3pct-2030", "nato-core-3.5"):
        assert color(three, name) == color(swapped, name) == want[name].color
