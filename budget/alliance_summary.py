"""Alliance summary: ``summary.md`` of an alliance run (sentences, the member table, notes and
sources), in the current language (``budget.i18n``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from budget.aggregate import ENDS, data_sources
from budget.alliance_file import Alliance
from budget.alliance_tables import group_figures, rule_text
from budget.formats import num, span
from budget.history import load_country, load_sources
from budget.i18n import _, billions, money, ngettext, short
from budget.pledges import lines_for
from budget.verdicts import status_word


def _money(low: float, high: float) -> str:
    return money(span(low, high, 0), "USD")


def _share(low: float, high: float) -> str:
    return _("{share} % of GDP").format(share=span(low, high, 2))


def _part(tot: pd.DataFrame, gid: str) -> pd.DataFrame:
    """One group's yearly totals out of ``totals`` (indexed by year)."""
    part = tot.xs(gid, level="group")
    assert isinstance(part, pd.DataFrame)
    return part


def _at(frame: pd.DataFrame, row: object, column: str) -> float:
    return float(np.asarray(frame.at[row, column], dtype=float))


def _pair(frame: pd.DataFrame, year: int, stem: str) -> tuple[float, float]:
    return _at(frame, year, f"{stem}_low"), _at(frame, year, f"{stem}_high")


def _name(key: object) -> str:
    """A member's name in the current language."""
    return _(load_country(str(key)).name)


def _group_line(a: Alliance, n: int) -> str:
    """The group, its members with data and those left out (no defense share in the data)."""
    group = _(a.group.label)
    if not a.left_out:
        return ngettext("Group: {group}, {n} member with data.", "Group: {group}, {n} members with data.", n).format(
            group=group, n=n
        )
    left = "; ".join(
        _("{country}: no defense share in the data (NATO publishes none)").format(country=_name(k)) for k in a.left_out
    )
    return ngettext(
        "Group: {group}, {n} member with data; left out: {left}.",
        "Group: {group}, {n} members with data; left out: {left}.",
        n,
    ).format(group=group, n=n, left=left)


def summary_markdown(a: Alliance, table: pd.DataFrame, tot: pd.DataFrame, sim: pd.DataFrame | None = None) -> str:
    """The alliance's key figures as sentences a reporter can quote, then the member table, in
    the current language (``budget.i18n``).
    """
    g = _part(tot, a.group.id)
    last = table["last_data_year"].astype(int)
    t_common = int(last.min())
    end, start = a.end_year, a.cumulative_from
    fig = group_figures(a, g)
    lines = [f"# {_(a.title)}", "", _(a.description), "", _group_line(a, len(table))]
    late = [_name(k) for k in table.index[last < int(last.max())]]
    if late:
        lines.append(
            _("NATO's latest figures end in {year} for {countries}: their rule applies from {next}.").format(
                year=t_common, countries=", ".join(late), next=t_common + 1
            )
        )
    above = [
        _name(k)
        for k, r in a.rules.items()
        if r.kind == "path" and r.level_pct_gdp is not None and _at(table, k, "last_share_pct_gdp") > r.level_pct_gdp
    ]
    if above:
        lines.append(
            _(
                "Already above their path's level, {countries} move down to it on these paths "
                "(a straight path to the level, not 'at least')."
            ).format(countries=", ".join(above))
        )
    lines += ["", "## " + _("Key figures"), ""]
    lines.append(
        "- "
        + _(
            "**{year}** (the last year with a NATO figure for every member): the group spent {usd}, {share} % of "
            "its GDP (total spending over total GDP, both in USD at current prices; each member's spending is "
            "NATO's share of GDP times IMF GDP, converted at annual average rates, not NATO's own USD table)."
        ).format(
            year=t_common,
            usd=money(num(_at(g, t_common, "defense_usd_bn_high"), 0), "USD"),
            share=num(_at(g, t_common, "defense_pct_gdp_high"), 2),
        )
    )
    for year in (2030, end):
        lines.append(
            "- "
            + _(
                "**{year}** under the members' rules: {usd} (current prices), {share}; holding every member's last "
                "share instead: {hold}, {hold_share} %."
            ).format(
                year=year,
                usd=_money(*_pair(g, year, "defense_usd_bn")),
                share=_share(*_pair(g, year, "defense_pct_gdp")),
                hold=money(num(_at(g, year, "hold_usd_bn"), 0), "USD"),
                hold_share=num(_at(g, year, "hold_pct_gdp"), 2),
            )
        )
    lines.append(
        "- "
        + _(
            "**Extra cost {start}-{end}** against holding every member's last share: {usd} in total (sum of the "
            "yearly differences, current prices)."
        ).format(start=start, end=end, usd=_money(fig["extra_low"], fig["extra_high"]))
    )
    p0, p1 = a.procurement_window
    lines.append(
        "- "
        + _(
            "**Procurement market {first}-{last}** at {low}-{high} % of spending (low share of the low end to high "
            "share of the high end): {usd}."
        ).format(
            first=p0,
            last=p1,
            low=short(a.procurement_low_pct),
            high=short(a.procurement_high_pct),
            usd=_money(fig["procurement_low"], fig["procurement_high"]),
        )
    )
    for sub in a.subgroups:
        if sub.id in tot.index.get_level_values("group"):
            sg = _part(tot, sub.id)
            sf = group_figures(a, sg)
            n = int(sg["members"].iloc[0])
            lines.append(
                "- "
                + ngettext(
                    "**{group}** ({n} member): {share} in {end}; extra cost {start}-{end} {extra}; procurement "
                    "{first}-{last} {procurement}.",
                    "**{group}** ({n} members): {share} in {end}; extra cost {start}-{end} {extra}; procurement "
                    "{first}-{last} {procurement}.",
                    n,
                ).format(
                    group=_(sub.label),
                    n=n,
                    share=_share(*_pair(sg, end, "defense_pct_gdp")),
                    end=end,
                    start=start,
                    extra=_money(sf["extra_low"], sf["extra_high"]),
                    first=p0,
                    last=p1,
                    procurement=_money(sf["procurement_low"], sf["procurement_high"]),
                )
            )
    if sim is not None:
        lines += ["", "## " + _("Uncertainty (the group's own draws)"), ""]
        lines += _uncertainty_lines(a, sim)
    lines += ["", "## " + _("Members"), "", _member_markdown(a, table), ""]
    lines += _notes(a)
    return "\n".join(lines) + "\n"


