"""Charts: reproducible bytes, public matplotlib only, literal text, long text fitted, many
scenarios readable, non-finite numbers skipped, and one meaning per number (level and path,
core and total, both ends of a range, the probabilities the simulation holds)."""

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
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.transforms import Bbox

import budget
from budget import Scenario, charts, load_scenario, project, simulate
from budget.charts.frame import SETTINGS_LINES, figure
from budget.pledges import lines_for
from budget.uncertainty import drivers, sensitivity

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
    """Pixel boxes of the title, subtitle, note, each axes (with its labels) and the legend below
    (a ``Legend``, or the labels of a key drawn as plain artists, gid ``key``).
    """
    with drawn(fig) as canvas:
        r = canvas.get_renderer()
        out = {name: t.get_window_extent(r) for name, t in zip(("title", "subtitle", "note"), fig.texts, strict=False)}
        out |= {f"axes{i}": ax.get_tightbbox(r) for i, ax in enumerate(fig.axes)}
        out |= {f"legend{i}": leg.get_window_extent(r) for i, leg in enumerate(fig.legends)}
        keys = [t for t in fig.texts if t.get_gid() == "key"]
        out |= {f"legend-key{i}": t.get_window_extent(r) for i, t in enumerate(keys)}
        inner = [t for t in fig.texts if t.get_gid() == "key:axes"]  # a key inside the axes stays inside them
        frame = Bbox.union([ax.get_window_extent(r) for ax in fig.axes]) if fig.axes else None
        for t in inner:
            box = t.get_window_extent(r)
            assert frame is not None and frame.x0 - 1 <= box.x0 and box.x1 <= frame.x1 + 1, t.get_text()
            assert frame.y0 - 1 <= box.y0 and box.y1 <= frame.y1 + 1, t.get_text()
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
    paths = sorted((REPO_ROOT / "budget").glob("**/*.py"))
    assert REPO_ROOT / "budget" / "charts" / "fan.py" in paths  # the chart package is covered
    for path in paths:
        text = path.read_text(encoding="utf-8")
        found += [f"{path.name}: {m.group(0).strip()}" for m in PRIVATE.finditer(text)]
    assert not found, found
    # The chart modules reach no private attribute of any object either (``obj._name``).
    for path in sorted((REPO_ROOT / "budget" / "charts").glob("*.py")):
        assert not re.findall(r"\w\._(?!_)\w+", path.read_text(encoding="utf-8")), path.name


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
    fig, _ = figure(LONG_TITLE, [LONG_TITLE, LONG_TITLE], "note")
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
    if chart == "comparison":  # the scenario's name labels its line's end, on one line
        labels = [t.get_text() for t in fig.findobj(Text) if t.get_gid() == "end-label"]
        assert any(label.startswith(LONG_TITLE[:20]) for label in labels), labels
        assert not any("\n" in label for label in labels)
    elif chart == "compare":  # the scenario's title is in the legend, on one line
        labels = [t.get_text() for t in fig.legends[0].get_texts()]
        assert any(label.startswith(LONG_TITLE[:20]) and label.endswith("\u2026") for label in labels), labels
        assert not any("\n" in label for label in labels)
    else:  # one subtitle line: what is shown, then "Scenario: <title>", cut
        (line,) = sub
        shown, _sep, title = line.partition(" · Scenario: ")
        assert shown and title.endswith("\u2026") and LONG_TITLE.startswith(title.rstrip("\u2026").rstrip()), sub
    # The model's settings, then the sources, each fitted; the version is kept at the end.
    assert len(note) <= charts.NOTE_LINES + SETTINGS_LINES
    assert note[-1].endswith(f"Chart:\u00a0budget\u00a0{budget.__version__}")
    for t in fig.texts:
        for line in t.get_text().splitlines():
            assert charts.text_width(line, t.get_fontsize(), t.get_fontweight()) <= charts.LINE_WIDTH  # type: ignore[arg-type]
    assert_laid_out(fig)  # drawn without raising; saving draws the same


