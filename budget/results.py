"""Results as one long table: a row per country, scenario, year, metric and range end.

The wide per-scenario frame of ``budget.project`` names a value by its column (``defense_czk_bn_low``);
the long table names it by its parts, with the currency as a unit rather than part of a name, so
one table holds any number of countries and scenarios::

    country, scenario, year, metric, end, unit, prices, status, value

``metric`` is what is measured (``defense``, ``gdp``, ``exchange_rate``, ``nato_core_path``...),
``end`` is ``central``, ``low`` or ``high`` (the range ends of a scenario's targets), ``unit`` is
``% of GDP``, ``USD bn``, ``<CUR> bn``, ``<CUR> per USD``, ``% per year``, ``% of defense`` or an
index, ``prices`` is ``current``, ``constant <year>`` or empty (shares and rates), ``status`` is
the data's (actual, estimate, projection) or ``projection``/``assumption`` for the scenario. The
wide frame is a pivot of it (``wide``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from budget.scenario import Scenario

if TYPE_CHECKING:
    import pandas as pd

KEYS = ["country", "scenario", "year", "metric", "end", "unit", "prices", "status", "value"]
TEXT_COLUMNS = ("status", "economy_status", "prices_base_year")


def _parts(column: str, cur: str, base_year: int, deflator_base: str) -> tuple[str, str, str, str]:
    """(metric, end, unit, prices) of a wide column name."""
    code = cur.upper()
    end = "central"
    name = column
    if m := re.fullmatch(r"(.+)_(low|high)", name):
        name, end = m[1], m[2]
    prices = "current"
    if name.endswith("_const"):
        name, prices = name.removesuffix("_const"), f"constant {base_year}"
    rules = [
        (r"(.+)_usd_bn", "USD bn"),
        (rf"(.+)_{cur}_bn", f"{code} bn"),
        (r"(.+)_pct_gdp", "% of GDP"),
        (r"(.+)_growth_pct", "% per year"),
        (rf"{cur}_per_usd", f"{code} per USD"),
        (r"(procurement)_pct", "% of defense"),
        (r"(gdp_deflator)_\d{4}_100", f"index, {deflator_base} = 100"),
    ]
    for pattern, unit in rules:
        if m := re.fullmatch(pattern, name):
            metric = m[1] if m.groups() else "exchange_rate"
            if unit == "% per year":
                metric += "_growth"
            no_prices = (
                unit in ("% of GDP", "% per year", "% of defense")
                or unit.startswith("index")
                or unit.endswith("per USD")
            )
            return metric, end, unit, "" if no_prices else prices
    raise KeyError(column)


def long_table(s: Scenario, df: pd.DataFrame) -> pd.DataFrame:
    """The projection ``df`` of scenario ``s`` as long rows (see the module docstring)."""
    import pandas as pd

    from budget.arguments import scenario_arg

    scenario_arg(s, "s")
    if not isinstance(df, pd.DataFrame) or "prices_base_year" not in df:
        raise TypeError(f"df: expected the DataFrame of budget.project(s), got {type(df).__name__}")
    c = s.data
    base = int(df["prices_base_year"].iloc[0])
    numeric = [col for col in df.columns if col not in TEXT_COLUMNS]
    frames = []
    for col in numeric:
        metric, end, unit, prices = _parts(col, c.cur, base, c.deflator_base)
        economy = not metric.startswith(("defense", "procurement", "resilience", "total"))
        status = df["economy_status"] if economy else df["status"]
        frames.append(
            pd.DataFrame(
                {
                    "year": df.index,
                    "metric": metric,
                    "end": end,
                    "unit": unit,
                    "prices": prices,
                    "status": status.to_numpy(),
                    "value": df[col].to_numpy(),
                }
            )
        )
    out = pd.concat(frames, ignore_index=True)
    out.insert(0, "scenario", s.name)
    out.insert(0, "country", c.key)
    out.attrs["columns"] = numeric  # the wide column order, for ``wide``
    return out[KEYS]


def wide(long: pd.DataFrame, cur: str) -> pd.DataFrame:
    """Pivot long rows of one scenario back into the wide columns of ``budget.project``
    (numeric columns only, in the order of ``long.attrs["columns"]`` where known).
    """
    code = cur.upper()
    suffix = {"USD bn": "_usd_bn", f"{code} bn": f"_{cur}_bn", "% of GDP": "_pct_gdp", "% of defense": "_pct"}

    def name(r: pd.Series) -> str:
        if r["unit"] == f"{code} per USD":
            stem = f"{cur}_per_usd"
        elif r["unit"] == "% per year":
            stem = f"{r['metric'].removesuffix('_growth')}_growth_pct"
        elif r["unit"].startswith("index, "):
            stem = f"{r['metric']}_{r['unit'].split()[1]}_100"
        else:
            stem = r["metric"] + suffix[r["unit"]] + ("_const" if r["prices"].startswith("constant") else "")
        return stem if r["end"] == "central" else f"{stem}_{r['end']}"

    named = long.assign(column=long.apply(name, axis=1))
    out = named.pivot(index="year", columns="column", values="value")
    order = [c for c in long.attrs.get("columns", []) if c in out.columns]
    return out[order or list(out.columns)].rename_axis(None, axis=1)
