"""Placement: labels stacked beside the ends of lines, as near their lines as they can be without
overlapping.

Positions are in any one unit (the charts use points); each label is ``height`` tall and centred
on its position. Labels keep the order of the values they label.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def _isotonic(values: Sequence[float]) -> list[float]:
    """The non-decreasing sequence nearest ``values`` in the least-squares sense (pool adjacent violators)."""
    blocks: list[list[float]] = []  # [mean, count]
    for v in values:
        blocks.append([float(v), 1.0])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            (m1, n1), (m2, n2) = blocks.pop(-2), blocks.pop()
            blocks.append([(m1 * n1 + m2 * n2) / (n1 + n2), n1 + n2])
    out: list[float] = []
    for mean, count in blocks:
        out += [mean] * int(count)
    return out


def stack(wanted: Sequence[float], height: float, low: float, high: float) -> list[float]:
    """Centres for labels ``height`` tall wanted at ``wanted``: at least ``height`` apart, inside
    [``low``, ``high``] (centres ``height / 2`` in from the ends), moved as little as possible
    (least squares), in the order of ``wanted``. Where they cannot all fit, the gap shrinks to
    what fits. Returns the centres in the order given.

    >>> stack([0.0, 0.0, 10.0], 2.0, -100.0, 100.0)
    [-1.0, 1.0, 10.0]
    >>> stack([5.0, 5.0], 2.0, 0.0, 5.0)
    [2.0, 4.0]
    """
    n = len(wanted)
    if n == 0:
        return []
    lo, hi = low + height / 2, high - height / 2
    gap = height if n == 1 or hi - lo >= (n - 1) * height else max(hi - lo, 0.0) / (n - 1)
    order = sorted(range(n), key=lambda i: (wanted[i], i))
    # With q_i = p_i - i * gap the gaps become "q non-decreasing": an isotonic regression, and the
    # ends' bounds become bounds on every q, which clipping the regression meets optimally.
    shifted = _isotonic([wanted[i] - k * gap for k, i in enumerate(order)])
    top = max(hi - (n - 1) * gap, lo)
    out = [0.0] * n
    for k, i in enumerate(order):
        out[i] = float(np.clip(shifted[k], lo, top)) + k * gap
    return out
