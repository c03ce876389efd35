"""Summary sections on uncertainty and assumptions: the simulation, what drives it, the
sensitivity, the exchange-rate step a scenario sets, the assumptions and the sources.

Part of ``summary.md`` (``budget.tables.summary_markdown`` puts the sections together); every
number is formatted by ``budget.formats``.
"""

from __future__ import annotations

import math
from typing import cast

import pandas as pd

from budget.formats import as_float, num, span
from budget.history import load_sources
from budget.pledges import lines_for, pledge_sources
from budget.scenario import Scenario


def uncertainty_section(sim: pd.DataFrame, s: Scenario, drv: pd.DataFrame | None = None) -> list[str]:
    """Percentiles, the probability of meeting each level, and what drives each probability."""
    from budget.uncertainty import sds

    sd = sds(s)
    years = [y for y in (2030, 2035) if y in sim.index]
    draws = sim.attrs.get("draws", "")
    target = (
        "a share of GDP, so the amount in money is what varies"
        if s.path_unit == "pct_gdp"
        else "money, so its share of GDP is what varies"
    )
    out = [
        "## Uncertainty",
        "",
        f"{draws:,} draws (seed {sim.attrs.get('seed', '')}) of real growth (sd {sd['real_growth_sd_pct']:.2f} "
        f"points a year), deflator growth (sd {sd['deflator_growth_sd_pct']:.2f}) and "
        f"{s.data.currency} per USD ({_rate_model(s)}, yearly shocks with sd {sd['local_per_usd_sd_pct']:.2f} %). "
        f"The plan's "
        f"path is set in {target}. 5th-95th percentiles (median), low-high end of the range.",
        "",
        "| Year | Range end | % of GDP, p05-p95 (median) | USD bn, p05-p95 (median) |",
        "|---|---|---|---|",
    ]
    for y in years:
        for end in ("low", "high"):
            r = {str(k): as_float(v) for k, v in sim.loc[y].items()}
            out.append(
                f"| {y} | {end} | {num(r[f'defense_pct_gdp_p05_{end}'], 2)}-"
                f"{num(r[f'defense_pct_gdp_p95_{end}'], 2)} ({num(r[f'defense_pct_gdp_p50_{end}'], 2)}) | "
                f"{num(r[f'defense_usd_bn_p05_{end}'])}-{num(r[f'defense_usd_bn_p95_{end}'])} "
                f"({num(r[f'defense_usd_bn_p50_{end}'])}) |"
            )
    if drv is None or drv.empty:
        return out + [""]
    names = {ln.id: ln for ln in lines_for(s.data)}
    out += [
        "",
        "Probability of meeting each line's level (share of draws at or above it), with every driver "
        "drawn and with one driver held at its central path: where holding a driver moves the "
        "probability most, the probability mostly reflects that driver.",
        "",
        "| Line | Year | Range end | All drawn | Real growth held | Deflator held | Exchange rate held |",
        "|---|---|---|---:|---:|---:|---:|",
    ]

    def pct(x: float) -> str:
        return "n/a" if math.isnan(x) else f"{x:.0%}"

    for key, held in drv.iterrows():
        line_id, end = cast(tuple[str, str], key)
        r = {str(k): as_float(v) for k, v in held.items()}
        out.append(
            f"| {names[line_id].label} | {int(r['year'])} | {end} | {pct(r['all_drawn'])} | "
            f"{pct(r['real_growth_held'])} | {pct(r['deflator_growth_held'])} | {pct(r['exchange_rate_held'])} |"
        )
    top = drv.dropna()
    if not top.empty:
        moves = (
            top[["real_growth_held", "deflator_growth_held", "exchange_rate_held"]].sub(top["all_drawn"], axis=0).abs()
        )
        line_id, end = cast(tuple[str, str], moves.max(axis=1).idxmax())
        driver = as_float(moves.max(axis=1).max())
        name = str(moves.idxmax(axis=1)[(line_id, end)]).removesuffix("_held").replace("_", " ")
        if driver >= 0.05:
            out += [
                "",
                f"The largest single contribution: holding {name} at its path moves the probability of "
                f"meeting the {names[line_id].short_label} level ({end} end) by {driver * 100:.0f} percentage points.",
            ]
    return out + [""]


def _rate_model(s: Scenario) -> str:
    if s.exchange_rate_model == "random_walk":
        return "a random walk: deviations from the path never fade"
    return (
        f"mean-reverting: a deviation from the path halves in {s.local_per_usd_half_life_years:g} years, "
        "after Rogoff 1996"
    )


