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


def _num(x: float, digits: int = 1) -> str:
    return "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:,.{digits}f}"


def _range(low: float, high: float, digits: int = 1) -> str:
    return _num(high, digits) if abs(high - low) < 10 ** -(digits + 1) else (
        f"{_num(low, digits)}-{_num(high, digits)}")


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


def summary_markdown(df: pd.DataFrame, s: Scenario) -> str:
    """``summary.md``: the key figures as plain sentences plus a table, with sources."""
    k = key_figures(df, s)
    c = s.data
    cur, CUR, t0, end = c.cur, c.currency, c.last_data_year, s.end_year
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
        text.append(
            f"- In {y} the plan means **USD {fig('defense_usd_bn', y)} bn**, {CUR} {fig(f'defense_{cur}_bn', y, 0)} bn"
            f", or **{fig('defense_pct_gdp', y, 2)} % of GDP** (current prices).")
    proc_usd = _range(k[f"procurement_usd_bn_{first}_{last}_low"], k[f"procurement_usd_bn_{first}_{last}_high"])  # type: ignore[arg-type]
    proc_loc = _range(k[f"procurement_{cur}_bn_{first}_{last}_low"], k[f"procurement_{cur}_bn_{first}_{last}_high"], 0)  # type: ignore[arg-type]
    text.append(f"- Procurement ({s.procurement_low_pct:g}-{s.procurement_high_pct:g} % of defense) adds up to "
                f"**USD {proc_usd} bn** ({CUR} {proc_loc} bn) over {first}-{last}.")
    for lid in ("nato_core", "nato_total"):
        ln = line[lid]
        if ln.year in df.index:
            gap = k[f"gap_{lid}_usd_bn_{ln.year}"]
            pts = k[f"gap_{lid}_pct_points_{ln.year}"]
            word = "short of" if gap > 1e-9 else "above" if gap < -1e-9 else "exactly at"  # type: ignore[operator]
            text.append(f"- In {ln.year} it is USD {_num(abs(gap))} bn ({_num(abs(pts), 2)} points of GDP) "  # type: ignore[arg-type]
                        f"{word} NATO's {ln.pct_gdp:g} % line.")
    text.append("- NATO lines first met: " + "; ".join(
        f"{ln.pct_gdp:g} % {met(ln.id)}" for ln in lines()) + ".")
    if s.resilience is None:
        text.append("- Resilience (defense- and security-related) spending is not modelled here: the 5 % "
                    "comparison counts core defense only.")
    text += ["", "| Figure | " + " | ".join(map(str, years)) + " |", "|---|" + "---:|" * len(years)]
    rows = [("Defense, USD bn (current prices)", "defense_usd_bn", 1),
            (f"Defense, {CUR} bn (current prices)", f"defense_{cur}_bn", 0),
            ("Defense, % of GDP", "defense_pct_gdp", 2)]
    for label, col, digits in rows:
        text.append(f"| {label} | " + " | ".join(fig(col, y, digits) for y in years) + " |")
    for lid in ("nato_core", "nato_total"):
        text.append(f"| Gap to {line[lid].pct_gdp:g} % line, USD bn (+ = short) | "
                    + " | ".join(_num(float(df.loc[y, f'gap_{lid}_usd_bn'])) for y in years) + " |")
    text += [f"| Cumulative procurement {first}-{last}, USD bn | {proc_usd} |" + " |" * (len(years) - 1), ""]
    text += _assumptions(df, s) + [""] + sources_markdown(s)
    return "\n".join(text) + "\n"


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
    return [
        "## Assumptions", "",
        f"- History {int(df.index.min())}-{t0}: NATO defense share of GDP x IMF GDP, converted at CNB rates.",
        f"- Targets: {targets or 'none'}. Path: `{s.method}` in `{s.path_unit}`, after the last target "
        f"`{s.after_last}`.",
        f"- GDP: IMF WEO October 2025 projections {growth}.".replace(" .", "."),
        f"- {c.currency} per USD: {rate.loc[t0]:.3f} in {t0} (CNB average), {rate.loc[t0 + 1]:.3f} in {t0 + 1}, "
        f"{rate.iloc[-1]:.3f} in {int(df.index.max())}.",
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
    """Wide table: one row per year, per scenario USD bn and % of GDP (central path)."""
    cols = {}
    for name, (_, df) in projections.items():
        cols[f"{name}__defense_usd_bn"] = df["defense_usd_bn"]
        cols[f"{name}__defense_pct_gdp"] = df["defense_pct_gdp"]
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

        def get(key: str) -> float:
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
