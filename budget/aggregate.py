"""Alliance arithmetic: every member's yearly path, and the group's totals.

Group shares are total spending over total GDP (both in USD at current prices), never an
average of shares. Money is USD bn at current prices unless a name ends in ``_const``
(constant prices and exchange rates of ``prices_base_year``, NATO's convention: local spending
deflated by the member's GDP deflator, converted at the base year's rate). The extra cost of a
rule is its spending minus holding the member's last data year share of GDP (the baseline).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from budget.alliance_file import Alliance, Rule, load_alliance
from budget.history import countries, load_country
from budget.model import Economy, build_economy, defense_path, project, rates
from budget.scenario import Scenario, Target

ENDS = ("low", "high")


@dataclass(frozen=True)
class Member:
    """One member's arrays on the year grid ``years`` (history, then the rule's path)."""

    key: str
    years: np.ndarray
    t0: int  # last data year
    pct: dict[str, np.ndarray]  # % of GDP, by range end
    usd: dict[str, np.ndarray]  # USD bn, current prices, by range end
    local: dict[str, np.ndarray]  # national currency bn, current prices
    hold_usd: np.ndarray  # USD bn if the last data year's share were held
    gdp_usd: np.ndarray
    gdp_local: np.ndarray
    usd_const: np.ndarray  # high end, USD bn at constant prices and exchange rates of the base year
    status: list[str]
    deflator: np.ndarray  # GDP deflator, index (the data's base year = 100), data then the rule's economy


def data_sources(key: str) -> list[str]:
    """Source ids of the series the alliance arithmetic reads for a member (defense share, GDP,
    real growth, deflator, exchange rate), in first-use order: not every source its folder cites.
    """
    c = load_country(key)
    used = {"defense_pct_gdp", f"gdp_{c.cur}_bn", "real_gdp_growth_pct", c.deflator, f"{c.cur}_per_usd"}
    return list(dict.fromkeys(r.source_id for r in c.rows if r.indicator in used))


def base_scenario(a: Alliance, key: str, rule: Rule) -> Scenario:
    """The member's rule as a scenario (share targets in % of GDP; plans are used as they are)."""
    targets = (
        ()
        if rule.kind != "path"
        else (Target(rule.year or 0, rule.level_pct_gdp or 0.0, rule.level_pct_gdp or 0.0, "pct_gdp"),)
    )
    return Scenario(
        name=key, title=f"{a.title}: {key}", file=a.file, chain=(a.file,), country=key,
        targets=targets, interpolate_in="pct_gdp", after_last="hold_share", end_year=a.end_year,
    )  # fmt: skip


ANCHOR = "USD"  # money is summed in US dollars: the currency every rate is quoted against


def hold_scenario(key: str, end_year: int) -> Scenario:
    """A country's data-only scenario (no targets, the share held): its central economy."""
    return Scenario(name=key, title=key, file=Path(key), chain=(Path(key),), country=key, end_year=end_year)


@cache
def currency_deflator_growth(currency: str, end_year: int) -> dict[int, float]:
    """Yearly % growth of the GDP deflator of a currency: the GDP-weighted average of the central
    deflator paths of every country in the data that uses it (its 2024 GDP in that currency as
    weight), so that members sharing a currency (the euro) share one exchange rate.
    """
    paths, weights = [], []
    for key in countries():
        c = load_country(key)
        if c.currency != currency or not c.has("defense_pct_gdp"):
            continue
        grid = np.arange(c.first_year, end_year + 1)
        defl = c.array(c.deflator, grid)
        r = rates(hold_scenario(key, end_year))
        growth = dict(zip(grid[1:].tolist(), ((defl[1:] / defl[:-1] - 1) * 100).tolist(), strict=True))
        growth.update(zip(r.years.tolist(), r.deflator_pct.tolist(), strict=True))
        paths.append(growth)
        weights.append(float(c.array(f"gdp_{c.cur}_bn", np.array([2024]))[0]))
    years = sorted(set.intersection(*(set(p) for p in paths))) if paths else []
    w = np.array(weights) / sum(weights) if paths else np.array([])
    return {y: float(sum(wi * p[y] for wi, p in zip(w, paths, strict=True))) for y in years}


def rate_change(a: Alliance, s: Scenario) -> np.ndarray:
    """Central yearly % change of the member's currency per USD after its last data year: the
    published rates where the data has them (e.g. 2025 for a member whose NATO figures end in
    2024), then ``held`` (0) or ``constant_real`` (the currency's deflator against the US one).
    """
    c = s.data
    years = np.arange(c.last_data_year + 1, a.end_year + 1)
    if a.exchange_rates == "constant_real":
        cur, us = currency_deflator_growth(c.currency, a.end_year), currency_deflator_growth(ANCHOR, a.end_year)
        model = np.array([((1 + cur[int(y)] / 100) / (1 + us[int(y)] / 100) - 1) * 100 for y in years])
    else:
        model = np.zeros(len(years))
    data = c.array(f"{c.cur}_per_usd", np.arange(c.last_data_year, a.end_year + 1))
    with np.errstate(invalid="ignore"):
        known = (data[1:] / data[:-1] - 1) * 100
    return np.where(np.isnan(known), model, known)


def economy(
    a: Alliance, s: Scenario, real_pct: np.ndarray, defl_pct: np.ndarray, rate_change_pct: np.ndarray | None = None
) -> Economy:
    """The member's economy under the alliance's exchange-rate rule (arrays may carry draw axes);
    ``rate_change_pct`` replaces the central ``rate_change`` (e.g. drawn).
    """
    change = rate_change(a, s) if rate_change_pct is None else rate_change_pct
    return build_economy(s, real_pct, defl_pct, change)