def stat_label(a: Alliance, stat: str) -> str:
    """A simulation statistic in words, e.g. ``share_pct_gdp_p05`` -> "Group share of GDP in 2035, 5th percentile"."""
    if stat.startswith("prob_meets_"):
        line = next((ln for k in a.members for ln in lines_for(load_country(k)) if ln.id == stat[11:]), None)
        name = _(line.short_label) if line else stat[11:]
        return _("Probability that the group share reaches the {line} level in {year}").format(
            line=name, year=a.end_year
        )
    figure, _sep, pct = stat.rpartition("_")
    figures = {
        "share_pct_gdp": _("Group share of GDP in {end}"),
        "spending_usd_bn": _("Group spending in {end}"),
        "cumulative_extra_usd_bn": _("Extra cost {start}-{end} against holding shares"),
    }
    percentiles = {"p05": _("5th percentile"), "p50": _("median"), "p95": _("95th percentile")}
    text = figures.get(figure, figure).format(start=a.cumulative_from, end=a.end_year)
    return _("{figure}, {statistic}").format(figure=text, statistic=percentiles.get(pct, pct))


def _stat_unit(stat: str, unit: str) -> str:
    """The unit of a simulation statistic in words (the table's unit column)."""
    if stat.startswith("prob_"):
        return _("share of draws")
    if stat.startswith("share_pct_gdp"):
        return _("% of GDP")
    if stat.startswith(("spending_usd_bn", "cumulative_extra_usd_bn")):
        return _("{unit}, current prices").format(unit=billions("USD"))
    return unit


