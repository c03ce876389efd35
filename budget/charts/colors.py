"""Stable colours for scenarios: the same name gets the same colour in every chart and every run.

A scenario's colour is one of four Okabe-Ito colours (blue, vermilion, bluish green, reddish
purple), chosen from a SHA-256 hash of its name, so it depends on nothing else: not on the
other scenarios, their order, the Python hash seed or the run. These four stay apart from each
other and from the black of history and the greys of levels and context lines under the common
colour-vision deficiencies (protanopia, deuteranopia, tritanopia), also once darkened to a 3:1
contrast on the projection's shading (``budget.charts.style.legible``). The other Okabe-Ito
colours are left out: black is the ink of history; yellow, orange and sky blue are too faint on
white and grey, and once darkened enough, orange reads as vermilion and sky blue as blue.

In a set of names drawn together, two names whose hashes pick the same colour would look
alike: :func:`looks_for` and :func:`colors_for` give the later one (in a fixed order by hash,
whatever order the names come in) its next preferred free colour, and past four names repeat the
colours with a second (third...) dash pattern.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import NamedTuple

# Okabe & Ito (2008), "Color Universal Design": blue, vermilion, bluish green, reddish purple.
PALETTE: tuple[str, ...] = ("#0072B2", "#D55E00", "#009E73", "#CC79A7")

Dash = tuple[float, tuple[float, ...]]
# A projection's first look is the plain dash; names that repeat a colour take the next ones.
DASHES: tuple[Dash, ...] = (
    (0, (4, 2)),
    (0, (1, 1.5)),
    (0, (6, 2, 1, 2)),
    (0, (8, 2)),
    (0, (3, 1.5, 1, 1.5, 1, 1.5)),
    (0, (2, 3)),
)


class Look(NamedTuple):
    """How a scenario's line is drawn: a hex colour and a matplotlib dash pattern."""

    color: str
    dash: Dash


def _digest(text: str) -> int:
    """A stable 64-bit number for ``text`` (SHA-256 of its UTF-8 bytes)."""
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def preferences(name: str) -> tuple[str, ...]:
    """The palette in ``name``'s order of preference: ranked by a hash of the name and the colour."""
    return tuple(sorted(PALETTE, key=lambda color: (_digest(f"{name}|{color}"), color)))


def scenario_color(name: str) -> str:
    """The hex colour of scenario ``name``: the Okabe-Ito colour its hash prefers.

    >>> scenario_color("cz-plan") == scenario_color("cz-plan") and scenario_color("cz-plan") in PALETTE
    True
    """
    return preferences(name)[0]


def looks_for(names: Iterable[str]) -> dict[str, Look]:
    """A :class:`Look` per name: distinct colours while there are colours left, then dash patterns.

    The names take colours one after the other in a fixed order (by hash, then name), each the
    first colour of its :func:`preferences` that no earlier name took. Once all four are taken,
    the next four names take them again with the next dash pattern, and so on. So a name keeps
    its own colour (:func:`scenario_color`) unless a name before it in that order took it, and
    the result does not depend on the order of ``names``; duplicates count once.
    """
    unique = sorted(set(names), key=lambda n: (_digest(n), n))
    out: dict[str, Look] = {}
    taken: set[str] = set()
    round_ = 0
    for n in unique:
        if len(taken) == len(PALETTE):
            taken, round_ = set(), round_ + 1
        color = next(c for c in preferences(n) if c not in taken)
        taken.add(color)
        out[n] = Look(color, DASHES[round_ % len(DASHES)])
    return out


def colors_for(names: Iterable[str]) -> dict[str, str]:
    """Each name's colour in this set (:func:`looks_for`): four names or fewer never share one."""
    return {n: look.color for n, look in looks_for(names).items()}
