"""The comparison from 2 to 40 scenarios: stable colours, end labels that never overlap, small
multiples past the threshold, the order by the 2035 level, the unit asked for, the finding as the
title, links in comparison.md that resolve, and no comparison of one scenario.
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from urllib.parse import unquote

import numpy as np
import pandas as pd
import pytest
from conftest import SCENARIOS, call, entries
from matplotlib import rc_context
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.colors import to_hex, to_rgb
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from budget import charts, load_scenario, project
from budget.charts.colors import DASHES, PALETTE, looks_for, preferences, scenario_color
from budget.charts.comparison import MULTIPLES_ABOVE, OTHER
from budget.charts.style import GREY, INK, LIGHT, legible
from budget.lineup import check_highlight, default_highlight, finding, ranked
from budget.scenario import Scenario, ScenarioError

Projections = dict[str, tuple[Scenario, pd.DataFrame]]
BUNDLED = sorted(p.stem for p in SCENARIOS.glob("*.toml"))


# --- scenarios built in tmp_path -------------------------------------------------------------------


def write_paths(folder: Path, count: int) -> list[Path]:
    """``count`` scenario files extending the bundled NATO core path, each to its own 2035 share
    (2 % to 5 % of GDP, in shuffled file order so that the file order is not the level order).
    """
    folder.mkdir(parents=True, exist_ok=True)
    base = (SCENARIOS / "nato-core-3.5.toml").as_posix()
    shares = [2.0 + 3.0 * i / max(count - 1, 1) for i in range(count)]
    random.Random(count).shuffle(shares)
    paths = []
    for i, share in enumerate(shares):
        path = folder / f"path-{i:02d}.toml"
        path.write_text(
            f'title = "Path to {share:.2f} % of GDP by 2035"\nextends = "{base}"\n\n'
            f'[[targets]]\nyear = 2035\nvalue = {share:.4f}\nunit = "pct_gdp"\n',
            encoding="utf-8",
        )
        paths.append(path)
    return paths


def load(paths: list[Path]) -> Projections:
    return {(s := load_scenario(p)).name: (s, project(s)) for p in paths}


@cache
def bundled() -> Projections:
    return load([SCENARIOS / f"{n}.toml" for n in BUNDLED])


@pytest.fixture(scope="module")
def sets(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Projections]:
    root = tmp_path_factory.mktemp("sets")
    return {2: load(write_paths(root / "two", 2)), 8: bundled(), 40: load(write_paths(root / "forty", 40))}


# --- measuring what is drawn -----------------------------------------------------------------------


@contextmanager
def drawn(fig: Figure) -> Iterator[RendererBase]:
    """Lay ``fig`` out as ``save`` would draw it (same rcParams) and yield its renderer."""
    canvas = FigureCanvasAgg(fig)
    with rc_context(charts.RC):
        fig.draw_without_rendering()
        yield canvas.get_renderer()


def by_gid(fig: Figure, prefix: str) -> list[Text]:
    return [t for t in fig.findobj(Text) if str(t.get_gid()).startswith(prefix) and t.get_text()]


def plan(fig: Figure, name: str) -> Line2D:
    (line,) = [ln for ln in fig.findobj(Line2D) if ln.get_gid() == f"plan:{name}"]
    return line


def overlaps(boxes: list[Bbox]) -> list[tuple[int, int]]:
    return [(i, j) for (i, a), (j, b) in itertools.combinations(enumerate(boxes), 2) if a.overlaps(b)]


def level_2035(projections: Projections, col: str = "defense_pct_gdp") -> dict[str, float]:
    return {n: float(df[col].loc[2035]) for n, (_, df) in projections.items()}


# --- colours -------------------------------------------------------------------------------------

# Vienot, Brettel & Mollon (1999): linear RGB as seen with protanopia, deuteranopia, tritanopia.
DEFICIENCIES = {
    "none": np.eye(3),
    "protanopia": np.array([[0.152, 1.053, -0.205], [0.115, 0.786, 0.099], [-0.004, -0.048, 1.052]]),
    "deuteranopia": np.array([[0.367, 0.861, -0.228], [0.280, 0.673, 0.047], [-0.012, 0.043, 0.969]]),
    "tritanopia": np.array([[1.256, -0.077, -0.179], [-0.078, 0.931, 0.148], [0.005, 0.691, 0.304]]),
}


def lab(color: str, seen: np.ndarray) -> np.ndarray:
    """CIE L*a*b* of ``color`` as seen through ``seen`` (D65)."""
    c = np.asarray(to_rgb(color))
    linear = seen @ np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    x, y, z = xyz @ np.clip(linear, 0, 1) / np.array([0.9505, 1.0, 1.089])
    f = np.cbrt(np.maximum([x, y, z], 0.008856)) * (np.array([x, y, z]) > 0.008856) + (
        (7.787 * np.array([x, y, z]) + 16 / 116) * (np.array([x, y, z]) <= 0.008856)
    )
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def test_a_name_has_one_okabe_ito_colour_whatever_else_is_drawn() -> None:
    okabe_ito = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"}
    assert set(PALETTE) <= okabe_ito and len(PALETTE) == 4
    assert scenario_color("stated-targets") == scenario_color("stated-targets") == preferences("stated-targets")[0]
    # Fixed by SHA-256 of the name, not by Python's salted hash(): the same in every process and run.
    assert {n: scenario_color(n) for n in ("stated-targets", "nato-core-3.5", "legal-floor-2pct")} == {
        "stated-targets": "#CC79A7",
        "nato-core-3.5": "#0072B2",
        "legal-floor-2pct": "#009E73",
    }
    used = {scenario_color(f"scenario-{i}") for i in range(200)}
    assert used == set(PALETTE)  # every colour is used, and never a grey of history or levels
    assert not used & {to_hex(c).upper() for c in (GREY, INK, LIGHT, OTHER)}


def test_the_looks_of_a_set_do_not_depend_on_its_order() -> None:
    names = [f"plan-{i}" for i in range(11)]
    looks = looks_for(names)
    for seed in range(5):
        shuffled = random.Random(seed).sample(names, len(names))
        assert looks_for(shuffled) == looks
        assert looks_for([*shuffled, shuffled[0]]) == looks  # duplicates count once
    # four or fewer: four colours, the plain dash; more: colours again with the next dash patterns
    pairs = {(look.color, look.dash) for look in looks.values()}
    assert len(pairs) == len(names)  # no two names look alike
    assert {look.dash for look in looks.values()} == set(DASHES[:3])  # 11 names: three rounds of four
    assert len({looks_for(names[:4])[n].color for n in names[:4]}) == 4
    assert {look.dash for look in looks_for(names[:4]).values()} == {DASHES[0]}


def test_a_name_keeps_its_look_when_names_after_it_join() -> None:
    # Names take colours in hash order: adding names later in that order changes no earlier look,
    # and the first name always keeps its own colour.
    names = sorted((f"cz-{i}" for i in range(12)), key=_rank)
    for k in range(1, len(names)):
        small, large = looks_for(names[:k]), looks_for(names)
        assert all(small[n] == large[n] for n in names[:k])
    assert looks_for(names)[names[0]].color == scenario_color(names[0])


def _rank(name: str) -> tuple[int, str]:
    import hashlib

    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big"), name


def test_the_colours_stay_apart_with_colour_vision_deficiencies() -> None:
    # As drawn (darkened to a 3:1 contrast on the shading), with history's ink and the others' grey.
    drawn_colors = [legible(c) for c in PALETTE] + [INK, OTHER]
    for name, seen in DEFICIENCIES.items():
        nearest = min(
            float(np.linalg.norm(lab(a, seen) - lab(b, seen))) for a, b in itertools.combinations(drawn_colors, 2)
        )
        assert nearest >= 10, (name, nearest)  # CIE76: clearly different at a glance


# --- order, highlight, finding -------------------------------------------------------------------


def test_scenarios_are_ranked_by_the_2035_level(sets: dict[int, Projections]) -> None:
    for projections in sets.values():
        order = ranked(projections)
        values = [level_2035(projections)[n] for n in order]
        assert values == sorted(values, reverse=True)
        usd = [level_2035(projections, "defense_usd_bn")[n] for n in ranked(projections, "usd")]
        assert usd == sorted(usd, reverse=True)


def test_the_default_highlight_spans_the_range_and_names_are_checked() -> None:
    assert default_highlight(["a", "b", "c"]) == ["a", "b", "c"]
    picked = default_highlight([f"s{i}" for i in range(40)])
    assert len(picked) == 4 and picked[0] == "s0" and picked[-1] == "s39"
    assert check_highlight(["a", "b"], ["b", "b"]) == ["b"]
    with pytest.raises(ScenarioError, match=r"--highlight: no scenario named 'c' in this run; allowed: a, b"):
        check_highlight(["a", "b"], ["c"])


def test_the_title_states_the_finding_from_the_numbers(sets: dict[int, Projections]) -> None:
    for n, projections in sets.items():
        reach = sum(round(v, 2) >= 3.5 for v in level_2035(projections).values())
        title = charts.plot_comparison(projections).texts[0].get_text().replace("\n", " ")
        assert title == finding(projections)
        words = {2: "two", 8: "eight", 40: "40"}[n]
        if 0 < reach < n:
            assert f"of {words} scenarios for Czechia reach" in title or title.startswith("One of")
        assert "NATO 3.5\u00a0% core level by 2035" in title
    assert finding(bundled()) == "Five of eight scenarios for Czechia reach the NATO 3.5\u00a0% core level by 2035"
    money = finding(bundled(), "usd")
    low, high = (
        min(level_2035(bundled(), "defense_usd_bn").values()),
        max(level_2035(bundled(), "defense_usd_bn").values()),
    )
    assert money == f"In 2035 the eight scenarios for Czechia range from USD {low:.1f} bn to USD {high:.1f} bn"


# --- one panel up to eight, small multiples beyond -----------------------------------------------


@pytest.mark.parametrize("n", [2, 8])
@pytest.mark.parametrize("unit", ["pct_gdp", "usd"])
def test_end_labels_never_overlap_and_follow_the_order(sets: dict[int, Projections], n: int, unit: str) -> None:
    projections = sets[n]
    fig = charts.plot_comparison(projections, unit)
    assert len(fig.axes) == 1  # one panel, no legend
    assert not fig.legends and not [t for t in fig.texts if t.get_gid() == "key"]
    labels = by_gid(fig, "end-label")
    scenario_labels = [t for t in labels if t.get_gid() == "end-label"]
    assert len(scenario_labels) == n
    with drawn(fig) as renderer:
        boxes = [t.get_window_extent(renderer) for t in labels]
        axes = fig.axes[0].get_window_extent(renderer)
        assert not overlaps(boxes), [labels[i].get_text() for pair in overlaps(boxes) for i in pair]
        width, height = fig.get_size_inches() * fig.dpi
        for t, box in zip(labels, boxes, strict=True):
            assert box.x0 > axes.x1 and box.x1 <= width and box.y0 >= 0 and box.y1 <= height, t.get_text()
        # highest 2035 level at the top: the labels read down in the order of the levels
        col = {"pct_gdp": "defense_pct_gdp", "usd": "defense_usd_bn"}[unit]
        value = level_2035(projections, col)
        tops = {t.get_text(): b.y0 for t, b in zip(labels, boxes, strict=True) if t.get_gid() == "end-label"}
        by_height = sorted(tops, key=lambda k: -tops[k])
        levels = [value[_named(projections, text)] for text in by_height]
        assert levels == sorted(levels, reverse=True)


def _named(projections: Projections, label: str) -> str:
    """The scenario an end label names (its text starts with the title up to a colon or comma)."""
    hits = [n for n, (s, _) in projections.items() if label.startswith(re.split(r"[:,(]", s.title)[0].strip())]
    return max(hits, key=lambda n: len(re.split(r"[:,(]", projections[n][0].title)[0]))


def test_40_scenarios_are_small_multiples_in_the_order_of_their_levels(sets: dict[int, Projections]) -> None:
    projections = sets[40]
    assert len(projections) > MULTIPLES_ABOVE
    fig = charts.plot_comparison(projections)
    assert len(fig.axes) == 40  # one panel per scenario
    order = ranked(projections)
    for ax, name in zip(fig.axes, order, strict=True):  # reading order, highest first
        own = [ln for ln in ax.get_lines() if ln.get_gid() == f"plan:{name}"]
        assert len(own) == 1
        (others,) = [c for c in ax.collections if isinstance(c, LineCollection) and c.get_gid() == "others"]
        assert len(others.get_segments()) == 39  # every other scenario, in light grey
    titles = by_gid(fig, "panel-")
    with drawn(fig) as renderer:
        boxes = [t.get_window_extent(renderer) for t in titles]
        assert not overlaps(boxes), [titles[i].get_text() for pair in overlaps(boxes) for i in pair]
        panels = [ax.get_window_extent(renderer) for ax in fig.axes]
        head = fig.texts[1].get_window_extent(renderer)
        assert all(p.y1 < head.y0 for p in panels)
    values = [t.get_text() for t in titles if t.get_gid() == "panel-value"]
    shares = [float(v.split("\u00a0")[0]) for v in values]
    assert shares == sorted(shares, reverse=True)
    assert len(charts.plot_comparison(dict(itertools.islice(projections.items(), 8))).axes) == 1  # the threshold


def test_the_unit_changes_the_values_drawn(sets: dict[int, Projections]) -> None:
    projections = sets[8]
    for unit, col, axis in (
        ("pct_gdp", "defense_pct_gdp", "% of GDP"),
        ("usd", "defense_usd_bn", "USD billion, current prices"),
        ("local", "defense_czk_bn", "CZK billion, current prices"),
    ):
        fig = charts.plot_comparison(projections, unit)
        assert fig.axes[0].get_ylabel() == axis
        assert f"Defense spending, {axis}," in fig.texts[1].get_text().replace("\n", " ")
        for name, (_, df) in projections.items():
            _x, y = plan(fig, name).get_data()
            np.testing.assert_allclose(np.asarray(y, dtype=float), df.loc[2025:, col].to_numpy(dtype=float))
    forty = charts.plot_comparison(sets[40], "local")
    name = ranked(sets[40], "local")[0]
    np.testing.assert_allclose(
        np.asarray(plan(forty, name).get_ydata(), dtype=float), sets[40][name][1].loc[2025:, "defense_czk_bn"]
    )


def test_highlighted_scenarios_are_in_their_colour_the_others_grey(sets: dict[int, Projections]) -> None:
    projections = sets[8]
    chosen = ["nato-core-3.5", "babis-2026-budget"]
    fig = charts.plot_comparison(projections, highlight=chosen)
    looks = looks_for(chosen)
    for name in projections:
        line = plan(fig, name)
        if name in chosen:
            assert line.get_color() == legible(looks[name].color) and line.get_linewidth() > 2
        else:
            assert line.get_color() == OTHER and line.get_linewidth() < 1.5
    assert "In colour: 2 of 8 scenarios, as chosen." in fig.texts[2].get_text().replace("\n", " ")
    # The same name, the same colour: alone, among others, in another order.
    for subset in (["nato-core-3.5"], ["babis-2026-budget", "nato-core-3.5", "stated-targets"]):
        other = charts.plot_comparison(projections, highlight=list(reversed(subset)))
        assert plan(other, "nato-core-3.5").get_color() == plan(fig, "nato-core-3.5").get_color()
    with pytest.raises(ScenarioError, match="no scenario named 'nowhere'"):
        charts.plot_comparison(projections, highlight=["nowhere"])


# --- the run: links, options, one scenario -------------------------------------------------------

LINK = re.compile(r"!?\[(?:[^\]\\]|\\.)*\]\(([^)\s]+)\)")


def test_comparison_md_links_resolve_after_a_real_run(tmp_path: Path) -> None:
    files = write_paths(tmp_path / "in", 2) + [SCENARIOS / "legal-floor-2pct.toml"]
    out = tmp_path / "out"
    result = call("run", *map(str, files), "--out", str(out), "--draws", "0")
    assert result.status == 0, result.stderr
    md = out / "comparison" / "comparison.md"
    targets = LINK.findall(md.read_text(encoding="utf-8"))
    assert len(targets) >= len(files) + 3  # every scenario's summary, the chart, the table and its schema
    for target in targets:
        assert not re.match(r"[a-z]+:", target), target  # relative, no scheme
        assert (md.parent / unquote(target)).resolve().is_file(), target
    for name in ("path-00", "path-01", "legal-floor-2pct"):
        assert f"../{name}/summary.md" in targets


def test_the_run_options_reach_the_chart_and_redraw_it(tmp_path: Path) -> None:
    files = [str(SCENARIOS / f"{n}.toml") for n in ("legal-floor-2pct", "fiala-3pct-2030")]
    out = tmp_path / "out"
    assert call("run", *files, "--out", str(out), "--draws", "0").status == 0
    first = (out / "comparison" / "comparison.png").read_bytes()
    result = call(
        "run", *files, "--out", str(out), "--draws", "0", "--compare-unit", "usd", "--highlight", "fiala-3pct-2030"
    )
    assert result.status == 0, result.stderr
    assert (out / "comparison" / "comparison.png").read_bytes() != first  # the options are in the input key
    md = (out / "comparison" / "comparison.md").read_text(encoding="utf-8")
    assert "the two scenarios for Czechia range from USD" in md
    bad = call("run", *files, "--out", str(tmp_path / "bad"), "--draws", "0", "--highlight", "fiala,nope")
    assert bad.status == 2 and "--highlight: no scenario named 'fiala', 'nope'" in bad.stderr
    assert not (tmp_path / "bad").exists()  # nothing written
    with pytest.raises(SystemExit) as exit_:
        call("run", *files, "--out", str(out), "--compare-unit", "eur")
    assert exit_.value.code == 2


def test_a_run_of_one_scenario_writes_no_comparison(tmp_path: Path) -> None:
    one, two = (str(SCENARIOS / f"{n}.toml") for n in ("legal-floor-2pct", "fiala-3pct-2030"))
    out = tmp_path / "out"
    assert call("run", one, "--out", str(out), "--draws", "0").status == 0
    assert "comparison" not in entries(out)
    assert call("run", one, two, "--out", str(out), "--draws", "0").status == 0
    assert "comparison" in entries(out)
    result = call("run", one, "--out", str(out), "--draws", "0")
    assert result.status == 0 and "comparison" not in result.stdout
    assert "comparison" not in entries(out)  # the earlier comparison of two is removed


def test_a_title_with_markdown_characters_keeps_its_row_and_link() -> None:
    import dataclasses

    from budget.compare import comparison_markdown

    s, df = bundled()["legal-floor-2pct"]
    odd = dataclasses.replace(s, title="Floor | 2 % [draft] \\ final")
    md = comparison_markdown({s.name: (odd, df), "fiala-3pct-2030": bundled()["fiala-3pct-2030"]})
    header, *rows = [ln for ln in md.splitlines() if ln.startswith("| ")]
    cells = len(re.findall(r"(?<!\\)\|", header))
    for row in rows:
        assert len(re.findall(r"(?<!\\)\|", row)) == cells, row
    assert "](../legal-floor-2pct/summary.md)" in rows[0] and LINK.findall(rows[0]) == [
        "../legal-floor-2pct/summary.md"
    ]
