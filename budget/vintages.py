"""Vintages: one scenario projected under every shipped edition of its GDP series, and where the
verdict on a line flips with the edition.

Canada's Parliamentary Budget Officer and ASPI showed that whether a country "meets 2 %" can
depend on the GDP forecast it is divided by. ``vintages`` projects the same scenario with each
edition of the GDP line (``budget.schema.gdp_line``: GDP, deflator, real growth and implied
exchange rates; NATO's defense shares of past years stay as published), ``vintage_table`` puts
the results side by side and ``flips`` finds each line, year and range end whose verdict (the
line's **level** met or not, ``budget.pledges.meets``) differs between editions. A money target
(USD bn) gives another share of GDP under another GDP; a share target gives other money.

An edition that states the country's amounts in another currency (Bulgaria's IMF WEO April 2026,
in euro) is not compared with a scenario whose own inputs are in the old currency (a target in
``bgn_bn``, ``economy.bgn_per_usd``): ``Vintage.reason`` says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from budget.editions import published
from budget.formats import num, span
from budget.history import EditionError, load_country, load_sources
from budget.i18n import _, billions, money
from budget.ledger import spending_share
from budget.model import project
from budget.pledges import Line, lines_for, meets
from budget.scenario import DEFAULT_GDP_EDITION, Scenario, ScenarioError
from budget.schema import gdp_line

ENDS = ("low", "high")
VINTAGES_TEXT = (
    "The scenario under every shipped edition of its GDP series: share of GDP, spending and each binding "
    "line's level met or not, by edition, year and range end (NATO's shares of past years as published)."
)
INDEX = ["edition", "year", "end"]


@dataclass(frozen=True)
class Vintage:
    """The scenario under one GDP edition: ``scenario`` and its projection ``frame``, or ``None``
    for both and the ``reason`` it cannot be compared (in the current language).
    """

    edition: str
    published: dt.date | None
    scenario: Scenario | None
    frame: pd.DataFrame | None
    reason: str = ""


@dataclass(frozen=True)
class Flip:
    """A line whose level is met in ``year`` at range end ``end`` under the editions ``met`` and
    missed under ``missed`` (both oldest first).
    """

    line: Line
    year: int
    end: str
    met: tuple[str, ...]
    missed: tuple[str, ...]


def editions(s: Scenario) -> tuple[str, ...]:
    """The editions of the GDP line shipped with values for the scenario's country, oldest first."""
    out = []
    for edition in gdp_line().editions:
        try:
            load_country(s.country, (edition,))
        except EditionError:
            continue
        out.append(edition)
    return tuple(out)


def _local(s: Scenario) -> bool:
    """True where the scenario states something in its country's currency (amounts or a rate)."""
    unit = f"{s.data.cur}_bn"
    return (
        s.local_per_usd is not None or s.interpolate_in == unit or any(t.unit == unit for t in (*s.targets, *s.claims))
    )


def vintage(s: Scenario, edition: str, df: pd.DataFrame | None = None) -> Vintage:
    """The scenario under ``edition`` (``df``: its projection, where ``edition`` is its own)."""
    date = published(edition)
    if edition == s.gdp_edition:
        return Vintage(edition, date, s, project(s) if df is None else df)
    other = load_country(s.country, (edition,))
    reason = _("{edition} states {country}'s amounts in {new}, and this scenario's are in {old}: not compared.").format(
        edition=edition, country=_(other.name), new=other.currency, old=s.data.currency
    )
    if other.currency != s.data.currency and _local(s):
        return Vintage(edition, date, None, None, reason)
    try:
        v = replace(s, gdp_edition=edition)
    except ScenarioError as err:
        return Vintage(edition, date, None, None, reason if other.currency != s.data.currency else str(err))
    return Vintage(edition, date, v, project(v))


def vintages(s: Scenario, df: pd.DataFrame | None = None) -> list[Vintage]:
    """The scenario under every shipped GDP edition of its country, oldest first (``df``: the
    projection of ``s`` itself, reused for its own edition).
    """
    return [vintage(s, e, df) for e in editions(s)]


