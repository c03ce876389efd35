"""Schema: every key a scenario file may hold, with its type, unit, default, bounds and meaning.

``FIELDS`` is the single source for validation and for the README's scenario-file reference
(``tests/regenerate_readme.py``): ``Field.check`` holds each key's type, choices and bounds and is
what ``budget.validate`` runs for ``Scenario.__post_init__`` and for ``budget.loader``;
``keys_for`` gives the loader the real structure of tables and keys for a currency.
"""

from __future__ import annotations

import datetime as dt
import math
import reprlib
from dataclasses import KW_ONLY, dataclass
from functools import cache
from typing import Any

from budget.history import DATA, Line, countries, lines, load_country, load_toml

METHODS = ("linear", "geometric", "step")
AFTER_LAST = ("hold_share", "hold_real", "stop")
DISTRIBUTIONS = ("normal", "uniform")
EXCHANGE_RATE_MODELS = ("mean_reverting", "random_walk")
PRICES = ("current", "constant")
WINDOW_OF = ("defense", "procurement")  # what a window claim sums
MAX_YEAR = 2100
# Largest target or claim per unit: a share of GDP is a percentage; USD 100 tn is about world GDP.
UNIT_MAXIMUM = {"pct_gdp": 100.0, "usd_bn": 100_000.0, "{cur}_bn": 1e9}
UNIT_NOTE = {"pct_gdp": "% of GDP", "usd_bn": "USD bn; USD 100 tn is about world GDP", "{cur}_bn": "{CUR} bn"}

_SHOW = reprlib.Repr()
_SHOW.maxstring, _SHOW.maxother, _SHOW.maxlong, _SHOW.maxlevel = 60, 60, 24, 3


def show(value: Any) -> str:
    """``repr`` of a value from a file, cut short: a message stays one short line."""
    return _SHOW.repr(value)


def fmt(x: float) -> str:
    """A number for a message: ``120`` not ``120.0``, ``100,000`` not ``100000.0``."""
    if isinstance(x, float) and (not math.isfinite(x) or not x.is_integer() or abs(x) >= 1e15):
        return f"{x:g}"
    if abs(x) >= 10**15:
        return show(x)
    return f"{int(x):,}" if abs(x) >= 10_000 else str(int(x))


def range_text(lo: float | None, hi: float | None, above: bool = False, below: bool = False) -> str:
    """``0-100``, ``above 0 and at most 1,000,000``, ``0 or more``, ...; empty without bounds."""
    if lo is not None and hi is not None and not (above or below) and lo >= 0:
        return f"{fmt(lo)}-{fmt(hi)}"
    parts = []
    if lo is not None:
        parts.append(f"above {fmt(lo)}" if above else f"{fmt(lo)} or more")
    if hi is not None:
        parts.append(f"below {fmt(hi)}" if below else f"at most {fmt(hi)}")
    return " and ".join(parts)


def range_problem(
    value: float,
    lo: float | None,
    hi: float | None,
    above: bool = False,
    below: bool = False,
    unit: str = "",
    what: str = "",
) -> str | None:
    """What is wrong with ``value`` for the bounds (``above``/``below``: exclusive), or None.

    ``what`` names the quantity for a negative value: "a standard deviation cannot be negative".
    """
    if lo is not None and (value <= lo if above else value < lo):
        reason = f"not above {fmt(lo)}" if above else f"below {fmt(lo)}"
        if lo == 0 and value < 0:
            reason = f"negative; {what} cannot be negative" if what else "negative"
    elif hi is not None and (value >= hi if below else value > hi):
        reason = f"not below {fmt(hi)}" if below else f"above {fmt(hi)}"
    else:
        return None
    return f"{fmt(value)} is {reason}; allowed: {range_text(lo, hi, above, below)}" + (f" ({unit})" if unit else "")


