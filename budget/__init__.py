"""budget: defense-budget projections against stated targets and NATO pledges.

>>> import budget
>>> s = budget.load_scenario("scenarios/stated-targets.toml")
>>> round(float(budget.project(s).loc[2035, "defense_pct_gdp"]), 1)
4.4
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = [
    "Scenario",
    "ScenarioError",
    "__version__",
    "alliance",
    "cumulative",
    "gaps",
    "load_scenario",
    "long_table",
    "project",
    "simulate",
]

# Public names and the module that defines each. They are imported on first use, so that
# `budget --help`, `list` and `validate` start without pandas or matplotlib.
_HOME = {
    "Scenario": "budget.scenario",
    "ScenarioError": "budget.scenario",
    "load_scenario": "budget.scenario",
    "long_table": "budget.results",
    "alliance": "budget.alliance_tables",
    "project": "budget.model",
    "cumulative": "budget.model",
    "gaps": "budget.ledger",
    "simulate": "budget.uncertainty",
}

if TYPE_CHECKING:
    from budget.alliance_tables import alliance
    from budget.ledger import gaps
    from budget.model import cumulative, project
    from budget.results import long_table
    from budget.scenario import Scenario, ScenarioError, load_scenario
    from budget.uncertainty import simulate


def __getattr__(name: str) -> Any:
    if name in _HOME:
        value = getattr(import_module(_HOME[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'budget' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOME])