def comparable(vs: list[Vintage]) -> list[Vintage]:
    """The vintages that could be projected."""
    return [v for v in vs if v.scenario is not None]


def years(s: Scenario) -> list[int]:
    """The years compared: the first projection year, 2030, 2035, the end year and each binding
    line's year, where they fall in the projection (past years hold NATO's shares, the same in
    every edition).
    """
    t0, end = s.data.last_data_year, s.end_year
    wanted = {t0 + 1, 2030, 2035, end, *(ln.year for ln in lines_for(s.data))}
    return sorted(y for y in wanted if t0 < y <= end)


def vintage_table(s: Scenario, vs: list[Vintage] | None = None) -> pd.DataFrame:
    """The long table: one row per comparable edition, year (``years``) and range end, indexed by
    ``edition, year, end``. Columns: ``published`` (the edition's publication date, ISO),
    ``gdp_usd_bn`` (nominal GDP, USD bn), ``defense_share_pct_gdp`` (% of GDP),
    ``defense_spending_usd_bn`` (USD bn, current prices) and for each binding line
    ``meets_<line>_level`` (True/False; empty where the share it compares with is unknown).
    """
    vs = vintages(s) if vs is None else vs
    rows = []
    for v in comparable(vs):
        assert v.scenario is not None and v.frame is not None
        df, at = v.frame, [y for y in years(s) if y in v.frame.index]
        for end in ENDS:
            part = pd.DataFrame(
                {
                    "edition": v.edition,
                    "year": at,
                    "end": end,
                    "published": "" if v.published is None else v.published.isoformat(),
                    "gdp_usd_bn": df.loc[at, "gdp_usd_bn"].to_numpy(dtype=float),
                    "defense_share_pct_gdp": df.loc[at, f"defense_pct_gdp_{end}"].to_numpy(dtype=float),
                    "defense_spending_usd_bn": df.loc[at, f"defense_usd_bn_{end}"].to_numpy(dtype=float),
                }
            )
            for line in lines_for(v.scenario.data):
                share = spending_share(v.scenario, df, line, end).loc[at].to_numpy(dtype=float)
                met = meets(share, line)
                part[f"meets_{line.id}_level"] = pd.array(
                    [None if np.isnan(x) else bool(m) for x, m in zip(share, met, strict=True)], dtype="boolean"
                )
            rows.append(part)
    if not rows:
        return pd.DataFrame(columns=[*INDEX, "published"]).set_index(INDEX)
    out = pd.concat(rows, ignore_index=True)
    order = {e: i for i, e in enumerate(v.edition for v in vs)} | {"low": 0, "high": 1}
    out = out.sort_values(INDEX, key=lambda c: c.map(order) if c.name != "year" else c, kind="stable")
    return out.set_index(INDEX)


def flips(table: pd.DataFrame, s: Scenario) -> list[Flip]:
    """Each binding line, year and range end whose level is met under some editions and missed
    under others (editions where the verdict is unknown count for neither), by year, then line.
    """
    out = []
    for line in lines_for(s.data):
        col = f"meets_{line.id}_level"
        if col not in table:
            continue
        rows = table.reset_index()
        verdicts: dict[tuple[int, str], tuple[list[str], list[str]]] = {}
        for edition, year, end, ok in zip(*(rows[c].tolist() for c in (*INDEX, col)), strict=True):
            if not pd.isna(ok):
                verdicts.setdefault((int(year), str(end)), ([], []))[0 if ok else 1].append(str(edition))
        out += [Flip(line, y, e, tuple(m), tuple(x)) for (y, e), (m, x) in verdicts.items() if m and x]
    rank = {ln.id: i for i, ln in enumerate(lines_for(s.data))}
    return sorted(out, key=lambda f: (f.year, rank[f.line.id], ENDS.index(f.end)))


def targets_word(s: Scenario) -> str:
    """What the edition changes, from the targets' units (a sentence in the current language)."""
    units = {"pct_gdp" if t.unit == "pct_gdp" else "money" for t in s.targets}
    if units == {"money"}:
        return _("Its targets are amounts of money, so each GDP edition gives them another share of GDP.")
    if units == {"pct_gdp"}:
        return _("Its targets are shares of GDP, so each GDP edition gives them other amounts of money.")
    if units:
        return _("Its targets are partly money, partly shares of GDP: each GDP edition changes the one or the other.")
    return _("It has no targets: each GDP edition changes the money its shares of GDP stand for.")