def is_number(value: Any) -> bool:
    """True for an int or float that is not a bool (TOML ``true`` is not a number)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


@dataclass(frozen=True)
class Field:
    """One allowed key of a scenario file; this table drives validation and the README.

    ``minimum``/``maximum`` bound a number or year (``above``/``below``: exclusive bounds);
    ``attr`` is the ``Scenario`` attribute the key fills; ``allowed`` describes bounds that
    depend on the data or on other keys (checked in code) for the README.
    """

    key: str
    type: str  # "str" | "number" | "int" | "date" | "table" | "array"
    unit: str
    default: str
    description: str
    choices: tuple[str, ...] = ()
    _: KW_ONLY
    minimum: float | None = None
    maximum: float | None = None
    above: bool = False  # the minimum is exclusive
    below: bool = False  # the maximum is exclusive
    attr: str = ""
    allowed: str = ""  # "{range}" in it stands for the bounds
    what: str = ""  # the quantity, for messages: "a standard deviation"

    def allowed_text(self) -> str:
        """What the key accepts, for the README and for messages."""
        parts = [", ".join(f"`{c}`" for c in self.choices)] if self.choices else []
        bounds = range_text(self.minimum, self.maximum, self.above, self.below)
        if "{range}" in self.allowed:
            return "; ".join([*parts, self.allowed.replace("{range}", bounds)])
        return "; ".join([*parts, *filter(None, (bounds, self.allowed))])

    def check(
        self,
        value: Any,
        cur: str = "",
        minimum: float | None = None,
        maximum: float | None = None,
        unit: str | None = None,
    ) -> str | None:
        """Return what is wrong with ``value`` for this key, or None.

        ``minimum``/``maximum`` narrow the schema's bounds (inclusive), e.g. for a year that must
        fall after the data's last year; ``unit`` replaces the unit named in the message.
        """
        kind = self.type
        if kind in ("number", "int"):
            if not is_number(value) or (kind == "int" and not isinstance(value, int)):
                return f"expected {'a number' if kind == 'number' else 'a whole number (year)'}, got {show(value)}"
            if isinstance(value, float) and not math.isfinite(value):
                return f"expected a finite number, got {show(value)}"
            lo, hi, above, below = self.minimum, self.maximum, self.above, self.below
            if minimum is not None and (lo is None or minimum > lo):
                lo, above = minimum, False
            if maximum is not None and (hi is None or maximum < hi):
                hi, below = maximum, False
            if unit is None:
                unit = "" if kind == "int" else self.unit.replace("{CUR}", cur.upper())
            return range_problem(value, lo, hi, above, below, unit, self.what)
        if kind == "str" and not isinstance(value, str):
            return f"expected a string, got {show(value)}"
        if kind == "date" and not isinstance(value, dt.date):
            return f"expected a TOML date such as 2025-07-09, got {show(value)}"
        if self.choices and value not in self.choices:
            return f"{show(value)} is not allowed; allowed: {', '.join(self.choices)}"
        return None


@cache
def gdp_line() -> Line:
    """The line whose editions the GDP series come in (IMF WEO): the one that labels the default
    country's ``gdp_*`` rows in the data, so no edition is named in code.
    """
    rows = load_country(str(load_toml(DATA / "defaults.toml")["country"])).rows
    named = {r.edition for r in rows if r.indicator.startswith("gdp_") and r.edition}
    return next(line for line in lines().values() if named & set(line.editions))


_YEAR_AFTER_DATA = "after the data's last year, up to `path.end_year`"
_YEAR_IN_DATA = "from the data's first year to `path.end_year`"
_TARGET_VALUE = (
    f"at most {fmt(UNIT_MAXIMUM['pct_gdp'])} in `pct_gdp`, {fmt(UNIT_MAXIMUM['usd_bn'])} "
    f"in `usd_bn` (USD 100 tn, about world GDP), {fmt(UNIT_MAXIMUM['{cur}_bn'])} in `{{cur}}_bn`"
)

# Keys are "table.key"; "{cur}" stands for the country's lower-case currency code ("czk").
FIELDS: dict[str, Field] = {
    f.key: f
    for f in [
        Field(
            "name",
            "str",
            "",
            "file stem",
            "Short id; names the output folder `outputs/<name>/`.",
            attr="name",
            allowed="1-64 letters, digits, `.`, `_` or `-`, starting with a letter or digit; no `__`; not "
            "`comparison`, `compare`, `budget.xlsx`, `index.html`, `sources`, `summary` (any case) or a Windows "
            "device name (`con`, `nul`, `com1`, ...)",
        ),
        Field("title", "str", "", "(required)", "One-line title used on charts and in summaries.", attr="title"),
        Field("description", "str", "", '""', "What the plan is and who stated it.", attr="description"),
        Field(
            "country",
            "str",
            "",
            f'"{load_toml(DATA / "defaults.toml")["country"]}"',
            "Country folder in `budget/data/` (shipped: " + ", ".join(f"`{c}`" for c in countries()) + ").",
            attr="country",
            allowed="a country folder in the data",
        ),
        Field(
            "compare_with",
            "str",
            "",
            "none",
            "Compare with the lines of an alliance the country is not a member of (e.g. South Korea with "
            "NATO's); its members' lines always apply.",
            choices=tuple(sorted(p.stem for p in (DATA / "pledges").glob("*.toml"))),
            attr="compare_with",
        ),
        Field(
            "extends",
            "str",
            "",
            "none",
            "Another scenario file (relative path) to inherit from.",
            allowed="a file name, not empty",
        ),
        Field("plan_source.publisher", "str", "", '""', "Who published the plan or statement."),
        Field("plan_source.title", "str", "", '""', "Title of the article, law or decision."),
        Field("plan_source.url", "str", "", '""', "Where to read it."),
        Field("plan_source.date", "date", "", "none", "Date of the statement (TOML date)."),
        Field("plan_source.note", "str", "", '""', "Caveats: quotes, what the figure covers."),
        Field("path.method", "str", "", '"linear"', "How yearly values join the targets.", METHODS, attr="method"),
        Field(
            "path.interpolate_in",
            "str",
            "",
            "unit of the last target",
            "Unit in which the path is interpolated: `usd_bn`, `{cur}_bn` (current prices) or "
            "`pct_gdp`; other targets are converted to it at their year's GDP and exchange rate.",
            attr="interpolate_in",
            allowed="`usd_bn`, `{cur}_bn`, `pct_gdp`",
        ),
        Field(
            "path.after_last",
            "str",
            "",
            '"hold_share"',
            "After the last target: hold the share of GDP, hold the real amount, or stop.",
            AFTER_LAST,
            attr="after_last",
        ),
        Field(
            "path.end_year",
            "int",
            "year",
            "2035",
            "Last projection year.",
            maximum=MAX_YEAR,
            attr="end_year",
            allowed="after the data's last year, {range}",
        ),
        Field(
            "path.prices_base_year",
            "int",
            "year",
            "last data year",
            "Base year of the constant-price columns (`defense_{cur}_bn_const`).",
            attr="prices_base_year",
            allowed=_YEAR_IN_DATA,
        ),
        Field(
            "economy.real_growth_pct",
            "number",
            "% per year",
            "last data projection year's rate",
            "Real GDP growth after the data's projections.",
            minimum=-50,
            maximum=100,
            above=True,
            below=True,
            attr="real_growth_pct",
        ),
        Field(
            "economy.deflator_growth_pct",
            "number",
            "% per year",
            "last data projection year's rate",
            "GDP deflator growth after the data's projections.",
            minimum=-50,
            maximum=100,
            above=True,
            below=True,
            attr="deflator_growth_pct",
        ),
        Field(
            "economy.assumptions_from",
            "int",
            "year",
            "first year after the data's projections",
            "Apply the two growth rates from this year on, replacing the IMF projection.",
            attr="assumptions_from",
            allowed=_YEAR_AFTER_DATA,
        ),
        Field(
            "economy.gdp_edition",
            "str",
            "",
            f'"{gdp_line().default}"',
            "Edition of the GDP series the scenario is projected with: GDP, deflator, real growth and "
            "implied exchange rates (" + gdp_line().title.split(" (")[0] + "); NATO's defense shares "
            "stay as published. `budget run` also shows the scenario under every shipped edition "
            "(`vintages.csv`).",
            gdp_line().editions,
            attr="gdp_edition",
            allowed="an edition shipped for the scenario's country",
        ),
        Field(
            "economy.{cur}_per_usd",
            "number",
            "{CUR} per USD",
            "last actual rate",
            "Exchange rate in the first projection year.",
            minimum=0,
            maximum=1e6,
            above=True,
            attr="local_per_usd",
        ),
        Field(
            "economy.{cur}_per_usd_change_pct",
            "number",
            "% per year",
            "0",
            "Yearly change of {CUR} per USD after the first projection year (+ = weaker {CUR}).",
            minimum=-50,
            maximum=100,
            above=True,
            below=True,
            attr="local_per_usd_change_pct",
        ),
        Field(
            "procurement.low_pct",
            "number",
            "% of defense",
            "20",
            "Low end of the share spent on major equipment incl. related R&D.",
            minimum=0,
            maximum=100,
            attr="procurement_low_pct",
            what="a share",
            allowed="at most `high_pct`",
        ),
        Field(
            "procurement.high_pct",
            "number",
            "% of defense",
            "25",
            "High end of that share.",
            minimum=0,
            maximum=100,
            attr="procurement_high_pct",
            what="a share",
        ),
        Field(
            "resilience.start_pct_gdp",
            "number",
            "% of GDP",
            "(required in the table)",
            "Defense- and security-related (resilience) spending in the last data year.",
            minimum=0,
            maximum=100,
            what="a share",
        ),
        Field(
            "resilience.target_pct_gdp",
            "number",
            "% of GDP",
            "(required in the table)",
            "Resilience spending reached in `resilience.year` (The Hague: up to 1.5 %).",
            minimum=0,
            maximum=100,
            what="a share",
        ),
        Field(
            "resilience.year",
            "int",
            "year",
            "(required in the table)",
            "Year the resilience share is reached; linear in share from the last data year, then held.",
            allowed=_YEAR_AFTER_DATA,
        ),
        Field("resilience.note", "str", "", '""', "Where the starting share comes from."),
        Field(
            "financing.borrowing_pct",
            "number",
            "% of the extra spending",
            "100 minus the other two",
            "Share of the extra defense spending (against holding the last data year's share of GDP) "
            "that is borrowed: it adds to the deficit and the debt (`fiscal.csv`).",
            minimum=0,
            maximum=100,
            attr="financing_borrowing_pct",
            what="a share",
            allowed="{range}; the three shares add to 100 (within 0.01)",
        ),
        Field(
            "financing.revenue_pct",
            "number",
            "% of the extra spending",
            "0",
            "Share of the extra defense spending paid for by higher revenue: the deficit does not change.",
            minimum=0,
            maximum=100,
            attr="financing_revenue_pct",
            what="a share",
        ),
        Field(
            "financing.other_spending_pct",
            "number",
            "% of the extra spending",
            "0",
            "Share of the extra defense spending paid for by cutting other spending: total expenditure "
            "rises by less, the deficit does not change.",
            minimum=0,
            maximum=100,
            attr="financing_other_spending_pct",
            what="a share",
        ),
        Field("targets", "array", "", "[]", "Array of tables `[[targets]]`, years increasing."),
        Field(
            "targets.year",
            "int",
            "year",
            "(required)",
            "Year the target applies to.",
            attr="year",
            allowed=_YEAR_AFTER_DATA,
        ),
        Field(
            "targets.value",
            "number",
            "per `unit`",
            "",
            "Target amount; or give `low` and `high`.",
            minimum=0,
            allowed=_TARGET_VALUE,
            what="an amount",
        ),
        Field(
            "targets.low",
            "number",
            "per `unit`",
            "",
            "Low end of a range target.",
            minimum=0,
            attr="low",
            allowed=_TARGET_VALUE + "; at most `high`",
            what="an amount",
        ),
        Field(
            "targets.high",
            "number",
            "per `unit`",
            "",
            "High end of a range target.",
            minimum=0,
            attr="high",
            allowed=_TARGET_VALUE,
            what="an amount",
        ),
        Field(
            "targets.unit",
            "str",
            "",
            "(required)",
            "`usd_bn`, `{cur}_bn` or `pct_gdp` (percent: 2.0 means 2 %).",
            attr="unit",
            allowed="`usd_bn`, `{cur}_bn`, `pct_gdp`",
        ),
        Field("targets.prices", "str", "", '"current"', "Price basis of a money target.", PRICES, attr="prices"),
        Field(
            "targets.base_year",
            "int",
            "year",
            "(required if constant)",
            "Base year of a constant-price target: converted at that year's exchange rate, then "
            "moved with the GDP deflator (NATO's constant-prices convention).",
            attr="base_year",
            allowed=_YEAR_IN_DATA,
        ),
        Field("targets.note", "str", "", '""', "Where the target comes from.", attr="note"),
        Field(
            "targets.from",
            "int",
            "year",
            "none",
            "Claims only: first year of a window the claim sums over (with `to` instead of `year`), "
            'e.g. "USD 30-35 bn on new equipment over 2026-2035".',
            attr="start",
            allowed="after the data's last year; at most `to`",
        ),
        Field(
            "targets.to",
            "int",
            "year",
            "none",
            "Claims only: last year of the window (the claim's `year`).",
            allowed="at most `path.end_year`",
        ),
        Field(
            "targets.of",
            "str",
            "",
            '"defense"',
            "Claims only: what a window sums, defense or procurement spending (money units, current prices).",
            WINDOW_OF,
            attr="of",
        ),
        Field(
            "claims",
            "array",
            "",
            "[]",
            "Array of tables `[[claims]]`: other stated figures the targets should agree with (same "
            "keys as a target). They never drive the path; `budget validate` and `summary.md` report "
            "any that differ from it by more than 5 %.",
        ),
        Field(
            "uncertainty.real_growth_sd_pct",
            "number",
            "percentage points",
            "historical sd (2.9)",
            "Standard deviation of each year's real growth around its path; "
            "default: the sd of the actual years in the data (2014-2024).",
            minimum=0,
            maximum=50,
            attr="real_growth_sd_pct",
            what="a standard deviation",
        ),
        Field(
            "uncertainty.deflator_growth_sd_pct",
            "number",
            "percentage points",
            "historical sd (2.7)",
            "Standard deviation of each year's deflator growth; default: "
            "the sd of the actual years in the data (2015-2024).",
            minimum=0,
            maximum=50,
            attr="deflator_growth_sd_pct",
            what="a standard deviation",
        ),
        Field(
            "uncertainty.{cur}_per_usd_sd_pct",
            "number",
            "% per year",
            "historical sd (7.5)",
            "Standard deviation of each year's shock to the log of {CUR} per USD; default: the sd of "
            "the yearly log changes of the actual years in the data (2015-2025).",
            minimum=0,
            maximum=50,
            attr="local_per_usd_sd_pct",
            what="a standard deviation",
        ),
        Field(
            "uncertainty.exchange_rate_model",
            "str",
            "",
            '"mean_reverting"',
            "How {CUR} per USD is drawn: `mean_reverting` (log deviations from the path decay with "
            "`{cur}_per_usd_half_life_years`) or `random_walk` (deviations never decay). Default "
            "mean-reverting: at a ten-year horizon a random walk with the historical sd puts the 5-95 % "
            "range of the rate far outside anything seen in the data; Rogoff (1996) gives a consensus "
            "half-life of 3-5 years for deviations from purchasing power parity.",
            EXCHANGE_RATE_MODELS,
            attr="exchange_rate_model",
        ),
        Field(
            "uncertainty.{cur}_per_usd_half_life_years",
            "number",
            "years",
            "4",
            "Half-life of a deviation of {CUR} per USD from its path (mean-reverting model); 4 is the "
            "middle of Rogoff's (1996) 3-5 years.",
            minimum=0,
            maximum=100,
            above=True,
            attr="local_per_usd_half_life_years",
        ),
        Field(
            "uncertainty.distribution",
            "str",
            "",
            '"normal"',
            "Shape of every shock (uniform: same sd, bounded).",
            DISTRIBUTIONS,
            attr="distribution",
        ),
        Field(
            "execution.rate_pct",
            "number",
            "% of the plan",
            "none (100: the plan is spent in full)",
            "Execution rate: the share of the plan expected to be spent. The targets are plans (budgets); "
            "the projection shows the spending expected of them, the plan's path x this rate in every "
            "projection year (history is not scaled). Claims are compared with the plan itself.",
            minimum=0,
            maximum=150,
            attr="execution_rate_pct",
            what="a rate",
            allowed="{range}; not with `rate`",
        ),
        Field(
            "execution.rate",
            "str",
            "",
            "none",
            "`historical`: the average execution rate of the country's data years (outturn / final budget, "
            "see `outturn.csv`); the simulation draws it uniformly within their min-max range.",
            ("historical",),
            attr="execution_rate",
            allowed="not with `rate_pct`; only for a country whose data hold budget outturns (its runs write "
            "`outturn.csv`)",
        ),
    ]
}
TABLES = ("plan_source", "path", "economy", "procurement", "resilience", "uncertainty", "financing", "execution")
ARRAYS = ("targets", "claims")  # arrays of tables; a claim has the keys of a target


@cache
def keys_for(cur: str) -> dict[str, dict[str, Field]]:
    """The real key structure for a currency: ``{table: {key: Field}}``, ``""`` for the top level.

    ``{cur}`` is replaced by the currency code, so ``"{cur}_per_usd"`` typed literally is unknown,
    and a dotted name is a key only inside its table (``"economy.x"`` quoted at the top is unknown).
    """
    out: dict[str, dict[str, Field]] = {"": {}, **{t: {} for t in (*TABLES, "targets")}}
    for key, f in FIELDS.items():
        table, _, sub = key.rpartition(".")
        out[table][sub.replace("{cur}", cur)] = f
    return out


@cache
def scenario_fields(cur: str) -> dict[str, tuple[str, Field]]:
    """``{Scenario attribute: (file key, Field)}`` for the keys that fill one attribute each."""
    return {
        f.attr: (f.key.replace("{cur}", cur), f) for f in FIELDS.values() if f.attr and not f.key.startswith("targets.")
    }


def unit_maximum(unit: str) -> float:
    """Largest allowed target or claim in ``unit`` (any ``*_bn`` but USD is a local currency)."""
    return UNIT_MAXIMUM.get(unit, UNIT_MAXIMUM["{cur}_bn"])


def unit_note(unit: str) -> str:
    """The unit, in words, for a bound's message."""
    if unit in UNIT_NOTE:
        return UNIT_NOTE[unit]
    return UNIT_NOTE["{cur}_bn"].replace("{CUR}", unit.removesuffix("_bn").upper())