def plan_shares(plan: Scenario, years: np.ndarray) -> dict[str, np.ndarray]:
    """A plan's central share of GDP (%) in ``years``, by range end (computed under the plan's own
    assumptions: for money targets the share depends on them).
    """
    df = project(plan)
    return {end: df.loc[years, f"defense_pct_gdp_{end}"].to_numpy(dtype=float) for end in ENDS}


def member(a: Alliance, key: str) -> Member:
    """One member's central path under its rule."""
    rule = a.rules[key]
    s = base_scenario(a, key, rule)
    r = rates(s)
    e = economy(a, s, r.real_pct, r.deflator_pct)
    return member_path(a, key, rule, s, e)


def member_path(a: Alliance, key: str, rule: Rule, s: Scenario, e: Economy) -> Member:
    """One member's path under ``rule`` on the economy ``e`` (arrays may carry a leading draw axis)."""
    c = s.data
    t0 = c.last_data_year
    h = e.at(t0) + 1
    share0 = c.array("defense_pct_gdp", e.years[:h])
    pct, usd, local = {}, {}, {}
    planned = plan_shares(rule.plan, e.years[h:]) if rule.plan is not None else {}
    for end in ENDS:
        if rule.kind == "plan":
            p = planned[end]
            path_local = p / 100 * e.gdp[..., h:]
            proj_pct = np.broadcast_to(p, path_local.shape)
        else:
            path = defense_path(s, e, end)
            path_local, proj_pct = path["local_bn"], path["pct_gdp"]
        hist_local = share0 / 100 * e.gdp[..., :h]
        local[end] = np.concatenate([hist_local, path_local], axis=-1)
        pct[end] = np.concatenate([np.broadcast_to(share0, hist_local.shape), proj_pct], axis=-1)
        usd[end] = local[end] / e.rate
    hold_share = np.where(e.years <= t0, np.concatenate([share0, np.zeros(len(e.years) - h)]), share0[-1])
    hold_usd = hold_share / 100 * e.gdp / e.rate
    b = e.at(a.prices_base_year)
    usd_const = local["high"] * e.deflator[..., [b]] / e.deflator / e.rate[..., [b]]
    status = c.status_list("defense_pct_gdp", e.years[:h]) + ["projection"] * (len(e.years) - h)
    return Member(key, e.years, t0, pct, usd, local, hold_usd, e.gdp / e.rate, e.gdp, usd_const, status, e.deflator)


def members(a: Alliance) -> dict[str, Member]:
    """Every member's central path."""
    return {k: member(a, k) for k in a.members}


def _on(grid: np.ndarray, m: Member, values: np.ndarray) -> np.ndarray:
    out = np.full(len(grid), np.nan)
    idx = np.searchsorted(grid, m.years)
    out[idx] = values
    return out


def group_frame(a: Alliance, ms: dict[str, Member], keys: tuple[str, ...] | None = None) -> pd.DataFrame:
    """The group's yearly totals: USD bn (current and constant), GDP, share (sum over sum), extra
    cost against holding shares, procurement at both ends. A year with any member missing is NaN.
    """
    keys = keys if keys is not None else tuple(ms)
    grid = np.arange(min(int(ms[k].years[0]) for k in keys), a.end_year + 1)

    def total(get: object) -> np.ndarray:
        stack = np.stack([_on(grid, ms[k], get(ms[k])) for k in keys])  # type: ignore[operator]
        return stack.sum(axis=0)  # NaN where any member has no value

    col: dict[str, np.ndarray] = {}
    gdp = total(lambda m: m.gdp_usd)
    for end in ENDS:
        col[f"defense_usd_bn_{end}"] = total(lambda m, end=end: m.usd[end])
        col[f"defense_pct_gdp_{end}"] = col[f"defense_usd_bn_{end}"] / gdp * 100
    col["defense_usd_bn_const"] = total(lambda m: m.usd_const)
    col["hold_usd_bn"] = total(lambda m: m.hold_usd)
    col["hold_pct_gdp"] = col["hold_usd_bn"] / gdp * 100
    col["gdp_usd_bn"] = gdp
    for end in ENDS:
        col[f"extra_usd_bn_{end}"] = col[f"defense_usd_bn_{end}"] - col["hold_usd_bn"]
    col["procurement_usd_bn_low"] = col["defense_usd_bn_low"] * a.procurement_low_pct / 100
    col["procurement_usd_bn_high"] = col["defense_usd_bn_high"] * a.procurement_high_pct / 100
    col["members"] = np.full(len(grid), len(keys))
    frame = pd.DataFrame(col, index=pd.Index(grid, name="year"))
    frame.attrs["prices_base_year"] = a.prices_base_year
    return frame


def window_sum(frame: pd.DataFrame, column: str, start: int, end: int) -> float:
    """Sum of ``column`` over ``start``..``end`` (NaN if a year has no value: never counted as zero)."""
    values = frame.loc[start:end, column]
    return float(values.sum()) if len(values) == end - start + 1 and values.notna().all() else float("nan")


def load(a: Alliance | str | Path) -> Alliance:
    """An ``Alliance`` as given, or loaded from its file."""
    if isinstance(a, Alliance):
        return a
    if not isinstance(a, str | Path):
        raise TypeError(
            f"alliance: expected an alliance file path or a loaded Alliance, got {type(a).__name__} {a!r:.60}"
        )
    return load_alliance(a)