def edition_name(edition: str, s: Scenario) -> str:
    """An edition as a reader sees it, marked where it is this scenario's (its other outputs use it)."""
    return _("{edition} (this scenario's)").format(edition=edition) if edition == s.gdp_edition else edition


def edition_note(s: Scenario) -> str:
    """Which edition is the data's default and which one the rest of the outputs use."""
    if s.gdp_edition == DEFAULT_GDP_EDITION:
        return _("{edition} is the default edition; the rest of this summary uses it.").format(edition=s.gdp_edition)
    return _(
        "{default} is the default edition; this scenario picks {edition}, and the rest of this summary uses it."
    ).format(default=DEFAULT_GDP_EDITION, edition=s.gdp_edition)


def _and(items: tuple[str, ...]) -> str:
    return items[0] if len(items) == 1 else _("{first} and {last}").format(first=", ".join(items[:-1]), last=items[-1])


def flip_sentences(found: list[Flip], s: Scenario) -> list[str]:
    """The flips in words, one sentence per year and verdict ("Czech law 2 %, NATO 2 % in 2026: met
    with GDP of IMF WEO 2025-10, missed with GDP of IMF WEO 2026-04."); a flip at one end of a
    range only says which end.
    """
    ends: dict[tuple[Line, int, tuple[str, ...], tuple[str, ...]], list[str]] = {}
    for f in found:
        ends.setdefault((f.line, f.year, f.met, f.missed), []).append(f.end)
    ranged = any(t.is_range for t in s.targets)
    grouped: dict[tuple[int, str, tuple[str, ...], tuple[str, ...]], list[str]] = {}
    for (line, year, met, missed), at in ends.items():
        end = at[0] if ranged and len(at) == 1 else ""
        grouped.setdefault((year, end, met, missed), []).append(_(line.short_label))
    templates = {
        "": _("{lines} in {year}: met with GDP of {met}, missed with GDP of {missed}."),
        "low": _("{lines} in {year}, at the low end of the range: met with GDP of {met}, missed with GDP of {missed}."),
        "high": _(
            "{lines} in {year}, at the high end of the range: met with GDP of {met}, missed with GDP of {missed}."
        ),
    }
    return [
        templates[end].format(lines=", ".join(names), year=year, met=_and(met), missed=_and(missed))
        for (year, end, met, missed), names in grouped.items()
    ]


def _levels_met(table: pd.DataFrame, s: Scenario, edition: str, year: int) -> str:
    """The short labels of the lines whose level is met in ``year`` under ``edition``."""
    out = []
    for line in lines_for(s.data):
        col = f"meets_{line.id}_level"
        got: dict[str, Any] = {end: table.at[(edition, year, end), col] for end in ENDS}
        if any(pd.isna(v) for v in got.values()):
            continue
        if got["low"] and got["high"]:
            out.append(_(line.short_label))
        elif got["high"]:
            out.append(_("{line} (high end only)").format(line=_(line.short_label)))
        elif got["low"]:
            out.append(_("{line} (low end only)").format(line=_(line.short_label)))
    return ", ".join(out) if out else _("none")


