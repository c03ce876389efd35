"""Alliance tables: one row per member, the group's yearly totals, and the long result table.

Units are in the column names: ``pct_gdp`` percent of GDP, ``pp`` percentage points of GDP,
``usd_bn`` USD bn at current prices (``_const``: constant prices and exchange rates of the
alliance's ``prices_base_year``). ``_low``/``_high`` are the two ends of a plan's range (equal
for straight paths and held shares). A line's **level** is compared here, never a path to it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from budget.aggregate import ENDS, Member, group_frame, window_sum
from budget.alliance_file import Alliance, Rule
from budget.history import load_country
from budget.i18n import _, short, use
from budget.ledger import required_real_growth as ledger_growth
from budget.pledges import Line, lines_for
from budget.results import KEYS

CHECK_YEARS = (2030, 2035)  # the years members are reported at (both within every alliance run)


def rule_text(rule: Rule) -> str:
    """The member's rule in words, in the current language; a straight path says it is our assumption."""
    if rule.kind == "hold":
        return _("holds its last share (baseline)")
    if rule.kind == "plan":
        assert rule.plan is not None
        return _("national plan: {title} ({file})").format(title=_(rule.plan.title), file=rule.plan.file.name)
    assert rule.level_pct_gdp is not None  # a path rule always has its level
    return _("straight path (our assumption) to {level} % of GDP by {year}").format(
        level=short(rule.level_pct_gdp), year=rule.year
    )


def _at(m: Member, values: np.ndarray, year: int) -> float:
    i = int(np.searchsorted(m.years, year))
    return float(values[i]) if i < len(m.years) and m.years[i] == year else float("nan")


def core_lines(key: str) -> list[Line]:
    """Lines binding the member that compare with core defense (the alliance models core only)."""
    return [ln for ln in lines_for(load_country(key)) if ln.compares_with == "core"]


def total_lines(key: str) -> list[Line]:
    """Lines binding the member that count core + resilience (resilience is not modelled here)."""
    return [ln for ln in lines_for(load_country(key)) if ln.compares_with == "total"]


def member_table(a: Alliance, ms: dict[str, Member]) -> pd.DataFrame:
    """One row per member: last data share, 2030/2035 share and USD, gaps to each line's level
    in the end year, extra cost over the window against holding the last share, required growth.
    """
    rows = []
    start, end = a.cumulative_from, a.end_year
    for key, m in ms.items():
        c = load_country(key)
        t0 = m.t0
        with use("en"):  # a table's text is data, in English whatever the run's language
            rule = rule_text(a.rules[key])
        row: dict[str, object] = {
            "country": key,
            "name": c.name,
            "rule": rule,
            "last_data_year": t0,
            "last_status": m.status[int(np.searchsorted(m.years, t0))],
            "last_share_pct_gdp": _at(m, m.pct["high"], t0),
        }
        for year in CHECK_YEARS:
            for e in ENDS:
                row[f"share_{year}_pct_gdp_{e}"] = _at(m, m.pct[e], year)
                row[f"defense_{year}_usd_bn_{e}"] = _at(m, m.usd[e], year)
        gdp_end = _at(m, m.gdp_usd, end)
        for ln in core_lines(key):
            for e in ENDS:
                gap = _at(m, m.pct[e], end) - ln.level_pct_gdp
                row[f"share_minus_{ln.id}_level_{end}_pp_{e}"] = gap
                row[f"share_minus_{ln.id}_level_{end}_usd_bn_{e}"] = gap / 100 * gdp_end
        for ln in total_lines(key):
            for e in ENDS:  # the resilience share a total line would need on top of the core share
                row[f"{ln.id}_resilience_needed_{end}_pct_gdp_{e}"] = max(ln.level_pct_gdp - _at(m, m.pct[e], end), 0.0)
        years = (m.years >= start) & (m.years <= end)
        for e in ENDS:
            row[f"extra_{start}_{end}_usd_bn_{e}"] = float(np.sum(m.usd[e][years] - m.hold_usd[years]))
        for ln in core_lines(key):
            row[f"{ln.id}_required_real_growth_pct"] = required_real_growth(m, ln)
        rows.append(row)
    return pd.DataFrame(rows).set_index("country")


def required_real_growth(m: Member, line: Line) -> float:
    """Constant yearly real growth (%) of spending from the last data year that reaches the line's
    level in its year (``budget.ledger.required_real_growth``); NaN if the year is not after the data.
    """
    if line.year <= m.t0:
        return float("nan")
    s0 = _at(m, m.pct["high"], m.t0)
    gdp0, gdp1 = (_at(m, m.gdp_local, y) for y in (m.t0, line.year))
    p0, p1 = (_at(m, m.deflator, y) for y in (m.t0, line.year))
    return ledger_growth(line.level_pct_gdp, s0, gdp0, gdp1, p0, p1, line.year - m.t0)


