"""Summary sections on uncertainty and assumptions: the simulation, what drives it, the
sensitivity, the exchange-rate step a scenario sets, the assumptions and the sources.

Part of ``summary.md`` (``budget.tables.summary_markdown`` puts the sections together), in the
current language (``budget.i18n``); every number is formatted by ``budget.formats``.
"""

from __future__ import annotations

import math
from typing import cast

import pandas as pd

from budget.formats import as_float, num, span
from budget.history import load_sources
from budget.i18n import _, billions, currency, ngettext, pgettext, short
from budget.pledges import lines_for, pledge_sources
from budget.scenario import Scenario
from budget.uncertainty import driver_label
from budget.verdicts import end_word, in_unit, unit_words


def _share_of_draws(x: float) -> str:
    """A probability (0-1) as a whole percentage of draws, or n/a."""
    return _("n/a") if math.isnan(x) else _("{percent}%").format(percent=num(100 * x, 0))


def _signed(x: float, digits: int = 1) -> str:
    """A change with its sign: ``+1.5``, ``-0.3`` (``0.0`` unsigned)."""
    text = num(x, digits)
    return f"+{text}" if text.strip("0.,") and x > 0 else text


def _drawn(s: Scenario, draws: int, seed: object) -> str:
    """The first sentence of the uncertainty section: the draws and what is drawn."""
    from budget.uncertainty import sds

    sd = sds(s)
    figures = {
        "draws": num(draws, 0),
        "seed": seed,
        "real": num(sd["real_growth_sd_pct"], 2),
        "deflator": num(sd["deflator_growth_sd_pct"], 2),
        "rate": num(sd["local_per_usd_sd_pct"], 2),
        "currency": currency(s.data.currency),
        "model": _rate_model(s),
    }
    return ngettext(
        "{draws} draw (seed {seed}) of real growth (sd {real} points a year), deflator growth (sd {deflator}) "
        "and {currency} per USD ({model}, yearly shocks with sd {rate} %).",
        "{draws} draws (seed {seed}) of real growth (sd {real} points a year), deflator growth (sd {deflator}) "
        "and {currency} per USD ({model}, yearly shocks with sd {rate} %).",
        draws,
    ).format(**figures)


def uncertainty_section(sim: pd.DataFrame, s: Scenario, drv: pd.DataFrame | None = None) -> list[str]:
    """Percentiles, the probability of meeting each level, and what drives each probability."""
    years = [y for y in (2030, 2035) if y in sim.index]
    target = (
        _("The plan's path is set in a share of GDP, so the amount in money is what varies.")
        if s.path_unit == "pct_gdp"
        else _("The plan's path is set in money, so its share of GDP is what varies.")
    )
    head = [
        _("Year"),
        _("Range end"),
        _("% of GDP, p05-p95 (median)"),
        _("{unit}, p05-p95 (median)").format(unit=billions("USD")),
    ]
    out = [
        "## " + _("Uncertainty"),
        "",
        " ".join(
            (
                _drawn(s, int(sim.attrs.get("draws", 0)), sim.attrs.get("seed", "")),
                target,
                _("5th-95th percentiles (median), low-high end of the range."),
            )
        ),
        "",
        "| " + " | ".join(head) + " |",
        "|---|---|---|---|",
    ]

    def percentiles(r: dict[str, float], stem: str, end: str, digits: int) -> str:
        low, high = (num(r[f"{stem}_p{p}_{end}"], digits) for p in ("05", "95"))
        both = _("{low}-{high}").format(low=low, high=high)
        return f"{both} ({num(r[f'{stem}_p50_{end}'], digits)})"

    for y in years:
        for end in ("low", "high"):
            r = {str(k): as_float(v) for k, v in sim.loc[y].items()}
            out.append(
                f"| {y} | {end_word(end)} | {percentiles(r, 'defense_pct_gdp', end, 2)} | "
                f"{percentiles(r, 'defense_usd_bn', end, 1)} |"
            )
    if drv is None or drv.empty:
        return out + [""]
    names = {ln.id: ln for ln in lines_for(s.data)}
    head = [
        _("Line"),
        _("Year"),
        _("Range end"),
        _("All drawn"),
        _("Real growth held"),
        _("Deflator held"),
        _("Exchange rate held"),
    ]
    out += [
        "",
        _(
            "Probability of meeting each line's level (share of draws at or above it), with every driver drawn and "
            "with one driver held at its central path: where holding a driver moves the probability most, the "
            "probability mostly reflects that driver."
        ),
        "",
        "| " + " | ".join(head) + " |",
        "|---|---|---|---:|---:|---:|---:|",
    ]
    for key, held in drv.iterrows():
        line_id, end = cast(tuple[str, str], key)
        r = {str(k): as_float(v) for k, v in held.items()}
        cells = [r[c] for c in ("all_drawn", "real_growth_held", "deflator_growth_held", "exchange_rate_held")]
        out.append(
            f"| {_(names[line_id].label)} | {int(r['year'])} | {end_word(end)} | "
            + " | ".join(map(_share_of_draws, cells))
            + " |"
        )
    top = drv.dropna()
    if not top.empty:
        moves = (
            top[["real_growth_held", "deflator_growth_held", "exchange_rate_held"]].sub(top["all_drawn"], axis=0).abs()
        )
        line_id, end = cast(tuple[str, str], moves.max(axis=1).idxmax())
        driver = as_float(moves.max(axis=1).max())
        held_words = {
            "real_growth_held": _("real growth"),
            "deflator_growth_held": _("deflator growth"),
            "exchange_rate_held": _("exchange rate"),
        }
        name = held_words[str(moves.idxmax(axis=1)[(line_id, end)])]
        if driver >= 0.05:
            points = round(driver * 100)
            sentence = ngettext(
                "The largest single contribution: holding {driver} at its path moves the probability of meeting "
                "the {line} level ({end}) by {points} percentage point.",
                "The largest single contribution: holding {driver} at its path moves the probability of meeting "
                "the {line} level ({end}) by {points} percentage points.",
                points,
            )
            out += [
                "",
                sentence.format(
                    driver=name,
                    line=_(names[line_id].short_label),
                    end=_("low end") if end == "low" else _("high end"),
                    points=points,
                ),
            ]
    return out + [""]


