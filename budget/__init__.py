"""budget: defense-budget projections against stated targets and NATO pledges.

>>> import budget
>>> s = budget.load_scenario("scenarios/stated-targets.toml")
>>> round(float(budget.project(s).loc[2035, "defense_pct_gdp"]), 1)
4.4
"""

from budget.model import cumulative, project
from budget.scenario import Scenario, ScenarioError, load_scenario

__version__ = "0.1.0"
__all__ = ["Scenario", "ScenarioError", "__version__", "cumulative", "load_scenario", "project"]
