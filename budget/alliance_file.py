"""Alliance scenarios: a group of countries and a rule per member (one TOML file each).

An alliance file names a ``group`` (an id of ``budget/data/groups.toml``) or ``members`` (a list
of country keys), and a ``[rule]`` for every member, overridden per member in ``[rules.<key>]``:

- ``kind = "path"``: a straight line in share of GDP from the member's last data year to
  ``level_pct_gdp`` (percent of GDP) by ``year``, then held; or to a pledge's level and year with
  ``line = "<id>"`` (a line that binds the member, e.g. ``nato_core``). The path is our assumption.
- ``kind = "plan"``: a bundled national plan, ``plan = "<scenario file>"`` (relative to this
  file); the member follows the plan's share of GDP (both ends of a range).
- ``kind = "hold"``: the last data year's share of GDP, held.

Money is summed in US dollars (``sum_currency`` may name one currency all members share).
Exchange rates beyond the data follow ``exchange_rates``: ``constant_real`` (each currency moves
with its GDP deflator against the US one, so real exchange rates stay at the last data year's)
or ``held`` (nominal rates held). Every problem is reported at once as a ``ScenarioError``
naming file, key, what is wrong and what is allowed.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from budget.groups import Group, groups, resolve
from budget.history import countries, load_country
from budget.pledges import lines_for
from budget.scenario import Problem, Scenario, ScenarioError, load_scenario, name_problem
from budget.validate import usable_country

KINDS = ("path", "plan", "hold")
RATES = ("constant_real", "held")
TOP = {
    "title", "description", "name", "group", "members", "rule", "end_year", "cumulative_from",
    "exchange_rates", "prices_base_year", "procurement", "subgroups", "sum_currency", "rules",
}  # fmt: skip
RULE_KEYS = {"kind", "level_pct_gdp", "year", "line", "plan", "note"}


@dataclass(frozen=True)
class Rule:
    """One member's rule: ``kind`` and, for paths, the level (% of GDP) and year; for plans, the plan."""

    kind: str
    level_pct_gdp: float | None = None
    year: int | None = None
    line: str = ""
    plan: Scenario | None = None


@dataclass(frozen=True)
class Alliance:
    """A validated alliance scenario. Money in USD bn at current prices unless stated."""

    name: str
    title: str
    file: Path
    group: Group
    rules: dict[str, Rule]  # every member with data, by country key
    left_out: dict[str, str]  # members with no defense data, and why
    description: str = ""
    end_year: int = 2035
    cumulative_from: int = 2026
    exchange_rates: str = "constant_real"
    prices_base_year: int = 2024
    procurement_low_pct: float = 20.0
    procurement_high_pct: float = 25.0
    procurement_window: tuple[int, int] = (2026, 2035)
    subgroups: tuple[Group, ...] = ()
    sum_currency: str = "USD"

    @property
    def members(self) -> tuple[str, ...]:
        """Members added up (with data), sorted by key."""
        return tuple(sorted(self.rules))


def is_alliance(doc: dict[str, Any]) -> bool:
    """True for a TOML document that is an alliance file (it names a group or members)."""
    return "group" in doc or "members" in doc


def load_alliance(path: str | Path) -> Alliance:
    """Read and validate an alliance file; ``ScenarioError`` lists every problem."""
    path = Path(path)
    where = str(path)
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise ScenarioError([(where, "", f"cannot read: {e}")]) from None
    problems: list[Problem] = []

    def bad(key: str, message: str) -> None:
        problems.append((where, key, message))

    for key in sorted(set(doc) - TOP):
        bad(key, f"unknown key; allowed: {', '.join(sorted(TOP))}")
    title = doc.get("title")
    if not isinstance(title, str) or not title.strip():
        bad("title", "missing or empty; every alliance file needs a title")
    name = doc.get("name", path.stem)
    if (why := name_problem(name)) is not None:  # the same rule as a scenario's: it names a folder
        bad("name", why)
    group = _group(doc, bad)
    end = _year(doc, "end_year", 2035, 2026, 2050, bad)
    start = _year(doc, "cumulative_from", 2026, 2015, end, bad)
    base = _year(doc, "prices_base_year", 2024, 2014, 2025, bad)
    fx = doc.get("exchange_rates", "constant_real")
    if fx not in RATES:
        bad("exchange_rates", f"{fx!r} is not allowed; allowed: {', '.join(RATES)}")
    proc = doc.get("procurement", {})
    low, high = proc.get("low_pct", 20.0), proc.get("high_pct", 25.0)
    if not all(isinstance(v, int | float) and 0 <= v <= 100 for v in (low, high)) or low > high:
        bad(
            "procurement",
            f"low_pct {low!r} and high_pct {high!r}: allowed: percent of defense, 0 <= low <= high <= 100",
        )
    window = (proc.get("from", start), proc.get("to", end))
    if not all(isinstance(y, int) for y in window) or not start <= window[0] <= window[1] <= end:
        bad("procurement.from", f"window {window!r} must lie within {start}-{end}")
    subgroups = tuple(_subgroups(doc, bad))
    rules, left_out = {}, {}
    default = doc.get("rule", {})
    overrides = doc.get("rules", {})
    for key in sorted(set(overrides) - set(group.members if group else ())):
        bad(f"rules.{key}", f"not in the group; allowed: {', '.join(group.members if group else ())}")
    for key in group.members if group else ():
        if not usable_country(key):
            left_out[key] = f"{load_country(key).name}: no defense share in the data (NATO publishes none)"
            continue
        spec = {**default, **overrides.get(key, {})}
        rule = _rule(spec, key, f"rules.{key}" if key in overrides else "rule", path, end, bad)
        if rule is not None:
            rules[key] = rule
    cur = str(doc.get("sum_currency", "USD")).upper()
    used = sorted({load_country(k).currency for k in rules})
    if cur != "USD" and used != [cur]:
        bad(
            "sum_currency",
            f"{cur}: the members use {', '.join(used)}; a sum in one currency needs one currency; allowed: USD"
            + (f", {used[0]}" if len(used) == 1 else ""),
        )
    if problems:
        raise ScenarioError(problems)
    assert group is not None and isinstance(title, str)
    return Alliance(
        name, title, path, group, rules, left_out, str(doc.get("description", "")).strip(), end, start,
        str(fx), base, float(low), float(high), (int(window[0]), int(window[1])), subgroups, cur,
    )  # fmt: skip