def test_long_scenario_names_are_cut_in_the_source_note() -> None:
    group = [dataclasses.replace(bundled(), name=f"n{i:02d}" + "x" * 61, plan_source={}) for i in range(36)]
    note = charts.source_note(group).splitlines()
    assert len(note) <= charts.NOTE_LINES and note[-1].endswith(f"Chart:\u00a0budget\u00a0{budget.__version__}")
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


@pytest.mark.parametrize("make", [charts.plot_compare])  # plot_comparison: tests/test_comparison_scales.py
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
    fig = charts.plot_compare(many(60))
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


# --- 6. one meaning per number ----------------------------------------------------------------------

TESTDATA = REPO_ROOT / "tests" / "data"
MEANING = ["stated-targets", "nato-total-5", "nato-core-3.5"]  # a USD range, resilience, a share target
KINDS = ["spending", "share", "procurement", "fan", "sensitivity", "comparison", "compare"]
FOREIGN = ("NATO", "Czech", "CZK", "CNB", "koruna", "Hague", "Wales", "nato_", "Kumar")


def by_gid(fig: Figure, gid: str) -> list[Line2D]:
    return [a for a in fig.findobj(Line2D) if a.get_gid() == gid]


def text_by_gid(fig: Figure, gid: str) -> list[Text]:
    return [t for t in fig.findobj(Text) if t.get_gid() == gid]


