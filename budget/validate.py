"""Invariants of a scenario: every check ``Scenario`` and ``Target`` run on themselves.

``scenario_problems`` and ``target_problems`` take attributes (of a built object, or of a file's
draft from ``budget.loader``, whose targets are still mappings) and return what is wrong as
``(attribute key, key in a scenario file, message)``, so that ``__post_init__`` can name the
attribute and the loader the file's key from one set of rules. Bounds come from
``budget.schema.FIELDS``; bounds that depend on the data (after its last year, up to
``path.end_year``) are computed here from the country's cached data.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from budget.execution import problems as execution_problems
from budget.history import Country, EditionError, countries, load_country
from budget.scenario import DEFAULT_COUNTRY, DEFAULT_GDP_EDITION, OPTIONAL, Found, Target, name_problem
from budget.schema import FIELDS, fmt, is_number, scenario_fields, show, unit_maximum, unit_note

COUNTRY_KEY = re.compile(r"[A-Za-z0-9_-]+")
WINDOW_KEYS = {"start": "targets.from"}  # Target attribute -> schema field where the names differ
WINDOW_FILE_KEYS = {"start": "from"}
UNIT = re.compile(r"usd_bn|pct_gdp|[a-z]+_bn")  # a Target alone: USD, a share, or a currency's bn
FINANCING = ("financing_borrowing_pct", "financing_revenue_pct", "financing_other_spending_pct")
FINANCING_TOLERANCE = 0.01  # percentage points the financing shares may miss 100 by


def known_country(country: Any) -> bool:
    """True for the key of a country folder in the data (``load_country`` caches each one)."""
    if not isinstance(country, str) or not COUNTRY_KEY.fullmatch(country):
        return False
    try:
        load_country(country)
    except KeyError:
        return False
    return True


def usable_country(country: Any) -> bool:
    """A known country with at least one defense share of GDP: a path can start from its data."""
    return known_country(country) and load_country(country).has("defense_pct_gdp")


class Context(NamedTuple):
    """What a target is checked against: the country's units and years, and the end year."""

    units: tuple[str, ...]
    first: int
    last: int
    end: int | None  # None when path.end_year itself is wrong
    note: str = ""  # why a unit is not allowed beyond the list (an edition in another currency)


@cache
def country_facts(country: str, edition: str = DEFAULT_GDP_EDITION) -> tuple[Country, tuple[str, ...], int, int]:
    """A known country's data with GDP of ``edition``, units and first and last data year
    (computed once per country and edition).
    """
    data = load_country(country, () if edition == DEFAULT_GDP_EDITION else (edition,))
    return data, ("usd_bn", f"{data.cur}_bn", "pct_gdp"), data.first_year, data.last_data_year


