"""Style: palette, line looks, sizes, the rcParams charts run in, text fitting and number guards.

Widths of text are sums of the font's unhinted advance widths (kerning ignored: a few tenths of
a percent), read once per character: measuring whole strings costs as much as drawing them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

import numpy as np
import pandas as pd
from matplotlib import rc_context
from matplotlib.colors import to_hex, to_rgb
from matplotlib.font_manager import FontProperties, findfont
from matplotlib.ft2font import FT2Font
from matplotlib.patheffects import withStroke
from matplotlib.ticker import ScalarFormatter

from budget.i18n import language, short

INK, GREY, LIGHT = "#222222", "#666666", "#dddddd"
BLUE, VERMILION, GREEN, PINK, ORANGE, SKY = "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"
SCENARIO_COLORS = (BLUE, VERMILION, GREEN, PINK, ORANGE, SKY, "#F0E442")
DASHED, DOTTED = (0, (4, 2)), (0, (1, 1.5))
# Reference lines: a line's level is thin and solid, the path to it dash-dotted; never the plain
# dashes that mark a projection.
LEVEL_STYLE, PATH_STYLE = "-", (0, (6, 2, 1, 2))
REF_WIDTH = 1.5
# Scenario lines: seven colors, then the same colors with a second dash pattern (14 looks).
LOOKS = [(c, d) for d in (DASHED, (0, (1.5, 1.5))) for c in SCENARIO_COLORS]
HALO = [withStroke(linewidth=3, foreground="white")]  # keeps labels legible where lines cross
SHADE = "#f2f2f2"  # the projection's background
BAND_ALPHA = 0.2  # a range band: its line's color at this opacity
LINE_CONTRAST, TEXT_CONTRAST = 3.0, 4.5  # least contrast ratios (WCAG 2: graphics, text)
D, P = "\u2013", "\u00a0%"  # en dash for ranges; "2.0 %" with a no-break space, never split
ELLIPSIS = "\u2026"

# Literal text (no mathtext) and unhinted glyphs: about a fifth less drawing time; at 150 dpi
# the text reads the same. Applied while a chart is built (text artists take ``parse_math``
# when they are made) and while it is saved (tick labels are made then).
RC: Any = {"text.parse_math": False, "text.hinting": "no_hinting"}  # Any: the stubs type keys as literals
DPI = 150
LINE_WIDTH = 0.97 * 10 * 72  # points: one line of text across the figure, 0.015 to 0.985
TITLE_SIZE, SUBTITLE_SIZE, NOTE_SIZE = 15.0, 9.5, 7.5
NOTE_LINES = 3  # the source note's most lines
LEGEND_ROWS = 10  # the most rows of a legend below the axes
# Beyond this magnitude a number is treated as missing: no amount in billions, share or rate comes
# near it, and near the float limit matplotlib's transforms overflow.
ABSURD = 1e15

_P = ParamSpec("_P")
_R = TypeVar("_R")


def literal(fn: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run ``fn`` inside ``rc_context(RC)``: its text artists draw literally, never as mathtext."""

    @functools.wraps(fn)
    def inner(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with rc_context(RC):
            return fn(*args, **kwargs)

    return inner


# --- Fitting text -----------------------------------------------------------------------------


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


def one_line(text: str) -> str:
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


def wrap(text: str, width: float, size: float, weight: str = "normal") -> list[str]:
    """Greedy word wrap at ``width`` points; a word wider than a line is broken.

    >>> wrap("Scenario: " + "W" * 30, text_width("W" * 20, 10), 10, "normal")
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


ONE_LETTER = re.compile(r"(?<![\w.])([AIKOSUVZaikosuvz]) ")  # Czech prepositions and conjunctions


def fit(text: str, width: float, size: float, weight: str = "normal", max_lines: int = 1, tail: str = "") -> str:
    """Wrap ``text + tail`` to ``width`` points in at most ``max_lines`` lines.

    Longer text is cut with an ellipsis, at a word where one is near, and ``tail`` is kept at
    the end. Whitespace runs (newlines too) count as one space. In Czech a one-letter word is
    joined to the next by a no-break space, as Czech typesetting requires.

    >>> fit("NATO core pledge: 3.5 % of GDP by 2035", text_width("NATO core pledge", 10), 10)
    'NATO core…'
    >>> len(fit("a" * 500, 100, 10, max_lines=2).splitlines())
    2
    """
    text, tail = one_line(text), tail.replace("\n", " ")
    if language() == "cs":  # Czech typesetting: a one-letter word never ends a line ("o 2 510 mld.")
        text = ONE_LETTER.sub("\\1\u00a0", text)
    wrapped = wrap(text + tail, width, size, weight)
    if len(wrapped) <= max_lines:
        return "\n".join(wrapped)
    kept = wrap(text, width, size, weight)[:max_lines]
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


def shorten(text: str, chars: int) -> str:
    """Cut ``text`` to about ``chars`` characters at a word, with an ellipsis."""
    text = one_line(text)
    if len(text) <= chars:
        return text
    cut = text[:chars]
    if " " in cut[chars // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.") + ELLIPSIS


# --- Contrast ---------------------------------------------------------------------------------


def luminance(color: str) -> float:
    """Relative luminance of ``color`` (WCAG 2: 0 black, 1 white)."""
    channels = np.asarray(to_rgb(color), dtype=float)
    linear = np.where(channels <= 0.04045, channels / 12.92, ((channels + 0.055) / 1.055) ** 2.4)
    return float(linear @ np.array([0.2126, 0.7152, 0.0722]))


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two colors, 1 (the same) to 21 (black on white).

    >>> round(contrast("#000000", "#ffffff"), 1), round(contrast("#666666", SHADE), 1)
    (21.0, 5.1)
    """
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def over(color: str, alpha: float, background: str) -> str:
    """``color`` at opacity ``alpha`` laid over ``background``, as drawn."""
    top_, bottom = np.asarray(to_rgb(color)), np.asarray(to_rgb(background))
    mixed = alpha * top_ + (1 - alpha) * bottom
    return to_hex((float(mixed[0]), float(mixed[1]), float(mixed[2])))


@functools.cache
def legible(color: str, ratio: float = LINE_CONTRAST, *backgrounds: str) -> str:
    """``color``, darkened towards black in steps of 2 % just enough to reach ``ratio`` against
    every one of ``backgrounds`` (default: white, the projection's shading, and the shading under
    ``color``'s own range band); ``color`` itself where it already does.

    >>> legible("#0072B2") == "#0072B2", legible("#E69F00") != "#E69F00"
    (True, True)
    """
    grounds = backgrounds or ("#ffffff", SHADE, over(color, BAND_ALPHA, SHADE))
    rgb = np.asarray(to_rgb(color))
    for step in range(51):
        r, g, b = (float(v) * (1 - 0.02 * step) for v in rgb)
        shade = to_hex((r, g, b))
        if all(contrast(shade, g) >= ratio for g in grounds):
            return color if step == 0 else shade
    return INK


# --- Numbers ----------------------------------------------------------------------------------


def finite(frame: pd.DataFrame) -> pd.DataFrame:
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


def finite_values(*parts: Any) -> np.ndarray:
    """The finite numbers among ``parts`` (arrays, frames, series, numbers), flattened."""
    arrays = [np.asarray(p, dtype=float).ravel() for p in parts]
    values = np.concatenate(arrays) if arrays else np.empty(0)
    return values[np.isfinite(values)]


def top(*parts: Any, pad: float = 1.12) -> float:
    """Upper axis limit: the largest finite value times ``pad``; 1 where nothing finite is above 0."""
    values = finite_values(*parts)
    high = float(values.max()) if values.size else 0.0
    if high <= 0:
        return 1.0
    return high * pad if np.isfinite(high * pad) else high


def num(value: Any) -> float:
    """``value`` as a float; NaN if it is not a number."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def ok(*values: Any) -> bool:
    """True when every value is a finite number."""
    try:
        return all(np.isfinite(float(v)) for v in values)
    except (TypeError, ValueError):
        return False


def localized(text: str) -> str:
    """A number matplotlib formatted (``3.5``, ``-2``) in the current language's format: ``3,5``
    and a minus sign in Czech; itself in English.
    """
    return text.replace(".", ",").replace("-", "\u2212") if language() == "cs" else text


class Numbers(ScalarFormatter):
    """Tick labels as matplotlib's plain formatter writes them, in the current language's format
    (``localized``): ``2.5`` in English, ``2,5`` in Czech.
    """

    def __call__(self, x: float, pos: int | None = None) -> str:
        """The label of the tick at ``x``."""
        return localized(super().__call__(x, pos))


def percent(v: float, _pos: object = None) -> str:
    """An axis tick in percent, in the current language: ``3.5 %`` / ``3,5 %`` (no-break space)."""
    return f"{short(v)}{P}"


def span(low: float, high: float, fmt: Callable[[float], str]) -> str:
    """``low–high`` formatted by ``fmt``, or one number where both read the same.

    >>> span(0.6, 0.95, "{:.2f}".format), span(1.0, 1.0, "{:.0%}".format)
    ('0.60–0.95', '100%')
    """
    lo, hi = fmt(low), fmt(high)
    return lo if lo == hi else f"{lo}{D}{hi}"
