"""Overlap: every chart kind, on the bundled scenarios and alliances and on adversarial ones (a
long title and source, targets on the lines, a tiny range), drawn and measured as saved: no two
visible text boxes overlap (title, subtitle, labels, key and legend texts, tick labels,
annotations, footnote) and no target or line label crosses a plotted line.

Extents are the drawn ones (``Text.get_window_extent`` after ``Figure.draw_without_rendering``,
an annotation's text without its leader); tick labels of one axis are left to matplotlib.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable
from functools import cache

import numpy as np
import pandas as pd
import pytest
from conftest import SCENARIOS
from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.figure import Figure
from matplotlib.text import Annotation, Text
from matplotlib.transforms import Bbox

import budget
from budget import Scenario, charts, load_scenario, project, simulate
from budget.aggregate import group_frame, load_alliance, members
from budget.charts import group_path, multiples, neighbours, ranked
from budget.charts.glyphs import Canvas
from budget.charts.neighbours import comparison_group
from budget.i18n import use
from budget.outturn import outturn_table
from budget.scenario import DEFAULT_COUNTRY, Target
from budget.uncertainty import drivers, sensitivity

BUNDLED = sorted(p.stem for p in SCENARIOS.glob("*.toml"))
ALLIANCES = sorted(p.stem for p in (SCENARIOS / "alliance").glob("*.toml"))
SINGLE = ["spending", "share", "procurement", "fan", "sensitivity", "vintages", "fiscal", "outturn"]
PAIRS = ["comparison", "compare"]
ALLIANCE_KINDS = ["ranked", "group_path", "multiples", "neighbours"]
TOLERANCE = 1.0  # pixels two boxes may share (anti-aliasing), and a line may graze a label by


# --- Scenarios -------------------------------------------------------------------------------------


def adversarial(name: str) -> Scenario:
    """A bundled scenario made hard to lay out."""
    if name == "long":
        s = load_scenario(SCENARIOS / "stated-targets.toml")
        title = ("A plan whose title runs on about procurement, the koruna, resilience and NATO's pledges " * 4)[:400]
        source = {"publisher": "Ministry of Defence of a Country with a Very Long Name " * 6, "date": "2025-07-09"}
        return dataclasses.replace(s, name="long-title", title=title, plan_source=source)
    if name == "on-the-lines":  # targets on the levels the lines are drawn at, and on their paths
        s = load_scenario(SCENARIOS / "nato-core-3.5.toml")
        levels = [(2026, 2.0), (2028, 2.6), (2030, 3.5), (2032, 3.5), (2035, 5.0)]
        targets = tuple(Target(y, v, v, "pct_gdp") for y, v in levels)
        return dataclasses.replace(s, name="on-the-lines", title="Targets on the lines", targets=targets)
    s = load_scenario(SCENARIOS / "stated-targets.toml")  # "tiny": a range a hair wide
    targets = (Target(2030, 15.0, 15.0, "usd_bn"), Target(2035, 23.0, 23.03, "usd_bn"))
    return dataclasses.replace(s, name="tiny-range", title="A tiny range: USD 23.00-23.03 bn", targets=targets)


ADVERSARIAL = ["long", "on-the-lines", "tiny"]


@cache
def scenario(name: str) -> Scenario:
    return adversarial(name) if name in ADVERSARIAL else load_scenario(SCENARIOS / f"{name}.toml")


@cache
def results(name: str) -> tuple[Scenario, pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """A scenario, its projection, ledger, simulation (200 draws), drivers and sensitivity."""
    s = scenario(name)
    df = project(s)
    sim = simulate(s, draws=200)
    return s, df, budget.gaps(s, df), sim, drivers(s, draws=200, base=sim), sensitivity(s)


def single(name: str, kind: str) -> Figure:
    """A chart of one scenario, as ``budget run`` draws it."""
    s, df, ledger, sim, drv, sens = results(name)
    makers: dict[str, Callable[[], Figure]] = {
        "spending": lambda: charts.plot_spending(df, s, ledger=ledger),
        "share": lambda: charts.plot_share(df, s, ledger=ledger),
        "procurement": lambda: charts.plot_procurement(df, s),
        "fan": lambda: charts.plot_fan(sim, df, s, drv=drv, ledger=ledger),
        "sensitivity": lambda: charts.plot_sensitivity(sens, s),
        "vintages": lambda: charts.plot_vintages(s),
        "fiscal": lambda: charts.plot_fiscal(df, s),
        "outturn": lambda: charts.plot_outturn(outturn_table(s.data), s),  # type: ignore[arg-type]
    }
    return makers[kind]()


def pair(kind: str, names: list[str]) -> Figure:
    """A comparison chart of ``names``."""
    projections = {n: (scenario(n), results(n)[1]) for n in names}
    return charts.plot_comparison(projections) if kind == "comparison" else charts.plot_compare(projections)


@cache
def alliance(name: str) -> tuple:
    a = load_alliance(SCENARIOS / "alliance" / f"{name}.toml")
    ms = members(a)
    return a, ms, group_frame(a, ms)


def alliance_chart(name: str, kind: str) -> Figure:
    a, ms, g = alliance(name)
    if kind == "ranked":
        return ranked.ranked_figure(a, ms)
    if kind == "group_path":
        return group_path.group_path_figure(a, ms, g)
    if kind == "multiples":
        return multiples.multiples_figure(a, ms)
    return neighbours.neighbours_figure(a, ms, DEFAULT_COUNTRY, comparison_group(a, ms, DEFAULT_COUNTRY))


# --- Measuring -------------------------------------------------------------------------------------


def drawn(fig: Figure) -> RendererBase:
    """Lay ``fig`` out as ``save`` does (same rcParams) without rasterizing; its renderer."""
    canvas = Canvas(fig)
    with rc_context(charts.RC):
        fig.draw_without_rendering()
    return canvas.get_renderer()


def tick_owner(fig: Figure) -> dict[int, str]:
    """Each drawn tick label's axis (by id of the Text), and the tick labels left undrawn ("")."""
    owner: dict[int, str] = {}
    for i, ax in enumerate(fig.axes):
        for name, axis in (("x", ax.xaxis), ("y", ax.yaxis)):
            lo, hi = sorted(axis.get_view_interval())
            eps = (hi - lo) * 1e-6
            for ticks, locs in (
                (axis.get_major_ticks(), axis.get_majorticklocs()),
                (axis.get_minor_ticks(), axis.get_minorticklocs()),
            ):
                for k, tick in enumerate(ticks):
                    shown = k < len(locs) and lo - eps <= locs[k] <= hi + eps
                    for label in (tick.label1, tick.label2):
                        owner[id(label)] = f"{i}{name}" if shown and label.get_visible() else ""
    return owner


