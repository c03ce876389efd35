"""Assumptions: a scenario is one TOML file in ``scenarios/``, validated against ``FIELDS``.

A scenario states a plan's targets (money or share of GDP, by year), the method that joins
them into a yearly path, the economy assumptions beyond the data, and the procurement share.
``extends = "other.toml"`` inherits another file: top-level keys and tables are inherited key by
key, ``targets`` is replaced as a whole, and ``name`` always defaults to the file's own stem.

``Scenario`` and ``Target`` can only be built valid: ``__post_init__`` checks every invariant the
model relies on (``budget.validate``, with the bounds of ``budget.schema.FIELDS``) and raises
``ScenarioError``, also for ``dataclasses.replace``. ``load_scenario`` reads the files
(``budget.loader``) and runs the same checks, naming each problem by its key in the file. Every
problem is raised at once as one ``ScenarioError``; nothing is projected from an invalid file.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, fields, replace
from functools import cache
from pathlib import Path
from typing import Any

from budget.history import DATA, Country, load_country, load_toml
from budget.schema import gdp_line, scenario_fields, show

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
# Entries of the output folder and sheets of budget.xlsx that a scenario's name must not take.
RESERVED = ("comparison", "compare", "budget.xlsx", "index.html", "sources", "summary")
WINDOWS_DEVICES = ("con", "prn", "aux", "nul", *(f"{d}{i}" for d in ("com", "lpt") for i in range(1, 10)))
NAME_RULE = (
    "allowed: 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit, without '__', "
    f"not ending in '.', and not {', '.join(RESERVED)} (any case) or a Windows device name such as "
    "con or nul (set `name` if the file name does not fit)"
)
DEFAULT_COUNTRY = str(load_toml(DATA / "defaults.toml")["country"])  # from the data, not typed here
DEFAULT_GDP_EDITION = gdp_line().default  # the data's default edition of the GDP series
MAX_SHOWN = 50  # problems shown in a ScenarioError's message; ``.problems`` keeps them all

Problem = tuple[str, str, str]  # (file, key, message)
Found = tuple[str, str, str]  # (attribute key, key in a scenario file, message)


class ScenarioError(ValueError):
    """Bad scenario input: ``problems`` lists ``(file, key, message)``, one line each.

    The message shows the first ``MAX_SHOWN`` problems and then how many more there are.
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        lines = [": ".join(part for part in p if part) for p in self.problems[:MAX_SHOWN]]
        if len(self.problems) > MAX_SHOWN:
            lines.append(f"... and {len(self.problems) - MAX_SHOWN} more problems")
        super().__init__("\n".join(lines))

    def __reduce__(self) -> tuple[type, tuple[list[Problem]]]:
        return type(self), (self.problems,)


def name_problem(name: Any) -> str | None:
    """What is wrong with a scenario name, or None.

    A name is an output folder, an Excel sheet and the prefix of ``<name>__<column>`` in comparison
    tables, on any operating system.
    """
    if not isinstance(name, str):
        return f"expected a string, got {show(name)}"
    stem = name.split(".")[0].casefold()
    if not name:
        why = "is empty"
    elif not NAME.fullmatch(name):
        bad = next((c for c in name if not (c.isascii() and (c.isalnum() or c in "._-"))), "")
        why = (
            f"contains {show(bad)}"
            if bad
            else "is longer than 64 characters"
            if len(name) > 64
            else f"starts with {show(name[0])}"
        )
    elif "__" in name:
        why = "contains '__', which separates the name from the column in comparison tables"
    elif name.casefold() in RESERVED:
        why = "is reserved for the run's own outputs"
    elif stem in WINDOWS_DEVICES:
        why = "is a Windows device name"
    elif name.endswith("."):
        why = "ends with '.', which Windows drops from folder names"
    else:
        return None
    return f"{show(name)} cannot name an output folder: it {why}; {NAME_RULE}"


@dataclass(frozen=True)
class Target:
    """A spending target in one year; ``low == high`` unless the target is a range.

    Built valid only (``__post_init__``): a whole-number year, a known unit, amounts 0 or more and
    within the unit's bound, ``low <= high``, and a base year exactly for constant prices.
    """

    year: int
    low: float
    high: float
    unit: str  # "usd_bn" | "<cur>_bn" | "pct_gdp"
    prices: str = "current"
    base_year: int | None = None
    note: str = ""
    start: int | None = None  # claims: first year of a window summed to ``year``
    of: str = "defense"  # claims over a window: "defense" or "procurement" spending

    def __post_init__(self) -> None:
        from budget.validate import target_problems

        if found := target_problems(vars(self)):
            raise ScenarioError([("", attr, message) for attr, _, message in found])
        object.__setattr__(self, "low", float(self.low))
        object.__setattr__(self, "high", float(self.high))

    @property
    def is_range(self) -> bool:
        """True when the target is stated as a range (e.g. USD 23-25 bn)."""
        return self.low != self.high

    @property
    def is_window(self) -> bool:
        """True for a claim that sums spending over the years ``start``..``year``."""
        return self.start is not None


