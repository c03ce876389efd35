"""Schema: every key a scenario file may hold, with its type, unit, default and meaning.

``FIELDS`` is the single source for validation (``budget.scenario``) and for the README's
scenario-file reference (``tests/regenerate_readme.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

from budget.history import countries

METHODS = ("linear", "geometric", "step")
AFTER_LAST = ("hold_share", "hold_real", "stop")
DISTRIBUTIONS = ("normal", "uniform")


@dataclass(frozen=True)
class Field:
    """One allowed key of a scenario file; this table drives validation and the README."""

    key: str
    type: str  # "str" | "number" | "int" | "date" | "table" | "array"
    unit: str
    default: str
    description: str
    choices: tuple[str, ...] = ()


# Keys are "table.key"; "{cur}" stands for the country's lower-case currency code ("czk").
FIELDS: dict[str, Field] = {f.key: f for f in [
    Field("name", "str", "", "file stem", "Short id; names the output folder `outputs/<name>/`."),
    Field("title", "str", "", "(required)", "One-line title used on charts and in summaries."),
    Field("description", "str", "", '""', "What the plan is and who stated it."),
    Field("country", "str", "", '"czechia"', "Country folder in `budget/data/` (shipped: "
          + ", ".join(f"`{c}`" for c in countries()) + ")."),
    Field("extends", "str", "", "none", "Another scenario file (relative path) to inherit from."),
    Field("plan_source.publisher", "str", "", '""', "Who published the plan or statement."),
    Field("plan_source.title", "str", "", '""', "Title of the article, law or decision."),
    Field("plan_source.url", "str", "", '""', "Where to read it."),
    Field("plan_source.date", "date", "", "none", "Date of the statement (TOML date)."),
    Field("plan_source.note", "str", "", '""', "Caveats: quotes, what the figure covers."),
    Field("path.method", "str", "", '"linear"', "How yearly values join the targets.", METHODS),
    Field("path.interpolate_in", "str", "", "unit of the last target",
          "Unit in which the path is interpolated: `usd_bn`, `{cur}_bn` (current prices) or "
          "`pct_gdp`; other targets are converted to it at their year's GDP and exchange rate."),
    Field("path.after_last", "str", "", '"hold_share"',
          "After the last target: hold the share of GDP, hold the real amount, or stop.",
          AFTER_LAST),
    Field("path.end_year", "int", "year", "2035", "Last projection year."),
    Field("path.prices_base_year", "int", "year", "last data year",
          "Base year of the constant-price columns (`defense_{cur}_bn_const`)."),
    Field("economy.real_growth_pct", "number", "% per year",
          "last data projection year's rate", "Real GDP growth after the data's projections."),
    Field("economy.deflator_growth_pct", "number", "% per year",
          "last data projection year's rate", "GDP deflator growth after the data's projections."),
    Field("economy.assumptions_from", "int", "year", "first year after the data's projections",
          "Apply the two growth rates from this year on, replacing the IMF projection."),
    Field("economy.{cur}_per_usd", "number", "{CUR} per USD", "last actual rate",
          "Exchange rate in the first projection year."),
    Field("economy.{cur}_per_usd_change_pct", "number", "% per year", "0",
          "Yearly change of {CUR} per USD after the first projection year (+ = weaker {CUR})."),
    Field("procurement.low_pct", "number", "% of defense", "20",
          "Low end of the share spent on major equipment incl. related R&D."),
    Field("procurement.high_pct", "number", "% of defense", "25", "High end of that share."),
    Field("resilience.start_pct_gdp", "number", "% of GDP", "(required in the table)",
          "Defense- and security-related (resilience) spending in the last data year."),
    Field("resilience.target_pct_gdp", "number", "% of GDP", "(required in the table)",
          "Resilience spending reached in `resilience.year` (The Hague: up to 1.5 %)."),
    Field("resilience.year", "int", "year", "(required in the table)",
          "Year the resilience share is reached; linear in share from the last data year, then held."),
    Field("resilience.note", "str", "", '""', "Where the starting share comes from."),
    Field("targets", "array", "", "[]", "Array of tables `[[targets]]`, years increasing."),
    Field("targets.year", "int", "year", "(required)", "Year the target applies to."),
    Field("targets.value", "number", "per `unit`", "", "Target amount; or give `low` and `high`."),
    Field("targets.low", "number", "per `unit`", "", "Low end of a range target."),
    Field("targets.high", "number", "per `unit`", "", "High end of a range target."),
    Field("targets.unit", "str", "", "(required)",
          "`usd_bn`, `{cur}_bn` or `pct_gdp` (percent: 2.0 means 2 %)."),
    Field("targets.prices", "str", "", '"current"', "Price basis of a money target.",
          ("current", "constant")),
    Field("targets.base_year", "int", "year", "(required if constant)",
          "Base year of a constant-price target: converted at that year's exchange rate, then "
          "moved with the GDP deflator (NATO's constant-prices convention)."),
    Field("targets.note", "str", "", '""', "Where the target comes from."),
    Field("claims", "array", "", "[]",
          "Array of tables `[[claims]]`: other stated figures the targets should agree with (same "
          "keys as a target). They never drive the path; `budget validate` and `summary.md` report "
          "any that differ from it by more than 5 %."),
    Field("uncertainty.real_growth_sd_pct", "number", "percentage points",
          "historical sd (2.9)", "Standard deviation of each year's real growth around its path; "
          "default: the sd of the actual years in the data (2014-2024)."),
    Field("uncertainty.deflator_growth_sd_pct", "number", "percentage points",
          "historical sd (2.7)", "Standard deviation of each year's deflator growth; default: "
          "the sd of the actual years in the data (2015-2024)."),
    Field("uncertainty.{cur}_per_usd_sd_pct", "number", "% per year", "historical sd (7.5)",
          "Standard deviation of the yearly log change of {CUR} per USD (a random walk); "
          "default: the sd of the actual years in the data (2015-2025)."),
    Field("uncertainty.distribution", "str", "", '"normal"',
          "Shape of every shock (uniform: same sd, bounded).", DISTRIBUTIONS),
]}
TABLES = ("plan_source", "path", "economy", "procurement", "resilience", "uncertainty")