def target_problems(t: Mapping[str, Any], ctx: Context | None = None, static: bool = True) -> list[Found]:
    """Check one target given as attributes (absent keys are skipped; ``value`` stands for low = high).

    ``static``: the checks that need no scenario (types, bounds, prices); ``ctx``: the checks
    against the country's units and years and the end year.
    """
    out: list[Found] = []
    flagged: set[str] = set()

    def bad(attr: str, key: str, message: str) -> None:
        out.append((attr, key, message))
        flagged.add(attr)

    unit = t.get("unit")
    if static:
        for attr in ("year", "unit", "prices", "note", "base_year", "start", "of"):
            if (
                attr in t
                and not (attr in ("base_year", "start") and t[attr] is None)
                and (message := FIELDS[WINDOW_KEYS.get(attr, f"targets.{attr}")].check(t[attr])) is not None
            ):
                bad(attr, WINDOW_FILE_KEYS.get(attr, attr), message)
        start = t.get("start")
        if start is not None and "start" not in flagged:
            if unit == "pct_gdp":
                bad("unit", "unit", "a window sums money: use usd_bn or the currency's bn, not pct_gdp")
            if t.get("prices", "current") != "current":
                bad("prices", "prices", "a window sums current prices; drop prices")
            if is_number(t.get("year")) and start > t["year"]:
                bad("start", "from", f"{start} is after to {t['year']}")
    if isinstance(unit, str) and "unit" not in flagged:
        if ctx is not None and unit not in ctx.units:
            bad("unit", "unit", f"{show(unit)} is not allowed{ctx.note}; allowed: {', '.join(ctx.units)}")
        elif ctx is None and not UNIT.fullmatch(unit):
            bad(
                "unit",
                "unit",
                f"{show(unit)} is not allowed; allowed: usd_bn, pct_gdp or a currency's <code>_bn such as czk_bn",
            )
    if static:
        _amount_problems(t, unit if "unit" not in flagged and isinstance(unit, str) else None, bad)
        prices, base = t.get("prices", "current"), t.get("base_year")
        if prices == "constant":
            if unit == "pct_gdp":
                bad("prices", "prices", "a share of GDP has no price basis; drop prices")
            if base is None:
                bad("base_year", "base_year", 'required when prices = "constant"')
        elif base is not None and not flagged & {"base_year", "prices"}:
            bad("base_year", "base_year", 'only used with prices = "constant"')
    if ctx is not None:
        year, base = t.get("year"), t.get("base_year")
        start = t.get("start")
        if isinstance(start, int) and "start" not in flagged and start <= ctx.last:
            bad(
                "start",
                "from",
                f"{start} is not after the data: history runs {ctx.first}-{ctx.last}, so a window "
                f"must start in {ctx.last + 1} or later",
            )
        if (
            start is not None
            and isinstance(year, int)
            and "year" not in flagged
            and ctx.end is not None
            and year > ctx.end
        ):
            bad("year", "to", f"{year} is after path.end_year {ctx.end}")
        elif is_number(year) and isinstance(year, int) and "year" not in flagged and start is None:
            span = f"{ctx.last + 1}-{ctx.end}" if ctx.end is not None else f"{ctx.last + 1} or later"
            if year <= ctx.last:
                bad(
                    "year",
                    "year",
                    f"{year} is not after the data: history runs {ctx.first}-{ctx.last}, "
                    f"so targets must fall in {span}",
                )
            elif ctx.end is not None and year > ctx.end:
                bad("year", "year", f"{year} is after path.end_year {ctx.end}")
        if (
            is_number(base)
            and "base_year" not in flagged
            and (message := FIELDS["targets.base_year"].check(base, "", ctx.first, ctx.end)) is not None
        ):
            bad("base_year", "base_year", message)
    return out


def _amount_problems(t: Mapping[str, Any], unit: str | None, bad: Callable[[str, str, str], None]) -> None:
    """Amounts 0 or more and within the unit's bound; low <= high. One message for low = high."""
    amounts = [(a, a, t[a]) for a in ("low", "high") if a in t]
    if "value" in t:
        amounts.insert(0, ("low", "value", t["value"]))
    elif len(amounts) == 2 and amounts[0][2] == amounts[1][2]:
        amounts = amounts[:1]
    top, note = (unit_maximum(unit), unit_note(unit)) if unit is not None else (None, "per `unit`")
    broken = False
    for attr, key, v in amounts:
        if (message := FIELDS[f"targets.{key}"].check(v, maximum=top, unit=note)) is not None:
            bad(attr, key, message)
            broken = True
    if "low" in t and "high" in t and not broken and t["low"] > t["high"]:
        bad("low", "low", f"low {fmt(t['low'])} is above high {fmt(t['high'])}")


def _years_problem(items: list[Any]) -> str | None:
    years: list[Any] = [t.get("year") if isinstance(t, Mapping) else None for t in items]
    if not all(isinstance(y, int) and not isinstance(y, bool) for y in years):
        return None
    if any(b <= a for a, b in itertools.pairwise(years)):
        return f"years must be strictly increasing, without duplicates; got {', '.join(map(str, years))}"
    return None


