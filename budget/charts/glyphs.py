"""Glyphs: an Agg canvas that fills text as cached glyph outlines, drawn like any other path.

matplotlib 3.11's Agg renderer rasterizes text one glyph at a time in Python (about 0.12 ms a
glyph; 3.7 did it in C): with a thousand characters on a chart, that was half its drawing
time. ``Canvas`` draws the same text from outlines it reads once per character and font
(``FT2Font.load_char`` / ``get_path``), placed by the font's advance widths and kerning pairs
(``FT2Font.get_kerning``), and fills each line with ``RendererAgg.draw_path``. The same
advances and the outlines' control boxes measure each line for matplotlib's text layout (as
FreeType measures it: widths agree with matplotlib's own to a few thousandths of a percent), so
where each line goes (alignment, rotation, line spacing) is still matplotlib's layout; only
ligatures are not formed (as in matplotlib 3.7). A string with a character the font lacks, or
mathtext, is measured and drawn by matplotlib's own text renderer. Public APIs only: a
``FigureCanvasAgg`` subclass that makes a ``RendererAgg`` subclass overriding ``draw_text`` and
``get_text_width_height_descent``.
"""

from __future__ import annotations

import functools
from typing import Any, NamedTuple

import matplotlib.ft2font as ft
import numpy as np
from matplotlib.backend_bases import GraphicsContextBase
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.font_manager import FontProperties, findfont
from matplotlib.path import Path
from matplotlib.transforms import Affine2D

# matplotlib 3.10 moved the flags into enums; 3.7 has the module constants.
NO_HINTING: Any = getattr(getattr(ft, "LoadFlags", None), "NO_HINTING", None) or getattr(ft, "LOAD_NO_HINTING", 2)
UNSCALED: Any = getattr(getattr(ft, "Kerning", None), "UNSCALED", None) or getattr(ft, "KERNING_UNSCALED", 2)
SCALE = 100.0  # outlines are read at 100 pt (72 dpi: units are points)
BLANKS = " \u00a0\u2002\u2003\u2009"


@functools.cache
def face(path: str) -> ft.FT2Font:
    """The font file at ``path``, sized to ``SCALE``."""
    font = ft.FT2Font(path)
    font.set_size(SCALE, 72)
    return font


@functools.cache
def glyph(path: str, char: str) -> tuple[int, float, np.ndarray, np.ndarray] | None:
    """Glyph index, advance (points at 100 pt), outline vertices and codes of ``char``; None if
    the font has no glyph for it.
    """
    font = face(path)
    index = font.get_char_index(ord(char))
    if index == 0 and char not in BLANKS:
        return None
    loaded = font.load_char(ord(char), flags=NO_HINTING)
    verts, codes = font.get_path()
    return index, loaded.linearHoriAdvance / 65536, np.asarray(verts, dtype=float), np.asarray(codes, dtype=np.uint8)


@functools.cache
def kerning(path: str, left: int, right: int) -> float:
    """The kerning between two glyphs, points at 100 pt."""
    font = face(path)
    kern: Any = font.get_kerning  # the stubs type glyph indices as their own int type
    return float(kern(left, right, UNSCALED)) / font.units_per_EM * SCALE


class Line(NamedTuple):
    """One line of text laid out at 100 pt, in points."""

    shape: Path | None  # the outline, the baseline's left end at (0, 0); None where nothing is inked
    width: float  # the advances and kerning: what matplotlib's text layout measures
    top: float  # the top and bottom of the outline's control box (``FT_Glyph_Get_CBox``), as
    bottom: float  # matplotlib measures a line's height and descent


@functools.lru_cache(maxsize=8192)
def layout(path: str, text: str) -> Line | None:
    """One line of ``text`` in the font at ``path``, at 100 pt; None if the font lacks a character."""
    verts, codes = [], []
    x, previous, top, bottom = 0.0, None, -np.inf, np.inf
    for char in text:
        found = glyph(path, char)
        if found is None:
            return None
        index, advance, v, c = found
        if previous is not None:
            x += kerning(path, previous, index)
        if len(v):
            verts.append(v + (x, 0.0))
            codes.append(c)
            top, bottom = max(top, float(v[:, 1].max())), min(bottom, float(v[:, 1].min()))
        x += advance
        previous = index
    if not verts:
        return Line(None, x, 0.0, 0.0)
    return Line(Path(np.concatenate(verts), np.concatenate(codes)), x, top, bottom)


FILES: dict[tuple[object, ...], str] = {}


def font_file(prop: FontProperties) -> str:
    """``findfont(prop)``, looked up once per set of properties (the size aside)."""
    key = (
        tuple(prop.get_family()),
        prop.get_style(),
        prop.get_variant(),
        prop.get_weight(),
        prop.get_stretch(),
        prop.get_file(),
    )
    found = FILES.get(key)
    if found is None:
        found = FILES[key] = findfont(prop)
    return found


class Renderer(RendererAgg):
    """``RendererAgg`` that fills plain text as glyph outlines."""

    def draw_text(
        self,
        gc: GraphicsContextBase,
        x: float,
        y: float,
        s: str,
        prop: FontProperties,
        angle: float,
        ismath: Any = False,
        mtext: Any = None,
    ) -> None:
        """Draw one line of text with its baseline's left end at ``x``, ``y`` (y downwards)."""
        found = None if ismath else layout(font_file(prop), s)
        if found is None:
            super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
            return
        if found.shape is None:
            return
        scale = prop.get_size_in_points() * self.dpi / 72 / SCALE
        where = Affine2D().scale(scale).rotate_deg(angle).translate(x, self.height - y)
        gc.set_linewidth(0)
        self.draw_path(gc, found.shape, where, gc.get_rgb())

    def get_text_width_height_descent(self, s: str, prop: FontProperties, ismath: Any) -> tuple[float, float, float]:
        """Width, height and descent of one line of plain text in pixels, from the glyphs' metrics."""
        found = None if ismath else layout(font_file(prop), s)
        if found is None:
            return super().get_text_width_height_descent(s, prop, ismath)
        scale = prop.get_size_in_points() * self.dpi / 72 / SCALE
        return found.width * scale, (found.top - found.bottom) * scale, -found.bottom * scale


class Canvas(FigureCanvasAgg):
    """``FigureCanvasAgg`` drawing with ``Renderer``."""

    glyph_renderer: Renderer | None = None

    def get_renderer(self, *args: Any, **kwargs: Any) -> Renderer:
        """The renderer, made anew when the figure's size or dpi changes."""
        w, h = self.get_width_height(physical=True)
        r = self.glyph_renderer
        if r is None or (r.width, r.height, r.dpi) != (w, h, self.figure.dpi):
            r = self.glyph_renderer = Renderer(w, h, self.figure.dpi)
        self.renderer = r
        return r
