"""Ledger: how a scenario compares with each line that binds its country, and what its targets imply.

- ``gaps``: per line, projection year and range end, share minus the line's level and minus the
  path to it (points of GDP, and money at that year's GDP), whether each is met, running sums,
  the resilience share a total line would need, the first year of meeting the level for good,
  and the constant real growth of spending from the last data year that reaches the level in
  the line's year: (D_real_line(T) / D_real(t0)) ** (1 / (T - t0)) - 1 (domain notes).
- ``implied_targets``: every target restated in the other units at the scenario's GDP and
  exchange-rate path ("USD 25 bn in 2035 is 4.40 % of GDP"), and ``disagreements`` between a
  scenario's targets and the claims it also records (``[[claims]]``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from budget.arguments import scenario_arg
from budget.formats import as_float, num, span
from budget.i18n import _, money, short
from budget.model import central_economy, defense_path, project, target_value
from budget.pledges import Line, lines_for, meets, met_from
from budget.scenario import Scenario, Target
from budget.verdicts import unit_words

if TYPE_CHECKING:  # pandas only where a DataFrame is built: `budget validate` stays fast
    from collections.abc import Callable

    import pandas as pd

    from budget.history import Country


def gaps(scenario: Scenario, frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """The ledger: one row per binding line, projection year and end of the range (``low``, ``high``).

    Every comparison says what it compares with. Against the line's **level**:
    ``share_minus_level_pct_points`` (share minus level; + = above, - = short),
    ``spending_minus_level_usd_bn`` / ``_<cur>_bn`` (the same in money at that year's GDP,
    current prices), ``meets_level`` and ``cumulative_minus_level_usd_bn`` (running sum from the
    first projection year). Against the **path** to the level (our assumption; see
    ``budget.pledges``): the same with ``path``. ``share_pct_gdp`` is core defense, or core +
    resilience for a ``total`` line where the scenario models resilience; otherwise it is empty
    and ``resilience_needed_pct_gdp`` states the resilience share that would meet the level.
    ``met_from`` is the first year of the unbroken run that meets the level to the end year
    (history counts); ``required_real_growth_pct`` the constant real growth of spending from the
    last data year that reaches the level in the line's year.

    >>> import budget
    >>> g = budget.gaps(budget.load_scenario("scenarios/legal-floor-2pct.toml"))
    >>> float(g[g.line == "nato_2pct"].share_minus_level_pct_points.abs().max()) < 1e-9
    True
    """
    import pandas as pd

    scenario_arg(scenario)
    if frame is not None and not isinstance(frame, pd.DataFrame):
        raise TypeError(
            f"frame: expected the DataFrame of budget.project(scenario) or None, got {type(frame).__name__}"
        )
    df = project(scenario) if frame is None else frame
    c = scenario.data
    cur, t0 = c.cur, c.last_data_year
    proj = df.loc[t0 + 1 :]
    rows = []
    for line in lines_for(c):
        for end in ("low", "high"):
            part = _line_rows(scenario, df, proj, line, end)
            rows.append(part)
    if not rows:  # no line binds the country: an empty ledger with the same columns
        return pd.DataFrame(columns=ledger_columns(cur))
    out = pd.concat(rows, ignore_index=True)
    return out.sort_values(["line", "end", "year"], kind="stable", key=_line_order(c)).reset_index(drop=True)


def ledger_columns(cur: str) -> list[str]:
    """The ledger's columns, in order (``<cur>``: the currency code)."""
    per = [f"{{}}_minus_{{cmp}}_{u}" for u in ("pct_points", "usd_bn", f"{cur}_bn")]
    cols = ["line", "year", "end", "compares_with", "level_pct_gdp", "path_pct_gdp", "share_pct_gdp"]
    for cmp in ("level", "path"):
        cols += [p.format("share" if "pct" in p else "spending", cmp=cmp) for p in per]
        cols += [f"meets_{cmp}", f"cumulative_minus_{cmp}_usd_bn"]
    return [*cols, "resilience_needed_pct_gdp", "met_from", "required_real_growth_pct"]


def _line_order(c: Country) -> Callable[[pd.Series], pd.Series]:
    order = {ln.id: i for i, ln in enumerate(lines_for(c))} | {"low": 0, "high": 1}
    return lambda col: col.map(order) if col.name in ("line", "end") else col


def spending_share(scenario: Scenario, df: pd.DataFrame, line: Line, end: str) -> pd.Series:
    """The share a line compares with (% of GDP): core, or core + resilience for a total line
    (NaN where the scenario does not model resilience).
    """
    core = df[f"defense_pct_gdp_{end}"]
    if line.compares_with == "core":
        return core
    return core + df["resilience_pct_gdp"] if scenario.resilience is not None else core * float("nan")


