"""The words of the fiscal room (``budget.fiscal``): the ``summary.md`` section and the sentences the
chart shares with it (the financing mix, the simplifications, dates, a loan's status).

Every sentence passes through ``_`` (``budget.i18n``) whole, with named placeholders; numbers go
through ``budget.formats``.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING

from budget.fiscal import (
    Clause,
    Loan,
    Mix,
    baseline,
    clause_verdict,
    clauses_for,
    fiscal_frame,
    fiscal_sources,
    has_fiscal,
    loan_amounts,
    loans_for,
    mix,
    shown_years,
)
from budget.formats import as_float, num, span
from budget.history import load_sources
from budget.i18n import N_, _, billions, language, money, short
from budget.scenario import Scenario

if TYPE_CHECKING:
    import pandas as pd

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")  # fmt: skip
LOAN_STATUS = {"tentative allocation": N_("a tentative allocation"), "allocation": N_("an allocation")}


def date_text(d: dt.date) -> str:
    """A date in running text: ``8 July 2025`` / ``8. 7. 2025``."""
    return f"{d.day}. {d.month}. {d.year}" if language() == "cs" else f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def mix_text(m: Mix) -> str:
    """The financing mix in words."""
    return _("{borrowing} % borrowed, {revenue} % from higher revenue, {other} % from cuts to other spending").format(
        borrowing=short(m.borrowing), revenue=short(m.revenue), other=short(m.other_spending)
    )


def simplifications(last: int) -> str:
    """What the fiscal figures leave out, in one paragraph (``last``: the IMF's last year)."""
    return _(
        "Simplifications: no interest on the added debt and no effect on growth or revenue; the IMF's baseline "
        "ratios are used as published and held at their {year} values after {year} (our assumption); the IMF baseline "
        "may already include part of a planned increase, which would then be counted twice."
    ).format(year=last)


def verdict(k: Clause, low_year: int | None, high_year: int | None) -> str:
    """Whether the rise stays within the clause's cap, at both ends of the range."""
    if low_year is None and high_year is None:
        return _("within the cap in every year of the clause")
    if low_year == high_year:
        return _("above the cap from {year}").format(year=high_year)
    if low_year is None:
        return _("above the cap from {year} at the high end, within it at the low end").format(year=high_year)
    return _("above the cap from {high} at the high end and from {low} at the low end").format(
        high=high_year, low=low_year
    )


def _ends(frame: pd.DataFrame, column: str, year: int, digits: int) -> str:
    return span(as_float(frame.loc[year, f"{column}_low"]), as_float(frame.loc[year, f"{column}_high"]), digits)


def balance_phrase(frame: pd.DataFrame, year: int) -> str:
    """The balance with the path in ``year`` against the baseline: as a deficit where every figure is one."""
    low, high = (
        as_float(frame.loc[year, "gg_balance_pct_gdp_low"]),
        as_float(frame.loc[year, "gg_balance_pct_gdp_high"]),
    )
    base = as_float(frame.loc[year, "gg_balance_baseline_pct_gdp"])
    if max(low, high, base) < 0:
        return _("the deficit in {year} is {deficit} % of GDP (IMF baseline {base} %)").format(
            year=year, deficit=span(-high, -low, 1), base=num(-base, 1)
        )
    return _("the balance in {year} is {balance} % of GDP (IMF baseline {base} %; - = deficit)").format(
        year=year, balance=span(low, high, 1), base=num(base, 1)
    )


def clause_sentences(k: Clause, frame: pd.DataFrame, country: str) -> list[str]:
    """The clause's rule, the path's rise against its cap, and the caveats."""
    low, high, low_year, high_year = clause_verdict(frame, k)
    rise = span(low, high, 2)
    text = _(
        "The {clause} (activated for {country} on {date}) lets defense spending rise by up to {cap} % of GDP a "
        "year over its {base} level in {first}-{last} without breaching the net expenditure path. On this path "
        "the rise since {base} is {rise} % of GDP in {last}: {verdict}. After {last} the clause gives no room "
        "unless the Council extends it, and it never caps the deficit."
    ).format(
        clause=_(k.label), country=country, date=date_text(k.activated), cap=short(k.cap_pct_gdp),
        base=k.baseline_year, first=k.first, last=k.last, rise=rise, verdict=verdict(k, low_year, high_year),
    )  # fmt: skip
    caveat = _(
        "The clause counts general-government defense spending as classified by COFOG (division 02); the rise "
        "here is on NATO's definition, so the comparison is indicative."
    )
    if k.baseline_single_source:
        caveat += " " + _(
            "That the rise is measured against {year} rests on a single secondary source (a press report of the "
            "Commission's communication)."
        ).format(year=k.baseline_year)
    return [text, caveat]


def loan_sentence(loan: Loan, df: pd.DataFrame, code: str, cur: str) -> str:
    """A loan allocation as money and as % of GDP, and what it is (financing, inside the cap)."""
    local, usd, share = loan_amounts(loan, df, cur)
    amount = money(num(loan.eur_bn, 2), "EUR")
    if not math.isnan(share):
        amount = _("{eur} ({local}, {usd}; {share} % of {year} GDP)").format(
            eur=amount, local=money(num(local, 1), code), usd=money(num(usd, 1), "USD"), share=num(share, 2),
            year=loan.date.year,
        )  # fmt: skip
    text = _("{label}: {status} of {amount} on {date}, for the instrument's whole life, not a year.").format(
        label=_(loan.label), status=_(LOAN_STATUS.get(loan.status, N_("an allocation"))), amount=amount,
        date=date_text(loan.date),
    )  # fmt: skip
    text += " " + _("A loan pays for spending but adds to the debt like any borrowing.")
    if loan.inside_cap:
        text += " " + (
            _("These loans count inside the escape clause's deviation, not on top of it (single source).")
            if loan.inside_cap_single_source
            else _("These loans count inside the escape clause's deviation, not on top of it.")
        )
    return text


def fiscal_section(s: Scenario, df: pd.DataFrame, frame: pd.DataFrame | None = None) -> list[str]:
    """``summary.md``'s "Fiscal room" section (empty where the data hold no general-government series)."""
    c = s.data
    if not has_fiscal(c):
        return []
    frame = fiscal_frame(s, df) if frame is None else frame
    cur, code, t0, end = c.cur, c.currency, c.last_data_year, s.end_year
    m = mix(s)
    last = baseline(c, frame.index.to_numpy())[2]
    years = shown_years(frame, end)
    src = load_sources()[c.source_of("gg_gross_debt_pct_gdp")]
    out = ["## " + _("Fiscal room"), ""]
    out.append(
        _(
            "What the path adds to general-government spending against holding the {year} share of GDP "
            "({share} %), and the balance and gross debt with it, on the general-government baseline of {source}. "
            "Financing: {mix}."
        ).format(
            year=t0,
            share=num(as_float(df.loc[t0, "defense_pct_gdp"]), 2),
            source=src.short or src.title,
            mix=mix_text(m),
        )
    )
    out.append("")
    y = years[-1] if years else end
    out.append(
        "- "
        + _(
            "In {year} the path adds **{extra} % of GDP** to defense spending against holding the {t0} share: "
            "{local}, or {usd}."
        ).format(
            year=y,
            extra=_ends(frame, "extra_pct_gdp", y, 2),
            t0=t0,
            local=money(_ends(frame, f"extra_{cur}_bn", y, 0), code),
            usd=money(_ends(frame, "extra_usd_bn", y, 1), "USD"),
        )
    )
    debt = _ends(frame, "gg_debt_pct_gdp", y, 1)
    base_debt = num(as_float(frame.loc[y, "gg_debt_baseline_pct_gdp"]), 1)
    if m.borrowing > 0:
        line = _(
            "With {borrowing} % of it borrowed, {balance} and gross debt **{debt} % of GDP** (baseline {base_debt} %)."
        ).format(borrowing=short(m.borrowing), balance=balance_phrase(frame, y), debt=debt, base_debt=base_debt)
    else:
        line = _(
            "Nothing is borrowed: the balance and the debt stay on the IMF baseline ({balance} % and {debt} % "
            "of GDP in {year}; - = deficit)."
        ).format(balance=num(as_float(frame.loc[y, "gg_balance_baseline_pct_gdp"]), 1), debt=base_debt, year=y)
    out.append("- " + line)
    for k in clauses_for(c):
        out += ["- " + text for text in clause_sentences(k, frame, _(c.name))]
    out += ["- " + loan_sentence(loan, df, code, cur) for loan in loans_for(c)]
    out += ["- " + simplifications(last), ""]
    out += _table(frame, years, s)
    out += ["", _("Sources of this section:"), ""]
    for i in fiscal_sources(s):
        x = load_sources()[i]
        out.append(
            "- "
            + _("{publisher}, *{title}*, {published}, <{url}> (accessed {accessed}).").format(
                publisher=x.publisher, title=x.title, published=x.published, url=x.url, accessed=x.accessed
            )
        )
    return [*out, ""]


def _table(frame: pd.DataFrame, years: list[int], s: Scenario) -> list[str]:
    cur, code = s.data.cur, s.data.currency
    head = f"| {_('Figure')} | " + " | ".join(map(str, years)) + " |"
    out = [head, "|---|" + "---:|" * len(years)]
    rows: list[tuple[str, str, int]] = [
        (_("Extra defense spending, % of GDP"), "extra_pct_gdp", 2),
        (_("Extra defense spending, {unit}").format(unit=billions(code)), f"extra_{cur}_bn", 0),
        (_("Extra defense spending, {unit}").format(unit=billions("USD")), "extra_usd_bn", 1),
    ]
    for name, label in (
        ("expenditure", _("General government expenditure, % of GDP")),
        ("balance", _("Balance, % of GDP (- = deficit)")),
        ("debt", _("Gross debt, % of GDP")),
    ):
        rows += [(_("{figure}: IMF baseline").format(figure=label), f"gg_{name}_baseline_pct_gdp", 1)]
        rows += [(_("{figure}: with the path").format(figure=label), f"gg_{name}_pct_gdp", 1)]
    for k in clauses_for(s.data):
        label = _("{clause}: rise since {year}, % of GDP (cap {cap})").format(
            clause=_(k.short_label), year=k.baseline_year, cap=short(k.cap_pct_gdp)
        )
        rows.append((label, f"{k.column}_rise_pct_gdp", 2))
    for label, col, digits in rows:
        if col in frame:
            cells = [num(as_float(frame.loc[y, col]), digits) for y in years]
        else:
            cells = [_ends(frame, col, y, digits) for y in years]
        out.append(f"| {label} | " + " | ".join(cells) + " |")
    return out
