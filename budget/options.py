"""Command-line options: each function parses one option's text, or says what is allowed
(``argparse.ArgumentTypeError``, which argparse prints with the usage and exit status 2).

Kept apart from the CLI so that ``budget --help`` imports neither matplotlib nor pandas.
"""

from __future__ import annotations

import argparse
from pathlib import Path

FORMATS = ("png", "svg", "pdf")  # chart file formats (budget.charts.output writes them)


def draws(text: str) -> int:
    """``--draws``: a whole number from 0 (no simulation) to 10,000,000."""
    from budget.uncertainty import MAX_DRAWS

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 0 <= value <= MAX_DRAWS:
        raise argparse.ArgumentTypeError(f"{value} is outside 0-{MAX_DRAWS:,} (0 turns the simulation off)")
    return value


def seed(text: str) -> int:
    """``--seed``: a whole number from 0 to 2**63 - 1."""
    from budget.uncertainty import MAX_SEED

    if not text.isdigit() or int(text) > MAX_SEED:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number from 0 to {MAX_SEED}")
    return int(text)


def out_folder(text: str) -> Path:
    """``--out``: a folder, or a path that does not exist yet (bad input, exit 2, otherwise)."""
    from budget.scenario import ScenarioError

    out = Path(text)
    if out.exists() and not out.is_dir():
        raise ScenarioError([(str(out), "--out", "exists and is not a folder")])
    return out


def lang(text: str) -> str:
    """``--lang``: one of the languages with a catalog."""
    from budget.i18n import LANGS

    if text not in LANGS:
        raise argparse.ArgumentTypeError(f"{text!r} is not one of {', '.join(LANGS)}")
    return text


def formats(text: str) -> tuple[str, ...]:
    """``--format``: comma-separated chart formats."""
    names = tuple(dict.fromkeys(t.strip().lower() for t in text.split(",") if t.strip()))
    bad = [n for n in names if n not in FORMATS]
    if bad or not names:
        raise argparse.ArgumentTypeError(f"{text!r}: each format must be one of {', '.join(FORMATS)}")
    return names


def names(text: str) -> tuple[str, ...]:
    """``--highlight``: comma-separated scenario names (checked against the run's by ``budget.report.run``)."""
    return tuple(dict.fromkeys(t.strip() for t in text.split(",") if t.strip()))


def days(text: str) -> int:
    """``--max-age``: a whole number of days, 0 or more."""
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of days (0 or more)")
    return int(text)
