"""Assumptions: a scenario is one TOML file in ``scenarios/``, validated against ``FIELDS``.

A scenario states a plan's targets (money or share of GDP, by year), the method that joins
them into a yearly path, the economy assumptions beyond the data, and the procurement share.
``extends = "other.toml"`` inherits another file: top-level keys and tables are inherited key by
key, ``targets`` is replaced as a whole, and ``name`` always defaults to the file's own stem.

Every problem in a file is collected and raised at once as one ``ScenarioError`` whose lines
name the file, the key and what is allowed. Nothing is projected from an invalid file.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from budget.history import Country, countries, load_country
from budget.schema import FIELDS, TABLES, Field

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
RESERVED = ("comparison", "compare", "budget.xlsx")  # other entries of the output folder


class ScenarioError(ValueError):
    """Bad scenario input: ``problems`` lists ``(file, key, message)``, one line each."""

    def __init__(self, problems: list[tuple[str, str, str]]) -> None:
        self.problems = problems
        super().__init__("\n".join(f"{f}: {k}: {m}" if k else f"{f}: {m}" for f, k, m in problems))




@dataclass(frozen=True)
class Target:
    """A spending target in one year; ``low == high`` unless the target is a range."""

    year: int
    low: float
    high: float
    unit: str  # "usd_bn" | "<cur>_bn" | "pct_gdp"
    prices: str = "current"
    base_year: int | None = None
    note: str = ""

    @property
    def is_range(self) -> bool:
        """True when the target is stated as a range (e.g. USD 23-25 bn)."""
        return self.low != self.high


@dataclass(frozen=True)
class Scenario:
    """A validated scenario. Units: percent where a name ends in ``_pct``; years as int."""

    name: str
    title: str
    file: Path
    chain: tuple[Path, ...]  # the file, then each file it extends
    country: str = "czechia"
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
    resilience: tuple[float, float, int] | None = None  # (start % GDP, target % GDP, year)

    @property
    def data(self) -> Country:
        """The country's facts (history and data projections)."""
        return load_country(self.country)

    @property
    def path_unit(self) -> str:
        """Unit the path is interpolated in (explicit, else the last target's unit)."""
        if self.interpolate_in:
            return self.interpolate_in
        return self.targets[-1].unit if self.targets else "pct_gdp"


def _read(path: Path, problems: list[tuple[str, str, str]]) -> dict[str, Any] | None:
    try:
        if not path.is_file():
            problems.append((str(path), "", "file not found" if not path.exists() else "not a file"))
            return None
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        problems.append((str(path), "", f"TOML syntax error: {err}"))
    except UnicodeDecodeError:
        problems.append((str(path), "", "not UTF-8 text; scenario files are UTF-8 TOML"))
    except (OSError, ValueError) as err:  # unreadable, or a path the OS rejects (e.g. a NUL byte)
        problems.append((str(path), "", f"cannot read the file: {err}"))
    return None


def _resolve(path: Path, problems: list[tuple[str, str, str]]) -> tuple[dict[str, Any], list[Path], dict[str, str]]:
    """Read ``path`` and everything it extends; merge parents first. Detects loops.

    Returns the merged document, the chain of files and, for every key (``table.key`` inside
    tables), the file it came from, so that a problem is reported against that file.
    """
    chain: list[Path] = []
    docs: list[dict[str, Any]] = []
    current: Path | None = path
    while current is not None:
        resolved = current.resolve()
        if resolved in [p.resolve() for p in chain]:
            loop = " -> ".join(p.name for p in [*chain, current])
            problems.append((str(chain[-1]), "extends", f"extends loop: {loop}"))
            return {}, chain, {}
        doc = _read(current, problems)
        if doc is None:
            if chain:  # name the file whose `extends` pointed here
                problems[-1] = (str(chain[-1]), "extends", f"{problems[-1][2]}: {current}")
            return {}, chain, {}
        chain.append(current)
        docs.append(doc)
        parent = doc.get("extends")
        if parent is not None and not isinstance(parent, str):
            problems.append((str(current), "extends", f"expected a file name (string), got {parent!r}"))
            parent = None
        current = (current.parent / parent) if parent else None
    merged: dict[str, Any] = {}
    origin: dict[str, str] = {}
    for file, doc in zip(reversed(chain), reversed(docs), strict=True):  # parents first, children override
        for key, value in doc.items():
            if key in TABLES and isinstance(value, dict) and isinstance(merged.get(key), dict):
                merged[key] = {**merged[key], **value}
            else:
                merged[key] = value
            origin[key] = str(file)
            if isinstance(value, dict):
                origin.update({f"{key}.{sub}": str(file) for sub in value})
    merged.pop("extends", None)
    merged["name"] = docs[0].get("name", path.stem)  # never inherit a parent's name
    return merged, chain, origin