def scenario_problems(v: Mapping[str, Any], draft: bool = False) -> list[Found]:
    """Every broken invariant of a scenario given as its attributes (a ``Scenario``'s or a draft's).

    ``targets`` and ``claims`` hold ``Target`` objects, or in a ``draft`` attribute mappings
    (``budget.loader`` passes a file's targets so, ``value`` for low = high, so that every problem
    of a file is found at once). Returns ``(attribute key, file key, message)``: one message per problem,
    and no second message that follows from a first (a value of the wrong type is not also out
    of range; a bad end year does not also put every target after it).
    """
    out: list[Found] = []
    flagged: set[str] = set()

    def bad(attr: str, key: str, message: str) -> None:
        out.append((attr, key, message))
        flagged.add(attr)

    if not isinstance(v["file"], Path):
        bad("file", "", f"expected a pathlib.Path, got {show(v['file'])}")
    if not (isinstance(v["chain"], tuple) and all(isinstance(p, Path) for p in v["chain"])):
        bad("chain", "", f"expected a tuple of pathlib.Path, got {show(v['chain'])}")
    if (message := name_problem(v["name"])) is not None:
        bad("name", "name", message)
    country = v["country"]
    if not known_country(country):
        bad("country", "country", f"{show(country)} is not a known country; allowed: {', '.join(countries())}")
        country = DEFAULT_COUNTRY
    elif not load_country(country).has("defense_pct_gdp"):
        name = load_country(country).name
        can = [c for c in countries() if load_country(c).has("defense_pct_gdp")]
        bad(
            "country",
            "country",
            f"{name} has no defense share of GDP in its data (budget/data/{country}/series.csv: every value "
            f"missing), so no path can start; allowed: {', '.join(can)}",
        )
        country = DEFAULT_COUNTRY
    edition, note = _edition(v, country, bad)
    data, units, first, last = country_facts(country, edition)
    cur = data.cur
    spec = scenario_fields(cur)
    key, f = spec["end_year"]
    end = v["end_year"]
    if (message := f.check(end, cur, minimum=last + 1)) is not None:
        bad("end_year", key, message)
        end = None
    years = {"prices_base_year": (first, end), "assumptions_from": (last + 1, end)}
    for attr, (key, f) in spec.items():
        value = v[attr]
        if attr in ("name", "country", "end_year", "gdp_edition") or (value is None and attr in OPTIONAL):
            continue
        if (message := f.check(value, cur, *years.get(attr, (None, None)))) is not None:
            bad(attr, key, message)
        elif attr == "interpolate_in" and value not in units:
            bad(attr, key, f"{show(value)} is not allowed; allowed: {', '.join(units)}")
    low, high = v["procurement_low_pct"], v["procurement_high_pct"]
    if not flagged & {"procurement_low_pct", "procurement_high_pct"} and low > high:
        bad("procurement_low_pct", "procurement", f"low_pct {fmt(low)} is above high_pct {fmt(high)}")
    if not flagged & set(FINANCING) and (message := financing_problem(*(v[a] for a in FINANCING))) is not None:
        bad("financing", "financing", message)
    source = v["plan_source"]
    if not (isinstance(source, dict) and all(isinstance(x, str) for x in itertools.chain(*source.items()))):
        bad("plan_source", "plan_source", f"expected a dict of strings, got {show(source)}")
    out += _resilience_problems(v["resilience"], cur, last, end)
    if not flagged & {"execution_rate", "execution_rate_pct"}:  # both keys, or no outturn data for "historical"
        out += execution_problems(v, country)
    ctx = Context(units, first, last, end, note)
    for array in ("targets", "claims"):
        items = v[array]
        if not isinstance(items, tuple | list):
            bad(array, array, f"expected a tuple of Target, got {show(items)}")
            continue
        for i, t in enumerate(items):
            where = f"{array}[{i}]"
            if isinstance(t, Target) or (draft and isinstance(t, Mapping)):
                attrs = vars(t) if isinstance(t, Target) else t
                found = target_problems(attrs, ctx, static=not isinstance(t, Target))
                out += [(f"{where}.{attr}", f"{where}.{key}", message) for attr, key, message in found]
                flagged |= {f"{array}.{attr}" for attr, _, _ in found}  # e.g. "targets.year"
            else:
                bad(where, where, f"expected a Target, got {show(t)}")
        if (
            array == "targets"
            and "targets.year" not in flagged
            and (message := _years_problem([vars(t) if isinstance(t, Target) else t for t in items])) is not None
        ):
            bad(array, array, message)
    if (
        v["method"] == "geometric"
        and not flagged & {"targets", "targets.low", "targets.high"}
        and any(is_number(low := _low(t)) and float(low) <= 0 for t in v["targets"])
    ):
        bad("method", "path.method", "geometric needs every target above 0")
    last_target = _last_year(v["targets"])
    if v["after_last"] == "stop" and last_target is not None and isinstance(v["claims"], tuple | list):
        for i, c in enumerate(v["claims"]):
            start, year = (c.start, c.year) if isinstance(c, Target) else (c.get("start"), c.get("year"))
            if start is not None and is_number(year) and year > last_target:
                bad(
                    f"claims[{i}].year",
                    f"claims[{i}].to",
                    f'{year} is after the last target ({last_target}), where the path stops (path.after_last = "stop")',
                )
    return out