def vintages_markdown(s: Scenario, df: pd.DataFrame | None = None, vs: list[Vintage] | None = None) -> list[str]:
    """The ``summary.md`` section "GDP edition" (Markdown lines, in the current language): the
    scenario under each shipped GDP edition, and whether any line's verdict flips; ``[]`` where
    the country has fewer than two editions shipped.
    """
    vs = vintages(s, df) if vs is None else vs
    if len(vs) < 2:
        return []
    out = [
        "## " + _("GDP edition"),
        "",
        _(
            "A share of GDP depends on the GDP forecast it is divided by. The same scenario under each shipped "
            "edition of the {source} (GDP, deflator, real growth, implied exchange rates; NATO's shares of past years "
            "stay as published). {targets}"
        ).format(source=gdp_line().title.split(" (")[0], targets=targets_word(s)),
        "",
    ]
    out += [f"- {v.reason}" for v in vs if v.scenario is None] + ([""] if any(v.scenario is None for v in vs) else [])
    if len(comparable(vs)) < 2:
        return [*out, _("Fewer than two editions can be compared: no table."), ""]
    table = vintage_table(s, vs)
    head = [
        _("Edition"),
        _("Published"),
        _("Year"),
        _("Defense, % of GDP"),
        _("Defense, {unit}").format(unit=billions("USD")),
        _("Levels met"),
    ]
    out += ["| " + " | ".join(head) + " |", "|---|---|---:|---:|---:|---|"]
    for v in comparable(vs):
        for i, year in enumerate(sorted({y for e, y, _e in table.index if e == v.edition})):
            row = table.loc[(v.edition, year)]
            share = span(
                float(row.at["low", "defense_share_pct_gdp"]), float(row.at["high", "defense_share_pct_gdp"]), 2
            )
            usd = span(
                float(row.at["low", "defense_spending_usd_bn"]), float(row.at["high", "defense_spending_usd_bn"])
            )
            date = "" if v.published is None or i else v.published.isoformat()
            name = "" if i else edition_name(v.edition, s)
            out.append(
                "| " + " | ".join([name, date, str(year), share, usd, _levels_met(table, s, v.edition, year)]) + " |"
            )
    out += ["", edition_note(s)]
    found = flips(table, s)
    out.append("")
    if not found:
        out.append(
            _("No verdict flips: in every year shown, each line's level is met or missed alike under every edition.")
        )
    else:
        out += ["**" + _("The verdict flips with the GDP edition:") + "**", ""]
        out += [f"- {text}" for text in flip_sentences(found, s)]
    largest = _largest_change(table, s)
    if largest:
        out += ["", largest]
    return [*out, *_other_sources(s, vs), ""]


def _other_sources(s: Scenario, vs: list[Vintage]) -> list[str]:
    """The sources the other editions add to the summary's list (which names this scenario's)."""
    own = set(s.data.source_ids())
    ids = dict.fromkeys(i for v in comparable(vs) if v.scenario for i in v.scenario.data.source_ids() if i not in own)
    if not ids:
        return []
    src = load_sources()
    text = _("{publisher}, *{title}*, {published}, <{url}> (accessed {accessed}).")
    items = [
        "- " + text.format(publisher=x.publisher, title=x.title, published=x.published, url=x.url, accessed=x.accessed)
        for x in (src[i] for i in ids)
    ]
    return ["", _("Sources of the other editions:"), "", *items]


def _largest_change(table: pd.DataFrame, s: Scenario) -> str:
    """The largest difference from this scenario's own edition, in share and money, in words."""
    own = s.gdp_edition
    others = [e for e in dict.fromkeys(table.index.get_level_values("edition")) if e != own]
    if own not in table.index.get_level_values("edition") or not others:
        return ""
    cols = ["defense_share_pct_gdp", "defense_spending_usd_bn"]
    base = table.xs(own, level="edition")[cols]
    diffs = [table.xs(e, level="edition")[cols] - base for e in others]
    both = pd.concat(diffs)
    share, usd = both["defense_share_pct_gdp"].abs().max(), both["defense_spending_usd_bn"].abs().max()
    words = {"edition": own, "share": num(share, 2), "usd": money(num(usd), "USD")}
    moved_share, moved_usd = bool(share >= 0.005), bool(usd >= 0.05)  # NaN: False
    if moved_share and moved_usd:
        return _(
            "Against {edition}, the other editions move the share of GDP by up to {share} percentage points and "
            "spending by up to {usd} in the years shown."
        ).format(**words)
    if moved_share:
        return _(
            "Against {edition}, the other editions move the share of GDP by up to {share} percentage points in the "
            "years shown; spending is the same."
        ).format(**words)
    if moved_usd:
        return _(
            "Against {edition}, the other editions move spending by up to {usd} in the years shown; the share of "
            "GDP is the same."
        ).format(**words)
    return ""
