"""Charts: reproducible bytes, public matplotlib only, literal text, long text fitted, many
scenarios readable, and non-finite numbers skipped."""

from __future__ import annotations

import dataclasses
import io
import math
import re
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache

import matplotlib.mathtext
import numpy as np
import pandas as pd
import pytest
from conftest import REPO_ROOT, SCENARIOS
from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from budget import Scenario, charts, load_scenario, project, simulate
from budget.uncertainty import sensitivity

LONG_TITLE = (
    "A scenario whose title goes on and on about procurement, the koruna, resilience spending and "
    "NATO's pledges made at Wales in 2014 and at The Hague in 2025, "
) * 5
LONG_TITLE = LONG_TITLE[:500]
ODD_TITLE = r"Lone $ and \ and ^ and _ and {} and $x^2$ and \frac{1}{2} and 50 % & #"


@cache
def bundled(name: str = "stated-targets") -> Scenario:
    return load_scenario(SCENARIOS / f"{name}.toml")


@cache
def frame(name: str = "stated-targets") -> pd.DataFrame:
    return project(bundled(name))


def png(fig: Figure) -> bytes:
    out = io.BytesIO()
    charts.save(fig, out)
    return out.getvalue()


def makers(s: Scenario, df: pd.DataFrame | None = None) -> dict[str, Callable[[], Figure]]:
    """Every chart of one scenario, plus the two multi-scenario charts with a bundled baseline."""
    df = project(s) if df is None else df
    sim, sens = simulate(s, draws=200), sensitivity(s)
    pair = {"base": (bundled(), frame()), "other": (s, df)}
    return {
        "spending": lambda: charts.plot_spending(df, s),
        "share": lambda: charts.plot_share(df, s),
        "procurement": lambda: charts.plot_procurement(df, s),
        "fan": lambda: charts.plot_fan(sim, df, s),
        "sensitivity": lambda: charts.plot_sensitivity(sens, s),
        "comparison": lambda: charts.plot_comparison(pair),
        "compare": lambda: charts.plot_compare(pair),
    }


@contextmanager
def drawn(fig: Figure) -> Iterator[FigureCanvasAgg]:
    """Draw ``fig`` on an Agg canvas as ``save`` would (same rcParams), without clearing it."""
    canvas = FigureCanvasAgg(fig)
    with rc_context(charts.RC):
        canvas.draw()
        yield canvas


def boxes(fig: Figure) -> dict[str, Bbox]:
    """Pixel boxes of the title, subtitle, note, each axes (with its labels) and the legend below."""
    with drawn(fig) as canvas:
        r = canvas.get_renderer()
        out = {name: t.get_window_extent(r) for name, t in zip(("title", "subtitle", "note"), fig.texts, strict=False)}
        out |= {f"axes{i}": ax.get_tightbbox(r) for i, ax in enumerate(fig.axes)}
        out |= {f"legend{i}": leg.get_window_extent(r) for i, leg in enumerate(fig.legends)}
        return out


def assert_laid_out(fig: Figure) -> None:
    """Everything inside the figure; title, subtitle, axes, legend and note stacked without overlap."""
    width, height = fig.get_size_inches() * fig.dpi
    b = boxes(fig)
    for name, box in b.items():
        assert box.x0 >= -1 and box.x1 <= width + 1 and box.y0 >= -1 and box.y1 <= height + 1, (name, box)
    assert b["title"].y0 >= b["subtitle"].y1 - 1
    panels = [box for name, box in b.items() if name.startswith(("axes", "legend"))]
    assert all(b["subtitle"].y0 >= box.y1 - 1 for box in panels), b
    assert all(box.y0 >= b["note"].y1 - 1 for box in panels), b
    for name, box in b.items():
        if name.startswith("legend"):
            assert all(box.y1 <= other.y0 + 1 for key, other in b.items() if key.startswith("axes")), b


def texts(fig: Figure) -> list[Text]:
    return [t for t in fig.findobj(Text) if t.get_text()]