def usable_edition(country: str, edition: Any) -> bool:
    """True for a shipped GDP edition with values for a known ``country`` (the default edition for
    any country: a country without editions in its data is loaded as it is).
    """
    if FIELDS["economy.gdp_edition"].check(edition) is not None:
        return False
    if edition == DEFAULT_GDP_EDITION:
        return True
    try:
        load_country(country, (edition,))
    except EditionError:
        return False
    return True


def currency_note(country: str, edition: str) -> str:
    """Why the default currency's amounts do not fit ``edition`` (it states the country's amounts in
    another currency), or "" where the currency is the same.
    """
    base, data = country_facts(country)[0], country_facts(country, edition)[0]
    if base.currency == data.currency:
        return ""
    return (
        f" (economy.gdp_edition {edition!r} states {data.name}'s amounts in {data.currency}, not "
        f"{base.currency}: give amounts in {data.cur}_bn and rates as {data.cur}_per_usd, or use "
        f"gdp_edition {DEFAULT_GDP_EDITION!r})"
    )


def _edition(v: Mapping[str, Any], country: str, bad: Callable[[str, str, str], None]) -> tuple[str, str]:
    """The scenario's GDP edition if it is usable for ``country`` (else the default, and a problem),
    and the currency note for its units.
    """
    edition = v.get("gdp_edition", DEFAULT_GDP_EDITION)
    f = FIELDS["economy.gdp_edition"]
    if (message := f.check(edition)) is not None:
        bad("gdp_edition", f.key, message)
        return DEFAULT_GDP_EDITION, ""
    if not usable_edition(country, edition):
        shipped = [e for e in f.choices if usable_edition(country, e)]
        name = load_country(country).name
        bad("gdp_edition", f.key, f"{show(edition)} has no values for {name}; allowed: {', '.join(shipped)}")
        return DEFAULT_GDP_EDITION, ""
    return edition, currency_note(country, edition)


def financing_problem(borrowing: float | None, revenue: float, other: float) -> str | None:
    """What is wrong with a financing mix (percent of the extra defense spending), or None: the three
    shares add to 100 within ``FINANCING_TOLERANCE``; without ``borrowing`` it is what the others leave.
    """
    total = revenue + other + (borrowing or 0.0)
    if (total <= 100 + FINANCING_TOLERANCE) if borrowing is None else abs(total - 100) <= FINANCING_TOLERANCE:
        return None
    parts = [("borrowing_pct", borrowing), ("revenue_pct", revenue), ("other_spending_pct", other)]
    shown = " + ".join(f"{key} {fmt(x)}" for key, x in parts if x is not None)
    return (
        f"{shown} add to {fmt(round(total, 6))} %, not 100 %; allowed: shares of 0-100 % of the extra "
        "spending that add to 100 (within 0.01), or leave out borrowing_pct to borrow what the others leave"
    )


def _last_year(targets: Any) -> int | None:
    """The last target's year, or None."""
    found = [
        t.year if isinstance(t, Target) else t.get("year") for t in targets or () if isinstance(t, Target | Mapping)
    ]
    years = [y for y in found if isinstance(y, int) and not isinstance(y, bool)]
    return max(years) if years else None


def _low(t: Any) -> Any:
    """A target's low end (or its value), whether a ``Target`` or a file's mapping."""
    if isinstance(t, Target):
        return t.low
    return t.get("low", t.get("value")) if isinstance(t, Mapping) else None


def _resilience_problems(r: Any, cur: str, last: int, end: int | None) -> list[Found]:
    if r is None:
        return []
    if not (isinstance(r, tuple) and len(r) == 3):
        return [
            ("resilience", "resilience", f"expected None or (start % of GDP, target % of GDP, year), got {show(r)}")
        ]
    out: list[Found] = []
    for i, part in enumerate(("start_pct_gdp", "target_pct_gdp", "year")):
        limits = (last + 1, end) if part == "year" else (None, None)
        if (message := FIELDS[f"resilience.{part}"].check(r[i], cur, *limits)) is not None:
            out.append((f"resilience[{i}]", f"resilience.{part}", message))
    return out
