"""Alliance charts: each writes a PNG of the expected size, labels every member, states a finding
computed from the data, and lays its text out without overlaps."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import SCENARIOS
from matplotlib.figure import Figure
from matplotlib.text import Text
from PIL import Image

from budget.aggregate import Alliance, Member, group_frame, load_alliance, members, window_sum
from budget.charts import group_path, multiples, neighbours, ranked
from budget.history import load_country
from budget.pledges import lines_for, meets
from budget.scenario import DEFAULT_COUNTRY

ALLIANCE = SCENARIOS / "alliance" / "europe-canada-3.5.toml"
Data = tuple[Alliance, dict[str, Member], pd.DataFrame]


@cache
def data(path: Path = ALLIANCE) -> Data:
    a = load_alliance(path)
    ms = members(a)
    return a, ms, group_frame(a, ms)


@pytest.fixture
def figures(monkeypatch: pytest.MonkeyPatch) -> dict[str, Figure]:
    """Every figure the chart functions save in this test, by file name (saved as well)."""
    return capture(monkeypatch)


def capture(monkeypatch: pytest.MonkeyPatch) -> dict[str, Figure]:
    saved: dict[str, Figure] = {}
    for module in (ranked, group_path, multiples, neighbours):

        def grab(fig: Figure, path: Path, real: Callable[..., None] = module.save) -> None:
            saved[Path(path).name] = fig
            real(fig, path)

        monkeypatch.setattr(module, "save", grab)
    return saved


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Path], dict[str, Figure]]:
    """The four charts of the bundled alliance file, drawn once: their paths and figures."""
    with pytest.MonkeyPatch.context() as mp:
        saved = capture(mp)
        paths = draw_all(tmp_path_factory.mktemp("charts"), data())
    return paths, saved


def draw_all(folder: Path, d: Data) -> dict[str, Path]:
    a, ms, g = d
    return {
        "ranked": ranked.ranked(a, ms, g, folder),
        "group_path": group_path.group_path(a, ms, g, folder),
        "multiples": multiples.multiples(a, ms, g, folder),
        "neighbours": neighbours.neighbours(a, ms, g, folder, DEFAULT_COUNTRY),
    }


def title(fig: Figure) -> str:
    return " ".join(fig.texts[0].get_text().split())


def core_levels(keys: list[str]) -> list:
    shared = set.intersection(*({ln.id for ln in lines_for(load_country(k))} for k in keys))
    return [ln for ln in lines_for(load_country(keys[0])) if ln.id in shared and ln.compares_with == "core"]


def test_each_chart_writes_a_png_of_the_expected_size(rendered: tuple[dict[str, Path], dict[str, Figure]]) -> None:
    ms = data()[1]
    paths, _ = rendered
    sizes = {"ranked": (1200, 2600), "group_path": (900, 900), "multiples": (900, 2200), "neighbours": (900, 900)}
    for name, path in paths.items():
        assert path.name == f"{name}.png"
        blob = path.read_bytes()
        assert blob[:8] == b"\x89PNG\r\n\x1a\n" and len(blob) > 20_000, name
        with Image.open(path) as im:
            width, height = im.size
        lo, hi = sizes[name]
        assert width == 1500 and lo <= height <= hi, (name, im.size)
    # A taller ranked chart for more members: about one row of bars each.
    assert Image.open(paths["ranked"]).size[1] > 150 * 0.2 * len(ms)


def test_ranked_labels_every_member_once_and_counts_in_its_title(rendered: tuple[dict, dict[str, Figure]]) -> None:
    a, ms, _ = data()
    fig = rendered[1]["ranked.png"]
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    names = sorted(load_country(k).name for k in ms)
    assert len(labels) == len(ms) and sorted(s.split(" (")[0] for s in labels) == names
    assert all(t.get_fontsize() >= 8 for t in fig.axes[0].get_yticklabels())
    latest = max(m.t0 for m in ms.values())
    older = {load_country(k).name for k, m in ms.items() if m.t0 < latest}
    assert {s.split(" (")[0] for s in labels if "(" in s} == older  # an older last year is named
    # The counts in the title, recomputed from the members' data.
    levels = core_levels(list(ms))
    low, high = levels[0], levels[-1]
    below = sum(not meets(m.pct["high"][m.years == m.t0][0], low) for m in ms.values())
    reach = sum(bool(meets(m.pct["low"][m.years == a.end_year][0], high)) for m in ms.values())
    text = title(fig)
    assert f"{below} of {len(ms)}" in text or (below == 0 and "none of" in text)
    assert (f"all {len(ms)}" if reach == len(ms) else f"{reach} of {len(ms)}") in text
    # The lines' levels, labelled with their short labels, as vertical lines.
    drawn = {ln.get_gid() for ln in fig.axes[0].get_lines()}
    assert {f"line:{ln.id}" for ln in levels} <= drawn
    shown = " ".join(t.get_text() for t in fig.axes[0].texts).replace("\u00a0", " ")
    assert all(ln.short_label in shown for ln in levels)


def test_titles_follow_the_data(tmp_path: Path, figures: dict[str, Figure]) -> None:
    hold = tmp_path / "hold.toml"
    hold.write_text(
        ALLIANCE.read_text(encoding="utf-8").replace('kind = "path"\nline = "nato_core"', 'kind = "hold"'),
        encoding="utf-8",
    )
    a, ms, g = data(hold)
    assert all(r.kind == "hold" for r in a.rules.values())
    ranked.ranked(a, ms, g, tmp_path)
    high = core_levels(list(ms))[-1]
    reach = sum(bool(meets(m.pct["high"][m.years == m.t0][0], high)) for m in ms.values())
    assert 0 < reach < len(ms)
    assert f"under these rules {reach} of {len(ms)} reach" in title(figures["ranked.png"])
    group_path.group_path(a, ms, g, tmp_path)  # holding is the baseline: no extra cost
    assert "0 bn more" in title(figures["group_path.png"])


def test_group_path_title_sums_the_extra_cost(rendered: tuple[dict, dict[str, Figure]]) -> None:
    a, _, g = data()
    fig = rendered[1]["group_path.png"]
    total = window_sum(g, "extra_usd_bn_high", a.cumulative_from, a.end_year)
    assert f"USD {total:,.0f} bn more over {a.cumulative_from}\u2013{a.end_year}" in title(fig)
    note = fig.texts[2].get_text().replace("\n", " ")  # the rules and the assumption, in the note
    assert "Straight paths are our assumption" in note and len(fig.texts[1].get_text().splitlines()) == 1
    gids = {ln.get_gid() for ax in fig.axes for ln in ax.get_lines()}
    assert {"current:history", "current:projection", "constant:history", "hold"} <= gids


def test_multiples_has_a_panel_per_member_on_a_shared_axis(rendered: tuple[dict, dict[str, Figure]]) -> None:
    ms = data()[1]
    fig = rendered[1]["multiples.png"]
    (ax,) = fig.axes  # every panel drawn in one axes, each shifted to its place
    names = [t.get_text().split(" (")[0] for t in ax.texts if t.get_fontweight() == "bold"]
    assert sorted(names) == sorted(load_country(k).name for k in ms)  # a titled panel per member
    rows = -(-len(ms) // multiples.COLUMNS)
    scale = [t.get_text() for t in ax.texts if t.get_text().endswith("%")]
    assert scale and len(scale) == rows * len(set(scale))  # one shared scale, labelled once a row


def test_neighbours_highlights_one_member_and_labels_line_ends(
    tmp_path: Path, rendered: tuple[dict, dict[str, Figure]]
) -> None:
    a, ms, g = data()
    fig = rendered[1]["neighbours.png"]
    group = neighbours.comparison_group(a, ms, DEFAULT_COUNTRY)
    assert DEFAULT_COUNTRY in group.members and all(len(group.members) <= len(s.members) for s in a.subgroups)
    ax = fig.axes[0]
    assert not fig.legends and ax.get_legend() is None
    names = {load_country(k).name for k in group.members if k in ms}
    labels = {t.get_text(): t for t in ax.texts if t.get_text() in names}
    assert set(labels) == names
    me = load_country(DEFAULT_COUNTRY).name
    assert labels[me].get_fontweight() == "bold" and title(fig).startswith(me)
    with pytest.raises(ValueError, match="no subgroup"):
        neighbours.neighbours(a, ms, g, tmp_path, next(k for k in ms if all(k not in s.members for s in a.subgroups)))


def test_text_stays_inside_and_never_overlaps(rendered: tuple[dict, dict[str, Figure]]) -> None:
    for name, fig in rendered[1].items():
        renderer = fig.canvas.get_renderer()
        width, height = fig.get_size_inches() * fig.dpi
        texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
        boxes = [(t.get_text()[:30], t.get_window_extent(renderer)) for t in texts]
        for text, b in boxes:
            assert b.x0 >= -1 and b.y0 >= -1 and b.x1 <= width + 1 and b.y1 <= height + 1, (name, text)
        for (t1, b1), (t2, b2) in itertools.combinations(boxes, 2):
            apart = b1.x1 - 1 <= b2.x0 or b2.x1 - 1 <= b1.x0 or b1.y1 - 1 <= b2.y0 or b2.y1 - 1 <= b1.y0
            assert apart, (name, t1, t2)


def test_two_renders_give_the_same_bytes(tmp_path: Path) -> None:
    a, ms, g = data()
    first, again = tmp_path / "1", tmp_path / "2"
    first.mkdir(), again.mkdir()
    one = neighbours.neighbours(a, ms, g, first, DEFAULT_COUNTRY).read_bytes()
    two = neighbours.neighbours(a, ms, g, again, DEFAULT_COUNTRY).read_bytes()
    assert one == two and b"tIME" not in one
    assert np.frombuffer(one[:8], dtype=np.uint8).tolist() == list(b"\x89PNG\r\n\x1a\n")
