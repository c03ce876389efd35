"""Place: labels put where they cross no drawn line and no other text, from measured extents.

A label is measured as it will be drawn: ``Text.get_window_extent`` with the renderer that saves
the charts (``budget.charts.glyphs.Renderer``), in pixels, once the axes' layout is final (call
these last, after the legend below has moved the axes). The lines are the axes' ``Line2D``
paths in pixels, each segment tested against the label's box (grown by the halo's width).

- ``place``: try a label's candidate positions in order and keep the first that lies inside the
  axes, crosses no line and overlaps no other text; where none does, the least bad.
- ``stack``: labels beside the right end of their lines, nudged apart vertically by their
  measured heights so none overlaps another.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Annotation, Text
from matplotlib.transforms import Bbox

from budget.charts.glyphs import Renderer

PAD = 4.0  # pixels around a label: its halo, and air
NEAR = 16.0  # points: a label farther from its point than this gets a leader
LEADER: dict[str, Any] = {"arrowstyle": "-", "color": "#666666", "lw": 0.6, "shrinkA": 1.5, "shrinkB": 5.0}
NONE = ("None", "none", "", " ")


@functools.cache
def renderer(dpi: float) -> Renderer:
    """A renderer that measures text as ``budget.charts.output.save`` draws it, at ``dpi``."""
    return Renderer(1, 1, dpi)


def extent(text: Text) -> Bbox:
    """The pixel box of ``text`` as it will be drawn (its figure's dpi): the text alone, without
    an annotation's leader.
    """
    fig = text.get_figure()
    r = renderer(fig.dpi if isinstance(fig, Figure) else 150.0)
    if isinstance(text, Annotation):
        text.update_positions(r)
    return Text.get_window_extent(text, r)


def segments(ax: Axes, skip: Iterable[Line2D] = ()) -> np.ndarray:
    """The pixel segments (x0, y0, x1, y1) of ``ax``'s visible lines, markers-only lines and
    ``skip`` left out; segments with a missing end are gaps and left out too.
    """
    skipped = set(map(id, skip))
    parts = []
    for line in ax.get_lines():
        if id(line) in skipped or not line.get_visible() or line.get_linestyle() in NONE:
            continue
        xy = np.asarray(line.get_xydata(), dtype=float)
        if len(xy) < 2:
            continue
        px = line.get_transform().transform(xy)
        seg = np.hstack([px[:-1], px[1:]])
        parts.append(seg[np.isfinite(seg).all(axis=1)])
    return np.vstack(parts) if parts else np.empty((0, 4))


def crossings(box: Bbox, segs: np.ndarray, pad: float = PAD) -> int:
    """How many of ``segs`` pass through ``box`` grown by ``pad`` (Liang-Barsky clipping)."""
    if not len(segs):
        return 0
    x0, y0, x1, y1 = box.x0 - pad, box.y0 - pad, box.x1 + pad, box.y1 + pad
    dx, dy = segs[:, 2] - segs[:, 0], segs[:, 3] - segs[:, 1]
    lo, hi = np.zeros(len(segs)), np.ones(len(segs))
    inside = np.ones(len(segs), dtype=bool)
    for p, q in ((-dx, segs[:, 0] - x0), (dx, x1 - segs[:, 0]), (-dy, segs[:, 1] - y0), (dy, y1 - segs[:, 1])):
        parallel = np.abs(p) < 1e-12
        inside &= ~(parallel & (q < 0))
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.where(parallel, 0.0, q / np.where(parallel, 1.0, p))
        lo = np.where(~parallel & (p < 0), np.maximum(lo, t), lo)
        hi = np.where(~parallel & (p > 0), np.minimum(hi, t), hi)
    return int(np.count_nonzero(inside & (lo <= hi)))


def overlaps(box: Bbox, others: Iterable[Bbox], pad: float = PAD / 2) -> int:
    """How many of ``others`` overlap ``box`` (each grown by ``pad``)."""
    return sum(
        box.x0 - pad < o.x1 and o.x0 < box.x1 + pad and box.y0 - pad < o.y1 and o.y0 < box.y1 + pad for o in others
    )


def texts_near(ax: Axes, skip: Text | None = None) -> list[Bbox]:
    """Boxes of the visible texts in ``ax`` and of the figure's texts that sit over it (a key in
    the axes, a note above them), to keep labels apart from.
    """
    fig = ax.get_figure()
    found = [t for t in ax.texts if t is not skip]
    if isinstance(fig, Figure):
        found += [t for t in fig.texts if t is not skip]
    area = ax.bbox
    boxes = [extent(t) for t in found if t.get_visible() and t.get_text().strip()]
    return [b for b in boxes if b.overlaps(area)]


def place(ax: Axes, label: Text, candidates: Sequence[Mapping[str, Any]], segs: np.ndarray, taken: list[Bbox]) -> Bbox:
    """Move ``label`` to the first of ``candidates`` (properties for ``Text.update``: a position,
    alignment; ``xy``: an annotation's point) inside ``ax`` that crosses none of ``segs`` and
    overlaps none of ``taken``; where none is free, to the one with the fewest conflicts. Adds
    its box to ``taken`` and returns it.
    """
    area = ax.bbox
    best: tuple[int, int, Bbox] | None = None
    for i, props in enumerate(candidates):
        _move(label, props)
        box = extent(label)
        out = box.x0 < area.x0 - 1 or box.x1 > area.x1 + 1 or box.y0 < area.y0 - 1 or box.y1 > area.y1 + 1
        score = 100 * out + crossings(box, segs) + 10 * overlaps(box, taken)
        if best is None or score < best[0]:
            best = (score, i, box)
        if score == 0:
            break
    assert best is not None, "place needs a candidate"
    _move(label, candidates[best[1]])
    taken.append(best[2])
    return best[2]


def _move(label: Text, props: Mapping[str, Any]) -> None:
    """Apply a candidate: ``xy`` moves an annotation's point, the rest are ``Text`` properties."""
    rest = dict(props)
    if "xy" in rest and isinstance(label, Annotation):
        label.xy = rest.pop("xy")
    label.update(rest)


def around(dx: float = 7.0, dy: float = 7.0) -> list[dict[str, Any]]:
    """Candidate offsets (points) of a label around its point, nearest first: the four diagonals
    (above left first), then straight above, below, left and right, then each farther out.
    """
    out = []
    for k in (1.0, 1.8, 2.8, 4.0, 5.5):
        for sx, sy in ((-1, 1), (1, 1), (1, -1), (-1, -1), (0, 1), (0, -1), (-1, 0), (1, 0)):
            out.append(
                {
                    "position": (sx * dx * k, sy * dy * k * (1.0 if sx else 0.8)),
                    "ha": "right" if sx < 0 else "left" if sx > 0 else "center",
                    "va": "bottom" if sy > 0 else "top" if sy < 0 else "center",
                }
            )
    return out


def lead(label: Annotation) -> None:
    """Show ``label``'s leader (made with ``arrowprops=LEADER``) from the corner of the label nearest
    its point, where the label sits farther than ``NEAR`` points from it; hide it otherwise.
    """
    arrow = label.arrow_patch
    if arrow is None:
        return
    dx, dy = label.xyann
    far = (dx * dx + dy * dy) ** 0.5 > NEAR
    arrow.set_visible(far)
    if far and label.arrowprops is not None:
        corner = {"left": 0.0, "center": 0.5, "right": 1.0}
        rows = {"bottom": 0.0, "center": 0.5, "baseline": 0.0, "center_baseline": 0.5, "top": 1.0}
        label.arrowprops["relpos"] = (corner[label.get_horizontalalignment()], rows[label.get_verticalalignment()])


def stack(ax: Axes, labels: Sequence[Annotation], gap: float = 2.0) -> None:
    """Nudge ``labels`` (annotations of points at their lines' right ends, offset in points,
    ``va="center"``) apart vertically so that no two overlap, keeping their order and staying
    within the axes' height where they fit.
    """
    if not labels:
        return
    fig = ax.get_figure()
    scale = 72 / (fig.dpi if isinstance(fig, Figure) else 150.0)  # points per pixel
    items: list[tuple[float, float, Annotation]] = []  # (wanted centre, height) in pixels, the label
    for label in labels:
        items.append((float(ax.transData.transform(label.xy)[1]), extent(label).height, label))
    items.sort(key=lambda item: item[0])
    centres = [y for y, _h, _label in items]
    floor = ax.bbox.y0
    for i, (y, h, _label) in enumerate(items):  # up from the bottom
        centres[i] = max(y, floor + h / 2)
        floor = centres[i] + h / 2 + gap
    ceiling = ax.bbox.y1
    for i in reversed(range(len(items))):  # then down from the top
        h = items[i][1]
        centres[i] = min(centres[i], ceiling - h / 2)
        ceiling = centres[i] - h / 2 - gap
    for (anchor, _h, label), y in zip(items, centres, strict=True):
        label.xyann = (label.xyann[0], (y - anchor) * scale)