def boxes(fig: Figure, r: RendererBase) -> list[tuple[str, str, Bbox, Text]]:
    """(text, tick axis or "", box, artist) of every visible, drawn, non-empty text."""
    owner = tick_owner(fig)
    out = []
    for t in fig.findobj(Text):
        if not t.get_visible() or not t.get_text().strip() or owner.get(id(t), None) == "":
            continue
        if isinstance(t, Annotation):
            if t.get_window_extent(r).width <= 1 and t.get_window_extent(r).height <= 1:
                continue  # outside the axes with annotation_clip: not drawn
            box = Text.get_window_extent(t, r)
        else:
            box = t.get_window_extent(r)
        out.append((t.get_text().replace("\n", " ")[:40], owner.get(id(t), ""), box, t))
    return out


def overlap(a: Bbox, b: Bbox) -> bool:
    """The boxes share more than ``TOLERANCE`` pixels both ways."""
    return min(a.x1, b.x1) - max(a.x0, b.x0) > TOLERANCE and min(a.y1, b.y1) - max(a.y0, b.y0) > TOLERANCE


def crosses(box: Bbox, x0: np.ndarray, y0: np.ndarray, x1: np.ndarray, y1: np.ndarray) -> np.ndarray:
    """Which segments (x0, y0)-(x1, y1) pass through ``box`` (shrunk by ``TOLERANCE``): sampled at
    every half pixel along each segment."""
    bx0, by0, bx1, by1 = box.x0 + TOLERANCE, box.y0 + TOLERANCE, box.x1 - TOLERANCE, box.y1 - TOLERANCE
    length = np.hypot(x1 - x0, y1 - y0)
    hit = np.zeros(len(x0), dtype=bool)
    for i in np.flatnonzero(np.isfinite(length)):
        t = np.linspace(0, 1, max(2, int(length[i] * 2) + 1))
        x, y = x0[i] + t * (x1[i] - x0[i]), y0[i] + t * (y1[i] - y0[i])
        hit[i] = bool(np.any((x > bx0) & (x < bx1) & (y > by0) & (y < by1)))
    return hit


def line_segments(ax: Axes) -> list[tuple[str, np.ndarray]]:
    """Each visible line of ``ax`` (not markers alone) as its pixel segments, clipped to the axes."""
    out = []
    for line in ax.get_lines():
        if not line.get_visible() or line.get_linestyle() in ("None", "none", "", " "):
            continue
        xy = line.get_transform().transform(np.asarray(line.get_xydata(), dtype=float))
        if len(xy) < 2:
            continue
        seg = np.hstack([xy[:-1], xy[1:]])
        seg = seg[np.isfinite(seg).all(axis=1)]
        out.append((str(line.get_gid() or line.get_label()), seg))
    return out