# --- 1. public API only, byte-reproducible ------------------------------------------------------


def test_two_draws_of_a_chart_give_the_same_png_bytes() -> None:
    charts_of = makers(bundled())
    charts_of["share, with resilience"] = lambda: charts.plot_share(frame("nato-total-5"), bundled("nato-total-5"))
    for chart, make in charts_of.items():
        first, again = png(make()), png(make())
        assert first[:8] == b"\x89PNG\r\n\x1a\n", chart
        assert first == again, chart
        assert b"Software" not in first and b"tIME" not in first, chart


PRIVATE = re.compile(
    r"draw_text_image|\b_renderer\b|\b_lastKey\b|matplotlib\.[A-Za-z_.]*\._"
    r"|^\s*from\s+matplotlib[\w.]*\s+import\s+(\([^)]*\b_\w|[^#\n]*\b_\w)"
    r"|^\s*import\s+matplotlib[\w.]*\._",
    re.M,
)


def test_no_private_matplotlib_api_in_the_package() -> None:
    found = []
    for path in sorted((REPO_ROOT / "budget").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        found += [f"{path.name}: {m.group(0).strip()}" for m in PRIVATE.finditer(text)]
    assert not found, found
    # The chart module reaches no private attribute of any object either (``obj._name``).
    charts_text = (REPO_ROOT / "budget" / "charts.py").read_text(encoding="utf-8")
    assert not re.findall(r"\w\._(?!_)\w+", charts_text)


def test_the_private_check_catches_what_it_should() -> None:
    for bad in (
        "self._renderer = r",
        "from matplotlib.backends.backend_agg import _Foo",
        "from matplotlib.ft2font import (FT2Font,\n    _private)",
        "import matplotlib._api",
        "matplotlib.cbook._foo()",
        "r.draw_text_image(x)",
        "self._lastKey",
    ):
        assert PRIVATE.search(bad), bad
    for good in ("canvas.get_renderer()", "from matplotlib.figure import Figure", "import matplotlib.pyplot"):
        assert not PRIVATE.search(good), good


def test_warm_up_uses_public_apis_and_leaves_rcparams_alone() -> None:
    import matplotlib

    before = dict(matplotlib.rcParams)
    charts.warm_up()
    assert dict(matplotlib.rcParams) == before


# --- 2. literal text ------------------------------------------------------------------------------


@pytest.fixture
def no_mathtext(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail on any use of the mathtext parser."""

    def parse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"mathtext used for {args[1] if len(args) > 1 else args!r}")

    monkeypatch.setattr(matplotlib.mathtext.MathTextParser, "parse", parse)


def test_dollar_signs_are_drawn_literally(no_mathtext: None) -> None:
    s = dataclasses.replace(bundled(), title="From $10 bn to $15 bn by 2030")
    for chart, make in makers(s).items():
        fig = make()
        assert all(not t.get_parse_math() for t in texts(fig)), chart
        assert any("$10 bn to $15 bn" in t.get_text() for t in texts(fig)), chart
        if chart in ("spending", "fan", "compare"):
            with drawn(fig) as canvas:  # drawn as wide as its plain characters, dollar signs included
                sub, r = fig.texts[1], canvas.get_renderer()
                plain = max(
                    r.get_text_width_height_descent(line, sub.get_fontproperties(), ismath=False)[0]
                    for line in sub.get_text().splitlines()
                )
                assert abs(sub.get_window_extent(r).width - plain) < 2, chart
        assert png(fig), chart  # saving does not raise (and never calls the mathtext parser)


def test_odd_characters_in_a_title_do_not_crash(no_mathtext: None) -> None:
    for chart, make in makers(dataclasses.replace(bundled(), title=ODD_TITLE)).items():
        assert png(make()), chart
    for title in ("$", "\\", "^", "_", "{}", "$\\$", "\n"):
        s = dataclasses.replace(bundled(), title=title, plan_source={"publisher": title})
        assert png(charts.plot_spending(frame(), s)), title


def test_the_chart_functions_restore_rcparams() -> None:
    import matplotlib

    before = matplotlib.rcParams["text.parse_math"]
    png(charts.plot_spending(frame(), bundled()))
    assert matplotlib.rcParams["text.parse_math"] == before


# --- 3. long text ---------------------------------------------------------------------------------


def test_fit_wraps_and_cuts_with_an_ellipsis() -> None:
    text = charts.fit(LONG_TITLE, charts.LINE_WIDTH, charts.TITLE_SIZE, "bold", max_lines=2)
    lines = text.splitlines()
    assert len(lines) == 2 and lines[-1].endswith("\u2026")
    assert all(charts.text_width(line, charts.TITLE_SIZE, "bold") <= charts.LINE_WIDTH for line in lines)
    assert charts.fit("short", 100, 10, max_lines=2) == "short"
    word = charts.fit("W" * 500, 200, 10, max_lines=2, tail=" (kept)")
    assert len(word.splitlines()) == 2 and word.endswith("\u2026 (kept)")
    assert charts.fit("one\ntwo\tthree", 500, 10) == "one two three"


def test_a_long_figure_title_takes_two_lines_at_most() -> None:
    fig, _ = charts._figure(LONG_TITLE, [LONG_TITLE, LONG_TITLE], "note")
    title, subtitle = fig.texts[0].get_text(), fig.texts[1].get_text()
    assert len(title.splitlines()) == 2 and title.endswith("\u2026")
    assert len(subtitle.splitlines()) == 5  # two lines for the scenario's title, three for the rest
    assert_laid_out(fig)


def long_scenario() -> Scenario:
    publisher = "Ministry of Defence of a Country with a Very Long Name, Department of Long Names " * 8
    return dataclasses.replace(bundled(), title=LONG_TITLE, plan_source={"publisher": publisher, "date": "2025-07-09"})


@pytest.mark.parametrize("chart", ["spending", "share", "procurement", "fan", "sensitivity", "comparison", "compare"])
def test_long_titles_and_sources_are_fitted(chart: str) -> None:
    fig = makers(long_scenario())[chart]()
    sub, note = fig.texts[1].get_text().splitlines(), fig.texts[2].get_text().splitlines()
    if chart in ("comparison", "compare"):  # the scenario's title is in the legend, on one line
        labels = [t.get_text() for t in fig.legends[0].get_texts()]
        assert any(label.startswith(LONG_TITLE[:20]) and label.endswith("\u2026") for label in labels), labels
        assert not any("\n" in label for label in labels)
    else:  # the subtitle: "Scenario: <title>" on two lines, cut; then the chart's own lines
        title_lines = [line for line in sub if line.rstrip("\u2026") in f"Scenario: {LONG_TITLE}"]
        assert len(title_lines) == 2 and title_lines[-1].endswith("\u2026") and sub[:2] == title_lines, sub
    assert len(note) <= charts.NOTE_LINES and note[-1].endswith(f"Chart:\u00a0budget\u00a0{charts.__version__}")
    for t in fig.texts:
        for line in t.get_text().splitlines():
            assert charts.text_width(line, t.get_fontsize(), t.get_fontweight()) <= charts.LINE_WIDTH  # type: ignore[arg-type]
    assert_laid_out(fig)  # drawn without raising; saving draws the same


def test_long_scenario_names_are_cut_in_the_source_note() -> None:
    group = [dataclasses.replace(bundled(), name=f"n{i:02d}" + "x" * 61, plan_source={}) for i in range(36)]
    note = charts.source_note(group).splitlines()
    assert len(note) <= charts.NOTE_LINES and note[-1].endswith(f"Chart:\u00a0budget\u00a0{charts.__version__}")
    long_keys = {"k" * 300 + str(i): (s, frame()) for i, s in enumerate(group[:3])}
    for make in (charts.plot_comparison, charts.plot_compare):
        fig = make(long_keys)
        assert_laid_out(fig)
        assert png(fig)


# --- 4. many scenarios ---------------------------------------------------------------------------


def many(count: int = 36) -> dict[str, tuple[Scenario, pd.DataFrame]]:
    names = ["stated-targets", "nato-core-3.5", "fiala-3pct-2030", "legal-floor-2pct", "nato-total-5"]
    out = {}
    for i in range(count):
        name = names[i % len(names)]
        s = dataclasses.replace(bundled(name), name=f"s{i}", title=f"Copy {i}: {bundled(name).title}")
        out[s.name] = (s, frame(name))
    return out


@pytest.mark.parametrize("make", [charts.plot_comparison, charts.plot_compare])
def test_36_scenarios_are_all_drawn_and_listed(make: Callable[..., Figure]) -> None:
    projections = many()
    fig = make(projections)
    legend = fig.legends[0]
    assert isinstance(legend, Legend)
    labels = [t.get_text() for t in legend.get_texts()]
    assert all(any(label.startswith(f"Copy {i}:") for label in labels) for i in range(1, 36)), labels
    assert max(t.get_fontsize() for t in legend.get_texts()) <= 7.5
    drawn_lines = sum(len(ax.get_lines()) for ax in fig.axes)
    assert drawn_lines >= 36 + 36 * (make is charts.plot_compare), drawn_lines
    assert_laid_out(fig)
    for ax in fig.axes:  # the legend leaves the panels room: at least 2 in of their 6 in
        assert ax.get_position().height * fig.get_size_inches()[1] >= 2
    assert png(fig)


def test_a_legend_with_too_many_entries_counts_the_rest() -> None:
    fig = charts.plot_comparison(many(60))
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert len(labels) <= 40 and labels[-1].startswith("+ ") and "more" in labels[-1]
    assert_laid_out(fig)


# --- 5. non-finite numbers -------------------------------------------------------------------------


def broken_frame() -> pd.DataFrame:
    df = frame().copy()
    df.loc[2030:2032, ["defense_usd_bn", "defense_usd_bn_high", "defense_pct_gdp", "procurement_usd_bn_high"]] = np.inf
    df.loc[2033, "defense_usd_bn_low"] = -np.inf
    df.loc[2035, "nato_core_path_pct_gdp"] = np.inf
    df.loc[2031, "defense_pct_gdp_high"] = 1e300
    df.loc[2034, "defense_pct_gdp_high"] = np.nan
    return df


def test_non_finite_numbers_are_skipped() -> None:
    s, df = bundled(), broken_frame()
    sim = simulate(s, draws=200).copy()
    sim.iloc[3:5, :4] = np.inf
    sens = sensitivity(s).copy()
    sens.iloc[0, 0], sens.iloc[1, 4] = np.inf, -np.inf
    figures = {
        "spending": lambda: charts.plot_spending(df, s),
        "share": lambda: charts.plot_share(df, s),
        "procurement": lambda: charts.plot_procurement(df, s),
        "fan": lambda: charts.plot_fan(sim, df, s),
        "sensitivity": lambda: charts.plot_sensitivity(sens, s),
        "comparison": lambda: charts.plot_comparison({"a": (s, frame()), "b": (s, df)}),
        "compare": lambda: charts.plot_compare({"a": (s, frame()), "b": (s, df)}),
    }
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for chart, make in figures.items():
            fig = make()
            for ax in fig.axes:
                assert all(map(math.isfinite, (*ax.get_xlim(), *ax.get_ylim()))), chart
                assert ax.get_ylim()[1] < 1e15, chart  # the absurd value is skipped too
            assert png(fig), chart
    assert np.isinf(df.loc[2030, "defense_usd_bn"])  # the caller's frame is left as it was


def test_a_frame_without_finite_values_still_draws() -> None:
    df = frame().copy()
    cols = df.select_dtypes(include=[np.floating]).columns.difference(["czk_per_usd"])
    df[cols] = np.inf
    assert png(charts.plot_spending(df, bundled()))
    assert png(charts.plot_procurement(df, bundled()))