def sensitivity_section(sens: pd.DataFrame) -> list[str]:
    """The sensitivity table (``budget.uncertainty.sensitivity``) at both range ends."""
    metric = sens.columns[0].rsplit("_", 1)[0]
    unit = sens.attrs.get("metric_unit", "")
    label = ("share of GDP" if metric.startswith("pct_gdp") else "USD bn") + f" in {metric.rsplit('_', 1)[1]}"
    out = [
        "## Sensitivity",
        "",
        f"One driver at a time, one standard deviation down and up (procurement share: low to high share), "
        f"at each end of the range: the {label} ({unit}) and procurement summed over "
        f"{sens.attrs.get('procurement_years', '')} (USD bn, current prices).",
        "",
        f"| Driver | Range end | {label}: down | base | up | Procurement: down | up |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    digits = 2 if "pct" in metric else 1
    for key, r in sens.iterrows():
        driver, end = cast(tuple[str, str], key)
        v = r.to_numpy(dtype=float)
        out.append(
            f"| {driver} | {end} | {num(v[0], digits)} | {num(v[1], digits)} | {num(v[2], digits)} | "
            f"{num(v[3])} | {num(v[5])} |"
        )
    return out + [""]


def rate_jump(df: pd.DataFrame, s: Scenario) -> list[str]:
    """A sentence when the scenario sets the exchange rate's level for the first projection year:
    the step is the scenario's, said with what it does to local-currency spending that year.
    """
    c, t0 = s.data, s.data.last_data_year
    if s.local_per_usd is None:
        return []
    rate = df[f"{c.cur}_per_usd"]
    step = (rate[t0 + 1] / rate[t0] - 1) * 100
    local = df[f"defense_{c.cur}_bn"]
    jump = (local[t0 + 1] / local[t0] - 1) * 100
    return [
        f"- The scenario sets the exchange rate at {rate[t0 + 1]:.2f} {c.currency} per USD from {t0 + 1} "
        f"(economy.{c.cur}_per_usd), a one-year step of {step:+.1f} % from the {t0} average of "
        f"{rate[t0]:.2f}; with it, spending in {c.currency} changes by {jump:+.1f} % in {t0 + 1}. The step is "
        "the scenario's assumption, not a forecast."
    ]


def assumptions_section(df: pd.DataFrame, s: Scenario) -> list[str]:
    """History, targets, GDP, exchange rate and price basis, each with the data's source."""
    c, t0 = s.data, s.data.last_data_year
    rate = df[f"{c.cur}_per_usd"]
    assumed = df.index[df["economy_status"] == "assumption"]
    growth = (
        f"then {df.loc[assumed[0], 'real_gdp_growth_pct']:.2f} % real growth and "
        f"{df.loc[assumed[0], 'deflator_growth_pct']:.2f} % deflator growth a year from {assumed[0]}"
        if len(assumed)
        else ""
    )
    targets = "; ".join(
        f"{t.year}: {span(t.low, t.high, 2)} {t.unit}" + (f" ({t.prices} {t.base_year})" if t.base_year else "")
        for t in s.targets
    )
    src = load_sources()

    def source(indicator: str) -> str:  # publisher and title of the data behind an indicator
        x = src[c.source_of(indicator)]
        return f"{x.publisher}, {x.title}"

    return [
        "## Assumptions",
        "",
        f"- History {int(df.index.min())}-{t0}: defense share of GDP ({source('defense_pct_gdp')}) x nominal "
        f"GDP, converted at the annual average exchange rate.",
        f"- Targets: {targets or 'none'}. Path: `{s.method}` in `{s.path_unit}`, after the last target "
        f"`{s.after_last}`.",
        f"- GDP: {source(f'gdp_{c.cur}_bn')} (actuals and projections) to "
        f"{int(df.index[df['economy_status'] != 'assumption'].max())}{', ' + growth if growth else ''}.",
        f"- {c.currency} per USD ({source(f'{c.cur}_per_usd')}): {rate.loc[t0]:.3f} in {t0}, "
        f"{rate.loc[t0 + 1]:.3f} in {t0 + 1}, {rate.iloc[-1]:.3f} in {int(df.index.max())}.",
        f"- Constant-price columns are at {int(df['prices_base_year'].iloc[0])} prices and exchange rate.",
    ]


def sources_markdown(s: Scenario) -> list[str]:
    """Markdown list of the data sources and the plan's source."""
    src = load_sources()
    ids = [*s.data.source_ids(), *pledge_sources(s.data)]
    out = ["## Sources", ""]
    for i in dict.fromkeys(ids):
        x = src[i]
        out.append(f"- {x.publisher}, *{x.title}*, {x.published}, <{x.url}> (accessed {x.accessed}).")
    p = s.plan_source
    if p:
        out.append(
            f"- Plan: {p.get('publisher', '')}, *{p.get('title', '')}*, {p.get('date', '')}, "
            f"<{p.get('url', '')}>. {p.get('note', '')}".rstrip()
        )
    if s.data.notes:
        out += ["", f"About the data for {s.data.name}:", ""] + [f"- {n}" for n in s.data.notes]
    gaps = s.data.gaps
    if gaps:
        out += ["", "Missing data (left missing, not filled in):", ""] + [f"- {g}" for g in gaps]
    return out
