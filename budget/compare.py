"""Comparison: scenarios side by side, for ``budget run`` (``comparison/``: every scenario's
key figures and central path) and ``budget compare`` (``compare/``: differences against the
first scenario, the baseline).

``budget compare FILE FILE ... [--out DIR]`` writes ``compare.csv``, ``compare.md`` and
``compare.png``. Money is billions at current prices, shares percent of GDP (2.0 means 2 %).
A difference is scenario minus baseline (+ = the scenario spends more), on central paths.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pandas as pd

from budget.formats import as_float, num, span, write_csv
from budget.pledges import lines_for
from budget.scenario import Scenario
from budget.tables import key_figures
from budget.verdicts import met_cell

Projections = dict[str, tuple[Scenario, pd.DataFrame]]


def compare(projections: Projections) -> pd.DataFrame:
    """Scenarios side by side and their differences against the first, one row per projection year.

    Rows: the first projection year to the latest end year (index ``year``; a scenario that
    ends earlier is empty after its end). Columns, ``<name>`` being the scenario's name and
    ``<cur>`` the data's currency code (``czk``): ``<name>__defense_usd_bn`` (USD bn, current
    prices), ``<name>__defense_<cur>_bn`` (local bn, current prices), ``<name>__defense_pct_gdp``
    (% of GDP); for every scenario after the first, scenario minus first: ``<name>__diff_usd_bn``,
    ``<name>__diff_<cur>_bn`` (bn, current prices), ``<name>__diff_pct_points`` (points of GDP),
    and their running sums from the first projection year, ``<name>__cumulative_diff_usd_bn`` and
    ``<name>__cumulative_diff_<cur>_bn`` (bn, current prices, summed). ``COMPARE_COLUMNS`` has them all.
    """
    if not projections:
        raise ValueError("nothing to compare: give at least one scenario")
    (base, (s0, _)), *_ = projections.items()
    cur = s0.data.cur
    if other := [s.name for s, _ in projections.values() if s.data.cur != cur]:
        raise ValueError(f"{', '.join(other)}: not in {s0.data.currency}; compare one currency at a time")
    first = min(s.data.last_data_year for s, _ in projections.values()) + 1
    end = max(s.end_year for s, _ in projections.values())
    years = pd.Index(range(first, end + 1), name="year")
    cols: dict[str, pd.Series] = {}
    for name, (_, df) in projections.items():
        for col in ("defense_usd_bn", f"defense_{cur}_bn", "defense_pct_gdp"):
            cols[f"{name}__{col}"] = df[col].reindex(years)
        if name == base:
            continue
        for col, diff in (("usd_bn", "usd_bn"), (f"{cur}_bn", f"{cur}_bn"), ("pct_gdp", "pct_points")):
            cols[f"{name}__diff_{diff}"] = cols[f"{name}__defense_{col}"] - cols[f"{base}__defense_{col}"]
        for money in ("usd", cur):  # a missing year leaves every later sum missing, never skipped
            running = cols[f"{name}__diff_{money}_bn"].cumsum(skipna=False)
            cols[f"{name}__cumulative_diff_{money}_bn"] = running
    return pd.DataFrame(cols, index=years)


def short_title(title: str) -> str:
    """Shorten a title to its first colon, comma or bracket.

    >>> short_title("Legal floor: 2 % of GDP every year")
    'Legal floor'
    """
    return re.split(r"[:,(]", title)[0].strip()


def _signed(cell: Any, digits: int = 1) -> str:
    x = round(as_float(cell), digits) + 0.0  # no "-0.0"
    return ("+" if x > 0 else "") + num(x, digits)


def _than(cell: Any, base: str = "") -> str:
    x = as_float(cell)
    if pd.isna(x) or round(abs(x), 1) == 0:
        return "n/a" if pd.isna(x) else f"the same as {base}" if base else "the same"
    return f"USD {num(abs(x))} bn {'more' if x > 0 else 'less'}" + (f" than {base}" if base else "")


def compare_markdown(projections: Projections) -> str:
    """``compare.md``: one sentence per scenario and a table of differences against the first.

    Differences in USD bn (current prices) and percentage points of GDP in the first projection
    year, 2030 and 2035, and summed (USD and local bn) over the years every path covers.
    """
    table = compare(projections)
    (_, (s0, _)), *others = projections.items()
    cur, code, b = s0.data.cur, s0.data.currency, short_title(s0.title)
    years = sorted({table.index[0], 2030, 2035} & set(table.index))
    out = [
        f"# Differences against {s0.title}",
        "",
        f"Each scenario minus the baseline, **{s0.title}** (+ = spends more): central paths, "
        "current prices; points are percentage points of GDP.",
        "",
    ]
    rows = []
    for name, (s, _) in others:
        cum = table[f"{name}__cumulative_diff_usd_bn"].dropna()
        last = int(cum.index[-1]) if len(cum) else table.index[0]
        span = f"{table.index[0]}\u2013{last}"
        year = 2030 if 2030 in cum.index else last
        d = table.loc[year]
        over = f" and {_than(cum.iloc[-1])} over {span}" if len(cum) else ""
        out.append(
            f"- **{short_title(s.title)}** spends {_than(d[f'{name}__diff_usd_bn'], b)} in {year} "
            f"({_signed(d[f'{name}__diff_pct_points'], 2)} points of GDP){over} (current prices)."
        )
        cells = [
            f"{_signed(table.loc[y, f'{name}__diff_{u}'], n)}"
            for y in years
            for u, n in (("usd_bn", 1), ("pct_points", 2))
        ]
        totals = [_signed(table.loc[last, f"{name}__cumulative_diff_{m}_bn"], n) for m, n in (("usd", 1), (cur, 0))]
        rows.append(f"| {s.title} | " + " | ".join([*cells, span, *totals]) + " |")
    head = [h for y in years for h in (f"{y}, USD bn", f"{y}, points")]
    head += ["Summed over", "Sum, USD bn", f"Sum, {code} bn"]
    out += (
        ["", "| Scenario | " + " | ".join(head) + " |", "|---|" + "---:|" * len(head), *rows]
        if rows
        else ["Only one scenario: nothing to compare."]
    )
    return "\n".join(out) + "\n"


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


def link(text: str, target: str) -> str:
    r"""A Markdown link whose text cannot break the link or a table: ``[``, ``]``, ``|`` and ``\``
    escaped, whitespace runs one space; the target percent-encoded (``/`` kept).

    >>> print(link("a [b] | c", "../x y/summary.md"))
    [a \[b\] \| c](../x%20y/summary.md)
    """
    shown = re.sub(r"([\\\[\]|])", r"\\\1", " ".join(str(text).split()))
    return f"[{shown}]({quote(target)})"


def comparison_markdown(projections: Projections, unit: str = "pct_gdp") -> str:
    """``comparison.md``: the finding, the chart, and one row per scenario with its key figures
    (both ends of each range), each linking to its folder's ``summary.md``.

    Links are relative to ``comparison/comparison.md`` (a scenario's folder is ``../<name>/``).
    ``unit`` is the chart's (``budget.lineup.UNITS``): the finding is stated in it.
    """
    from budget.lineup import finding

    binding = {ln.id: ln for s, _ in projections.values() for ln in lines_for(s.data)}
    line_cols = [ln for ln in binding.values() if ln.year > 2025]
    lead = finding(projections, unit)
    out = [
        "# Scenarios compared",
        "",
        f"{lead}.",
        "",
        f"![{lead}](comparison.png)",
        "",
        "Chart: [comparison.png](comparison.png); every scenario's central path year by year: "
        "[comparison.csv](comparison.csv) (columns described in [comparison.json](comparison.json)).",
        "",
        'Defense spending at current prices; low-high are the ends of each range. "vs level": share '
        "of GDP minus the line's level in the line's year, in points (+ above, - short); core defense "
        "for core lines, core + resilience for total lines (n/a where a scenario does not model "
        "resilience). Each scenario links to its summary.",
        "",
        "| Scenario | 2030 USD bn | 2030 % GDP | 2035 USD bn | 2035 % GDP | Procurement 10 yrs, USD bn | "
        + " | ".join(f"{ln.short_label} vs level, points | {ln.short_label} met from" for ln in line_cols)
        + " |",
        "|---|---:|---:|---:|---:|---:|" + "---:|---:|" * len(line_cols),
    ]
    for name, (s, df) in projections.items():
        k = key_figures(df, s)
        t0 = s.data.last_data_year
        last = min(t0 + 10, s.end_year)

        def get(key: str, k: dict[str, object] = k) -> float:
            value = k.get(key)
            return float(value) if isinstance(value, int | float) else float("nan")

        def pair(stem: str) -> str:
            return span(get(f"{stem}_low"), get(f"{stem}_high"), 2)

        proc = span(get(f"procurement_usd_bn_{t0 + 1}_{last}_low"), get(f"procurement_usd_bn_{t0 + 1}_{last}_high"))
        cells = []
        for ln in line_cols:
            year = ln.year if ln.year <= s.end_year else s.end_year
            bound = f"{ln.id}_met_from_low" in k
            known = bound and not (ln.compares_with == "total" and s.resilience is None)
            cells += [
                pair(f"{ln.id}_share_minus_level_pct_points_{year}"),
                met_cell(k.get(f"{ln.id}_met_from_low"), k.get(f"{ln.id}_met_from_high"), s.end_year, known),
            ]
        out.append(
            f"| {link(s.title, f'../{name}/summary.md')} | "
            f"{span(get('defense_usd_bn_2030_low'), get('defense_usd_bn_2030_high'))} | "
            f"{span(get('defense_pct_gdp_2030_low'), get('defense_pct_gdp_2030_high'), 2)} | "
            f"{span(get('defense_usd_bn_2035_low'), get('defense_usd_bn_2035_high'))} | "
            f"{span(get('defense_pct_gdp_2035_low'), get('defense_pct_gdp_2035_high'), 2)} | {proc} | "
            + " | ".join(cells)
            + " |"
        )
    return "\n".join(out) + "\n"


def write_compare(projections: Projections, folder: Path) -> None:
    """Write ``compare.csv`` (with its ``compare.json`` sidecar), ``compare.md`` and ``compare.png``
    into ``folder`` (created if needed).
    """
    from budget import charts  # matplotlib is imported only when charts are drawn
    from budget.provenance import write_sidecar

    folder.mkdir(parents=True, exist_ok=True)
    table = compare(projections)
    write_csv(table, folder / "compare.csv")
    write_sidecar(
        folder / "compare.csv",
        table,
        [s for s, _ in projections.values()],
        description="Scenarios side by side and their differences against the first.",
    )
    (folder / "compare.md").write_text(compare_markdown(projections), encoding="utf-8")
    charts.save(charts.plot_compare(projections), folder / "compare.png")
