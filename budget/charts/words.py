"""Words: the text around a chart's axes that names things: the data's publishers and sources,
the model's settings for the note, targets as stated, the one-line subtitle.

Every reader-facing string passes through the translation hook ``_`` (``budget.i18n``), as a
whole sentence with named placeholders.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from budget import __version__
from budget.charts.style import (
    ELLIPSIS,
    LINE_WIDTH,
    NOTE_LINES,
    NOTE_SIZE,
    SUBTITLE_SIZE,
    D,
    P,
    fit,
    one_line,
    shorten,
)
from budget.execution import rate_pct as execution_pct
from budget.formats import num
from budget.history import Country, load_sources
from budget.i18n import _, currency, language, money
from budget.scenario import Scenario, Target

SETTINGS_LINES = 3  # the most lines of the model's settings, above the sources in the note


def country(c: Country) -> str:
    """The country's name in the current language ("Czechia", "Česko")."""
    return _(c.name)


def short_source(sid: str) -> str:
    """A source's short name for a chart (``Source.short``, in the current language: a publisher's
    title stays as published, our descriptive words are translated), else ``publisher, title``
    abbreviated, dated if the title has no year.
    """
    src = load_sources()[sid]
    if src.short:
        return _(src.short)
    title = src.title.split(":")[0]
    date = re.fullmatch(r"(\d{4})-(\d{2})(?:-\d{2})?", src.published)
    if date and not re.search(r"\d{4}", title):
        title += " " + pd.Timestamp(f"{date[1]}-{date[2]}-01").strftime("%b %Y")
    return f"{_(src.publisher_short or src.publisher.split(' (')[0])}, {title}"


def publisher(c: Country, indicator: str) -> str:
    """Short name of the publisher most of ``indicator``'s values come from ("NATO", "IMF"; "ČNB"
    in Czech), or "".
    """
    if not c.has(indicator):
        return ""
    src = load_sources()[c.source_of(indicator)]
    return _(src.publisher_short or src.publisher.split(" (")[0])


def data_label(c: Country, money: bool = False) -> str:
    """Where the history comes from: the share's publisher, or for money the share's, GDP's and
    the exchange rate's publishers (short names from the data's sources).
    """
    share = publisher(c, "defense_pct_gdp")
    if not money:
        return share
    gdp, fx = publisher(c, f"gdp_{c.cur}_bn"), publisher(c, f"{c.cur}_per_usd")
    if len({share, gdp, fx} - {""}) <= 1:
        return share or gdp
    if fx:
        return _("{share} share of GDP x {gdp} GDP, {fx} rates").format(share=share, gdp=gdp, fx=fx)
    return _("{share} share of GDP x {gdp} GDP").format(share=share, gdp=gdp)


def source_note(scenarios: Scenario | Iterable[Scenario], settings: str = "") -> str:
    """Build the note for the foot of a chart: the model's ``settings`` (at most ``SETTINGS_LINES``
    lines), then the data sources, plan sources and package version.

    The sources take at most ``NOTE_LINES`` lines across the figure at 7.5 pt (usually two). Each
    plan source is cut to about 90 characters; if the whole is still too long it is cut with an
    ellipsis, and the package version is kept at the end.
    """
    group = [scenarios] if isinstance(scenarios, Scenario) else list(scenarios)
    # Editions of one publication share a name: "NATO Defence Expenditure (2014-2025, 2012-2019)".
    editions: dict[str, list[str]] = {}
    for text in dict.fromkeys(short_source(i) for s in group for i in s.data.source_ids()):
        name, _sep, edition = text.partition(" (")
        editions.setdefault(name, []).append(edition.rstrip(")"))
    data = [f"{name} ({', '.join(e)})" if any(e) else name for name, e in editions.items()]
    plans = {s.name: plan_cited(s.plan_source) for s in group}
    cited = list(dict.fromkeys(shorten(p, 90) for p in plans.values() if p))
    if own := [name for name, p in plans.items() if not p]:
        cited.append(_("{names}: own assumptions, no published plan").format(names=shorten(", ".join(own), 90)))
    one = len({s.name for s in group}) == 1  # one scenario, e.g. under several GDP editions
    template = _("Sources: {data}. Scenario: {plans}") if one else _("Sources: {data}. Scenarios: {plans}")
    text = template.format(data="; ".join(data), plans="; ".join(cited))
    text += "" if text.endswith((".", ELLIPSIS)) else "."
    tail = " " + _("Chart: budget {version}").format(version=__version__).replace(" ", "\u00a0")
    sources = fit(text, LINE_WIDTH, NOTE_SIZE, max_lines=NOTE_LINES, tail=tail)
    return f"{fit(settings, LINE_WIDTH, NOTE_SIZE, max_lines=SETTINGS_LINES)}\n{sources}" if settings else sources


def plan_cited(source: dict[str, str]) -> str:
    """A plan's source as a note cites it: ``publisher, date`` (the publisher in the current
    language: "as mirrored", "via" translated), or "".
    """
    who = _(str(source.get("publisher") or "").strip())
    return ", ".join(filter(None, (who, source.get("date"))))


