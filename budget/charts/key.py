"""Keys: legends drawn as plain artists, a sample and a label per entry, at computed positions.

A ``matplotlib.legend.Legend`` lays its entries out in nested boxes at every draw, measuring each
label several times over (a third of a chart's drawing time went there). A key puts each
entry's sample (a line, a marker, a patch) and its label on a grid fixed in points from an
anchor: columns a fixed pitch apart, filled column by column, rows one line apart. Nothing is
measured. The labels are fitted beforehand (``budget.charts.frame``); every label is a ``Text``
with the gid ``key`` (``key:axes`` for a key inside the axes).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from matplotlib.artist import Artist
from matplotlib.figure import Figure, SubFigure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.transforms import Affine2D, ScaledTranslation, Transform

from budget.charts.style import INK, text_width

HANDLE, PAD, GAP = 2.0, 0.8, 2.0  # sample, gap to the label, gap between columns: font sizes, as a Legend
LINE = 1.2  # a row's text height, in font sizes


def anchored(fig: Figure | SubFigure, x: float, y: float, where: Transform) -> Transform:
    """Points measured from the point (``x``, ``y``) of ``where`` (axes or figure fractions)."""
    affine: Any = where  # axes and figure fractions are affine (the stubs type them as any transform)
    return Affine2D().scale(1 / 72) + fig.dpi_scale_trans + ScaledTranslation(x, y, affine)


def sample(entry: Artist, x: float, y: float, length: float, size: float, transform: Transform) -> list[Artist]:
    """The artists that show ``entry`` at (``x``, ``y``) points, ``length`` points long."""
    if isinstance(entry, Patch):
        box = Rectangle((x, y - 0.35 * size), length, 0.7 * size, transform=transform)
        box.update_from(entry)
        box.set_transform(transform)
        return [box]
    if isinstance(entry, Line2D):
        if entry.get_linewidth() == 0 and entry.get_marker() in ("None", "none", "", " ", None):
            return []
        line = Line2D([x, x + length / 2, x + length], [y, y, y], transform=transform)
        line.update_from(entry)
        line.set_transform(transform)
        line.set_markevery([1])  # one marker, in the middle, as a Legend draws it
        return [line]
    return []


def key(
    fig: Figure | SubFigure,
    entries: Sequence[Artist],
    x: float,
    y: float,
    where: Transform,
    ncols: int = 1,
    size: float = 8.5,
    spacing: float = 0.5,
    pitch: float = 0.0,
    handle: float = HANDLE,
    pad: float = PAD,
    gap: float = GAP,
    inset: float = 0.0,
    gid: str = "key",
) -> None:
    """Draw ``entries`` (artists with labels) as a key whose top left corner is ``inset`` points
    right of and below the point (``x``, ``y``) of ``where``: ``ncols`` columns filled column by
    column, each as wide as its widest label plus ``gap`` font sizes (or ``pitch`` points), at
    ``size`` points with ``spacing`` font sizes between rows.
    """
    transform = Affine2D().translate(inset, -inset) + anchored(fig, x, y, where)
    rows = -(-len(entries) // ncols)
    step = size * (LINE + spacing)
    lefts = [0.0]
    for col in range(ncols - 1):  # each column as wide as its widest label (read from the font), or ``pitch``
        labels = [str(e.get_label()) for e in entries[col * rows : (col + 1) * rows]]
        widest = max((text_width(s, size) for s in labels if not s.startswith("_")), default=0.0)
        lefts.append(lefts[-1] + (pitch or (handle + pad + gap) * size + widest))
    for i, entry in enumerate(entries):
        col, row = divmod(i, rows)
        left, mid = lefts[col], -(row * step + size * LINE / 2)
        for artist in sample(entry, left, mid, handle * size, size, transform):
            fig.add_artist(artist)
        label = str(entry.get_label())
        if label and not label.startswith("_"):
            fig.text(
                left + (handle + pad) * size,
                mid,
                label,
                transform=transform,
                fontsize=size,
                color=INK,
                va="center",
                ha="left",
                gid=gid,
            )