def _field(key: str, cur: str) -> Field | None:
    generic = key.replace(f"{cur}_", "{cur}_", 1) if cur else key
    return FIELDS.get(generic) or FIELDS.get(key)


def _check_value(value: Any, f: Field) -> str | None:
    """Return what is wrong with ``value`` for field ``f``, or None."""
    kind = f.type
    if kind == "number" and (isinstance(value, bool) or not isinstance(value, int | float)):
        return f"expected a number, got {value!r}"
    if kind == "number" and not math.isfinite(value):
        return f"expected a finite number, got {value!r}"
    if kind == "int" and (isinstance(value, bool) or not isinstance(value, int)):
        return f"expected a whole number (year), got {value!r}"
    if kind == "str" and not isinstance(value, str):
        return f"expected a string, got {value!r}"
    if kind == "date" and not isinstance(value, dt.date):
        return f"expected a TOML date such as 2025-07-09, got {value!r}"
    if f.choices and value not in f.choices:
        return f"{value!r} is not allowed; allowed: {', '.join(f.choices)}"
    return None


def load_scenario(path: str | Path) -> Scenario:
    """Load, merge (``extends``) and validate one scenario file.

    Raises ``ScenarioError`` listing every problem (file, key, message) at once.
    """
    path = Path(path)
    problems: list[tuple[str, str, str]] = []
    doc, chain, origin = _resolve(path, problems)
    if problems:
        raise ScenarioError(problems)
    file = str(path)

    def bad(key: str, message: str) -> None:
        # Report against the file that set the key (a parent, for an inherited one).
        where = origin.get(key) or origin.get(key.split(".")[0].split("[")[0], file)
        problems.append((where, key, message))

    country_key = doc.get("country", "czechia")
    cur = ""
    if not isinstance(country_key, str) or country_key not in countries():
        bad("country", f"{country_key!r} is not a known country; allowed: {', '.join(countries())}")
        country_key = "czechia"
    data = load_country(country_key)
    cur = data.cur
    money_units = ("usd_bn", f"{cur}_bn")
    units = (*money_units, "pct_gdp")
    first, last = data.first_year, data.last_data_year

    flat: dict[str, Any] = {}
    for key, value in doc.items():
        if key in TABLES:
            if not isinstance(value, dict):
                bad(key, f"expected a table [{key}], got {value!r}")
                continue
            for sub, subvalue in value.items():
                flat[f"{key}.{sub}"] = subvalue
        elif key not in ("targets", "claims"):
            flat[key] = value
    for key, value in flat.items():
        f = _field(key, cur)
        if f is None or f.type in ("table", "array"):
            table = key.split(".")[0] if "." in key else ""
            allowed = [k.split(".", 1)[1] if table else k for k in FIELDS
                       if (k.startswith(table + ".") if table else "." not in k)]
            allowed += [] if table else [f"[{t}]" for t in TABLES]
            allowed = [a.replace("{cur}", cur) for a in allowed]
            where = f"[{table}]" if table else "top level"
            bad(key, f"unknown key at {where}; allowed: {', '.join(allowed)}")
            continue
        if (msg := _check_value(value, f)) is not None:
            bad(key, msg)
    if "title" not in doc:
        bad("title", "missing; every scenario needs a title")
    name = doc["name"]
    if not isinstance(name, str) or not NAME.fullmatch(name) or name in RESERVED:
        bad("name", f"{name!r} cannot name an output folder: use 1-64 letters, digits, '.', '_' or '-', "
                    f"not starting with '.', and not {', '.join(RESERVED)} (set `name` if the file "
                    "name has other characters)")

    def num(key: str, default: float | None) -> float | None:
        value = flat.get(key, default)
        return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else default

    end_year = flat.get("path.end_year", 2035)
    if not isinstance(end_year, int) or isinstance(end_year, bool) or not last < end_year <= 2100:
        if isinstance(end_year, int) and not isinstance(end_year, bool):
            bad("path.end_year", f"{end_year} is outside {last + 1}-2100")
        end_year = 2035
    for key in ("procurement.low_pct", "procurement.high_pct"):
        share = num(key, None)
        if share is not None and not 0 <= share <= 100:
            bad(key, f"{share:g} is outside 0-100 (percent of defense spending)")
    low_pct, high_pct = num("procurement.low_pct", 20.0), num("procurement.high_pct", 25.0)
    assert low_pct is not None and high_pct is not None
    if low_pct > high_pct:
        bad("procurement", f"low_pct {low_pct:g} is above high_pct {high_pct:g}")
    for key in ("economy.real_growth_pct", "economy.deflator_growth_pct"):
        rate = num(key, None)
        if rate is not None and not -50 < rate < 100:
            bad(key, f"{rate:g} is outside -50 to 100 (% per year)")
    rate_key = f"economy.{cur}_per_usd"
    level = num(rate_key, None)
    if level is not None and level <= 0:
        bad(rate_key, f"{level:g} must be above 0 ({cur.upper()} per USD)")
    change = num(f"{rate_key}_change_pct", 0.0) or 0.0
    if not -50 < change < 100:
        bad(f"{rate_key}_change_pct", f"{change:g} is outside -50 to 100 (% per year)")
    assumptions_from = flat.get("economy.assumptions_from")
    if isinstance(assumptions_from, int) and not last < assumptions_from <= end_year:
        bad("economy.assumptions_from", f"{assumptions_from} is outside {last + 1}-{end_year}")
    base = flat.get("path.prices_base_year")
    if isinstance(base, int) and not first <= base <= end_year:
        bad("path.prices_base_year", f"{base} is outside {first}-{end_year}")
    for key in ("uncertainty.real_growth_sd_pct", "uncertainty.deflator_growth_sd_pct",
                f"uncertainty.{cur}_per_usd_sd_pct"):
        sd = num(key, None)
        if sd is not None and not 0 <= sd <= 50:
            bad(key, f"{sd:g} is outside 0-50; a standard deviation cannot be negative")

    resilience = None
    if isinstance(doc.get("resilience"), dict):
        keys = ("resilience.start_pct_gdp", "resilience.target_pct_gdp", "resilience.year")
        for key in keys:
            if key not in flat:
                bad(key, "missing; [resilience] needs start_pct_gdp, target_pct_gdp and year")
        start, target = num(keys[0], None), num(keys[1], None)
        r_year = flat.get(keys[2])
        for key, share in zip(keys[:2], (start, target), strict=True):
            if share is not None and not 0 <= share <= 100:
                bad(key, f"{share:g} is outside 0-100 (percent of GDP)")
        if isinstance(r_year, int) and not last < r_year <= end_year:
            bad(keys[2], f"{r_year} is outside {last + 1}-{end_year}")
        elif start is not None and target is not None and isinstance(r_year, int):
            resilience = (start, target, r_year)
    targets = _targets(doc.get("targets", []), origin.get("targets", file), cur, units, first, last,
                       end_year, problems)
    claims = _targets(doc.get("claims", []), origin.get("claims", file), cur, units, first, last, end_year,
                      problems, "claims")
    interpolate_in = flat.get("path.interpolate_in")
    if interpolate_in is not None and interpolate_in not in units:
        bad("path.interpolate_in", f"{interpolate_in!r} is not allowed; allowed: {', '.join(units)}")
    method = flat.get("path.method", "linear")
    if method == "geometric" and any(t.low <= 0 for t in targets):
        bad("path.method", "geometric needs every target above 0")
    if problems:
        raise ScenarioError(problems)

    def text(key: str) -> str:
        return str(flat.get(key, ""))

    return Scenario(
        name=doc["name"], title=doc["title"], file=path, chain=tuple(chain), country=country_key,
        description=str(doc.get("description", "")).strip(),
        plan_source={k.split(".")[1]: str(v) for k, v in flat.items() if k.startswith("plan_source.")},
        targets=tuple(targets), claims=tuple(claims), method=method, interpolate_in=interpolate_in,
        after_last=flat.get("path.after_last", "hold_share"), end_year=end_year,
        prices_base_year=flat.get("path.prices_base_year"),
        real_growth_pct=num("economy.real_growth_pct", None),
        deflator_growth_pct=num("economy.deflator_growth_pct", None),
        assumptions_from=assumptions_from, local_per_usd=level, local_per_usd_change_pct=change,
        procurement_low_pct=low_pct, procurement_high_pct=high_pct,
        real_growth_sd_pct=num("uncertainty.real_growth_sd_pct", None),
        deflator_growth_sd_pct=num("uncertainty.deflator_growth_sd_pct", None),
        local_per_usd_sd_pct=num(f"uncertainty.{cur}_per_usd_sd_pct", None),
        distribution=text("uncertainty.distribution") or "normal", resilience=resilience,
    )


