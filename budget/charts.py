"""Charts: print-ready PNG figures of a projection (10 x 6 in, 150 dpi).

Every chart is a standalone ``matplotlib.figure.Figure`` with per-artist styling and no pyplot.
The chart functions and ``save`` each run inside ``rc_context(RC)``, so charts render the same
whatever the caller's rcParams, also in parallel processes (not threads: rcParams are global).
Only public matplotlib APIs are used.

Text is drawn literally, never as mathtext: "From $10 bn to $15 bn" shows its dollar signs.
Text that comes from a scenario is fitted: the title takes at most two lines, a subtitle's
first paragraph (the scenario's title) two and any other three, the source note three; longer
text is cut with an ellipsis. Non-finite numbers are skipped, never drawn or used for limits.

Money is USD billion at current prices; shares are percent of GDP (2.0 means 2 %). Colors are
the Okabe-Ito palette, readable with color-vision deficiencies and in greyscale via line styles.
"""

from __future__ import annotations

import functools
import io
import itertools
import re
import textwrap
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO, Any, ParamSpec, TypeAlias, TypeVar

import numpy as np
import pandas as pd
from matplotlib import rc_context
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont
from matplotlib.ft2font import FT2Font
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.patheffects import withStroke
from matplotlib.ticker import FuncFormatter, MultipleLocator

from budget import __version__
from budget.history import load_sources
from budget.pledges import Line, equipment_guideline, lines_for
from budget.scenario import Scenario, Target

INK, GREY, LIGHT = "#222222", "#666666", "#dddddd"
BLUE, VERMILION, GREEN, PINK, ORANGE, SKY = "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"
SCENARIO_COLORS = (BLUE, VERMILION, GREEN, PINK, ORANGE, SKY, "#F0E442")
# Reference lines: thin, and never the plain dashes that mark a projection.
REF_STYLE = {
    "nato_2pct": (GREY, (0, (1, 1.5))),
    "nato_core": (GREEN, (0, (6, 2, 1, 2))),
    "nato_total": (PINK, (0, (6, 2, 1, 2, 1, 2))),
    "cz_legal_floor": (GREY, (0, (1, 3.5))),
}
DASHED, DOTTED = (0, (4, 2)), (0, (1, 1.5))
# Scenario lines: seven colors, then the same colors with a second dash pattern (14 looks).
LOOKS = [(c, d) for d in (DASHED, (0, (1.5, 1.5))) for c in SCENARIO_COLORS]
HALO = [withStroke(linewidth=3, foreground="white")]  # keeps labels legible where lines cross
D, P = "\u2013", "\u00a0%"  # en dash for ranges; "2.0 %" with a no-break space, never split
# Short forms so the source note fits on two lines at the bottom of a chart.
ABBREVIATIONS = {
    "International Monetary Fund": "IMF",
    "World Economic Outlook database": "WEO",
    "Czech National Bank": "CNB",
    "Kurzy devizového trhu (foreign exchange market rates)": "exchange rates",
}
UNIT_NAMES = {"usd_bn": "USD", "pct_gdp": "share of GDP"}
AFTER_LAST = {"hold_share": "share of GDP held", "hold_real": "real amount held", "stop": "path stops"}

# Literal text (no mathtext) and unhinted glyphs: about a fifth less drawing time; at 150 dpi
# the text reads the same. Applied while a chart is built (text artists take ``parse_math``
# when they are made) and while it is saved (tick labels are made then).
RC: Any = {"text.parse_math": False, "text.hinting": "no_hinting"}  # Any: the stubs type keys as literals
DPI = 150
LINE_WIDTH = 0.97 * 10 * 72  # points: one line of text across the figure, 0.015 to 0.985
ELLIPSIS = "\u2026"
TITLE_SIZE, SUBTITLE_SIZE, NOTE_SIZE = 15.0, 9.5, 7.5
NOTE_LINES = 3  # the source note's most lines
LEGEND_ROWS = 10  # the most rows of a legend below the axes
# Beyond this magnitude a number is treated as missing: no amount in billions, share or rate comes
# near it, and near the float limit matplotlib's transforms overflow.
ABSURD = 1e15
GUIDE = "equipment_guideline_usd_bn"  # the equipment guideline's amount, a column of a projection

_P = ParamSpec("_P")
_R = TypeVar("_R")