def problems(fig: Figure) -> list[str]:
    """Every overlap of two texts, and every label crossing a line, in words."""
    r = drawn(fig)
    found = []
    items = boxes(fig, r)
    for (t1, axis1, b1, _a1), (t2, axis2, b2, _a2) in itertools.combinations(items, 2):
        if axis1 and axis1 == axis2:
            continue  # tick labels of one axis: matplotlib keeps them apart
        if overlap(b1, b2):
            found.append(f"text {t1!r} overlaps {t2!r}")
    for ax in fig.axes:
        segs = line_segments(ax)
        area = ax.get_window_extent(r)
        for text, _axis, box, artist in items:
            if not str(artist.get_gid()).startswith("label:"):
                continue
            inside = Bbox.intersection(box, area)
            if inside is None:
                continue
            for gid, seg in segs:
                if crosses(inside, *seg.T).any():
                    found.append(f"label {text!r} crosses line {gid!r}")
    return found


def assert_clear(fig: Figure) -> None:
    found = problems(fig)
    assert not found, "\n".join(found)


# --- The tests ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", SINGLE)
@pytest.mark.parametrize("name", BUNDLED + ADVERSARIAL)
def test_scenario_charts_have_no_overlap(name: str, kind: str) -> None:
    fig = single(name, kind)
    if kind in ("spending", "share"):  # the projection is labelled at its end, and checked as a label
        assert [t for t in fig.findobj(Text) if t.get_gid() == "label:plan"]
    assert_clear(fig)


@pytest.mark.parametrize("kind", PAIRS)
@pytest.mark.parametrize("names", [BUNDLED, ["stated-targets", *ADVERSARIAL]])
def test_comparison_charts_have_no_overlap(kind: str, names: list[str]) -> None:
    assert_clear(pair(kind, names))


@pytest.mark.parametrize("kind", ALLIANCE_KINDS)
@pytest.mark.parametrize("name", ALLIANCES)
def test_alliance_charts_have_no_overlap(name: str, kind: str) -> None:
    assert_clear(alliance_chart(name, kind))


# Czech text is longer: a few kinds of each family drawn in Czech (``budget run --lang cs``).
CZECH_KINDS = ["spending", "share", "procurement", "fan", "sensitivity", "vintages", "fiscal", "outturn"]
CZECH_SINGLE = [("stated-targets", k) for k in CZECH_KINDS] + [("nato-total-5", k) for k in ("share", "fan")]
CZECH_SINGLE += [("nato-total-5", "spending"), ("legal-floor-2pct", "sensitivity"), ("babis-2026-budget", "spending")]


@pytest.mark.parametrize(("name", "kind"), CZECH_SINGLE)
def test_czech_scenario_charts_have_no_overlap(name: str, kind: str) -> None:
    with use("cs"):
        assert_clear(single(name, kind))


@pytest.mark.parametrize("kind", PAIRS)
def test_czech_comparison_charts_have_no_overlap(kind: str) -> None:
    with use("cs"):
        assert_clear(pair(kind, BUNDLED))


@pytest.mark.parametrize("kind", ALLIANCE_KINDS)
@pytest.mark.parametrize("name", ALLIANCES)
def test_czech_alliance_charts_have_no_overlap(name: str, kind: str) -> None:
    with use("cs"):
        assert_clear(alliance_chart(name, kind))


# --- The test catches what it should -------------------------------------------------------------------


def test_the_check_catches_overlapping_text_and_a_label_on_a_line() -> None:
    fig = Figure(figsize=(4, 3), dpi=150)
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1], gid="diagonal")
    ax.set_xlim(0, 1), ax.set_ylim(0, 1)
    ax.annotate("on the line", (0.5, 0.5), ha="center", va="center", gid="label:target:2030")
    fig.text(0.1, 0.95, "A title", fontsize=12)
    fig.text(0.12, 0.95, "A subtitle over it", fontsize=9)
    found = problems(fig)
    assert any("overlaps" in p and "A title" in p for p in found), found
    assert any("crosses line 'diagonal'" in p for p in found), found
    clear = Figure(figsize=(4, 3), dpi=150)
    ax = clear.add_subplot()
    ax.plot([0, 1], [0, 0.2])
    ax.set_xlim(0, 1), ax.set_ylim(0, 1)
    ax.annotate("clear of it", (0.5, 0.8), ha="center", gid="label:target:2030")
    assert problems(clear) == []


def test_every_chart_kind_is_covered() -> None:
    kinds = set(SINGLE) | set(PAIRS) | set(ALLIANCE_KINDS)
    assert kinds == {
        "spending", "share", "procurement", "fan", "sensitivity", "vintages", "fiscal", "outturn", "comparison",
        "compare",
        "ranked", "group_path", "multiples", "neighbours",
    }  # fmt: skip
    assert len(BUNDLED) >= 8 and len(ALLIANCES) >= 2