def _line_rows(s: Scenario, df: pd.DataFrame, proj: pd.DataFrame, line: Line, end: str) -> pd.DataFrame:
    import pandas as pd

    c = s.data
    cur, t0 = c.cur, c.last_data_year
    share = spending_share(s, df, line, end)
    part = pd.DataFrame(
        {
            "line": line.id,
            "year": proj.index,
            "end": end,
            "compares_with": line.compares_with,
            "level_pct_gdp": line.level_pct_gdp,
            "path_pct_gdp": proj[f"{line.id}_path_pct_gdp"].to_numpy(),
            "share_pct_gdp": share.loc[proj.index].to_numpy(),
        }
    )
    gdp = {"usd_bn": proj["gdp_usd_bn"].to_numpy(), f"{cur}_bn": proj[f"gdp_{cur}_bn"].to_numpy()}
    for cmp, ref in (("level", part["level_pct_gdp"]), ("path", part["path_pct_gdp"])):
        diff = part["share_pct_gdp"] - ref
        part[f"share_minus_{cmp}_pct_points"] = diff
        for unit, g in gdp.items():
            part[f"spending_minus_{cmp}_{unit}"] = diff / 100 * g
        part[f"meets_{cmp}"] = meets(part["share_pct_gdp"].to_numpy(), line, None if cmp == "level" else ref.to_numpy())
        part[f"cumulative_minus_{cmp}_usd_bn"] = part[f"spending_minus_{cmp}_usd_bn"].cumsum(skipna=False)
    part["resilience_needed_pct_gdp"] = (
        (line.level_pct_gdp - df[f"defense_pct_gdp_{end}"].loc[proj.index]).clip(lower=0).to_numpy()
        if line.compares_with == "total"
        else float("nan")
    )
    full = share.loc[: proj.index[-1]] if len(proj) else share
    first = met_from(full.index.to_numpy(), full.to_numpy(), line) if full.notna().any() else None
    part["met_from"] = pd.array([first] * len(part), dtype="Int64")
    growth = float("nan")  # a pledge year beyond the projection has no GDP to aim at
    if line.year in df.index and line.year > t0:
        nominal, prices, y1 = df[f"gdp_{cur}_bn"], df[c.deflator], line.year
        growth = required_real_growth(
            line.level_pct_gdp, as_float(share.loc[t0]), as_float(nominal.loc[t0]), as_float(nominal.loc[y1]),
            as_float(prices.loc[t0]), as_float(prices.loc[y1]), y1 - t0,
        )  # fmt: skip
    part["required_real_growth_pct"] = growth
    return part


def required_real_growth(
    level_pct: float, share_pct: float, gdp_start: float, gdp_end: float, defl_start: float, defl_end: float, years: int
) -> float:
    """Constant yearly real growth (%) of spending that takes it from ``share_pct`` of nominal GDP
    ``gdp_start`` to ``level_pct`` of ``gdp_end`` in ``years`` years, at GDP-deflator prices:
    ((level x GDP_end x P_start / P_end) / (share x GDP_start)) ** (1 / years) - 1.
    """
    need = level_pct / 100 * gdp_end * defl_start / defl_end
    have = share_pct / 100 * gdp_start
    return float(((need / have) ** (1 / years) - 1) * 100)


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
        for t in (t for t in items if not t.is_window):  # windows: ``window_claims``
            for end in ("low", "high") if t.is_range else ("value",):
                side = "low" if end == "value" else end
                row = {
                    "kind": kind,
                    "year": t.year,
                    "end": end,
                    "stated": getattr(t, side),
                    "unit": t.unit,
                    "prices": t.prices if t.unit != "pct_gdp" else "",
                }
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
    paths = [defense_path(scenario, e, end, execution=1.0) for end in ("low", "high")]  # claims are plans
    out = [w.sentence for w in window_claims(scenario, tolerance_pct) if not w.agrees]
    for c in (c for c in scenario.claims if not c.is_window):
        unit = c.unit if c.unit in ("usd_bn", "pct_gdp") else "local"
        key = "local_bn" if unit == "local" else unit
        path = sorted(float(p[key][c.year - t0 - 1]) for p in paths)  # index among projection years
        # The claim at current prices of its year, in its own unit (constant prices converted).
        lo, hi = (float(target_value(c, end, unit, e)) for end in ("low", "high"))
        slack = tolerance_pct / 100
        if path[1] < lo * (1 - slack) or path[0] > hi * (1 + slack):
            label = unit_words(c.unit, scenario.data.currency)
            stated = short(c.low) if not c.is_range else _("{low}-{high}").format(low=short(c.low), high=short(c.high))
            got = _("{low}-{high}").format(low=num(path[0], 2), high=num(path[1], 2))
            figures = {
                "year": c.year,
                "got": num(path[0], 2) if num(path[0], 2) == num(path[1], 2) else got,
                "stated": stated,
                "unit": label,
                "note": _(c.note) if c.note else _("claim"),
                "tolerance": short(tolerance_pct),
            }
            if c.prices == "constant":
                current = num(lo, 2) if not c.is_range else _("{low}-{high}").format(low=num(lo, 2), high=num(hi, 2))
                text = _(
                    "{year}: the path gives {got} {unit}, but the claim is {stated} {unit} at {base} prices, "
                    "{current} {unit} at current prices ({note}); they differ by more than {tolerance} %."
                ).format(**figures, base=c.base_year, current=current)
            else:
                text = _(
                    "{year}: the path gives {got} {unit}, but the claim is {stated} {unit} ({note}); they differ by "
                    "more than {tolerance} %."
                ).format(**figures)
            out.append(text)
    return out