def totals(a: Alliance, ms: dict[str, Member]) -> pd.DataFrame:
    """Yearly totals of the group and each subgroup (members with data), indexed by (group, year)."""
    parts = {a.group.id: tuple(ms)}
    for sub in a.subgroups:
        inside = tuple(k for k in sub.members if k in ms)
        if inside:
            parts[sub.id] = inside
    frames = [group_frame(a, ms, keys).assign(group=gid) for gid, keys in parts.items()]
    return pd.concat(frames).reset_index().set_index(["group", "year"])


def last_common_year(ms: dict[str, Member]) -> int:
    """The last year every member has a published figure (the group's last data year)."""
    return min(m.t0 for m in ms.values())


def group_figures(a: Alliance, frame: pd.DataFrame) -> dict[str, float]:
    """Window sums of one group's totals: extra cost and procurement, both ends (USD bn)."""
    start, end = a.cumulative_from, a.end_year
    p0, p1 = a.procurement_window
    out = {f"extra_{e}": window_sum(frame, f"extra_usd_bn_{e}", start, end) for e in ENDS}
    out.update({f"procurement_{e}": window_sum(frame, f"procurement_usd_bn_{e}", p0, p1) for e in ENDS})
    return out


def long_table(a: Alliance, ms: dict[str, Member]) -> pd.DataFrame:
    """Every member's and group's yearly results as long rows (``budget.results.KEYS``):
    country (a member key, or ``group:<id>``), scenario (the alliance's name), year, metric,
    end, unit, prices, status, value. Built as columns once (a frame per series costs more than
    the arithmetic).
    """
    base = f"constant {a.prices_base_year} prices and exchange rates"
    parts: list[tuple[str, np.ndarray, str, str, str, str, np.ndarray, np.ndarray]] = []
    for key, m in ms.items():
        status = np.array(m.status, dtype=object)
        series = [
            ("defense", "% of GDP", "", m.pct),
            ("defense", "USD bn", "current", m.usd),
            ("defense", "USD bn", base, {"central": m.usd_const}),
            ("defense_if_share_held", "USD bn", "current", {"central": m.hold_usd}),
            ("gdp", "USD bn", "current", {"central": m.gdp_usd}),
        ]
        for metric, unit, prices, by_end in series:
            for e, values in by_end.items():
                parts.append((key, m.years, metric, e, unit, prices, status, np.asarray(values, dtype=float)))
    cols = [
        ("defense", "% of GDP", "", "defense_pct_gdp", ENDS),
        ("defense", "USD bn", "current", "defense_usd_bn", ENDS),
        ("extra_vs_held_shares", "USD bn", "current", "extra_usd_bn", ENDS),
        ("procurement", "USD bn", "current", "procurement_usd_bn", ENDS),
        ("defense", "USD bn", base, "defense_usd_bn_const", ("central",)),
        ("gdp", "USD bn", "current", "gdp_usd_bn", ("central",)),
    ]
    for gid, frame in totals(a, ms).groupby(level="group", sort=False):
        f = frame.droplevel("group")
        years = f.index.to_numpy()
        blank = np.full(len(years), "", dtype=object)
        for metric, unit, prices, stem, ends in cols:
            for e in ends:
                column = stem if e == "central" else f"{stem}_{e}"
                parts.append((f"group:{gid}", years, metric, e, unit, prices, blank, f[column].to_numpy(dtype=float)))
    sizes = [len(p[1]) for p in parts]
    out = pd.DataFrame(
        {
            "country": np.repeat([p[0] for p in parts], sizes),
            "scenario": a.name,
            "year": np.concatenate([p[1] for p in parts]),
            "metric": np.repeat([p[2] for p in parts], sizes),
            "end": np.repeat([p[3] for p in parts], sizes),
            "unit": np.repeat([p[4] for p in parts], sizes),
            "prices": np.repeat([p[5] for p in parts], sizes),
            "status": np.concatenate([p[6] for p in parts]),
            "value": np.concatenate([p[7] for p in parts]),
        }
    )
    return out[KEYS]


def alliance(source: Alliance | str | Path) -> pd.DataFrame:
    """Project an alliance file (or a loaded ``Alliance``): the long result table, one row per
    country (member key, or ``group:<id>`` for the group and each subgroup), scenario, year,
    metric and range end, with unit, price basis and status (``budget.results.KEYS``).

    >>> import budget
    >>> t = budget.alliance("scenarios/alliance/europe-canada-3.5.toml")
    >>> row = t[(t.country == "group:nato_europe_canada") & (t.year == 2035) & (t.metric == "defense")]
    >>> round(float(row[(row.unit == "% of GDP") & (row.end == "high")].value.iloc[0]), 10)
    3.5
    """
    from budget.aggregate import load, members

    a = load(source)
    return long_table(a, members(a))
