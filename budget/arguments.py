"""Argument checks for the public functions: a wrong type or value names the argument.

The package's functions are called from notebooks as much as from the CLI, so a bad argument
should fail at the door with ``TypeError``/``ValueError`` naming it, not deep in numpy.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def scenario_arg(value: Any, name: str = "scenario") -> Any:
    """Return ``value`` if it is a ``Scenario``; else ``TypeError`` saying how to make one."""
    from budget.scenario import Scenario

    if not isinstance(value, Scenario):
        hint = (
            " (load it first: budget.load_scenario(path))"
            if isinstance(value, str | bytes) or hasattr(value, "__fspath__")
            else ""
        )
        raise TypeError(f"{name}: expected a budget.Scenario, got {type(value).__name__} {value!r:.80}{hint}")
    return value


def whole_number(value: Any, name: str, low: int, high: int) -> int:
    """Return ``value`` as ``int`` if it is a whole number in ``low..high``; else ``TypeError``
    (not a whole number) or ``ValueError`` (outside the range), naming ``name``.

    >>> whole_number(5, "draws", 1, 10)
    5
    >>> whole_number(-1, "seed", 0, 2**63 - 1)
    Traceback (most recent call last):
    ...
    ValueError: seed: -1 is outside 0-9223372036854775807
    """
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise TypeError(f"{name}: expected a whole number, got {type(value).__name__} {value!r:.80}")
    if not low <= value <= high:
        raise ValueError(f"{name}: {value} is outside {low}-{high}")
    return int(value)


def available_memory() -> int | None:
    """Bytes of memory available to a new allocation (Linux ``MemAvailable``; else the physical
    memory; None where neither is known).
    """
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    try:
        import os

        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, ValueError, OSError):
        return None