@cache
def everything(name: str) -> tuple[Scenario, pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """A bundled scenario, its projection, ledger, simulation (500 draws) and drivers."""
    s, df = bundled(name), frame(name)
    sim = simulate(s, draws=500)
    return s, df, budget.gaps(s, df), sim, drivers(s, draws=500, base=sim)


def full_makers(
    s: Scenario,
    df: pd.DataFrame,
    ledger: pd.DataFrame,
    sim: pd.DataFrame,
    drv: pd.DataFrame,
    baseline: tuple[Scenario, pd.DataFrame] | None = None,
) -> dict[str, Callable[[], Figure]]:
    """Every chart kind as ``budget run`` draws it (ledger and drivers passed)."""
    sens = sensitivity(s)
    pair = {"base": baseline or (s, df), "other": (s, df)}
    return {
        "spending": lambda: charts.plot_spending(df, s, ledger=ledger),
        "share": lambda: charts.plot_share(df, s, ledger=ledger),
        "procurement": lambda: charts.plot_procurement(df, s),
        "fan": lambda: charts.plot_fan(sim, df, s, drv=drv, ledger=ledger),
        "sensitivity": lambda: charts.plot_sensitivity(sens, s),
        "comparison": lambda: charts.plot_comparison(pair),
        "compare": lambda: charts.plot_compare(pair),
    }


@pytest.mark.parametrize("name", MEANING)
@pytest.mark.parametrize("kind", KINDS)
def test_every_chart_kind_draws_and_is_laid_out(name: str, kind: str) -> None:
    fig = full_makers(*everything(name))[kind]()
    assert_laid_out(fig)
    if kind == "fan" and text_by_gid(fig, "fan:probabilities"):  # the probabilities sit right of the panels
        with drawn(fig) as canvas:
            r = canvas.get_renderer()
            right = max(ax.get_tightbbox(r).x1 for ax in fig.axes)  # type: ignore[union-attr]
            for t in (t for t in fig.texts if str(t.get_gid()).startswith("fan:")):
                box = t.get_window_extent(r)
                assert box.x0 >= right - 1 and box.x1 <= fig.get_size_inches()[0] * fig.dpi + 1, t.get_text()
    assert png(fig)


@pytest.mark.parametrize("name", MEANING)
@pytest.mark.parametrize("kind", ["spending", "share", "fan"])
def test_each_binding_line_is_drawn_as_its_level_and_its_path(name: str, kind: str) -> None:
    s, df, *_ = everything(name)
    fig = full_makers(*everything(name))[kind]()
    unit = "usd_bn" if kind == "spending" else "pct_gdp"
    if kind == "fan" and s.path_unit == "pct_gdp":  # a share target's fan is in money: no share panel
        assert not [a for a in fig.findobj(Line2D) if str(a.get_gid()).startswith("line:")]
        return
    t0 = s.data.last_data_year
    lines = lines_for(s.data)
    assert lines
    for line in lines:
        (level,) = by_gid(fig, f"line:{line.id}:level")
        x, y = (np.asarray(v, dtype=float) for v in level.get_data())
        want = np.full(len(x), line.level_pct_gdp) if unit == "pct_gdp" else df.loc[x, f"{line.id}_level_usd_bn"]
        np.testing.assert_allclose(y, want)
        assert x.max() == s.end_year
        paths = by_gid(fig, f"line:{line.id}:path")
        if line.year <= t0:  # the year has passed: the path is the level, drawn once
            assert paths == [] and x.min() == line.year
            continue
        (path,) = paths
        px, py = (np.asarray(v, dtype=float) for v in path.get_data())
        np.testing.assert_allclose(py, df.loc[px, f"{line.id}_path_{unit}"])
        assert px.max() == s.end_year
        assert py[0] < line.level_pct_gdp if unit == "pct_gdp" else py[0] < y[0]  # it starts below the level
    # Each line named from the data where it is drawn (at its end, or beside it in the fan); the key
    # tells the level from the path, the path flagged as our assumption.
    named = " ".join(
        t.get_text().replace("\n", " ") for t in fig.findobj(Text) if str(t.get_gid()).startswith("label:line:")
    )
    for line in lines:
        assert line.short_label.replace(" %", "\u00a0%") in named, (line.id, named)
    keys = [t.get_text() for t in fig.texts if t.get_gid() == "key"]
    assert any(key.startswith("Level of a commitment") for key in keys), keys
    if any(line.year > t0 for line in lines):
        assert "Straight path to the level (our assumption)" in keys, keys


@pytest.mark.parametrize("kind", ["spending", "share"])
def test_a_total_line_compares_with_core_plus_resilience_only_where_it_is_modelled(kind: str) -> None:
    unit = "usd_bn" if kind == "spending" else "pct_gdp"
    _, _, ledger, *_ = everything("stated-targets")  # no resilience: no total drawn, the need stated
    fig = full_makers(*everything("stated-targets"))[kind]()
    assert by_gid(fig, "plan:total") == []
    (note,) = text_by_gid(fig, "note:resilience-needed")
    need = ledger[(ledger["line"] == "nato_total") & (ledger["year"] == 2035)]["resilience_needed_pct_gdp"]
    lo, hi = sorted(need)
    assert f"{lo:.2f}\u2013{hi:.2f}\u00a0% of GDP" in note.get_text().replace("\n", " ")
    assert "NATO 5\u00a0% total counts core + resilience" in note.get_text().replace("\n", " ")
    assert "it needs resilience of at least 0.60\u20130.95\u00a0% of GDP in 2035" in note.get_text().replace("\n", " ")
    _, df, *_ = everything("nato-total-5")  # resilience modelled: core + resilience drawn, no note
    fig = full_makers(*everything("nato-total-5"))[kind]()
    (total,) = by_gid(fig, "plan:total")
    x, y = total.get_data()
    np.testing.assert_allclose(np.asarray(y, dtype=float), df.loc[np.asarray(x), f"total_{unit}"])
    assert text_by_gid(fig, "note:resilience-needed") == []


PERCENT = re.compile(r"(\d+)(?:\u2013(\d+))?\u00a0%")


@pytest.mark.parametrize("name", MEANING)
def test_the_fan_prints_the_frames_probabilities_and_draws_its_median(name: str) -> None:
    s, df, ledger, sim, drv = everything(name)
    fig = charts.plot_fan(sim, df, s, drv=drv, ledger=ledger)
    (body,) = text_by_gid(fig, "fan:probabilities")
    text = body.get_text().replace("\n", " ")
    t0 = s.data.last_data_year
    labels = {line.id: line.short_label.replace(" %", "\u00a0%") + ":" for line in lines_for(s.data)}
    starts = sorted((text.index(label), line) for line, label in labels.items())
    ends = [*starts[1:], (len(text), "")]
    rows = {line: text[a + len(labels[line]) : b] for (a, line), (b, _) in zip(starts, ends, strict=True)}
    checked = 0
    for line in lines_for(s.data):
        year = min(line.year, s.end_year) if line.year > t0 else s.end_year
        row, _, why = rows[line.id].partition("\u21b3")
        low, high = (sim.loc[year, f"prob_meets_{line.id}_{e}"] for e in ("low", "high"))
        if np.isnan(low) and np.isnan(high):
            assert row.strip().startswith("n/a") and not PERCENT.search(row.split("(")[0])
        else:
            got = PERCENT.findall(row)[0]
            assert [got[0], got[1] or got[0]] == [f"{100 * low:.0f}", f"{100 * high:.0f}"], (row, low, high)
            checked += 1
        if why:  # the driver that moves it most, and the probability with it held
            driver = next(
                d for d in ("real_growth", "deflator_growth", "exchange_rate") if charts.fan.driver_words(d, s) in why
            )
            held = [drv.loc[(line.id, e), f"{driver}_held"] for e in ("low", "high")]
            got = PERCENT.findall(why)[0]
            assert [got[0], got[1] or got[0]] == [f"{100 * p:.0f}" for p in held]
            moves = {
                d: max(
                    abs(drv.loc[(line.id, e), f"{d}_held"] - drv.loc[(line.id, e), "all_drawn"])
                    for e in ("low", "high")
                )
                for d in ("real_growth", "deflator_growth", "exchange_rate")
            }
            assert moves[driver] == max(moves.values())
    assert checked >= 3
    # The median is drawn, from the last data year on, as the frame holds it.
    medians = by_gid(fig, "fan:median")
    assert len(medians) == 2
    for median in medians:
        col = str(median.get_label()).removesuffix("_p50_high")
        x, y = (np.asarray(v, dtype=float) for v in median.get_data())
        assert x[0] == t0 and y[0] == pytest.approx(df.loc[t0, col])
        np.testing.assert_allclose(y[1:], sim[f"{col}_p50_high"].to_numpy())
    ranged = any(t.is_range for t in s.targets)
    assert bool(by_gid(fig, "fan:median:low")) == ranged
    if s.path_unit == "pct_gdp":  # a share target: the share is fixed, the fan is in money
        assert [str(m.get_label()) for m in medians] == ["defense_usd_bn_p50_high", "defense_czk_bn_p50_high"]


def test_the_stated_targets_driver_note_names_the_exchange_rate() -> None:
    s, df, ledger, sim, drv = everything("stated-targets")
    text = text_by_gid(charts.plot_fan(sim, df, s, drv=drv, ledger=ledger), "fan:probabilities")[0].get_text()
    assert "mostly the CZK/USD rate: held at its path" in text.replace("\n", " ")


@pytest.mark.parametrize("name", ["stated-targets", "nato-core-3.5"])
def test_the_sensitivity_chart_shows_both_ends_where_they_differ(name: str) -> None:
    s = bundled(name)
    fig = charts.plot_sensitivity(sensitivity(s), s)
    ranged = any(t.is_range for t in s.targets)
    for ax in fig.axes:
        gids = {line.get_gid() for line in ax.get_lines()}
        assert "sensitivity:base:high" in gids
        assert ("sensitivity:base:low" in gids) == ranged
    note = fig.texts[2].get_text().replace("\n", " ")  # how to read the bars: in the note and the key
    assert ("outlined: the low end" in note) == ranged
    keys = [t.get_text() for t in fig.texts if t.get_gid() == "key"]
    assert ("Low end of the range (outlined)" in keys) == ranged


@pytest.fixture
def testland(
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[Scenario, pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    monkeypatch.setenv("BUDGET_DATA_PATH", str(TESTDATA))
    s = load_scenario(TESTDATA / "testland-plan.toml")
    df = project(s)
    sim = simulate(s, draws=300)
    return s, df, budget.gaps(s, df), sim, drivers(s, draws=300, base=sim)


def test_a_country_bound_by_no_line_draws_no_line_and_no_nato_or_czech_text(testland: tuple) -> None:
    s = testland[0]
    assert lines_for(s.data) == []
    for kind, make in full_makers(*testland).items():
        fig = make()
        assert not [a.get_gid() for a in fig.findobj(Line2D) if str(a.get_gid()).startswith("line:")], kind
        words = " ".join(t.get_text() for t in fig.findobj(Text))
        for word in FOREIGN:
            assert word not in words, (kind, word)
        assert "Testland Statistics" in words, kind  # the history names its own publisher
        assert_laid_out(fig)
        assert png(fig), kind


# --- 7. text drawn as glyph outlines ----------------------------------------------------------------


def test_glyph_text_measures_and_looks_like_matplotlibs_own() -> None:
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.font_manager import FontProperties, findfont

    from budget.charts import glyphs

    ours, theirs = glyphs.Renderer(1500, 900, 150), RendererAgg(1500, 900, 150)
    # matplotlib 3.10 on lays text out with the font's own advances and kerning, as ours does; 3.7 hinted them.
    modern = tuple(int(p) for p in matplotlib.__version__.split(".")[:2]) >= (3, 10)
    samples = [
        "2015",
        "Actual (NATO share of GDP x IMF GDP, CNB rates)",
        "\u22122 %",
        "j",
        "Czech law 2\u00a0%, NATO 2\u00a0%: level",
        *(["AVAWAY To Yo"] if modern else []),
    ]
    with rc_context(charts.RC):
        for weight in ("normal", "bold"):
            for size in (7.5, 9.5, 15.0):
                prop = FontProperties(size=size, weight=weight)
                for text in samples:
                    got = ours.get_text_width_height_descent(text, prop, False)
                    want = theirs.get_text_width_height_descent(text, prop, False)
                    assert got[0] == pytest.approx(want[0], rel=1e-3 if modern else 2e-2, abs=0.1), (text, got, want)
                    assert got[1:] == pytest.approx(want[1:], abs=0.5), (text, got, want)  # height, descent
        assert glyphs.layout(findfont(FontProperties()), "\u4e2d") is None  # not in the font: matplotlib draws it

    def pixels(canvas_class: type[FigureCanvasAgg]) -> np.ndarray:
        fig = Figure(figsize=(6, 2), dpi=150)
        fig.text(0.02, 0.7, "Czechia's defense spending, 2014\u20132035", fontsize=15, fontweight="bold")
        fig.text(0.02, 0.4, "Sources: NATO Defence Expenditure (2014-2025); IMF WEO Oct 2025", fontsize=7.5)
        fig.text(0.5, 0.1, "NATO 3.5\u00a0% core", fontsize=9, rotation=90, ha="center")
        canvas = canvas_class(fig)
        with rc_context(charts.RC):
            canvas.draw()
        return np.asarray(canvas.buffer_rgba(), dtype=int)[..., :3]

    a, b = pixels(FigureCanvasAgg), pixels(glyphs.Canvas)
    diff = np.abs(a - b).max(axis=2)
    assert (a < 128).any() and (b < 128).any()
    ink = [float((255 - x).sum()) for x in (a, b)]
    assert ink[1] == pytest.approx(ink[0], rel=0.03)  # as much ink: the same glyphs, as dark
    if modern:  # in the same places too (3.7 places glyphs at hinted advances)
        assert diff.mean() < 1.0 and (diff > 96).mean() < 0.002  # edge pixels aside