def _targets(raw: Any, file: str, cur: str, units: tuple[str, ...], first: int, last: int,
             end_year: int, problems: list[tuple[str, str, str]], array: str = "targets") -> list[Target]:
    """Validate a ``[[targets]]`` (or ``[[claims]]``) array; append problems, return the good ones."""
    if not isinstance(raw, list):
        problems.append((file, array, f"expected an array of tables [[{array}]]"))
        return []
    out: list[Target] = []
    allowed = [k.split(".", 1)[1] for k in FIELDS if k.startswith("targets.")]
    for i, item in enumerate(raw):
        where = f"{array}[{i}]"
        before = len(problems)

        def bad(key: str, message: str, where: str = where) -> None:
            problems.append((file, f"{where}.{key}" if key else where, message))

        if not isinstance(item, dict):
            bad("", f"expected a table with year, value and unit, got {item!r}")
            continue
        for key, value in item.items():
            f = FIELDS.get(f"targets.{key}")
            if f is None:
                bad(key, f"unknown key; allowed: {', '.join(allowed)}")
            elif (msg := _check_value(value, f)) is not None:
                bad(key, msg)
        for key in ("year", "unit"):
            if key not in item:
                bad(key, "missing")
        unit = item.get("unit")
        if isinstance(unit, str) and unit not in units:
            bad("unit", f"{unit!r} is not allowed; allowed: {', '.join(units)}")
        year = item.get("year")
        if isinstance(year, int) and not isinstance(year, bool):
            if year <= last:
                bad("year", f"{year} is not after the data: history runs {first}-{last}, so "
                            f"targets must fall in {last + 1}-{end_year}")
            elif year > end_year:
                bad("year", f"{year} is after path.end_year {end_year}")
        has_value, has_range = "value" in item, "low" in item or "high" in item
        if has_value == has_range or (has_range and not ("low" in item and "high" in item)):
            bad("", "give either value, or both low and high")
        for key in ("value", "low", "high"):
            v = item.get(key)
            if isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v):
                if v < 0:
                    bad(key, f"{v:g} is negative; targets must be 0 or more")
                elif unit == "pct_gdp" and v > 100:
                    bad(key, f"{v:g} is outside 0-100 (percent of GDP)")
        low_high = [item.get("low"), item.get("high")]
        numbers = all(isinstance(a, int | float) and not isinstance(a, bool) for a in low_high)
        if numbers and item["low"] > item["high"]:
                bad("low", f"low {item['low']:g} is above high {item['high']:g}")
        prices = item.get("prices", "current")
        base = item.get("base_year")
        if prices == "constant":
            if unit == "pct_gdp":
                bad("prices", "a share of GDP has no price basis; drop prices")
            if base is None:
                bad("base_year", "required when prices = \"constant\"")
            elif isinstance(base, int) and not first <= base <= end_year:
                bad("base_year", f"{base} is outside {first}-{end_year}")
        elif base is not None:
            bad("base_year", "only used with prices = \"constant\"")
        if len(problems) > before:
            continue
        low = float(item.get("low", item.get("value")))
        high = float(item.get("high", item.get("value")))
        out.append(Target(year, low, high, unit, prices, base, str(item.get("note", ""))))
    years = [t.year for t in out]
    if array == "targets" and len(years) == len(raw) and any(b <= a for a, b in itertools.pairwise(years)):
        problems.append((file, "targets", "years must be strictly increasing, without "
                                          f"duplicates; got {', '.join(map(str, years))}"))
    return out
