"""Tables: key figures, the per-scenario ``summary.md``, the comparison table, CSV writing.

Every figure states its unit; ranges are written low-high. Numbers are formatted here and
nowhere else, so the Markdown, the terminal and the CSV agree.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from budget.history import load_sources
from budget.model import cumulative
from budget.pledges import first_year_met, lines
from budget.scenario import Scenario

# Every column of ``project()``: name pattern ({cur} = currency code, {line} = a NATO line id),
# type, unit and description. Feeds the README and the Table Schema sidecars of CSV outputs.
COLUMNS: dict[str, tuple[str, str, str]] = {
    "year": ("integer", "year", "Calendar year (index)."),
    "status": ("string", "", "Defense figure: actual, estimate (NATO estimate) or projection (this scenario)."),
    "defense_usd_bn": ("number", "USD bn, current prices", "Defense spending; central path (high end of ranges)."),
    "defense_{cur}_bn": ("number", "{CUR} bn, current prices", "Defense spending; central path."),
    "defense_pct_gdp": ("number", "% of GDP", "Defense spending as a share of nominal GDP (2.0 = 2 %)."),
    "defense_usd_bn_low": ("number", "USD bn, current prices", "Low path (low end of range targets)."),
    "defense_usd_bn_high": ("number", "USD bn, current prices", "High path (high end of range targets)."),
    "defense_{cur}_bn_low": ("number", "{CUR} bn, current prices", "Low path."),
    "defense_{cur}_bn_high": ("number", "{CUR} bn, current prices", "High path."),
    "defense_pct_gdp_low": ("number", "% of GDP", "Low path."),
    "defense_pct_gdp_high": ("number", "% of GDP", "High path."),
    "defense_{cur}_bn_const": ("number", "{CUR} bn, constant prices of prices_base_year",
                               "Central path deflated with the GDP deflator."),
    "defense_usd_bn_const": ("number", "USD bn, constant prices and exchange rate of prices_base_year",
                             "Constant-price amount converted at the base year's rate (NATO convention)."),
    "prices_base_year": ("integer", "year", "Base year of the constant-price columns."),
    "gdp_{cur}_bn": ("number", "{CUR} bn, current prices", "Nominal GDP: IMF WEO Oct 2025, then assumptions."),
    "gdp_usd_bn": ("number", "USD bn, current prices", "Nominal GDP converted at {cur}_per_usd."),
    "gdp_deflator_2020_100": ("number", "index, 2020 = 100", "GDP deflator."),
    "real_gdp_growth_pct": ("number", "% per year", "Real GDP growth."),
    "deflator_growth_pct": ("number", "% per year", "GDP deflator growth."),
    "{cur}_per_usd": ("number", "{CUR} per USD, annual average", "Exchange rate: CNB to 2025, then assumption."),
    "economy_status": ("string", "", "GDP figure: actual, projection (IMF) or assumption (scenario)."),
    "procurement_pct_low": ("number", "% of defense",
                            "Equipment share: NATO actual in history, scenario low end after."),
    "procurement_pct_high": ("number", "% of defense", "Equipment share, high end."),
    "procurement_usd_bn_low": ("number", "USD bn, current prices", "Procurement: low share x low path."),
    "procurement_usd_bn_high": ("number", "USD bn, current prices", "Procurement: high share x high path."),
    "procurement_{cur}_bn_low": ("number", "{CUR} bn, current prices", "Procurement, low."),
    "procurement_{cur}_bn_high": ("number", "{CUR} bn, current prices", "Procurement, high."),
    "resilience_pct_gdp": ("number", "% of GDP", "Defense- and security-related spending (empty if not modelled)."),
    "resilience_{cur}_bn": ("number", "{CUR} bn, current prices", "Resilience spending."),
    "resilience_usd_bn": ("number", "USD bn, current prices", "Resilience spending."),
    "total_pct_gdp": ("number", "% of GDP", "Core defense + resilience (core alone if not modelled)."),
    "total_{cur}_bn": ("number", "{CUR} bn, current prices", "Core defense + resilience."),
    "total_usd_bn": ("number", "USD bn, current prices", "Core defense + resilience."),
    "{line}_pct_gdp": ("number", "% of GDP", "NATO line: 2 % flat; 3.5 % and 5 % linear from the last data year."),
    "{line}_usd_bn": ("number", "USD bn, current prices", "NATO line in money: share x GDP."),
    "{line}_{cur}_bn": ("number", "{CUR} bn, current prices", "NATO line in money."),
    "gap_{line}_usd_bn": ("number", "USD bn, current prices", "Line minus spending (+ = short); 5 % uses total."),
    "gap_{line}_{cur}_bn": ("number", "{CUR} bn, current prices", "Line minus spending (+ = short)."),
    "gap_{line}_pct_points": ("number", "percentage points of GDP", "Line minus spending (+ = short)."),
    "nato_equipment_usd_bn": ("number", "USD bn, current prices", "20 % of defense spending (Wales guideline)."),
    "gap_nato_equipment_usd_bn": ("number", "USD bn, current prices",
                                  "(20 % - low procurement share) x central path (+ = short)."),
}


def column_doc(name: str, cur: str) -> tuple[str, str, str]:
    """Type, unit and description of a projection column (``KeyError`` if undocumented)."""
    from budget.pledges import lines

    for pattern, (kind, unit, text) in COLUMNS.items():
        for line in [ln.id for ln in lines()] if "{line}" in pattern else [""]:
            if pattern.format(cur=cur, line=line) == name:
                fmt = {"cur": cur, "CUR": cur.upper()}
                return kind, unit.format(**fmt), text.format(**fmt)
    raise KeyError(name)


def _num(x: float, digits: int = 1) -> str:
    return "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:,.{digits}f}"


def _range(low: float, high: float, digits: int = 1) -> str:
    if math.isnan(low) or math.isnan(high) or abs(high - low) < 10 ** -(digits + 1):
        return _num(high, digits)
    return f"{_num(low, digits)}-{_num(high, digits)}"


def key_figures(df: pd.DataFrame, s: Scenario) -> dict[str, object]:
    """The figures a reader asks for first, with units in the keys.

    Spending in 2030 and 2035 (USD bn, local bn, % of GDP; low and high), cumulative
    procurement over the first ten projection years (or to the end year), the 2035 gap to
    3.5 % and 5 % and the first year each NATO line is met (None: not by the end year).
    """
    cur, t0, end = s.data.cur, s.data.last_data_year, s.end_year
    first, last = t0 + 1, min(t0 + 10, end)
    out: dict[str, object] = {"scenario": s.name, "title": s.title}
    for year in sorted({2030, 2035, end} & set(df.index)):
        for col in ("defense_usd_bn", f"defense_{cur}_bn", "defense_pct_gdp"):
            out[f"{col}_{year}_low"] = float(df.loc[year, f"{col}_low"])
            out[f"{col}_{year}_high"] = float(df.loc[year, f"{col}_high"])
    for money in ("usd", cur):
        for end_ in ("low", "high"):
            out[f"procurement_{money}_bn_{first}_{last}_{end_}"] = cumulative(
                df, f"procurement_{money}_bn_{end_}", first, last)
    for line in lines():
        if line.year is not None and line.year in df.index:
            for unit in ("usd_bn", "pct_points"):
                out[f"gap_{line.id}_{unit}_{line.year}"] = float(df.loc[line.year, f"gap_{line.id}_{unit}"])
        out[f"first_year_{line.id}"] = first_year_met(df, line, t0)
    return out


def summary_markdown(df: pd.DataFrame, s: Scenario, ledger: pd.DataFrame | None = None,
                     sim: pd.DataFrame | None = None, sens: pd.DataFrame | None = None) -> str:
    """``summary.md``: the key figures as plain sentences plus a table, with sources.

    With ``ledger`` (``budget.gaps``), ``sim`` (``budget.simulate``) and ``sens``
    (``budget.uncertainty.sensitivity``) it adds the shortfall ledger, what the targets imply,
    the probabilities of meeting each line and the sensitivity table.
    """
    k = key_figures(df, s)
    c = s.data
    cur, code, t0, end = c.cur, c.currency, c.last_data_year, s.end_year
    first, last = t0 + 1, min(t0 + 10, end)
    line = {ln.id: ln for ln in lines()}

    def fig(col: str, year: int, digits: int = 1) -> str:
        return _range(k[f"{col}_{year}_low"], k[f"{col}_{year}_high"], digits)  # type: ignore[arg-type]

    def met(line_id: str) -> str:
        year = k[f"first_year_{line_id}"]
        return f"in {year}" if year else f"not by {end}"

    years = [y for y in (2030, 2035) if y in df.index]
    text = [f"# {s.title}", "", s.description, ""]
    for y in years:
        if math.isnan(float(k[f"defense_usd_bn_{y}_high"])):  # type: ignore[arg-type]
            text.append(f"- In {y} the scenario has no path (it stops after its last target).")
            continue
        text.append(
            f"- In {y} the plan means **USD {fig('defense_usd_bn', y)} bn**, {code} {fig(f'defense_{cur}_bn', y, 0)} bn"
            f", or **{fig('defense_pct_gdp', y, 2)} % of GDP** (current prices).")
    proc_usd = _range(k[f"procurement_usd_bn_{first}_{last}_low"], k[f"procurement_usd_bn_{first}_{last}_high"])  # type: ignore[arg-type]
    proc_loc = _range(k[f"procurement_{cur}_bn_{first}_{last}_low"], k[f"procurement_{cur}_bn_{first}_{last}_high"], 0)  # type: ignore[arg-type]
    text.append(f"- Procurement ({s.procurement_low_pct:g}-{s.procurement_high_pct:g} % of defense) adds up to "
                f"**USD {proc_usd} bn** ({code} {proc_loc} bn) over {first}-{last}.")
    for lid in ("nato_core", "nato_total"):
        ln = line[lid]
        if ln.year in df.index:
            gap = float(k[f"gap_{lid}_usd_bn_{ln.year}"])  # type: ignore[arg-type]
            pts = float(k[f"gap_{lid}_pct_points_{ln.year}"])  # type: ignore[arg-type]
            if math.isnan(gap):
                text.append(f"- The path stops before {ln.year}: no comparison with NATO's {ln.pct_gdp:g} % line.")
                continue
            word = "short of" if gap > 1e-9 else "above" if gap < -1e-9 else "exactly at"
            text.append(f"- In {ln.year} it is USD {_num(abs(gap))} bn ({_num(abs(pts), 2)} points of GDP) "
                        f"{word} NATO's {ln.pct_gdp:g} % line.")
    text.append("- NATO lines first met: " + "; ".join(
        f"{ln.pct_gdp:g} % {met(ln.id)}" for ln in lines()) + ".")
    if s.resilience is None:
        text.append("- Resilience (defense- and security-related) spending is not modelled here: the 5 % "
                    "comparison counts core defense only.")
    text += ["", "| Figure | " + " | ".join(map(str, years)) + " |", "|---|" + "---:|" * len(years)]
    rows = [("Defense, USD bn (current prices)", "defense_usd_bn", 1),
            (f"Defense, {code} bn (current prices)", f"defense_{cur}_bn", 0),
            ("Defense, % of GDP", "defense_pct_gdp", 2)]
    for label, col, digits in rows:
        text.append(f"| {label} | " + " | ".join(fig(col, y, digits) for y in years) + " |")
    for lid in ("nato_core", "nato_total"):
        text.append(f"| Gap to {line[lid].pct_gdp:g} % line, USD bn (+ = short) | "
                    + " | ".join(_num(float(df.loc[y, f'gap_{lid}_usd_bn'])) for y in years) + " |")
    text += [f"| Cumulative procurement {first}-{last}, USD bn | {proc_usd} |" + " |" * (len(years) - 1), ""]
    text += _implications(df, s)
    if ledger is not None:
        text += _ledger(ledger, s)
    if sim is not None:
        text += _uncertainty(sim, s)
    if sens is not None:
        text += _sensitivity(sens)
    text += _assumptions(df, s) + [""] + sources_markdown(s)
    return "\n".join(text) + "\n"


def _implications(df: pd.DataFrame, s: Scenario) -> list[str]:
    from budget.ledger import disagreements, implied_targets

    imp = implied_targets(s)
    if imp.empty:
        return []
    cur, code = s.data.cur, s.data.currency
    out = ["## What the targets mean", "",
           "Each stated figure restated at this scenario's GDP and exchange-rate path (current prices).", "",
           f"| Year | Stated | USD bn | {code} bn | % of GDP | Note |", "|---|---|---:|---:|---:|---|"]
    units = {"usd_bn": "USD bn", "pct_gdp": "% of GDP", f"{cur}_bn": f"{code} bn"}
    for r in imp.itertuples():
        kind = "" if r.kind == "target" else " (claim)"
        prices = f", {r.prices} prices" if r.prices and r.prices != "current" else ""
        out.append(f"| {r.year} | {r.stated:g} {units[r.unit]}{prices}{kind} | {_num(r.usd_bn)} | "
                   f"{_num(getattr(r, f'{cur}_bn'), 0)} | {_num(r.pct_gdp, 2)} | {r.note} |")
    problems = disagreements(s)
    out += [""] + (["**Targets and claims disagree:**", ""] + [f"- {p}" for p in problems]
                   if problems else ["The targets and claims agree within 5 %."]) + [""]
    return out


def _ledger(g: pd.DataFrame, s: Scenario) -> list[str]:
    from budget.ledger import required_growth_table

    cur, code, t0 = s.data.cur, s.data.currency, s.data.last_data_year
    table = required_growth_table(g)
    first, last = int(g["year"].min()), int(g["year"].max())
    actual = g.groupby("line", sort=False)["spending_pct_gdp"].last()
    out = ["## Shortfall against NATO's lines", "",
           f"Gap = line - spending, summed over {first}-{last} (+ = short, - = above the line). "
           f"Required growth: the constant real growth of spending from {t0} that reaches the line "
           f"in its year.", "",
           f"| Line | First year met | Cumulative gap, USD bn | Cumulative gap, {code} bn "
           f"| Required real growth, % a year | Share in {last}, % of GDP |",
           "|---|---|---:|---:|---:|---:|"]
    labels = {ln.id: ln.label for ln in lines()}
    for line_id, r in table.iterrows():
        met = r["first_year_met"]
        out.append(f"| {labels[line_id]} | {met if pd.notna(met) else f'not by {last}'} | "
                   f"{_num(r['cumulative_gap_usd_bn'])} | {_num(r[f'cumulative_gap_{cur}_bn'], 0)} | "
                   f"{_num(r['required_real_growth_pct'], 2)} | {_num(actual[line_id], 2)} |")
    return out + [""]


def _uncertainty(sim: pd.DataFrame, s: Scenario) -> list[str]:
    from budget.uncertainty import sds

    sd = sds(s)
    years = [y for y in (2030, 2035) if y in sim.index]
    draws = sim.attrs.get("draws", "")
    out = ["## Uncertainty", "",
           f"{draws:,} draws (seed {sim.attrs.get('seed', '')}) of real growth (sd {sd['real_growth_sd_pct']:.2f} "
           f"points a year), deflator growth (sd {sd['deflator_growth_sd_pct']:.2f}) and "
           f"{s.data.currency} per USD (random walk, sd {sd['local_per_usd_sd_pct']:.2f} % a year); "
           "5th-95th percentiles and the share of draws at or above each line.", "",
           "| Year | % of GDP, p05-p95 (median) | USD bn, p05-p95 (median) | P(>= 2 %) | P(>= 3.5 %) | P(>= 5 %) |",
           "|---|---|---|---:|---:|---:|"]
    for y in years:
        r = sim.loc[y]
        out.append(f"| {y} | {_num(r['defense_pct_gdp_p05'], 2)}-{_num(r['defense_pct_gdp_p95'], 2)} "
                   f"({_num(r['defense_pct_gdp_p50'], 2)}) | {_num(r['defense_usd_bn_p05'])}-"
                   f"{_num(r['defense_usd_bn_p95'])} ({_num(r['defense_usd_bn_p50'])}) | "
                   f"{r['prob_ge_2']:.0%} | {r['prob_ge_3_5']:.0%} | {r['prob_ge_5']:.0%} |")
    return out + [""]


def _sensitivity(sens: pd.DataFrame) -> list[str]:
    metric = sens.columns[0].rsplit("_", 1)[0]
    unit = sens.attrs.get("metric_unit", "")
    out = ["## Sensitivity", "",
           f"One driver at a time, one standard deviation down and up (procurement share: low to high end): "
           f"{metric.replace('_', ' ')} ({unit}) and procurement summed over {sens.attrs.get('procurement_years', '')} "
           "(USD bn).", "",
           f"| Driver | {metric} down | up | Procurement down | up |", "|---|---:|---:|---:|---:|"]
    digits = 2 if "pct" in metric else 1
    for driver, r in sens.iterrows():
        v = r.to_numpy()
        out.append(f"| {driver} | {_num(v[0], digits)} | {_num(v[2], digits)} | {_num(v[3])} | {_num(v[5])} |")
    return out + [""]


def _assumptions(df: pd.DataFrame, s: Scenario) -> list[str]:
    c, t0 = s.data, s.data.last_data_year
    rate = df[f"{c.cur}_per_usd"]
    assumed = df.index[df["economy_status"] == "assumption"]
    growth = (f"then {df.loc[assumed[0], 'real_gdp_growth_pct']:.2f} % real growth and "
              f"{df.loc[assumed[0], 'deflator_growth_pct']:.2f} % deflator growth a year from {assumed[0]}"
              if len(assumed) else "")
    targets = "; ".join(
        f"{t.year}: {_range(t.low, t.high, 2)} {t.unit}" + (f" ({t.prices} {t.base_year})" if t.base_year else "")
        for t in s.targets)
    src = load_sources()

    def source(indicator: str) -> str:  # publisher and title of the data behind an indicator
        x = src[c.source_of(indicator)]
        return f"{x.publisher}, {x.title}"

    return [
        "## Assumptions", "",
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
    ids = [*s.data.source_ids(), "nato_wales_2014", "nato_hague_2025", "cz_act_177_2023"]
    out = ["## Sources", ""]
    for i in dict.fromkeys(ids):
        x = src[i]
        out.append(f"- {x.publisher}, *{x.title}*, {x.published}, <{x.url}> (accessed {x.accessed}).")
    p = s.plan_source
    if p:
        out.append(f"- Plan: {p.get('publisher', '')}, *{p.get('title', '')}*, {p.get('date', '')}, "
                   f"<{p.get('url', '')}>. {p.get('note', '')}".rstrip())
    gaps = s.data.gaps
    if gaps:
        out += ["", "Missing data (left missing, not filled in):", ""] + [f"- {g}" for g in gaps]
    return out


def comparison_frame(projections: dict[str, tuple[Scenario, pd.DataFrame]]) -> pd.DataFrame:
    """Wide table: one row per year; per scenario, defense in USD bn and % of GDP (central path),
    and core + resilience (``__total_*``) where the scenario models resilience.
    """
    cols = {}
    for name, (s, df) in projections.items():
        cols[f"{name}__defense_usd_bn"] = df["defense_usd_bn"]
        cols[f"{name}__defense_pct_gdp"] = df["defense_pct_gdp"]
        if s.resilience is not None:
            cols[f"{name}__total_usd_bn"] = df["total_usd_bn"]
            cols[f"{name}__total_pct_gdp"] = df["total_pct_gdp"]
    return pd.DataFrame(cols).rename_axis("year")


def comparison_markdown(projections: dict[str, tuple[Scenario, pd.DataFrame]]) -> str:
    """``comparison.md``: one row per scenario with its key figures."""
    out = ["# Scenarios compared", "",
           "Defense spending at current prices; ranges are low-high; gaps are to NATO's lines in 2035 "
           "(+ = short).", "",
           "| Scenario | 2030 USD bn | 2030 % GDP | 2035 USD bn | 2035 % GDP | Procurement 10 yrs, USD bn "
           "| Gap to 3.5 % in 2035, USD bn | Gap to 5 % in 2035, USD bn | 3.5 % first met |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, (s, df) in projections.items():
        k = key_figures(df, s)
        t0 = s.data.last_data_year
        last = min(t0 + 10, s.end_year)

        def get(key: str, k: dict[str, object] = k) -> float:
            return float(k.get(key, float("nan")))  # type: ignore[arg-type]

        proc = _range(get(f"procurement_usd_bn_{t0 + 1}_{last}_low"), get(f"procurement_usd_bn_{t0 + 1}_{last}_high"))
        out.append(
            f"| [{s.title}]({name}/summary.md) | "
            f"{_range(get('defense_usd_bn_2030_low'), get('defense_usd_bn_2030_high'))} | "
            f"{_range(get('defense_pct_gdp_2030_low'), get('defense_pct_gdp_2030_high'), 2)} | "
            f"{_range(get('defense_usd_bn_2035_low'), get('defense_usd_bn_2035_high'))} | "
            f"{_range(get('defense_pct_gdp_2035_low'), get('defense_pct_gdp_2035_high'), 2)} | {proc} | "
            f"{_num(get('gap_nato_core_usd_bn_2035'))} | {_num(get('gap_nato_total_usd_bn_2035'))} | "
            f"{k['first_year_nato_core'] or 'not by ' + str(s.end_year)} |")
    return "\n".join(out) + "\n"


def write_csv(df: pd.DataFrame, path: Path) -> None:
    """Write a table with 10 significant digits and a fixed line ending (byte-stable)."""
    df.to_csv(path, float_format="%.10g", lineterminator="\n")