def stated(x: float) -> str:
    """A number as a target states it, shortest form with thousands separators, in the current
    language: ``15``, ``2.5``, ``1,500`` (``2,5``, ``1 500`` in Czech).
    """
    text = f"{x:,g}"
    return text.replace(",", "\u00a0").replace(".", ",").replace("-", "\u2212") if language() == "cs" else text


def target_text(t: Target) -> str:
    """Describe a target as stated, in its own unit (its marker sits at the converted value)."""
    v = f"{stated(t.low)}{D}{stated(t.high)}" if t.is_range else stated(t.low)
    text = (
        _("{value} % of GDP").format(value=v).replace(" %", P) if t.unit == "pct_gdp" else money(v, t.unit[:3].upper())
    )
    return _("{target} ({year} prices)").format(target=text, year=t.base_year) if t.prices == "constant" else text


def subtitle(what: str, title: str) -> str:
    """The one-line subtitle: what is shown, then the scenario's title (in the current language where
    the catalog has it: a user's own title stays as written), cut to one line.
    """
    text = _("{what} · Scenario: {title}").format(what=what, title=one_line(_(title.strip())))
    return fit(text, LINE_WIDTH, SUBTITLE_SIZE, max_lines=1)


def money_note(c: Country) -> str:
    """How the history in US dollars is made, where it draws on more than one publisher, or ""."""
    share, gdp, fx = publisher(c, "defense_pct_gdp"), publisher(c, f"gdp_{c.cur}_bn"), publisher(c, f"{c.cur}_per_usd")
    if len({share, gdp, fx} - {""}) <= 1:
        return ""
    if not fx:
        return _("History in dollars: {share} share of GDP x {gdp} GDP.").format(share=share, gdp=gdp)
    return _("History in dollars: {share} share of GDP x {gdp} GDP, at {fx} exchange rates.").format(
        share=share, gdp=gdp, fx=fx
    )


def assumptions(df: pd.DataFrame, s: Scenario) -> str:
    """The path, exchange rate and GDP assumptions of a projection, in sentences (for the note)."""
    c, t0, end = s.data, s.data.last_data_year, s.end_year
    last = s.targets[-1].year if s.targets else t0
    path = {  # whole sentences: the unit's case differs by language
        "usd_bn": _("Path from {year} through each target: {method} in US dollars."),
        "pct_gdp": _("Path from {year} through each target: {method} in share of GDP."),
    }.get(s.path_unit) or _("Path from {year} through each target: {method} in {unit}.")
    method = {"linear": _("a straight line"), "geometric": _("constant yearly growth"), "step": _("steps")}
    parts = [
        path.format(year=t0, method=method.get(s.method, s.method), unit=currency(c.currency))
        if s.targets
        else _("No targets.")
    ]
    if last < end:
        after = {
            "hold_share": _("After {year} the share of GDP is held."),
            "hold_real": _("After {year} the real amount is held."),
            "stop": _("The path stops after {year}."),
        }
        parts.append(after[s.after_last].format(year=last))
    if (spent := execution_pct(s)) is not None:  # the path is the spending expected of the plan
        parts.append(_("Projection: {rate} % of the plan (execution rate).").format(rate=num(spent)))
    rate = df[f"{c.cur}_per_usd"]
    if abs(rate[end] - rate[t0]) < 1e-9:
        held = _("{rate} {currency}/USD held (the {year} average).")
        parts.append(held.format(rate=num(rate[t0]), currency=c.currency, year=t0))
    elif abs(rate[end] - rate[t0 + 1]) < 1e-9:
        parts.append(
            _("{rate} {currency}/USD from {year} on.").format(rate=num(rate[end]), currency=c.currency, year=t0 + 1)
        )
    else:
        parts.append(
            _("{currency}/USD {first} in {year} to {last} in {end}.").format(
                currency=c.currency, first=num(rate[t0 + 1]), year=t0 + 1, last=num(rate[end]), end=end
            )
        )
    proj = df.loc[t0 + 1 : end]
    imf = proj.index[proj["economy_status"] == "projection"]
    own = proj[proj["economy_status"] == "assumption"]
    gdp = short_source(c.source_of(f"gdp_{c.cur}_bn"))
    if len(own):
        growth, inflation = num(own["real_gdp_growth_pct"].iloc[-1]), num(own["deflator_growth_pct"].iloc[-1])
        template = (
            _("GDP: {source} to {year}, then {growth} % real growth and {inflation} % GDP-deflator inflation a year.")
            if len(imf)
            else _("GDP: {growth} % real growth and {inflation} % GDP-deflator inflation a year.")
        )
        year = imf.max() if len(imf) else ""
        parts.append(template.format(source=gdp, year=year, growth=growth, inflation=inflation))
    elif len(imf):
        parts.append(_("GDP: {source} to {year}.").format(source=gdp, year=imf.max()))
    return " ".join(parts).replace(" %", P)