def _literal(fn: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run ``fn`` inside ``rc_context(RC)``: its text artists draw literally, never as mathtext."""

    @functools.wraps(fn)
    def inner(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with rc_context(RC):
            return fn(*args, **kwargs)

    return inner


# --- Fitting text -----------------------------------------------------------------------------
# Widths are sums of the font's unhinted advance widths (kerning ignored: a few tenths of a
# percent), read once per character: measuring whole strings costs as much as drawing them.


@functools.cache
def _font(weight: str) -> FT2Font:
    font = FT2Font(findfont(FontProperties(weight=weight)))
    font.set_size(100, 72)  # advances in 1/65536 points at 100 pt
    return font


@functools.cache
def _advance(char: str, weight: str) -> float:
    """Advance width of ``char`` at 1 pt, in points."""
    return float(_font(weight).load_char(ord(char)).linearHoriAdvance) / 65536 / 100


def text_width(text: str, size: float, weight: str = "normal") -> float:
    """Width of one line of ``text`` in points at ``size`` points, drawn literally (no mathtext).

    >>> text_width("$10 bn", 10) > text_width("10 bn", 10) > 0  # "$" is a character, not mathtext
    True
    """
    return size * sum(_advance(c, weight) for c in text)


def _one_line(text: str) -> str:
    """Collapse runs of whitespace (newlines, tabs) to one space; no-break spaces stay."""
    return re.sub(r"[^\S\u00a0]+", " ", str(text)).strip()


def _prefix(text: str, width: float, size: float, weight: str, after: str = "") -> int:
    """The most leading characters of ``text`` that fit in ``width`` with ``after`` added (at least 1)."""
    lo, hi = 1, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if text_width(text[:mid] + after, size, weight) <= width:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _wrap(text: str, width: float, size: float, weight: str) -> list[str]:
    """Greedy word wrap at ``width`` points; a word wider than a line is broken.

    >>> _wrap("Scenario: " + "W" * 30, text_width("W" * 20, 10), 10, "normal")
    ['Scenario: WWWWWWWWWWWWWW', 'WWWWWWWWWWWWWWWW']
    """
    out: list[str] = []
    line = ""
    for word in text.split(" "):
        trial = f"{line} {word}" if line else word
        if text_width(trial, size, weight) <= width:
            line = trial
            continue
        if text_width(word, size, weight) <= width:
            out.append(line)
            line = word
        else:  # a word wider than a line starts on this one and is broken
            line = trial
        while len(line) > 1 and text_width(line, size, weight) > width:
            n = _prefix(line, width, size, weight)
            out.append(line[:n])
            line = line[n:]
    out.append(line)
    return out


def fit(text: str, width: float, size: float, weight: str = "normal", max_lines: int = 1, tail: str = "") -> str:
    """Wrap ``text + tail`` to ``width`` points in at most ``max_lines`` lines.

    Longer text is cut with an ellipsis, at a word where one is near, and ``tail`` is kept at
    the end. Whitespace runs (newlines too) count as one space.

    >>> fit("NATO core pledge: 3.5 % of GDP by 2035", text_width("NATO core pledge", 10), 10)
    'NATO core…'
    >>> len(fit("a" * 500, 100, 10, max_lines=2).splitlines())
    2
    """
    text, tail = _one_line(text), tail.replace("\n", " ")
    wrapped = _wrap(text + tail, width, size, weight)
    if len(wrapped) <= max_lines:
        return "\n".join(wrapped)
    kept = _wrap(text, width, size, weight)[:max_lines]
    end = ELLIPSIS + tail
    if text_width(end, size, weight) >= width:  # not even the tail fits: cut everything
        whole = text + tail
        return whole[: _prefix(whole, width, size, weight, ELLIPSIS)] + ELLIPSIS
    last = kept[-1]
    cut = last[: _prefix(last, width, size, weight, end)] if text_width(last + end, size, weight) > width else last
    if " " in cut and cut.rindex(" ") > 0.6 * len(cut) and len(cut) < len(last) and last[len(cut)] != " ":
        cut = cut[: cut.rindex(" ")]  # end on a whole word
    kept[-1] = cut.rstrip(" ,;:.\u00a0\u00b7-\u2013") + end
    return "\n".join(kept)


def _shorten(text: str, chars: int) -> str:
    """Cut ``text`` to about ``chars`` characters at a word, with an ellipsis."""
    text = _one_line(text)
    if len(text) <= chars:
        return text
    cut = text[:chars]
    if " " in cut[chars // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.") + ELLIPSIS


# --- Numbers ----------------------------------------------------------------------------------


def _finite(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every infinite or absurd float (beyond ``ABSURD``) as NaN: skipped like a gap."""
    cols = frame.select_dtypes(include=[np.floating]).columns
    with np.errstate(invalid="ignore"):
        bad = ~(np.abs(frame[cols].to_numpy(dtype=float, na_value=np.nan)) <= ABSURD)
    bad &= ~frame[cols].isna().to_numpy()
    if not bad.any():
        return frame
    out = frame.copy()  # keeps ``attrs``
    out[cols] = frame[cols].mask(bad)
    return out


def _finite_values(*parts: Any) -> np.ndarray:
    """The finite numbers among ``parts`` (arrays, frames, series, numbers), flattened."""
    arrays = [np.asarray(p, dtype=float).ravel() for p in parts]
    values = np.concatenate(arrays) if arrays else np.empty(0)
    return values[np.isfinite(values)]


def _top(*parts: Any, pad: float = 1.12) -> float:
    """Upper axis limit: the largest finite value times ``pad``; 1 where nothing finite is above 0."""
    values = _finite_values(*parts)
    top = float(values.max()) if values.size else 0.0
    if top <= 0:
        return 1.0
    return top * pad if np.isfinite(top * pad) else top


def _num(value: Any) -> float:
    """``value`` as a float; NaN if it is not a number."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def _ok(*values: Any) -> bool:
    """True when every value is a finite number."""
    try:
        return all(np.isfinite(float(v)) for v in values)
    except (TypeError, ValueError):
        return False


# --- Text of the charts -----------------------------------------------------------------------


def _short_source(sid: str) -> str:
    """Return ``publisher, title`` of a source, abbreviated, dated if the title has no year."""
    src = load_sources()[sid]
    title = src.title.split(":")[0]
    date = re.fullmatch(r"(\d{4})-(\d{2})(?:-\d{2})?", src.published)
    if date and not re.search(r"\d{4}", title):
        title += " " + pd.Timestamp(f"{date[1]}-{date[2]}-01").strftime("%b %Y")
    text = f"{src.publisher.split(' (')[0]}, {title}"
    for long, short in ABBREVIATIONS.items():
        text = text.replace(long, short)
    return text.replace("IMF, ", "IMF ").replace("CNB, ", "CNB ")


def source_note(scenarios: Scenario | Iterable[Scenario]) -> str:
    """Build the source note for the foot of a chart: data sources, plan sources, package version.

    At most ``NOTE_LINES`` lines across the figure at 7.5 pt (usually two). Each plan source is
    cut to about 90 characters; if the whole is still too long it is cut with an ellipsis, and
    the package version is kept at the end.
    """
    group = [scenarios] if isinstance(scenarios, Scenario) else list(scenarios)
    # Editions of one publication share a name: "NATO, Defence Expenditure ... (2014-2025, 2012-2019)".
    editions: dict[str, list[str]] = {}
    for text in dict.fromkeys(_short_source(i) for s in group for i in s.data.source_ids()):
        name, _, edition = text.partition(" (")
        editions.setdefault(name, []).append(edition.rstrip(")"))
    data = [f"{name} ({', '.join(e)})" if any(e) else name for name, e in editions.items()]
    plans = {
        s.name: ", ".join(filter(None, (s.plan_source.get("publisher"), s.plan_source.get("date")))) for s in group
    }
    cited = list(dict.fromkeys(_shorten(p, 90) for p in plans.values() if p))
    if own := [name for name, p in plans.items() if not p]:
        cited.append(f"{_shorten(', '.join(own), 90)}: own assumptions, no published plan")
    word = "Scenario" if len(group) == 1 else "Scenarios"
    text = f"Sources: {'; '.join(data)}. {word}: {'; '.join(cited)}"
    text += "" if text.endswith((".", ELLIPSIS)) else "."
    return fit(text, LINE_WIDTH, NOTE_SIZE, max_lines=NOTE_LINES, tail=f" Chart:\u00a0budget\u00a0{__version__}")


def _target_text(t: Target) -> str:
    """Describe a target as stated, in its own unit (its marker sits at the converted value)."""
    v = f"{t.low:g}{D}{t.high:g}" if t.is_range else f"{t.low:g}"
    text = f"{v}{P} of GDP" if t.unit == "pct_gdp" else f"{t.unit[:3].upper()} {v} bn"
    return text + (f" ({t.base_year} prices)" if t.prices == "constant" else "")


def assumptions(df: pd.DataFrame, s: Scenario) -> str:
    """One line on the path, exchange rate and GDP assumptions of a projection."""
    c, t0, end = s.data, s.data.last_data_year, s.end_year
    unit = UNIT_NAMES.get(s.path_unit, c.currency)
    last = s.targets[-1].year if s.targets else t0
    parts = [f"Path {s.method} in {unit} from {t0} through each target" if s.targets else "No targets"]
    if last < end:
        parts[0] += f", after {last}: {AFTER_LAST[s.after_last]}"
    rate = df[f"{c.cur}_per_usd"]
    if abs(rate[end] - rate[t0]) < 1e-9:
        parts.append(f"{rate[t0]:.1f}\u00a0{c.currency}/USD held ({t0} average)")
    else:
        parts.append(f"{c.currency}/USD {rate[t0 + 1]:.1f} in\u00a0{t0 + 1} to {rate[end]:.1f} in\u00a0{end}")
    proj = df.loc[t0 + 1 : end]
    imf = proj.index[proj["economy_status"] == "projection"]
    own = proj[proj["economy_status"] == "assumption"]
    gdp = c.source_of(f"gdp_{c.cur}_bn")
    text = f"GDP: {_short_source(gdp)} to {imf.max()}" if len(imf) else "GDP:"
    if len(own):
        text += (
            f"{', then' if len(imf) else ''} {own['real_gdp_growth_pct'].iloc[-1]:.1f}{P} real growth"
            f" and {own['deflator_growth_pct'].iloc[-1]:.1f}{P} GDP-deflator inflation a\u00a0year"
        )
    return "\u00a0· ".join([*parts, text])  # the no-break space keeps "·" off the start of a line


# --- Layout -----------------------------------------------------------------------------------


def _figure(title: str, subtitle: Sequence[str], note: str, ncols: int = 1, **grid: Any) -> tuple[Figure, list[Axes]]:
    """Make a 10 x 6 in figure: bold title, grey subtitle, source note, ``ncols`` axes in between.

    The title is fitted to two lines; ``subtitle`` is a list of paragraphs, the first (the
    scenario's title) fitted to two lines, the others to three. The axes move down to make room.
    """
    fig = Figure(figsize=(10, 6), facecolor="white")
    head = fit(title, LINE_WIDTH, TITLE_SIZE, "bold", max_lines=2)
    sub = "\n".join(fit(p, LINE_WIDTH, SUBTITLE_SIZE, max_lines=2 if i == 0 else 3) for i, p in enumerate(subtitle))
    below = 0.032 * head.count("\n")  # each extra title line moves everything under it down
    fig.text(0.015, 0.975, head, fontsize=TITLE_SIZE, fontweight="bold", color=INK, va="top")
    fig.text(0.015, 0.922 - below, sub, fontsize=SUBTITLE_SIZE, color="#444444", va="top", linespacing=1.4)
    fig.text(0.015, 0.012, note, fontsize=NOTE_SIZE, color=GREY, va="bottom", linespacing=1.3)
    top = 0.85 - below - 0.033 * sub.count("\n") - grid.pop("titles", 0)  # room for the subtitle's lines
    bottom = 0.14 + 0.022 * max(0, note.count("\n") - 1)  # and for a third line of the note
    layout = {"left": 0.075, "right": 0.86, "bottom": bottom, "top": top, "wspace": 0.28} | grid
    return fig, list(fig.subplots(1, ncols, squeeze=False, gridspec_kw=layout)[0])


Entry: TypeAlias = Artist | tuple[Artist, str]  # a legend handle, or a handle and a tail its label keeps when cut


def _legend_below(fig: Figure, entries: Sequence[Entry], more: str = "") -> None:
    """Put a legend between the axes and the source note, and make room for it.

    Up to 12 entries: two columns at 8.5 pt. More: three or four columns at 7 pt, at most
    ``LEGEND_ROWS`` rows; entries beyond those are counted in a last one ("+ 4 more``more``").
    Each label is cut to one line of its column, keeping the entry's tail.
    """
    items = [e if isinstance(e, tuple) else (e, "") for e in entries]
    if len(items) <= 12:
        ncols, size, style = 2, 8.5, {"labelspacing": 0.5}
    else:
        ncols, size = min(4, max(3, -(-len(items) // LEGEND_ROWS))), 7.0
        style = {"labelspacing": 0.3, "handlelength": 1.8, "handletextpad": 0.5, "columnspacing": 1.2}
        if len(items) > ncols * LEGEND_ROWS:
            hidden = len(items) - ncols * LEGEND_ROWS + 1
            items = [*items[: ncols * LEGEND_ROWS - 1], (Line2D([], [], lw=0, label=f"+ {hidden} more{more}"), "")]
    handle = (style.get("handlelength", 2.0) + style.get("handletextpad", 0.8) + style.get("columnspacing", 2.0)) * size
    width = 0.915 * 10 * 72 / ncols - handle - size  # points for a label: the legend starts at 0.07
    handles = []
    for artist, tail in items:
        artist.set_label(fit(str(artist.get_label()), width, size, tail=tail))
        handles.append(artist)
    rows = -(-len(handles) // ncols)
    note_lines = fig.texts[2].get_text().count("\n") + 1
    row = size * (1.25 + style["labelspacing"]) / 72 / 6  # figure fraction per legend row
    top = 0.025 + 0.022 * note_lines + row * rows
    fig.axes[0].get_gridspec().update(bottom=top + 0.075)  # type: ignore[union-attr]
    for ax in fig.axes:  # update() moves only pyplot-managed axes
        ax.set_position(ax.get_subplotspec().get_position(fig))  # type: ignore[union-attr]
    fig.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.07, top),
        ncols=ncols,
        frameon=False,
        fontsize=size,
        borderaxespad=0,
        **style,
    )


def _style(ax: Axes, ylabel: str, first: int, end: int) -> None:
    """Quiet axes: y grid only, no top/right spine, ticks every 5 years."""
    ax.spines[["top", "right"]].set_visible(False)
    ax.spines[["left", "bottom"]].set_color(GREY)
    ax.grid(axis="y", color=LIGHT, linewidth=0.8)
    ax.set_axisbelow(True)
    ax.tick_params(labelsize=9, colors=INK, length=3)
    ax.xaxis.set_major_locator(MultipleLocator(5))
    # A mark for every year: one line collection, not 22 minor Tick objects (a seventh of a chart's time).
    years = [y for y in range(first, end + 1) if y % 5]
    ax.vlines(years, 0, -0.012, transform=ax.get_xaxis_transform(), colors=GREY, lw=0.8, clip_on=False)
    ax.set_xlim(first - 0.6, end + 0.6)
    ax.set_ylabel(ylabel, fontsize=9.5, color=INK)


def _mark_projection(ax: Axes, t0: int, end: int) -> None:
    """Light shading from the last data year on, labelled on both sides of the divider."""
    ax.axvspan(t0, end + 0.6, color="#f2f2f2", zorder=0, lw=0)
    ax.axvline(t0, color=GREY, lw=0.8, zorder=1)
    kw: dict[str, Any] = {"transform": ax.get_xaxis_transform(), "fontsize": 8.5, "color": GREY, "va": "top"}
    ax.text(t0 - 0.3, 0.985, "← NATO data", ha="right", **kw)
    ax.text(t0 + 0.3, 0.985, "Projection →", ha="left", **kw)


# --- Chart parts ------------------------------------------------------------------------------


def _defense_line(
    ax: Axes, df: pd.DataFrame, col: str, t0: int, color: str, history: bool = True, ls: object = DASHED
) -> None:
    """History solid (estimates with hollow markers), projection dashed from the last data year."""
    if history:
        h = df.loc[:t0, [col, "status"]]
        ax.plot(h.index, h[col], color=color, lw=2.2, zorder=4)
        for status, face in (("actual", color), ("estimate", "white")):
            pts = h[h["status"] == status]
            ax.plot(pts.index, pts[col], "o", ms=4.5, color=color, mfc=face, mew=1.4, zorder=5)
    p = df.loc[t0:, col]
    ax.plot(p.index, p, color=color, lw=2.2, ls=ls, zorder=4)
    if (df[f"{col}_high"] - df[f"{col}_low"]).abs().max() > 1e-9:
        ax.fill_between(
            p.index, df.loc[t0:, f"{col}_low"], df.loc[t0:, f"{col}_high"], color=color, alpha=0.2, lw=0, zorder=2
        )


def _targets(ax: Axes, df: pd.DataFrame, col: str, s: Scenario) -> None:
    """Targets at their converted value (the path passes through them), labelled as stated."""
    for t in s.targets:
        lo, hi = _num(df.loc[t.year, f"{col}_low"]), _num(df.loc[t.year, f"{col}_high"])
        if not _ok(lo, hi):
            continue
        if t.is_range:
            ax.errorbar(
                t.year, (lo + hi) / 2, yerr=(hi - lo) / 2, color=VERMILION, lw=2, capsize=5, capthick=2, zorder=6
            )
        else:
            ax.plot(t.year, hi, "D", ms=7, color=VERMILION, mec="white", mew=1, zorder=6)
        ax.annotate(
            _target_text(t),
            (t.year, hi),
            xytext=(-7, 7),
            textcoords="offset points",
            ha="right",
            fontsize=8.5,
            color=VERMILION,
            fontweight="bold",
            zorder=7,
            path_effects=HALO,
        )
    if s.after_last == "stop" and s.targets and s.targets[-1].year < s.end_year:  # a gap, not missing data
        t = s.targets[-1]
        if _ok(df.loc[t.year, col]):
            ax.annotate(
                f"path stops after {t.year}",
                (t.year, df.loc[t.year, col]),
                xytext=(8, -4),
                textcoords="offset points",
                va="top",
                fontsize=8.5,
                color=GREY,
                style="italic",
                path_effects=HALO,
            )


def _spread(labels: list[list[Any]], gap: float, floor: float, ceiling: float) -> None:
    """Nudge the labels' heights (``label[0]``) apart by ``gap``, above ``floor``, then back under ``ceiling``."""
    for item in sorted(labels, key=lambda item: item[0]):
        item[0] = floor = max(item[0], floor + gap)
    for item in sorted(labels, key=lambda item: -item[0]):
        item[0] = ceiling = min(item[0], ceiling)
        ceiling -= gap


def _draws(sim: pd.DataFrame, col: str) -> pd.Series:
    """A column of ``budget.simulate`` at the upper end of the range (``<col>_high``), as charts draw it."""
    return sim[f"{col}_high"] if f"{col}_high" in sim else sim.get(col, pd.Series(np.nan, index=sim.index))


def _lines(s: Scenario, df: pd.DataFrame, unit: str) -> list[tuple[Line, str]]:
    """The lines that bind the scenario's country, with the column of each one's path in ``unit``."""
    return [(line, f"{line.id}_path_{unit}") for line in lines_for(s.data) if f"{line.id}_path_{unit}" in df]


def _references(ax: Axes, df: pd.DataFrame, s: Scenario, unit: str, end: int, mono: bool = False) -> None:
    """The reference lines' paths (NATO's, a national floor), labelled directly at the right edge
    (labels nudged apart so none overlap).

    ``mono`` draws them grey, for charts whose colors belong to scenarios.
    """
    labels: list[list[Any]] = []
    for line, col in _lines(s, df, unit):
        color, ls = REF_STYLE.get(line.id, (GREY, ":"))
        color = GREY if mono else color
        y = df[col]
        ax.plot(y.index, y, color=color, ls=ls, lw=1.4, zorder=3)
        if _ok(y.get(end)):
            by = f" by {line.year}" if line.year > s.data.last_data_year else ""
            labels.append([float(y[end]), (line.short_label + by).replace(" %", P), color])
    lo, hi = ax.get_ylim()
    labels.sort(key=lambda item: item[0])
    gap, floor = (hi - lo) * 0.075, lo
    for item in labels:
        item[0] = floor = max(item[0], floor + gap)
    for y, text, color in labels:
        ax.annotate(
            "\n".join(textwrap.wrap(text, 16)),
            (end, y),
            xytext=(end + 0.9, y),
            va="center",
            fontsize=8,
            color=color,
            fontweight="bold",
            annotation_clip=False,
            linespacing=1.1,
        )


def _legend(ax: Axes, s: Scenario, actual: str, extra: Iterable[Artist] = ()) -> None:
    """Legend of the data styles, top left, where history sits low (the lines label themselves)."""
    ranged = any(t.is_range for t in s.targets)
    estimates = ", ".join(map(str, s.data.statuses("defense_pct_gdp").loc[lambda x: x == "estimate"].index))
    handles: list[Artist] = [
        Line2D([], [], color=BLUE, lw=2.2, marker="o", ms=4.5, label=actual),
        Line2D(
            [],
            [],
            color=BLUE,
            lw=2.2,
            marker="o",
            ms=4.5,
            mfc="white",
            label=f"NATO estimate ({estimates})" if estimates else "NATO estimate",
        ),
        Line2D(
            [], [], color=BLUE, lw=2.2, ls=DASHED, label="Projection (upper end of range)" if ranged else "Projection"
        ),
    ]
    if ranged:
        handles.append(Patch(color=BLUE, alpha=0.2, lw=0, label="Projection range (low to high target)"))
    if s.targets:
        handles.append(Line2D([], [], color=VERMILION, marker="D", ls="none", ms=6, label="Stated target"))
    ax.legend(handles=[*handles, *extra], loc="upper left", bbox_to_anchor=(0, 0.94), frameon=False, fontsize=8.5)


def _level_chart(df: pd.DataFrame, s: Scenario, ax: Axes | None, unit: str) -> Figure:
    """Draw defense spending in ``unit`` ("usd_bn" or "pct_gdp"): the body of the next two charts."""
    df = _finite(df)
    t0, first, end, col, share = (
        s.data.last_data_year,
        int(df.index[0]),
        s.end_year,
        f"defense_{unit}",
        unit == "pct_gdp",
    )
    if ax is None:
        what = "as a share of GDP" if share else "in US dollars"
        _, (ax,) = _figure(
            f"{s.data.name}'s defense spending {what}, {first}{D}{end}",
            [f"Scenario: {s.title}", assumptions(df, s)],
            source_note(s),
        )
    _style(ax, "% of GDP" if share else "USD billion, current prices", first, end)
    _mark_projection(ax, t0, end)
    ax.set_ylim(0, _top(df[[f"{col}_high", *(c for _, c in _lines(s, df, unit))]]))
    extra: list[Artist] = []
    if share:  # The Hague 5 % = 3.5 % core defense + up to 1.5 % resilience: shade the part between.
        if {"nato_core_path_pct_gdp", "nato_total_path_pct_gdp"} <= set(df.columns):
            core, total = df.loc[t0:, "nato_core_path_pct_gdp"], df.loc[t0:, "nato_total_path_pct_gdp"]
            ax.fill_between(core.index, core, total, color=PINK, alpha=0.12, lw=0, zorder=1)
        extra = [
            Patch(
                color=PINK,
                alpha=0.25,
                lw=0,
                label="Up to 1.5 % resilience and security-related\nspending within the 5 % (not core defense)",
            )
        ]
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g} %"))
    _defense_line(ax, df, col, t0, BLUE)
    if share and s.resilience is not None:  # the scenario's own core + resilience, kept apart from core
        total = df.loc[t0:, "total_pct_gdp"]
        ax.plot(total.index, total, color=PINK, lw=2.2, ls=DASHED, zorder=4)
        extra.append(Line2D([], [], color=PINK, lw=2.2, ls=DASHED, label="Projection: core + resilience"))
    _targets(ax, df, col, s)
    _references(ax, df, s, unit, end)
    # USD history is derived: NATO's share of GDP x IMF GDP, converted at CNB annual rates.
    _legend(ax, s, "NATO data" if share else "NATO % of GDP x IMF GDP, at CNB rates", extra)
    return ax.get_figure()  # type: ignore[return-value]


# --- Charts -----------------------------------------------------------------------------------


@_literal
def plot_spending(df: pd.DataFrame, scenario: Scenario, ax: Axes | None = None) -> Figure:
    """Defense spending in USD billion at current prices: history, projection, targets, NATO lines.

    Draws into ``ax`` if given (no title or source note), else into a new titled 10 x 6 in figure.
    """
    return _level_chart(df, scenario, ax, "usd_bn")


@_literal
def plot_share(df: pd.DataFrame, scenario: Scenario, ax: Axes | None = None) -> Figure:
    """Defense spending in percent of GDP, with the NATO 2 %, 3.5 % core and 5 % total paths.

    Draws into ``ax`` if given (no title or source note), else into a new titled 10 x 6 in figure.
    """
    return _level_chart(df, scenario, ax, "pct_gdp")


@_literal
def plot_procurement(df: pd.DataFrame, scenario: Scenario) -> Figure:
    """Major-equipment spending, USD billion at current prices: each year, and summed over the projection.

    History is NATO's equipment share times defense spending where NATO's share is available;
    missing years stay blank (never zero). The projection is a band from the low to the high share.
    """
    df = _finite(df)
    s, t0, first, end = scenario, scenario.data.last_data_year, int(df.index[0]), scenario.end_year
    lo, hi = s.procurement_low_pct, s.procurement_high_pct
    fig, (ax, cum) = _figure(
        f"{s.data.name}'s spending on major equipment, {first}{D}{end}",
        [
            f"Scenario: {s.title}",
            f"Projection: {lo:g}{D}{hi:g}{P} of defense spending on major equipment incl. "
            f"related R&D\u00a0· {assumptions(df, s)}",
        ],
        source_note(s),
        ncols=2,
        width_ratios=[2, 1],
        right=0.97,
        titles=0.03,
    )
    _style(ax, "USD billion, current prices", first, end)
    _mark_projection(ax, t0, end)
    hist = df.loc[:t0, "procurement_usd_bn_low"]
    known, missing = hist.dropna(), hist.index[hist.isna()]
    est = (s.data.statuses("equipment_pct_defense").reindex(known.index) == "estimate").to_numpy()
    ax.bar(known.index, known, width=0.7, color=BLUE, edgecolor=BLUE, zorder=3)
    ax.bar(known.index[est], known[est], width=0.7, color="white", edgecolor=BLUE, lw=1.4, zorder=3)
    if len(missing):  # a gap, not zeros: NATO's shares for these years are not in the data
        a, b = missing.min(), missing.max()
        ax.axvspan(a - 0.45, b + 0.45, facecolor="none", edgecolor="#e2e2e2", hatch="//", lw=0, zorder=0.5)
        ax.text(
            (a + b) / 2,
            0.72,
            f"No data\n{a}{D}{b}:\nNATO equipment\nshares missing",
            ha="center",
            va="center",
            transform=ax.get_xaxis_transform(),
            fontsize=8.5,
            color=GREY,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 3},
        )
    p = df.loc[t0 + 1 :]
    ax.fill_between(
        p.index, p["procurement_usd_bn_low"], p["procurement_usd_bn_high"], color=BLUE, alpha=0.3, lw=0, zorder=3
    )
    # The equipment guideline (NATO members): its share of the central defense path.
    guideline = equipment_guideline(s.data) if GUIDE in df else None
    guide = df[GUIDE] if guideline is not None else pd.Series(np.nan, index=df.index)
    if guideline is not None:
        ax.plot(guide.index, guide, color=VERMILION, ls=DOTTED, lw=1.8, zorder=4)
    ax.set_ylim(0, _top(df["procurement_usd_bn_high"], guide, pad=1.15))
    # Below the panels: the band can rise anywhere in the projection, so no corner is safe.
    estimates = ", ".join(map(str, known.index[est]))
    handles: list[Artist] = [
        Patch(color=BLUE, label="NATO data (equipment share x defense spending)"),
        Patch(facecolor="white", edgecolor=BLUE, label=f"NATO estimate ({estimates})"),
        Patch(color=BLUE, alpha=0.3, lw=0, label=f"Projection: {lo:g}{D}{hi:g}{P} of projected defense spending"),
    ]
    if guideline is not None:
        label = guideline.label.split(" (")[0] + " (of the central path)"
        handles.append(Line2D([], [], color=VERMILION, ls=DOTTED, lw=1.8, label=label))
    _legend_below(fig, [h for i, h in enumerate(handles) if i != 1 or estimates])
    ax.set_title("Each year", fontsize=10, loc="left", color=INK, fontweight="bold")
    # Summed in current prices from the first projection year; ends early if the path stops.
    c = df.loc[t0 + 1 : end, ["procurement_usd_bn_low", "procurement_usd_bn_high"]].assign(guide=guide)
    c = c.cumsum(skipna=False).dropna(subset=["procurement_usd_bn_low", "procurement_usd_bn_high"])
    _style(cum, "USD billion, current prices, summed", t0 + 1, end)
    cum.set_xticks(range(t0 + 1, end + 1, max(1, (end - t0 + 2) // 4)))
    cum.fill_between(c.index, c.iloc[:, 0], c.iloc[:, 1], color=BLUE, alpha=0.3, lw=0)
    cum.plot(c.index, c.iloc[:, 2], color=VERMILION, ls=DOTTED, lw=1.8)
    if len(c) and _ok(c.iloc[-1, 0], c.iloc[-1, 1]):
        last = int(c.index[-1])
        early = last - t0 < (end - t0) / 2  # a path that stops early: the label goes right of its end
        low, high = _num(c.iloc[-1, 0]), _num(c.iloc[-1, 1])
        cum.annotate(
            f"USD {low:.0f}{D}{high:.0f} bn\nin {t0 + 1}{D}{last}",
            (last, high),
            xytext=(4 if early else -4, 6),
            textcoords="offset points",
            ha="left" if early else "right",
            fontsize=9,
            color=BLUE,
            fontweight="bold",
        )
    cum.set_ylim(0, _top(c, pad=1.2))
    cum.set_title(f"Summed from {t0 + 1}", fontsize=10, loc="left", color=INK, fontweight="bold")
    return fig


@_literal
def plot_comparison(projections: dict[str, tuple[Scenario, pd.DataFrame]]) -> Figure:
    """Every scenario: defense in USD billion (current prices) and in percent of GDP.

    History (the same data in every scenario) is drawn once in black; the NATO lines, which
    depend only on the last data year's share, are drawn in grey in the share panel. Every
    scenario is drawn; with many, the legend takes up to five columns in a smaller font.
    """
    projections = {name: (s, _finite(df)) for name, (s, df) in projections.items()}
    items = list(projections.values())
    s0, df0 = max(items, key=lambda item: item[0].end_year)  # history and NATO lines from the longest
    t0, first, end = s0.data.last_data_year, int(df0.index[0]), s0.end_year
    fig, (usd, pct) = _figure(
        f"{s0.data.name}'s defense spending: scenarios compared",
        [
            "Each scenario's path follows its own targets and economy assumptions; history "
            "is NATO data, the same in every scenario" + (f" ({len(items)} scenarios)" if len(items) > 12 else "")
        ],
        source_note(s for s, _ in items),
        ncols=2,
        right=0.87,
    )
    looks = dict(zip(projections, itertools.cycle(LOOKS)))
    colors = {name: look[0] for name, look in looks.items()}
    for ax, col, label in (
        (usd, "defense_usd_bn", "USD billion, current prices"),
        (pct, "defense_pct_gdp", "% of GDP"),
    ):
        _style(ax, label, first, end)
        _mark_projection(ax, t0, end)
        refs = [df0[c] for _, c in _lines(s0, df0, "pct_gdp")] if ax is pct else []
        tops = [df[[f"{col}_high", col.replace("defense", "total")]] for _, df in items]
        ax.set_ylim(0, _top(*tops, *refs))
        _defense_line(ax, df0, col, t0, INK)
        for name, (s, df) in projections.items():
            _defense_line(ax, df, col, t0, colors[name], history=False, ls=looks[name][1])
            if s.resilience is not None:  # core + resilience, thin, in the same color
                total = df.loc[t0:, col.replace("defense", "total")]
                ax.plot(total.index, total, color=colors[name], lw=1.2, ls=looks[name][1], zorder=4)
    _references(pct, df0, s0, "pct_gdp", end, mono=True)
    pct.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g} %"))
    handles: list[Entry] = [Line2D([], [], color=INK, lw=2.2, marker="o", ms=4.5, label="NATO data (hollow: estimate)")]
    handles += [
        (
            Line2D([], [], color=colors[n], lw=2.2, ls=looks[n][1], label=s.title),
            "; thin: + resilience" if s.resilience else "",
        )
        for n, (s, _) in projections.items()
    ]
    if any(t.is_range for s, _ in items for t in s.targets):
        handles.append(Patch(color=GREY, alpha=0.25, lw=0, label="Range between low and high targets"))
    _legend_below(fig, handles, more=" scenarios: see comparison.csv")
    return fig


@_literal
def plot_fan(sim: pd.DataFrame, df: pd.DataFrame, s: Scenario) -> Figure:
    """Fan chart of ``budget.simulate``: 5th-95th percentile band and median, % of GDP and USD bn.

    History is NATO data; the NATO lines sit in the share panel with the probability of being
    at or above each in the end year.
    """
    sim, df = _finite(sim), _finite(df)
    t0, first, end = s.data.last_data_year, int(df.index[0]), s.end_year
    sd = sim.attrs.get("draws", 0)
    fig, (pct, usd) = _figure(
        f"How certain is the path? {s.data.name}, {first}{D}{end}",
        [
            f"Scenario: {s.title}",
            f"{sd:,} random draws of real growth, GDP-deflator growth and the "
            f"{s.data.currency}/USD rate around the scenario's assumptions: median and 5th{D}95th percentiles",
        ],
        source_note(s),
        ncols=2,
        right=0.97,
        wspace=0.58,
    )
    # A USD target is certain in USD: show what is uncertain then, the amount in local currency.
    cur = s.data.cur
    money, money_label = (
        ("defense_usd_bn", "USD billion, current prices")
        if s.path_unit != "usd_bn"
        else (f"defense_{cur}_bn", f"{s.data.currency} billion, current prices")
    )
    for ax, col, label in ((pct, "defense_pct_gdp", "% of GDP"), (usd, money, money_label)):
        _style(ax, label, first, end)
        _mark_projection(ax, t0, end)
        h = df.loc[:t0, col]
        ax.plot(h.index, h, color=INK, lw=2.2, zorder=4)
        lo, mid, hi = (pd.concat([df.loc[[t0], col], _draws(sim, f"{col}_{q}")]) for q in ("p05", "p50", "p95"))
        ax.fill_between(lo.index, lo, hi, color=BLUE, alpha=0.25, lw=0, zorder=2)
        ax.plot(mid.index, mid, color=BLUE, lw=2.2, ls=DASHED, zorder=4)
        refs = [df[c] for _, c in _lines(s, df, "pct_gdp")] if ax is pct else []
        ax.set_ylim(0, _top(hi, h, *refs))
    pct.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g} %"))
    _references(pct, df, s, "pct_gdp", end, mono=True)
    text = "\n".join(
        f"P(meets {line.short_label}) in {end}: "
        + (f"{p:.0%}" if _ok(p := _num(_draws(sim, f"prob_meets_{line.id}").get(end))) else "n/a")
        for line in lines_for(s.data)
    )
    pct.text(
        0.02,
        0.80,
        text,
        transform=pct.transAxes,
        fontsize=8.5,
        color=INK,
        va="top",
        bbox={"facecolor": "white", "edgecolor": LIGHT, "pad": 4},
    )
    _legend_below(
        fig,
        [
            Line2D([], [], color=INK, lw=2.2, label="NATO data"),
            Line2D([], [], color=BLUE, lw=2.2, ls=DASHED, label="Median of the draws"),
            Patch(color=BLUE, alpha=0.25, lw=0, label="90 % of draws (5th to 95th percentile)"),
            Line2D([], [], color=GREY, ls=DOTTED, lw=1.4, label="NATO lines (grey)"),
        ],
    )
    return fig


@_literal
def plot_sensitivity(sens: pd.DataFrame, s: Scenario) -> Figure:
    """Tornado chart of ``budget.uncertainty.sensitivity``: end-year result and procurement.

    Where the table has rows for both ends of a target range, the upper end is drawn, as in the
    other charts.
    """
    attrs = dict(sens.attrs)
    if isinstance(sens.index, pd.MultiIndex):
        ends = sens.index.get_level_values(-1)
        sens = sens[ends == ("high" if "high" in set(ends) else ends[0])].droplevel(-1)
    sens = _finite(sens)
    sens.attrs = attrs
    ranged = any(t.is_range for t in s.targets)
    unit = sens.attrs.get("metric_unit", "")
    metric = sens.columns[1].rsplit("_", 1)[0]
    year = metric.rsplit("_", 1)[1]
    what = f"share of GDP in {year}" if unit.startswith("%") else f"defense spending in {year}"
    fig, axes = _figure(
        f"What matters most? {s.data.name}'s {what}",
        [
            f"Scenario: {s.title}",
            "Each driver one standard deviation down (light) and up (dark), "
            "the others at the scenario's assumptions; procurement share from its low to its high end"
            + ("; upper end of the target range" if ranged else ""),
        ],
        source_note(s),
        ncols=2,
        right=0.97,
        left=0.3,
        wspace=0.12,
        titles=0.03,
    )
    order = (sens.iloc[:, 2] - sens.iloc[:, 0]).abs().sort_values().index
    labels = ["\n".join(textwrap.wrap(str(d), 34)) for d in order]
    panels = (
        (axes[0], sens.columns[:3], f"{year}, {unit}"),
        (axes[1], sens.columns[3:], f"Procurement {sens.attrs['procurement_years'].replace('-', D)}, USD bn"),
    )
    for ax, cols, title in panels:
        data = sens.loc[order, list(cols)]
        middle = _finite_values(data.iloc[:, 1])
        base = _num(data.iloc[0, 1])
        if not _ok(base):  # the scenario's own result is missing: centre on the others
            base = float(np.median(middle)) if middle.size else 0.0
        y = range(len(order))
        ax.barh(y, (data.iloc[:, 0] - base).fillna(0), left=base, color=SKY, height=0.6, zorder=3)
        ax.barh(y, (data.iloc[:, 2] - base).fillna(0), left=base, color=BLUE, height=0.6, zorder=3)
        ax.axvline(base, color=INK, lw=1)
        for i, (lo, hi) in enumerate(zip(data.iloc[:, 0], data.iloc[:, 2], strict=True)):
            for v in (lo, hi):
                if _ok(v) and abs(v - base) > 1e-9:
                    ax.annotate(
                        f"{v:.2f}" if unit.startswith("%") and ax is axes[0] else f"{v:.1f}",
                        (v, i),
                        xytext=(4 if v > base else -4, 0),
                        textcoords="offset points",
                        ha="left" if v > base else "right",
                        va="center",
                        fontsize=8.5,
                        color=INK,
                    )
        ax.set_yticks(list(y), labels if ax is axes[0] else [""] * len(labels), fontsize=9)
        ax.spines[["top", "right", "left"]].set_visible(False)
        ax.grid(axis="x", color=LIGHT, lw=0.8)
        ax.set_axisbelow(True)
        ax.tick_params(labelsize=9, colors=INK, length=0)
        ax.set_title(title, fontsize=10, loc="left", color=INK, fontweight="bold")
        deviations = _finite_values(data.iloc[:, [0, 2]] - base)
        span = max(float(np.abs(deviations).max()) if deviations.size else 0.0, abs(base) * 0.02, 1e-9)
        ax.set_xlim(base - span * 1.35, base + span * 1.35)
        ax.set_xlabel(
            f"centre line: scenario as stated ({base:.2f})"
            if ax is axes[0] and unit.startswith("%")
            else f"centre line: scenario as stated ({base:.1f})",
            fontsize=8.5,
            color=GREY,
        )
    return fig


@_literal
def plot_compare(projections: dict[str, tuple[Scenario, pd.DataFrame]]) -> Figure:
    """Scenarios against the first (the baseline): spending, and the difference each year.

    Left: defense in USD billion at current prices, history once in black, the baseline thick.
    Right: each year's spending minus the baseline's (USD billion, current prices; the zero line
    is the baseline), each line labelled at its end with the total difference summed over the
    projection (``budget.compare.compare``). When there are too many lines to label (more than
    eight), the totals go into the legend instead.
    """
    from budget.compare import compare

    projections = {name: (s, _finite(df)) for name, (s, df) in projections.items()}
    table = _finite(compare(projections))
    (_, (sb, dfb)), *others = projections.items()
    items = list(projections.values())
    s0, df0 = max(items, key=lambda item: item[0].end_year)  # history from the longest
    t0, first, end = s0.data.last_data_year, int(df0.index[0]), int(table.index[-1])
    p0 = int(table.index[0])
    direct = len(others) <= 8  # end labels 11 % of the panel's height apart: nine fit, the baseline's too
    totals: dict[str, str] = {}  # each scenario's difference summed over the projection
    for name, _ in others:
        cum = table[f"{name}__cumulative_diff_usd_bn"].dropna()
        if len(cum):
            total = round(float(cum.iloc[-1]), 1) + 0.0
            text = f"{total:+,.1f} bn".replace("-", "\u2212") if total else "no difference"
            if direct:
                totals[name] = f"{text}\nsummed {p0}{D}{cum.index[-1]}"
            else:
                totals[name] = text if cum.index[-1] == end else f"{text} to {cum.index[-1]}"
    where = "the label at the end of each line adds them up" if direct else "the legend gives their sum"
    fig, (usd, diff) = _figure(
        f"{s0.data.name}'s defense spending: scenarios against a baseline",
        [
            f"Baseline (thick grey): {sb.title}",
            f"Right: each scenario's spending minus the baseline's, year by year; {where} over {t0 + 1}{D}{end}",
        ],
        source_note(s for s, _ in items),
        ncols=2,
        right=0.85,
        wspace=0.27,
        width_ratios=[1.3, 1],
        titles=0.03,
    )
    looks = dict(zip([n for n, _ in others], itertools.cycle(LOOKS)))
    colors = {name: look[0] for name, look in looks.items()}
    _style(usd, "USD billion, current prices", first, end)
    _mark_projection(usd, t0, end)
    usd.set_ylim(0, _top(*(df["defense_usd_bn_high"] for _, df in items), *(df["defense_usd_bn"] for _, df in items)))
    _defense_line(usd, df0, "defense_usd_bn", t0, INK)
    _defense_line(usd, dfb, "defense_usd_bn", t0, GREY, history=False, ls="-")
    usd.lines[-1].set_linewidth(3.4)
    for name, (_, df) in others:
        _defense_line(usd, df, "defense_usd_bn", t0, colors[name], history=False, ls=looks[name][1])
    _style(diff, "Scenario minus baseline,\nUSD billion, current prices", p0, end)
    diff.set_xlim(t0 - 0.4, end + 0.6)
    diff.axhline(0, color=GREY, lw=3.4, zorder=3)
    labels: list[list[Any]] = [[0.0, "Baseline", GREY, end]]
    for ax, title in ((usd, "Defense spending"), (diff, "More (+) or less (\u2212) than the baseline")):
        ax.set_title(title, fontsize=10, loc="left", color=INK, fontweight="bold")
    for name, _ in others:
        d = pd.concat([pd.Series({t0: 0.0}), table[f"{name}__diff_usd_bn"]]).dropna()
        diff.plot(d.index, d, color=colors[name], lw=2.2, ls=looks[name][1], zorder=4)
        diff.plot(d.index[1:], d.iloc[1:], "o", ms=3.5, color=colors[name], zorder=5)
        if direct and name in totals:
            labels.append([float(d.iloc[-1]), totals[name], colors[name], d.index[-1]])
    values = _finite_values(table[[f"{n}__diff_usd_bn" for n, _ in others]])
    lo, hi = min(0.0, float(values.min(initial=0.0))), max(0.0, float(values.max(initial=0.0)))
    pad = max(hi - lo, 1.0) * 0.12
    diff.set_ylim(lo - pad, hi + pad)
    # Nudge the end labels apart so none overlap, then back under the top.
    _spread(labels, (hi - lo + 2 * pad) * 0.11, lo - pad - 1, hi + pad)
    for y, text, color, x in labels:
        diff.annotate(
            text,
            (x, y),
            xytext=(x + 0.6, y),
            va="center",
            fontsize=8,
            color=color,
            fontweight="bold",
            annotation_clip=False,
            linespacing=1.1,
            path_effects=HALO,
        )
    diff.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:+g}".replace("-", "\u2212") if v else "0"))
    handles: list[Entry] = [
        Line2D([], [], color=INK, lw=2.2, marker="o", ms=4.5, label="NATO data (hollow: estimate)"),
        Line2D([], [], color=GREY, lw=3.4, label=f"Baseline: {sb.title}"),
    ]
    handles += [
        (
            Line2D([], [], color=colors[n], lw=2.2, ls=looks[n][1], label=s.title),
            "" if direct or n not in totals else f" ({totals[n]})",
        )
        for n, (s, _) in others
    ]
    if any(t.is_range for s, _ in items for t in s.targets):
        handles.append(Patch(color=GREY, alpha=0.25, lw=0, label="Range between low and high targets"))
    _legend_below(fig, handles, more=" scenarios: see compare.csv")
    return fig


# --- Writing ----------------------------------------------------------------------------------


def warm_up() -> None:
    """Load the fonts, the glyph widths and the PNG writer once, so that worker processes forked
    afterwards start warm.
    """
    fig = Figure(figsize=(1, 1))
    fig.text(0, 0, "0 %", fontsize=8)
    fig.text(0, 0.5, "0", fontweight="bold")
    save(fig, io.BytesIO())
    for weight in ("normal", "bold"):  # the characters of the bundled charts' text
        text_width(
            "".join(map(chr, range(32, 127))) + "\u00a0\u2013\u2212\u2026\u00b7\u2190\u2192\u2265áčďéěíňóřšťúůýž",
            10,
            weight,
        )


@_literal
def save(fig: Figure, path: str | Path | IO[bytes]) -> None:
    """Write ``fig`` as a PNG at 150 dpi with no software or time metadata (byte-stable output).

    zlib level 1: about a tenth less time than the default, and files about 10 % larger.
    The figure is cleared afterwards (it is not registered with pyplot: this frees its artists).
    """
    fig.savefig(path, dpi=DPI, metadata={"Software": None}, pil_kwargs={"compress_level": 1})
    fig.clear()
