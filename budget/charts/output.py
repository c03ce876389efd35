"""Output: write a figure as byte-stable PNG, SVG or PDF files, and warm the fonts up before worker
processes fork.

Which formats a run writes is a process-wide setting (``use_formats``), like the language
(``budget.i18n``): set once per run and per worker, so that every chart module keeps calling
``save(fig, folder / "name.png")`` and gets ``name.png``, ``name.svg`` and ``name.pdf`` as asked.
"""

from __future__ import annotations

import gc
import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont
from PIL import Image

from budget.charts.glyphs import Canvas, glyph
from budget.charts.style import DPI, RC, text_width
from budget.options import FORMATS

# The characters of the bundled charts' text.
CHARACTERS = "".join(map(chr, range(32, 127))) + "\u00a0\u2013\u2212\u2026\u00b7\u2190\u2192\u21b3\u2265áčďéěíňóřšťúůýž"


def warm_up() -> None:
    """Load the fonts, the glyph widths and outlines and the PNG writer once, so that worker
    processes forked afterwards start warm; then ``gc.freeze()`` what is loaded, so that the
    garbage collector of this process and of those it forks no longer scans it at every
    collection (a tenth of a chart's time went to scanning the imported libraries).
    """
    fig = Figure(figsize=(1, 1))
    fig.text(0, 0, "0 %", fontsize=8)
    fig.text(0, 0.5, "0", fontweight="bold")
    save(fig, io.BytesIO())
    for weight in ("normal", "bold"):
        text_width(CHARACTERS, 10, weight)
        for style in ("normal", "italic"):
            path = findfont(FontProperties(weight=weight, style=style))
            for char in CHARACTERS:
                glyph(path, char)
    gc.collect()
    gc.freeze()


_formats: tuple[str, ...] = ("png",)
# Vector files without dates or random ids: two runs write the same bytes. Text is drawn as paths
# in SVG (the file needs no fonts) and embedded as Type 42 fonts in PDF.
VECTOR_RC: Any = {"svg.hashsalt": "budget", "svg.fonttype": "path", "pdf.fonttype": 42}
VECTOR_METADATA = {"svg": {"Date": None, "Creator": None}, "pdf": {"CreationDate": None, "Creator": None}}


def formats() -> tuple[str, ...]:
    """The file formats ``save`` writes now (``png`` by default)."""
    return _formats


def set_formats(names: Sequence[str]) -> None:
    """Make ``save`` write each of ``names`` (a subset of ``FORMATS``; ``ValueError`` otherwise)."""
    global _formats
    bad = [n for n in names if n not in FORMATS]
    if bad or not names:
        raise ValueError(f"format {', '.join(bad) or '(none)'} is not one of {', '.join(FORMATS)}")
    _formats = tuple(dict.fromkeys(names))


@contextmanager
def use_formats(names: Sequence[str]) -> Iterator[None]:
    """Write ``names`` inside the ``with`` block, then the previous formats again."""
    before = _formats
    set_formats(names)
    try:
        yield
    finally:
        set_formats(before)


def save(fig: Figure, path: str | Path | IO[bytes]) -> None:
    """Write ``fig`` to ``path`` (a file object: PNG only) and, for every other format of
    ``formats()``, beside it with that suffix (``spending.png`` -> ``spending.svg``); without
    ``png`` in ``formats()`` no PNG is written.
    """
    if not isinstance(path, str | Path):
        _png(fig, path)
        return
    path = Path(path)
    for fmt in _formats:
        target = path.with_suffix(f".{fmt}")
        if fmt == "png":
            _png(fig, target)
        else:
            with rc_context({**RC, **VECTOR_RC}):
                fig.savefig(target, format=fmt, dpi=DPI, metadata=VECTOR_METADATA[fmt])


def _png(fig: Figure, path: str | Path | IO[bytes]) -> None:
    """Write ``fig`` as a PNG at 150 dpi with no software or time metadata (byte-stable output).

    Drawn on ``budget.charts.glyphs.Canvas`` (text filled as cached glyph outlines) inside
    ``rc_context(RC)``, then written by Pillow as RGB (the figure is opaque: a quarter less to
    compress than RGBA) at zlib level 1 (about a tenth less time than the default, files about
    10 % larger). The figure's dpi is set to 150; it is left as drawn (it is not registered
    with pyplot: dropping it frees its artists; clearing it first would cost a tenth of a
    chart's time).
    """
    fig.set_dpi(DPI)
    canvas = Canvas(fig)
    with rc_context(RC):
        canvas.draw()
    width, height = canvas.get_width_height(physical=True)
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1).convert("RGB")
    image.save(path, format="png", dpi=(DPI, DPI), compress_level=1)