@dataclass(frozen=True)
class WindowCheck:
    """A claim over a window against the path's sum over the same years (money, current prices).

    ``path_low``/``path_high``: the path's sum at the range's ends (defense, or procurement at the
    low share x low path and high share x high path); ``defense_low``/``defense_high``: defense
    summed; ``implied_pct``: for a procurement claim, its share of the path's defense spending
    (claim low / defense high to claim high / defense low, %).
    """

    claim: Target
    path_low: float
    path_high: float
    defense_low: float
    defense_high: float
    agrees: bool
    sentence: str
    implied_pct: tuple[float, float] | None = None


def window_claims(scenario: Scenario, tolerance_pct: float = 5.0) -> list[WindowCheck]:
    """Each claim over a window (``from``..``to``) against the path's sum over the same years.

    Sums at current prices in the claim's currency, at both ends of the range. A claim agrees
    when the two ranges overlap within ``tolerance_pct``. Numpy only. A window past the end of
    a stopped path is refused by the loader.
    """
    windows = [c for c in scenario.claims if c.is_window]
    if not windows:
        return []
    e = central_economy(scenario)
    t0 = scenario.data.last_data_year
    paths = {end: defense_path(scenario, e, end, execution=1.0) for end in ("low", "high")}  # plans, as claims
    shares = {"low": scenario.procurement_low_pct / 100, "high": scenario.procurement_high_pct / 100}
    out = []
    for c in windows:
        assert c.start is not None
        key = "usd_bn" if c.unit == "usd_bn" else "local_bn"
        code = "USD" if c.unit == "usd_bn" else scenario.data.currency
        idx = slice(c.start - t0 - 1, c.year - t0)
        defense = {end: float(np.sum(p[key][idx])) for end, p in paths.items()}
        spent = {end: defense[end] * (shares[end] if c.of == "procurement" else 1.0) for end in defense}
        lo, hi = sorted(spent.values())
        slack = tolerance_pct / 100
        agrees = not (hi < c.low * (1 - slack) or lo > c.high * (1 + slack))
        figures = {
            "start": c.start,
            "year": c.year,
            "claim": money(span(c.low, c.high), code),
            "note": _(c.note) if c.note else _("claim"),
            "path": money(span(lo, hi), code),
            "tolerance": short(tolerance_pct),
        }
        implied = None
        if c.of == "procurement":
            implied = (c.low / defense["high"] * 100, c.high / defense["low"] * 100)
            figures.update(
                low=short(scenario.procurement_low_pct),
                high=short(scenario.procurement_high_pct),
                implied=span(*implied),
                defense=money(span(defense["low"], defense["high"]), code),
            )
            text = (
                _(
                    "{start}-{year}: the claim of {claim} of procurement (major equipment) ({note}) against the "
                    "path's {path} over the same years at {low}-{high} % of defense; the claim is {implied} % of the "
                    "path's defense spending ({defense}): they agree within {tolerance} %."
                )
                if agrees
                else _(
                    "{start}-{year}: the claim of {claim} of procurement (major equipment) ({note}) against the "
                    "path's {path} over the same years at {low}-{high} % of defense; the claim is {implied} % of the "
                    "path's defense spending ({defense}); they differ by more than {tolerance} %."
                )
            )
        else:
            text = (
                _(
                    "{start}-{year}: the claim of {claim} of defense spending ({note}) against the path's {path} "
                    "over the same years: they agree within {tolerance} %."
                )
                if agrees
                else _(
                    "{start}-{year}: the claim of {claim} of defense spending ({note}) against the path's {path} "
                    "over the same years; they differ by more than {tolerance} %."
                )
            )
        text = text.format(**figures)
        out.append(WindowCheck(c, lo, hi, defense["low"], defense["high"], agrees, text, implied))
    return out
