"""An alliance run's outputs: ``members.csv``, ``totals.csv``, ``results.csv`` (each with a JSON
sidecar), ``uncertainty.csv`` and ``correlations.csv`` when draws are asked for, ``summary.md``
and the charts. Every sentence says what its number compares with and where it is our assumption.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from budget.aggregate import ENDS, data_sources, members
from budget.alliance_file import Alliance
from budget.alliance_tables import group_figures, long_table, member_table, totals
from budget.formats import num, span, write_csv
from budget.history import load_country, load_sources
from budget.pledges import lines_for


def _money(low: float, high: float) -> str:
    return f"USD {span(low, high, 0)} bn"


def _share(low: float, high: float) -> str:
    return f"{span(low, high, 2)} % of GDP"


def _part(tot: pd.DataFrame, gid: str) -> pd.DataFrame:
    """One group's yearly totals out of ``totals`` (indexed by year)."""
    part = tot.xs(gid, level="group")
    assert isinstance(part, pd.DataFrame)
    return part


def _at(frame: pd.DataFrame, row: object, column: str) -> float:
    return float(np.asarray(frame.at[row, column], dtype=float))


def _pair(frame: pd.DataFrame, year: int, stem: str) -> tuple[float, float]:
    return _at(frame, year, f"{stem}_low"), _at(frame, year, f"{stem}_high")


def summary_markdown(a: Alliance, table: pd.DataFrame, tot: pd.DataFrame, sim: pd.DataFrame | None = None) -> str:
    """The alliance's key figures as sentences a reporter can quote, then the member table."""
    g = _part(tot, a.group.id)
    last = table["last_data_year"].astype(int)
    t_common = int(last.min())
    end, start = a.end_year, a.cumulative_from
    fig = group_figures(a, g)
    left = f"; left out: {'; '.join(a.left_out.values())}." if a.left_out else "."
    lines = [f"# {a.title}", "", a.description, "", f"Group: {a.group.label}, {len(table)} members with data{left}"]
    late = [load_country(str(k)).name for k in table.index[last < int(last.max())]]
    if late:
        lines.append(
            f"NATO's latest figures end in {t_common} for {', '.join(late)}: their rule applies from {t_common + 1}."
        )
    above = [
        load_country(k).name
        for k, r in a.rules.items()
        if r.kind == "path" and r.level_pct_gdp is not None and _at(table, k, "last_share_pct_gdp") > r.level_pct_gdp
    ]
    if above:
        lines.append(
            f"Already above their path's level, {', '.join(above)} move down to it on these paths "
            "(a straight path to the level, not 'at least')."
        )
    lines += ["", "## Key figures", ""]
    lines.append(
        f"- **{t_common}** (the last year with a NATO figure for every member): the group spent "
        f"USD {num(_at(g, t_common, 'defense_usd_bn_high'), 0)} bn, "
        f"{num(_at(g, t_common, 'defense_pct_gdp_high'), 2)} % of its GDP "
        "(total spending over total GDP, both in USD at current prices; each member's spending is NATO's "
        "share of GDP times IMF GDP, converted at annual average rates, not NATO's own USD table)."
    )
    for year in (2030, end):
        lines.append(
            f"- **{year}** under the members' rules: {_money(*_pair(g, year, 'defense_usd_bn'))} (current prices), "
            f"{_share(*_pair(g, year, 'defense_pct_gdp'))}; holding every member's last share instead: "
            f"USD {num(_at(g, year, 'hold_usd_bn'), 0)} bn, {num(_at(g, year, 'hold_pct_gdp'), 2)} %."
        )
    lines.append(
        f"- **Extra cost {start}-{end}** against holding every member's last share: "
        f"{_money(fig['extra_low'], fig['extra_high'])} in total (sum of the yearly differences, current prices)."
    )
    p0, p1 = a.procurement_window
    lines.append(
        f"- **Procurement market {p0}-{p1}** at {a.procurement_low_pct:g}-{a.procurement_high_pct:g} % of spending "
        f"(low share of the low end to high share of the high end): "
        f"{_money(fig['procurement_low'], fig['procurement_high'])}."
    )
    for sub in a.subgroups:
        if sub.id in tot.index.get_level_values("group"):
            sg = _part(tot, sub.id)
            sf = group_figures(a, sg)
            lines.append(
                f"- **{sub.label}** ({int(sg['members'].iloc[0])} members): "
                f"{_share(*_pair(sg, end, 'defense_pct_gdp'))} in {end}; extra cost {start}-{end} "
                f"{_money(sf['extra_low'], sf['extra_high'])}; procurement {p0}-{p1} "
                f"{_money(sf['procurement_low'], sf['procurement_high'])}."
            )
    if sim is not None:
        lines += ["", "## Uncertainty (the group's own draws)", ""]
        lines += _uncertainty_lines(a, sim)
    lines += ["", "## Members", "", _member_markdown(a, table), ""]
    lines += _notes(a)
    return "\n".join(lines) + "\n"