def _rate_model(s: Scenario) -> str:
    if s.exchange_rate_model == "random_walk":
        return _("a random walk: deviations from the path never fade")
    half = s.local_per_usd_half_life_years
    if float(half).is_integer():
        return ngettext(
            "mean-reverting: a deviation from the path halves in {years} year, after Rogoff 1996",
            "mean-reverting: a deviation from the path halves in {years} years, after Rogoff 1996",
            int(half),
        ).format(years=short(half))
    return pgettext(
        "a fraction of a year", "mean-reverting: a deviation from the path halves in {years} years, after Rogoff 1996"
    ).format(years=short(half))


def sensitivity_section(sens: pd.DataFrame) -> list[str]:
    """The sensitivity table (``budget.uncertainty.sensitivity``) at both range ends."""
    metric = sens.columns[0].rsplit("_", 1)[0]
    year = metric.rsplit("_", 1)[1]
    if metric.startswith("pct_gdp"):
        label, unit = _("share of GDP in {year}").format(year=year), _("% of GDP")
    else:
        label, unit = _("{unit} in {year}").format(unit=billions("USD"), year=year), billions("USD")
    first, last = _years(sens)
    head = [
        _("Driver"),
        _("Range end"),
        _("{figure}: down").format(figure=label[:1].upper() + label[1:]),
        _("base"),
        _("up"),
        _("Procurement: down"),
        _("up"),
    ]
    out = [
        "## " + _("Sensitivity"),
        "",
        _(
            "One driver at a time, one standard deviation down and up (procurement share: low to high share), at "
            "each end of the range: the {figure} ({unit}) and procurement summed over {years} ({money}, current "
            "prices)."
        ).format(
            figure=label,
            unit=unit,
            years=_("{low}-{high}").format(low=first, high=last) if first else "",
            money=billions("USD"),
        ),
        "",
        "| " + " | ".join(head) + " |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    digits = 2 if "pct" in metric else 1
    for key, r in sens.iterrows():
        driver, end = cast(tuple[str, str], key)
        v = r.to_numpy(dtype=float)
        cells = [driver_label(driver), end_word(end), *(num(x, digits) for x in v[:3]), num(v[3]), num(v[5])]
        out.append("| " + " | ".join(cells) + " |")
    return out + [""]


def _years(sens: pd.DataFrame) -> tuple[str, str]:
    """The first and last year procurement is summed over (``procurement_years``, ``2026-2035``)."""
    first, _sep, last = str(sens.attrs.get("procurement_years", "")).partition("-")
    return first, last


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
        "- "
        + _(
            "The scenario sets the exchange rate at {rate} {currency} per USD from {year} (economy.{key}), a "
            "one-year step of {step} % from the {t0} average of {before}; with it, spending in {currency} changes "
            "by {jump} % in {year}. The step is the scenario's assumption, not a forecast."
        ).format(
            rate=num(rate[t0 + 1], 2),
            currency=currency(c.currency),
            year=t0 + 1,
            key=f"{c.cur}_per_usd",
            step=_signed(step),
            t0=t0,
            before=num(rate[t0], 2),
            jump=_signed(jump),
        )
    ]