def _uncertainty_lines(a: Alliance, sim: pd.DataFrame) -> list[str]:
    draws = sim.attrs.get("draws")
    corr = sim.attrs.get("correlation")
    words = {"real_growth": _("real growth"), "deflator_growth": _("inflation"), "exchange_rate": _("exchange rates")}
    average = (
        _(
            "Average correlation between two members' shocks, estimated from the data: {correlations} "
            "(`correlations.csv`)."
        ).format(correlations=", ".join(f"{words.get(d, d)} {num(v, 2)}" for d, v in corr.average.items()))
        if corr is not None
        else ""
    )
    drawn = (
        ngettext(
            "{draws} draw with correlated shocks to every member's real growth, inflation and exchange rate; each "
            "figure is computed on the group's own draws, never by adding members' percentiles.",
            "{draws} draws with correlated shocks to every member's real growth, inflation and exchange rate; each "
            "figure is computed on the group's own draws, never by adding members' percentiles.",
            int(draws),
        ).format(draws=num(float(draws), 0))
        if draws
        else _(
            "Draws with correlated shocks to every member's real growth, inflation and exchange rate; each figure is "
            "computed on the group's own draws, never by adding members' percentiles."
        )
    )
    kept = _(
        "Plans enter as their central share of GDP; straight paths and held shares keep their share in every draw, "
        "so only the weights of members in the group share move."
    )
    head = [_("Figure"), _("Unit"), _("Low end of the plans"), _("High end of the plans")]
    out = [
        " ".join(x for x in (drawn, kept, average) if x),
        "",
        "| " + " | ".join(head) + " |",
        "|---|---|---|---|",
    ]
    wide = sim.pivot_table(index=["statistic", "unit"], columns="end", values="value", sort=False)
    for (stat, unit), r in zip(wide.index.tolist(), wide.to_dict("records"), strict=True):
        prob = str(stat).startswith("prob_")
        cells = [
            _("{percent} %").format(percent=num(100 * float(r.get(e, np.nan)), 0))
            if prob
            else num(float(r.get(e, np.nan)), 2)
            for e in ENDS
        ]
        out.append(f"| {stat_label(a, str(stat))} | {_stat_unit(str(stat), str(unit))} | {cells[0]} | {cells[1]} |")
    return out


def _member_markdown(a: Alliance, t: pd.DataFrame) -> str:
    end, start = a.end_year, a.cumulative_from
    head = [
        _("Member"),
        _("Last figure (% of GDP)"),
        _("{year} (% of GDP)").format(year=2030),
        _("{year} (% of GDP)").format(year=end),
        _("{year} ({unit})").format(year=end, unit=billions("USD")),
        _("Extra {start}-{end} vs holding ({unit})").format(start=start, end=end, unit=billions("USD")),
        _("Rule"),
    ]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for key, r in t.sort_values("last_share_pct_gdp", ascending=False).iterrows():
        cells = [
            _name(key),
            _("{share} ({year}, {status})").format(
                share=num(r["last_share_pct_gdp"], 2), year=r["last_data_year"], status=status_word(r["last_status"])
            ),
            span(r["share_2030_pct_gdp_low"], r["share_2030_pct_gdp_high"], 2),
            span(r[f"share_{end}_pct_gdp_low"], r[f"share_{end}_pct_gdp_high"], 2),
            span(r[f"defense_{end}_usd_bn_low"], r[f"defense_{end}_usd_bn_high"], 1),
            span(r[f"extra_{start}_{end}_usd_bn_low"], r[f"extra_{start}_{end}_usd_bn_high"], 1),
            rule_text(a.rules[str(key)]),
        ]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def _notes(a: Alliance) -> list[str]:
    out = ["## " + _("Assumptions"), ""]
    if a.exchange_rates == "constant_real":
        fx = _(
            "Exchange rates after the data: each currency moves against the US dollar with its GDP deflator relative "
            "to the US one (constant real rates). Constant prices: {year} prices and exchange rates."
        )
    else:
        fx = _(
            "Exchange rates after the data: nominal rates held at the last data year's. Constant prices: {year} "
            "prices and exchange rates."
        )
    out.append("- " + fx.format(year=a.prices_base_year))
    out.append(
        "- "
        + _("A straight path in share of GDP is our assumption; The Hague asks for 'a credible, incremental path'.")
    )
    out.append(
        "- "
        + _(
            "Resilience (The Hague's up to 1.5 % of GDP) is not modelled here: shares are core defense "
            "(NATO definition)."
        )
    )
    out.append("- " + _("Group shares are total spending over total GDP, never an average of members' shares."))
    notes = [f"- {_name(k)}: {_(n)}" for k in a.members for n in load_country(k).notes]
    if notes:
        out += ["", "## " + _("About the data"), "", *notes]
    out += ["", "## " + _("Sources"), ""]
    src = load_sources()
    for i in sources(a):
        s = src[i]
        out.append(f"- {s.publisher}: {s.title} ({s.published}) {s.url}".rstrip())
    for key, rule in a.rules.items():
        if rule.plan is not None and rule.plan.plan_source:
            p = rule.plan.plan_source
            out.append(
                (
                    "- "
                    + _("Plan of {country}: {publisher}, {title} ({date}) {url}").format(
                        country=_name(key),
                        publisher=p.get("publisher", ""),
                        title=p.get("title", ""),
                        date=p.get("date", ""),
                        url=p.get("url", ""),
                    )
                ).rstrip()
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