PERCENTILES = {"p05": "5th percentile", "p50": "median", "p95": "95th percentile"}
FIGURE_NAMES = {
    "share_pct_gdp": "Group share of GDP in {end}",
    "spending_usd_bn": "Group spending in {end}",
    "cumulative_extra_usd_bn": "Extra cost {start}-{end} against holding shares",
}


def stat_label(a: Alliance, stat: str) -> str:
    """A simulation statistic in words, e.g. ``share_pct_gdp_p05`` -> "Group share of GDP in 2035, 5th percentile"."""
    if stat.startswith("prob_meets_"):
        line = next((ln for k in a.members for ln in lines_for(load_country(k)) if ln.id == stat[11:]), None)
        name = line.short_label if line else stat[11:]
        return f"Probability that the group share reaches the {name} level in {a.end_year}"
    figure, _, pct = stat.rpartition("_")
    text = FIGURE_NAMES.get(figure, figure).format(start=a.cumulative_from, end=a.end_year)
    return f"{text}, {PERCENTILES.get(pct, pct)}"


def _uncertainty_lines(a: Alliance, sim: pd.DataFrame) -> list[str]:
    draws = sim.attrs.get("draws")
    corr = sim.attrs.get("correlation")
    words = {"real_growth": "real growth", "deflator_growth": "inflation", "exchange_rate": "exchange rates"}
    average = (
        " Average correlation between two members' shocks, estimated from the data: "
        + ", ".join(f"{words.get(d, d)} {num(v, 2)}" for d, v in corr.average.items())
        + " (`correlations.csv`)."
        if corr is not None
        else ""
    )
    out = [
        f"{num(float(draws), 0) + ' draws' if draws else 'Draws'} with correlated shocks to every member's "
        "real growth, inflation and exchange rate; each figure is computed on the group's own draws, never by "
        "adding members' percentiles. Plans enter as their central share of GDP; straight paths and held shares "
        f"keep their share in every draw, so only the weights of members in the group share move.{average}",
        "",
        "| Figure | Unit | Low end of the plans | High end of the plans |",
        "|---|---|---|---|",
    ]
    wide = sim.pivot_table(index=["statistic", "unit"], columns="end", values="value", sort=False)
    for (stat, unit), r in zip(wide.index.tolist(), wide.to_dict("records"), strict=True):
        prob = str(stat).startswith("prob_")
        cells = [
            f"{num(100 * float(r.get(e, np.nan)), 0)} %" if prob else num(float(r.get(e, np.nan)), 2) for e in ENDS
        ]
        window = f", {a.cumulative_from}-{a.end_year}, over holding shares"
        shown = "share of draws" if prob else str(unit).replace(window, "").replace(f" in {a.end_year}", "").rstrip(",")
        out.append(f"| {stat_label(a, str(stat))} | {shown} | {cells[0]} | {cells[1]} |")
    return out


def _member_markdown(a: Alliance, t: pd.DataFrame) -> str:
    end = a.end_year
    head = ["Member", "Last figure (% of GDP)", "2030 (% of GDP)", f"{end} (% of GDP)", f"{end} (USD bn)",
            f"Extra {a.cumulative_from}-{end} vs holding (USD bn)", "Rule"]  # fmt: skip
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for _, r in t.sort_values("last_share_pct_gdp", ascending=False).iterrows():
        cells = [
            str(r["name"]),
            f"{num(r['last_share_pct_gdp'], 2)} ({r['last_data_year']}, {r['last_status']})",
            span(r["share_2030_pct_gdp_low"], r["share_2030_pct_gdp_high"], 2),
            span(r[f"share_{end}_pct_gdp_low"], r[f"share_{end}_pct_gdp_high"], 2),
            span(r[f"defense_{end}_usd_bn_low"], r[f"defense_{end}_usd_bn_high"], 1),
            span(
                r[f"extra_{a.cumulative_from}_{end}_usd_bn_low"], r[f"extra_{a.cumulative_from}_{end}_usd_bn_high"], 1
            ),
            str(r["rule"]),
        ]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def _notes(a: Alliance) -> list[str]:
    fx = (
        "each currency moves against the US dollar with its GDP deflator relative to the US one (constant real rates)"
        if a.exchange_rates == "constant_real"
        else "nominal rates held at the last data year's"
    )
    out = ["## Assumptions", ""]
    out.append(
        f"- Exchange rates after the data: {fx}. Constant prices: {a.prices_base_year} prices and exchange rates."
    )
    out.append(
        "- A straight path in share of GDP is our assumption; The Hague asks for 'a credible, incremental path'."
    )
    out.append(
        "- Resilience (The Hague's up to 1.5 % of GDP) is not modelled here: shares are core defense (NATO definition)."
    )
    out.append("- Group shares are total spending over total GDP, never an average of members' shares.")
    notes = [f"- {load_country(k).name}: {n}" for k in a.members for n in load_country(k).notes]
    if notes:
        out += ["", "## About the data", "", *notes]
    out += ["", "## Sources", ""]
    src = load_sources()
    for i in sources(a):
        s = src[i]
        out.append(f"- {s.publisher}: {s.title} ({s.published}) {s.url}".rstrip())
    for key, rule in a.rules.items():
        if rule.plan is not None and rule.plan.plan_source:
            p = rule.plan.plan_source
            out.append(
                f"- Plan of {load_country(key).name}: {p.get('publisher', '')}, {p.get('title', '')} "
                f"({p.get('date', '')}) {p.get('url', '')}".rstrip()
            )
    return out


