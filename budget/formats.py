"""Formats: every number a reader sees is formatted here, so Markdown, terminal and CSV agree."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from budget import i18n

if TYPE_CHECKING:
    import pandas as pd


def as_float(x: Any) -> float:
    """A pandas or numpy scalar as a Python float (the one place a cell's type is narrowed)."""
    return float(x)


def num(x: float | None, digits: int = 1) -> str:
    """A number with thousands separators in the current language (``budget.i18n``), or ``n/a``
    for a missing one; never ``-0.0``.

    >>> num(12345.678), num(float("nan")), num(-0.001, 2)
    ('12,345.7', 'n/a', '0.00')
    """
    return i18n.num(x, digits)


def span(low: float, high: float, digits: int = 1) -> str:
    """Both ends of a range, ``low-high`` (``low to high`` where a minus sign would read as a
    dash), or one number when both ends round alike.

    >>> span(23, 25), span(-8.7, -2.7), span(3.2, 3.2, 2)
    ('23.0-25.0', '-8.7 to -2.7', '3.20')
    """
    if math.isnan(low) or math.isnan(high):
        return num(high if math.isnan(low) else low, digits)
    lo, hi = sorted((low, high))
    if num(lo, digits) == num(hi, digits):
        return num(hi, digits)
    if lo < 0:
        return i18n._("{low} to {high}").format(low=num(lo, digits), high=num(hi, digits))
    return i18n._("{low}-{high}").format(low=num(lo, digits), high=num(hi, digits))


def write_csv(df: pd.DataFrame, path: Path) -> None:
    """Write a table with 10 significant digits and a fixed line ending (byte-stable)."""
    df.to_csv(path, float_format="%.10g", lineterminator="\n")