def _targets(s: Scenario) -> str:
    """The scenario's targets in words: ``2030: 15.00 USD bn; 2035: 23.00-25.00 USD bn``."""
    out = []
    for t in s.targets:
        stated = in_unit(span(t.low, t.high, 2), t.unit, s.data.currency)
        if t.base_year:
            stated = _("{stated} at {year} prices").format(stated=stated, year=t.base_year)
        out.append(_("{year}: {stated}").format(year=t.year, stated=stated))
    return "; ".join(out) if out else _("none")


def _path(s: Scenario) -> str:
    """How the path joins the targets and what follows the last one, in words."""
    methods = {"linear": _("linear"), "geometric": _("geometric"), "step": _("stepwise")}
    after = {
        "hold_share": _("the share of GDP is held"),
        "hold_real": _("the real amount is held"),
        "stop": _("the path stops"),
    }
    return _("Path: {method}, in {unit}; after the last target {after}.").format(
        method=methods.get(s.method, s.method),
        unit=unit_words(s.path_unit, s.data.currency),
        after=after.get(s.after_last, s.after_last),
    )


def assumptions_section(df: pd.DataFrame, s: Scenario) -> list[str]:
    """History, targets, GDP, exchange rate and price basis, each with the data's source."""
    c, t0 = s.data, s.data.last_data_year
    rate = df[f"{c.cur}_per_usd"]
    assumed = df.index[df["economy_status"] == "assumption"]
    src = load_sources()

    def source(indicator: str) -> str:  # publisher and title of the data behind an indicator
        x = src[c.source_of(indicator)]
        return f"{x.publisher}, {x.title}"

    known = int(df.index[df["economy_status"] != "assumption"].max())
    if len(assumed):
        gdp = _(
            "GDP: {source} (actuals and projections) to {year}, then {growth} % real growth and {deflator} % "
            "deflator growth a year from {first}."
        ).format(
            source=source(f"gdp_{c.cur}_bn"),
            year=known,
            growth=num(df.loc[assumed[0], "real_gdp_growth_pct"], 2),
            deflator=num(df.loc[assumed[0], "deflator_growth_pct"], 2),
            first=assumed[0],
        )
    else:
        gdp = _("GDP: {source} (actuals and projections) to {year}.").format(
            source=source(f"gdp_{c.cur}_bn"), year=known
        )
    return [
        "## " + _("Assumptions"),
        "",
        "- "
        + _(
            "History {first}-{last}: defense share of GDP ({source}) x nominal GDP, converted at the annual average "
            "exchange rate."
        ).format(first=int(df.index.min()), last=t0, source=source("defense_pct_gdp")),
        "- " + _("Targets: {targets}.").format(targets=_targets(s)) + " " + _path(s),
        "- " + gdp,
        "- "
        + _("{currency} per USD ({source}): {rate0} in {year0}, {rate1} in {year1}, {rate2} in {year2}.").format(
            currency=currency(c.currency),
            source=source(f"{c.cur}_per_usd"),
            rate0=num(rate.loc[t0], 3),
            year0=t0,
            rate1=num(rate.loc[t0 + 1], 3),
            year1=t0 + 1,
            rate2=num(rate.iloc[-1], 3),
            year2=int(df.index.max()),
        ),
        "- "
        + _("Constant-price columns are at {year} prices and exchange rate.").format(
            year=int(df["prices_base_year"].iloc[0])
        ),
    ]


def sources_markdown(s: Scenario) -> list[str]:
    """Markdown list of the data sources and the plan's source (titles as published)."""
    src = load_sources()
    ids = [*s.data.source_ids(), *pledge_sources(s.data)]
    out = ["## " + _("Sources"), ""]
    for i in dict.fromkeys(ids):
        x = src[i]
        out.append(
            "- "
            + _("{publisher}, *{title}*, {published}, <{url}> (accessed {accessed}).").format(
                publisher=x.publisher, title=x.title, published=x.published, url=x.url, accessed=x.accessed
            )
        )
    p = s.plan_source
    if p:
        note = _(p.get("note", ""))
        out.append(
            "- "
            + _("Plan: {publisher}, *{title}*, {date}, <{url}>. {note}")
            .format(
                publisher=p.get("publisher", ""),
                title=p.get("title", ""),
                date=p.get("date", ""),
                url=p.get("url", ""),
                note=note,
            )
            .rstrip()
        )
    if s.data.notes:
        out += ["", _("About the data for {country}:").format(country=_(s.data.name)), ""]
        out += [f"- {_(n)}" for n in s.data.notes]
    gaps = s.data.gaps
    if gaps:
        out += ["", _("Missing data (left missing, not filled in):"), ""] + [f"- {_(g)}" for g in gaps]
    return out