def sources(a: Alliance) -> list[str]:
    """Source ids behind the alliance's numbers (the members' series it reads, the lines it
    compares with), in first-use order.
    """
    ids: dict[str, None] = {}
    for key in a.members:
        ids.update(dict.fromkeys(data_sources(key)))
    for key in a.members:
        ids.update(dict.fromkeys(i for ln in lines_for(load_country(key)) for i in ln.sources))
    return [i for i in ids if i in load_sources()]


def sidecar(
    path: Path, frame: pd.DataFrame, a: Alliance, description: str, extra: dict[str, Any] | None = None
) -> None:
    """A Table Schema sidecar for an alliance table (fields, sources, the alliance file)."""
    import hashlib

    names = [n for n in frame.index.names if n is not None] + [str(c) for c in frame.columns]
    src = load_sources()
    doc = {
        "profile": "tabular-data-resource",
        "name": path.stem,
        "path": path.name,
        "format": "csv",
        "encoding": "utf-8",
        "description": description,
        "schema": {"fields": [{"name": n} for n in names], "primaryKey": [n for n in frame.index.names if n]},
        "sources": [
            {"id": i, "title": src[i].title, "path": src[i].url, "publisher": src[i].publisher} for i in sources(a)
        ],
        "budget": {"alliance": str(a.file), "sha256": hashlib.sha256(a.file.read_bytes()).hexdigest(), **(extra or {})},
    }
    path.with_suffix(".json").write_text(
        json.dumps(doc, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8"
    )


def render_alliance(a: Alliance, folder: Path, draws: int = 10_000, seed: int = 0, key: str = "") -> None:
    """Write every alliance output into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    ms = members(a)
    table, tot = member_table(a, ms), totals(a, ms)
    extra = {"inputs_sha256": key} if key else {}
    write_csv(table, folder / "members.csv")
    sidecar(
        folder / "members.csv",
        table,
        a,
        "One row per member: last NATO share, 2030 and end-year share and USD, gaps to each line's "
        "level, extra cost against holding the last share, required real growth.",
        extra,
    )
    write_csv(tot, folder / "totals.csv")
    sidecar(
        folder / "totals.csv",
        tot,
        a,
        "Yearly totals of the group and each subgroup: sum of spending over sum of GDP (USD, current "
        "prices), constant prices, extra cost, procurement.",
        extra,
    )
    long = long_table(a, ms).set_index(["country", "scenario", "year", "metric", "end"])
    write_csv(long, folder / "results.csv")
    sidecar(
        folder / "results.csv",
        long,
        a,
        "Every result as one row per country (or group:<id>), scenario, year, metric and range end.",
        extra,
    )
    sim = None
    if draws > 0:
        sim = _uncertainty(a, folder, draws, seed, extra)
    (folder / "summary.md").write_text(summary_markdown(a, table, tot, sim), encoding="utf-8")
    _charts(a, ms, tot, folder)


def _uncertainty(a: Alliance, folder: Path, draws: int, seed: int, extra: dict[str, Any]) -> pd.DataFrame | None:
    try:
        from budget import correlated
    except ImportError:  # pragma: no cover - the module ships with the package
        return None
    result = correlated.simulate_alliance(a, draws, seed)
    corr = result.correlation.frame().set_index(["driver", "statistic", "a", "b"])
    write_csv(corr, folder / "correlations.csv")
    sidecar(
        folder / "correlations.csv",
        corr,
        a,
        "The shocks' standard deviations (percent) and correlations across members, estimated from the data "
        "(Ledoit-Wolf shrinkage to a constant correlation), as the simulation used them.",
        extra,
    )
    frame = result.frame()
    frame.attrs["correlation"] = result.correlation
    write_csv(frame.set_index(["statistic", "end"]), folder / "uncertainty.csv")
    sidecar(
        folder / "uncertainty.csv",
        frame.set_index(["statistic", "end"]),
        a,
        f"Monte Carlo of the group, {draws:,} draws, correlated shocks.",
        {**extra, "seed": seed},
    )
    return frame


def _charts(a: Alliance, ms: dict[str, Any], tot: pd.DataFrame, folder: Path) -> None:
    g = _part(tot, a.group.id)
    from budget.charts import group_path, multiples, neighbours, ranked
    from budget.scenario import DEFAULT_COUNTRY

    ranked.ranked(a, ms, g, folder)
    group_path.group_path(a, ms, g, folder)
    multiples.multiples(a, ms, g, folder)
    if DEFAULT_COUNTRY in ms and any(DEFAULT_COUNTRY in s.members for s in a.subgroups):
        neighbours.neighbours(a, ms, g, folder, DEFAULT_COUNTRY)


__all__ = ["ENDS", "render_alliance", "summary_markdown"]
