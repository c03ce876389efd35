"""Ledger: how far a scenario is from each NATO line, and what its targets imply.

- ``gaps``: per NATO line and projection year, the gap (line - spending; positive = short) in
  USD bn, local bn and points of GDP, its running sum, whether the line's level is met, and the
  constant real growth of spending from the last data year that would reach the line in its
  pledge year: (D_real_line(T) / D_real(t0)) ** (1 / (T - t0)) - 1 (domain notes).
- ``implied_targets``: every target restated in the other units at the scenario's GDP and
  exchange-rate path ("USD 25 bn in 2035 is 4.40 % of GDP"), and ``disagreements`` between a
  scenario's targets and the claims it also records (``[[claims]]``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from budget.arguments import scenario_arg
from budget.model import central_economy, defense_path, project, target_value
from budget.pledges import first_year_met, lines
from budget.scenario import Scenario

if TYPE_CHECKING:  # pandas only where a DataFrame is built: `budget validate` stays fast
    import pandas as pd


def gaps(scenario: Scenario, frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Shortfall ledger, one row per (line, projection year).

    Columns: ``line``, ``year``, ``line_pct_gdp``, ``spending_pct_gdp`` (core, or core +
    resilience for the 5 % line), ``gap_usd_bn``, ``gap_<cur>_bn``, ``gap_pct_points``,
    ``cumulative_gap_usd_bn``, ``cumulative_gap_<cur>_bn`` (running sums from the first
    projection year; positive = short), ``met`` (share at or above the line's final level),
    ``first_year_met`` (empty: not by the end year) and ``required_real_growth_pct`` (constant
    real growth of spending from the last data year that reaches the line in its year).

    >>> import budget
    >>> g = budget.gaps(budget.load_scenario("scenarios/legal-floor-2pct.toml"))
    >>> float(g[g.line == "nato_2pct"].gap_pct_points.abs().max()) < 1e-9
    True
    """
    import pandas as pd

    scenario_arg(scenario)
    if frame is not None and not isinstance(frame, pd.DataFrame):
        raise TypeError(f"frame: expected the DataFrame of budget.project(scenario) or None, got "
                        f"{type(frame).__name__}")

    df = project(scenario) if frame is None else frame
    cur, t0 = scenario.data.cur, scenario.data.last_data_year
    proj = df.loc[t0 + 1:]
    defl = scenario.data.deflator
    rows = []
    for line in lines():
        spend = "total" if line.id == "nato_total" else "defense"
        part = pd.DataFrame({
            "line": line.id, "year": proj.index,
            "line_pct_gdp": proj[f"{line.id}_pct_gdp"].to_numpy(),
            "spending_pct_gdp": proj[f"{spend}_pct_gdp"].to_numpy(),
            "gap_usd_bn": proj[f"gap_{line.id}_usd_bn"].to_numpy(),
            f"gap_{cur}_bn": proj[f"gap_{line.id}_{cur}_bn"].to_numpy(),
            "gap_pct_points": proj[f"gap_{line.id}_pct_points"].to_numpy(),
        })
        part["cumulative_gap_usd_bn"] = part["gap_usd_bn"].cumsum()
        part[f"cumulative_gap_{cur}_bn"] = part[f"gap_{cur}_bn"].cumsum()
        part["met"] = part["spending_pct_gdp"] >= line.pct_gdp - 1e-9
        first = first_year_met(df, line, t0)
        part["first_year_met"] = pd.array([first] * len(part), dtype="Int64")
        target_year = line.year or int(proj.index[-1])
        growth = float("nan")  # a pledge year beyond the projection has no GDP to aim at
        if target_year in df.index:
            # Real spending: local currency at t0 prices, deflated with the GDP deflator.
            need = (line.pct_gdp / 100 * df.loc[target_year, f"gdp_{cur}_bn"]
                    * df.loc[t0, defl] / df.loc[target_year, defl])
            have = df.loc[t0, f"{spend}_{cur}_bn"]
            growth = ((need / have) ** (1 / (target_year - t0)) - 1) * 100
        part["required_real_growth_pct"] = growth
        rows.append(part)
    return pd.concat(rows, ignore_index=True)


def implied_targets(scenario: Scenario) -> pd.DataFrame:
    """Each target (and claim) in USD bn, local bn and % of GDP at the scenario's path.

    One row per target end (``value``, or ``low`` and ``high`` for a range); ``kind`` is
    ``target`` or ``claim``.
    """
    import pandas as pd

    e = central_economy(scenario)
    cur = scenario.data.cur
    rows = []
    for kind, items in (("target", scenario.targets), ("claim", scenario.claims)):
        for t in items:
            for end in ("low", "high") if t.is_range else ("value",):
                side = "low" if end == "value" else end
                row = {"kind": kind, "year": t.year, "end": end, "stated": getattr(t, side),
                       "unit": t.unit, "prices": t.prices if t.unit != "pct_gdp" else ""}
                for unit, name in (("usd_bn", "usd_bn"), ("local", f"{cur}_bn"), ("pct_gdp", "pct_gdp")):
                    row[name] = float(target_value(t, side, unit, e))
                rows.append({**row, "note": t.note})
    return pd.DataFrame(rows)


def disagreements(scenario: Scenario, tolerance_pct: float = 5.0) -> list[str]:
    """Sentences for each claim that the scenario's path misses by more than ``tolerance_pct``.

    A claim is a figure the plan's authors also stated or signed up to (e.g. "3 % of GDP" next
    to "USD 15 bn"); it is compared, in its own unit, with the path's value in its year (both
    ends of a range). Numpy only, so ``budget validate`` stays fast.
    """
    if not scenario.claims:
        return []
    e = central_economy(scenario)
    t0 = scenario.data.last_data_year
    paths = [defense_path(scenario, e, end) for end in ("low", "high")]
    out = []
    for c in scenario.claims:
        unit = c.unit if c.unit in ("usd_bn", "pct_gdp") else "local"
        key = "local_bn" if unit == "local" else unit
        path = sorted(float(p[key][c.year - t0 - 1]) for p in paths)  # index among projection years
        # The claim at current prices of its year, in its own unit (constant prices converted).
        lo, hi = (float(target_value(c, end, unit, e)) for end in ("low", "high"))
        slack = tolerance_pct / 100
        if path[1] < lo * (1 - slack) or path[0] > hi * (1 + slack):
            label = {"usd_bn": "USD bn", "pct_gdp": "% of GDP"}.get(c.unit, f"{scenario.data.currency} bn")
            stated = f"{c.low:g}" if not c.is_range else f"{c.low:g}-{c.high:g}"
            if c.prices == "constant":
                stated += f" at {c.base_year} prices ({lo:.2f}" + (f"-{hi:.2f}" if c.is_range else "") + " current)"
            got = "-".join(dict.fromkeys(f"{v:.2f}" for v in path))
            out.append(f"{c.year}: the path gives {got} {label}, but the claim is {stated} {label} "
                       f"({c.note or 'claim'}); they differ by more than {tolerance_pct:g} %.")
    return out


def required_growth_table(g: pd.DataFrame) -> pd.DataFrame:
    """Per line: first year met, cumulative gap to the end year and required real growth."""
    last = g.groupby("line", sort=False).tail(1).set_index("line")
    cols = ["first_year_met", "cumulative_gap_usd_bn", "required_real_growth_pct"]
    return last[cols + [c for c in last.columns if c.startswith("cumulative_gap_") and c not in cols]]