@dataclass(frozen=True)
class Scenario:
    """A validated scenario. Units: percent where a name ends in ``_pct``; years as int.

    Built valid only: ``__post_init__`` raises ``ScenarioError`` naming each bad attribute.
    """

    name: str
    title: str
    file: Path
    chain: tuple[Path, ...]  # the file, then each file it extends
    country: str = DEFAULT_COUNTRY
    description: str = ""
    plan_source: dict[str, str] = field(default_factory=dict)
    targets: tuple[Target, ...] = ()
    claims: tuple[Target, ...] = ()
    method: str = "linear"
    interpolate_in: str | None = None
    after_last: str = "hold_share"
    end_year: int = 2035
    prices_base_year: int | None = None
    real_growth_pct: float | None = None
    deflator_growth_pct: float | None = None
    assumptions_from: int | None = None
    local_per_usd: float | None = None
    local_per_usd_change_pct: float = 0.0
    procurement_low_pct: float = 20.0
    procurement_high_pct: float = 25.0
    real_growth_sd_pct: float | None = None  # None: the data's historical sd
    deflator_growth_sd_pct: float | None = None
    local_per_usd_sd_pct: float | None = None
    distribution: str = "normal"
    exchange_rate_model: str = "mean_reverting"
    local_per_usd_half_life_years: float = 4.0
    resilience: tuple[float, float, int] | None = None  # (start % GDP, target % GDP, year)
    compare_with: str | None = None  # an alliance whose lines apply though the country is no member
    gdp_edition: str = DEFAULT_GDP_EDITION  # the edition of GDP, deflator, growth and implied rates
    financing_borrowing_pct: float | None = None  # None: what revenue and other spending leave
    financing_revenue_pct: float = 0.0  # shares of the extra defense spending (budget.fiscal)
    financing_other_spending_pct: float = 0.0
    execution_rate_pct: float | None = None  # [execution]: the share of the plan spent (budget.execution)
    execution_rate: str | None = None  # "historical": the data's average execution rate

    def __post_init__(self) -> None:
        if isinstance(self.file, str | os.PathLike) and not isinstance(self.file, Path):
            object.__setattr__(self, "file", Path(self.file))
        for attr in ("chain", "targets", "claims"):
            if isinstance(getattr(self, attr), list):
                object.__setattr__(self, attr, tuple(getattr(self, attr)))
        from budget.validate import scenario_problems

        if found := scenario_problems(vars(self)):
            raise ScenarioError([(str(self.file), attr, message) for attr, _, message in found])
        for attr in NUMBERS:  # whole numbers given for numbers become floats, as from a file
            if isinstance(value := getattr(self, attr), int):
                object.__setattr__(self, attr, float(value))
        if self.resilience is not None:
            start, target, year = self.resilience
            object.__setattr__(self, "resilience", (float(start), float(target), year))

    @property
    def data(self) -> Country:
        """The country's facts (history and data projections) with GDP of ``gdp_edition``, compared
        with ``compare_with``'s lines too.
        """
        if self.compare_with is None and self.gdp_edition == DEFAULT_GDP_EDITION:
            return load_country(self.country)
        return _compared(self.country, self.compare_with, self.gdp_edition)

    @property
    def path_unit(self) -> str:
        """Unit the path is interpolated in (explicit, else the last target's unit)."""
        if self.interpolate_in:
            return self.interpolate_in
        return self.targets[-1].unit if self.targets else "pct_gdp"


OPTIONAL = frozenset(f.name for f in fields(Scenario) if f.default is None)
NUMBERS = tuple(attr for attr, (_, f) in scenario_fields("").items() if f.type == "number")


@cache
def _compared(country: str, alliance: str | None, edition: str = DEFAULT_GDP_EDITION) -> Country:
    c = load_country(country, () if edition == DEFAULT_GDP_EDITION else (edition,))  # a country may ship no editions
    if alliance is None:
        return c
    return replace(c, compared_with=tuple(dict.fromkeys((*c.compared_with, alliance))))


def load_scenario(path: str | Path) -> Scenario:
    """Load, merge (``extends``) and validate one scenario file.

    Raises ``ScenarioError`` listing every problem (file, key, message) at once.
    """
    from budget.loader import load

    if not isinstance(path, str | os.PathLike):
        raise TypeError(f"path: expected a file path (str or pathlib.Path), got {type(path).__name__} {path!r:.60}")
    return load(Path(path))