def _group(doc: dict[str, Any], bad: Any) -> Group | None:
    g, m = doc.get("group"), doc.get("members")
    if (g is None) == (m is None):
        bad("group", "name exactly one of `group` (a group id) or `members` (a list of country keys)")
        return None
    try:
        return resolve(g if g is not None else list(m or ()))
    except KeyError as e:
        key = "group" if g is not None else "members"
        allowed = ", ".join(groups()) if g is not None else ", ".join(countries())
        bad(key, f"{e.args[0]!r} is not a known {'group' if g is not None else 'country'}; allowed: {allowed}")
        return None


def _subgroups(doc: dict[str, Any], bad: Any) -> list[Group]:
    out = []
    for gid in doc.get("subgroups", []):
        if gid not in groups():
            bad("subgroups", f"{gid!r} is not a known group; allowed: {', '.join(groups())}")
        else:
            out.append(groups()[gid])
    return out


def _year(doc: dict[str, Any], key: str, default: int, lo: int, hi: int, bad: Any) -> int:
    y = doc.get(key, default)
    if not isinstance(y, int) or isinstance(y, bool) or not lo <= y <= hi:
        bad(key, f"{y!r} is not allowed; allowed: a year {lo}-{hi}")
        return default
    return y


def _rule(spec: dict[str, Any], key: str, at: str, path: Path, end: int, bad: Any) -> Rule | None:
    country = load_country(key)
    for k in sorted(set(spec) - RULE_KEYS):
        bad(f"{at}.{k}", f"unknown key; allowed: {', '.join(sorted(RULE_KEYS))}")
    kind = spec.get("kind", "hold")
    if kind not in KINDS:
        bad(f"{at}.kind", f"{kind!r} is not allowed; allowed: {', '.join(KINDS)}")
        return None
    t0 = country.last_data_year
    if kind == "hold":
        return Rule("hold")
    if kind == "plan":
        plan = spec.get("plan")
        if not isinstance(plan, str):
            bad(f"{at}.plan", "missing; a plan rule names a scenario file (relative to this file)")
            return None
        try:
            s = load_scenario(path.parent / plan)
        except ScenarioError as e:
            bad(f"{at}.plan", f"{plan}: {e}")
            return None
        if s.country != key:
            bad(f"{at}.plan", f"{plan} is about {s.country}, not {key}")
        elif s.end_year < end:
            bad(f"{at}.plan", f"{plan} ends in {s.end_year}, before end_year {end}")
        return Rule("plan", plan=s)
    if "line" in spec:
        binding = {ln.id: ln for ln in lines_for(country)}
        line = binding.get(spec["line"])
        if line is None:
            allowed = ", ".join(binding) or "none (no line binds it)"
            bad(f"{at}.line", f"{spec['line']!r} does not bind {country.name}; allowed: {allowed}")
            return None
        level: Any = line.level_pct_gdp
        year: Any = line.year
    else:
        level, year = spec.get("level_pct_gdp"), spec.get("year")
    if not isinstance(level, int | float) or isinstance(level, bool) or not 0 <= level <= 20:
        bad(f"{at}.level_pct_gdp", f"{level!r} is not allowed; allowed: percent of GDP, 0-20")
        return None
    if not isinstance(year, int) or not t0 < year <= end:
        bad(
            f"{at}.year", f"{year!r} is outside {country.name}'s projection; allowed: {t0 + 1}-{end} (data end in {t0})"
        )
        return None
    return Rule("path", float(level), year, str(spec.get("line", "")))
