"""Fiscal room: what the path adds to defense spending against holding the last data year's share,
and the general-government balance and gross debt with it (``budget.fiscal``), in three panels.

The first panel shows the extra spending (the scenario's colour, a band between the range's ends)
and, for a member that activated an escape clause, the clause's cap in its years (a level line)
with the rise since the clause's baseline year that the cap is compared with (dotted); a loan
allocation that counts inside the cap (SAFE) is a bracket hanging from the cap, never stacked on
it. The other two panels show the IMF baseline (ink; dotted where it is held after the IMF's last
year, our assumption) and the path under the scenario's financing mix (dashed, the scenario's
colour). The title states the finding; the note states the mix, the simplifications and the sources.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from budget.charts.colors import scenario_color
from budget.charts.frame import figure, legend_below, mark_projection, short_source, source_note, style_axes, subtitle
from budget.charts.style import BAND_ALPHA, DASHED, DOTTED, GREY, INK, REF_WIDTH, D, P, finite, legible, literal
from budget.fiscal import (
    BASELINE,
    Clause,
    baseline,
    clause_verdict,
    clauses_for,
    fiscal_frame,
    fiscal_sources,
    loan_amounts,
    loans_for,
    mix,
)
from budget.formats import as_float, num, span
from budget.history import load_sources
from budget.i18n import _, short
from budget.scenario import Scenario

HISTORY_FROM = 2015  # the balance and debt panels start here (or at the data's first year)


def _pct(lo: float, hi: float, digits: int = 1) -> str:
    """``2.1–2.4 %`` in the current language, one number where both ends read the same."""
    a, b = num(lo, digits), num(hi, digits)
    return (a if a == b else f"{a}{D}{b}") + P


def title_text(s: Scenario, frame: pd.DataFrame) -> str:
    """The finding: what the path adds by its last year, and the clause's verdict or the debt."""
    t0 = s.data.last_data_year
    known = frame.loc[frame["extra_pct_gdp_high"].notna()]
    if len(known) < 2:
        return _("The plan's fiscal room against holding the {year} share").format(year=t0)
    y = int(known.index[-1])
    lo, hi = as_float(known.loc[y, "extra_pct_gdp_low"]), as_float(known.loc[y, "extra_pct_gdp_high"])
    if max(abs(lo), abs(hi)) < 0.05:  # rounds to zero: the path holds the share
        head = _("The plan holds the {t0} share of GDP and adds nothing to spending by {year}").format(t0=t0, year=y)
    elif hi < 0:
        head = _("The plan spends {extra} of GDP less on defense by {year} than holding the {t0} share").format(
            extra=_pct(-hi, -lo, 2), year=y, t0=t0
        )
    else:
        head = _("The plan adds {extra} of GDP to defense spending by {year}").format(extra=_pct(lo, hi), year=y)
    for k in clauses_for(s.data):
        _low, _high, low_year, high_year = clause_verdict(frame, k)
        first_above = high_year if low_year is None else min(low_year, high_year or low_year)
        if first_above is None:
            tail = _("{clause}: the rise since {base} stays within {cap} through {last}")
        else:
            tail = _("{clause}: the rise since {base} passes {cap} in {year}")
        return _("{head}; {tail}").format(
            head=head,
            tail=tail.format(clause=_(k.short_label), base=k.baseline_year, cap=short(k.cap_pct_gdp) + P,
                             last=k.last, year=first_above),
        )  # fmt: skip
    if mix(s).borrowing <= 0:
        return _("{head}; financed without borrowing, the debt stays on the IMF baseline").format(head=head)
    debt = _pct(as_float(known.loc[y, "gg_debt_pct_gdp_low"]), as_float(known.loc[y, "gg_debt_pct_gdp_high"]), 0)
    base = num(as_float(known.loc[y, "gg_debt_baseline_pct_gdp"]), 0) + P
    return _("{head}; borrowed, gross debt reaches {debt} of GDP ({base} in the IMF baseline)").format(
        head=head, debt=debt, base=base
    )


def note_text(s: Scenario, last: int) -> str:
    """The model's settings for the note: the mix, the baseline, the simplifications, the sources."""
    m = mix(s)
    parts = [
        _("Financed {borrowing} % by borrowing, {revenue} % by revenue, {other} % by cuts.").format(
            borrowing=short(m.borrowing), revenue=short(m.revenue), other=short(m.other_spending)
        ),
        _("IMF baseline held after {year} (our assumption); no interest on the added debt or feedback on "
          "growth; the baseline may already hold part of the increase.").format(year=last),
    ]  # fmt: skip
    for k in clauses_for(s.data):
        parts.append(
            _("The clause counts COFOG 02 against {year} (one secondary source for {year}); drawn with NATO's "
              "series.").format(year=k.baseline_year)
        )  # fmt: skip
    for loan in loans_for(s.data):
        if loan.inside_cap:
            parts.append(_("{label} count inside the cap (one source).").format(label=_(loan.label)))
    src, data = load_sources(), s.data.sources_of(BASELINE.values())
    rules = [i for i in fiscal_sources(s) if i not in data]
    listed = "; ".join(dict.fromkeys(short_source(i) for i in data))
    if rules:
        names = ", ".join(dict.fromkeys(_(src[i].publisher_short or src[i].publisher) for i in rules))
        listed += f"; {names} ({', '.join(sorted({src[i].published[:4] for i in rules}))})"
    parts.append(_("Fiscal sources: {sources}.").format(sources=listed))
    return " ".join(parts).replace(" %", P)


def _percent_axis(ax: Axes) -> None:
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: num(v, 0 if abs(v) >= 10 or v == int(v) else 1)))


def _extra_panel(ax: Axes, s: Scenario, frame: pd.DataFrame, df: pd.DataFrame, color: str) -> list[Artist]:
    t0, end = s.data.last_data_year, s.end_year
    keys: list[Artist] = []
    clauses = clauses_for(s.data)
    first = min([t0, *(k.first for k in clauses)])
    style_axes(ax, _("% of GDP"), first, end)
    ax.set_xlim(first - 1.2, end + 0.6)
    ax.axhline(0, color=GREY, lw=0.8, zorder=1)
    x = frame.index.to_numpy(dtype=float)
    lo, hi = frame["extra_pct_gdp_low"].to_numpy(float), frame["extra_pct_gdp_high"].to_numpy(float)
    ax.fill_between(x, lo, hi, color=color, alpha=BAND_ALPHA, lw=0, zorder=2)
    for end_, ends in (("low", lo), ("high", hi)):
        if end_ == "high" or not np.allclose(lo, hi, equal_nan=True):
            ax.plot(x, ends, color=color, lw=2.0, ls=DASHED, zorder=4, gid=f"extra:{end_}")
    label = _("Extra defense spending against holding the {year} share").format(year=t0)
    keys.append(Line2D([], [], color=color, lw=2.0, ls=DASHED, label=label))
    values: list[np.ndarray] = [lo, hi]
    for k in clauses:
        years = [k.first - (1.0 if _has_loan(s, df) else 0.4), k.last + 0.4]
        ax.plot(years, [k.cap_pct_gdp] * 2, color=INK, lw=REF_WIDTH, zorder=3, gid=f"line:{k.column}:cap")
        rows = frame.loc[k.first : k.last]
        for end_ in ("low", "high"):
            rise = rows[f"{k.column}_rise_pct_gdp_{end_}"].to_numpy(float)
            ax.plot(rows.index, rise, color=GREY, lw=1.6, ls=DOTTED, zorder=3, gid=f"rise:{end_}")
            values.append(rise)
        cap = _("{clause}: up to {cap} of GDP a year, {first}–{last}").format(
            clause=_(k.short_label), cap=short(k.cap_pct_gdp) + P, first=k.first, last=k.last
        )
        keys.append(Line2D([], [], color=INK, lw=REF_WIDTH, label=cap))
        rise_label = _("Rise since {year}: what the clause's cap is compared with").format(year=k.baseline_year)
        keys.append(Line2D([], [], color=GREY, lw=1.6, ls=DOTTED, label=rise_label))
        values.append(np.array([k.cap_pct_gdp]))
        keys += _loans(ax, s, df, k)
    _limits(ax, np.concatenate(values), zero=True)
    if np.isfinite(hi[-1]):
        text = _pct(lo[-1], hi[-1]).removesuffix(P) if lo[-1] >= 0 else span(lo[-1], hi[-1], 1)
        _label(ax, text, end, max(lo[-1], hi[-1]), True, legible(color, 4.5), "label:extra")
    _percent_axis(ax)
    ax.set_title(_("Extra defense spending"), fontsize=10, loc="left", color=INK, fontweight="bold")
    return keys


def _has_loan(s: Scenario, df: pd.DataFrame) -> bool:
    return any(loan.inside_cap and np.isfinite(loan_amounts(loan, df, s.data.cur)[2]) for loan in loans_for(s.data))


def _loans(ax: Axes, s: Scenario, df: pd.DataFrame, k: Clause) -> list[Artist]:
    """Each loan that counts inside the cap: a bracket hanging from the cap, left of the clause's years."""
    keys: list[Artist] = []
    for i, loan in enumerate(loan for loan in loans_for(s.data) if loan.inside_cap):
        share = loan_amounts(loan, df, s.data.cur)[2]
        if not np.isfinite(share):
            continue
        x = k.first - 0.85 + 0.3 * i
        ax.plot([x, x], [k.cap_pct_gdp - share, k.cap_pct_gdp], color=INK, lw=3.0, solid_capstyle="butt",
                zorder=4, gid=f"loan:{loan.id}")  # fmt: skip
        ax.plot([x - 0.15, x + 0.15], [k.cap_pct_gdp - share] * 2, color=INK, lw=1.6, zorder=4, gid="loan:foot")
        label = _("{label}: EUR {eur} bn in all, {share} of {year} GDP").format(
            label=_(loan.label), eur=num(loan.eur_bn, 2), share=num(share, 2) + P, year=loan.date.year
        )
        keys.append(Line2D([], [], color=INK, lw=3.0, label=label))
    return keys


def _gg_panel(ax: Axes, s: Scenario, frame: pd.DataFrame, name: str, color: str, title: str) -> None:
    c, t0, end = s.data, s.data.last_data_year, s.end_year
    first = max(HISTORY_FROM, c.first_year)
    years = np.arange(first, end + 1)
    base, _status, last = baseline(c, years)
    style_axes(ax, _("% of GDP"), first, end)
    mark_projection(ax, t0, end)
    held = years >= last
    ax.plot(years[years <= last], base[name][years <= last], color=INK, lw=1.6, zorder=3, gid=f"baseline:{name}")
    ax.plot(years[held], base[name][held], color=INK, lw=1.6, ls=DOTTED, zorder=3, gid=f"held:{name}")
    x = frame.index.to_numpy(dtype=float)
    lo, hi = frame[f"gg_{name}_pct_gdp_low"].to_numpy(float), frame[f"gg_{name}_pct_gdp_high"].to_numpy(float)
    ax.fill_between(x, lo, hi, color=color, alpha=BAND_ALPHA, lw=0, zorder=2)
    ax.plot(x, hi, color=color, lw=2.0, ls=DASHED, zorder=4, gid=f"path:{name}:high")
    if not np.allclose(lo, hi, equal_nan=True):
        ax.plot(x, lo, color=color, lw=2.0, ls=DASHED, zorder=4, gid=f"path:{name}:low")
    if name == "balance":
        ax.axhline(0, color=GREY, lw=0.8, zorder=1)
    _limits(ax, np.concatenate([base[name], lo, hi]), zero=name != "balance")
    _end_labels(ax, name, end, float(base[name][-1]), (float(lo[-1]), float(hi[-1])), color)
    _percent_axis(ax)
    ax.set_title(title, fontsize=10, loc="left", color=INK, fontweight="bold")


def _limits(ax: Axes, values: np.ndarray, zero: bool) -> None:
    """Y limits with room for the end labels: the data between 12 % and 78 % of the height (from 0 where
    ``zero``; 0 always in view).
    """
    v = values[np.isfinite(values)]
    lo, hi = (min(float(v.min()), 0.0), max(float(v.max()), 0.0)) if len(v) else (0.0, 1.0)
    height = max(hi - lo, 1e-6) / 0.66
    ax.set_ylim(lo if zero and lo >= 0 else lo - 0.12 * height, hi + 0.22 * height)


def _end_labels(ax: Axes, name: str, end: int, base: float, path: tuple[float, float], color: str) -> None:
    """The end year's values: the path's on its outer side, the baseline's on the other (one label where
    they meet).
    """
    lo, hi = sorted(path)
    if not (np.isfinite(base) and np.isfinite(lo)):
        return
    if max(hi - base, base - lo) < 0.05:
        _label(ax, num(base, 1), end, max(hi, base), True, INK, f"label:{name}:base")
        return
    up = (lo + hi) / 2 > base
    _label(
        ax,
        span(lo, hi, 1) if lo < 0 else _pct(lo, hi).removesuffix(P),
        end,
        hi if up else lo,
        up,
        legible(color, 4.5),
        f"label:{name}:path",
    )
    _label(ax, num(base, 1), end, base, not up, INK, f"label:{name}:base")


def _label(ax: Axes, text: str, x: float, y: float, above: bool, ink: str, gid: str) -> None:
    ax.annotate(text, (x, y), xytext=(0, 5 if above else -5), textcoords="offset points", ha="right",
                va="bottom" if above else "top", fontsize=8.5, color=ink, fontweight="bold", gid=gid)  # fmt: skip


@literal
def plot_fiscal(df: pd.DataFrame, s: Scenario, frame: pd.DataFrame | None = None) -> Figure:
    """The fiscal-room chart of ``s`` (see the module's docstring); ``frame`` is ``budget.fiscal.fiscal_frame``."""
    frame = finite(fiscal_frame(s, df) if frame is None else frame)
    color = legible(scenario_color(s.name))
    last = baseline(s.data, frame.index.to_numpy())[2]
    what = _("Extra defense spending, and the balance and debt with it")
    fig, (extra, balance, debt) = figure(
        title_text(s, frame),
        [subtitle(what, s.title)],
        source_note(s, note_text(s, last)),
        ncols=3,
        width_ratios=[1.15, 1, 1],
        right=0.985,
        left=0.06,
        wspace=0.3,
        titles=0.03,
    )
    keys = _extra_panel(extra, s, frame, df, color)
    _gg_panel(balance, s, frame, "balance", color, _("Balance (- = deficit)"))
    _gg_panel(debt, s, frame, "debt", color, _("Gross debt"))
    m = mix(s)
    held = _("IMF ratios held after {year} (our assumption)").format(year=last)
    path = _("With the path: {borrowing} % borrowed, {revenue} % revenue, {other} % cuts").format(
        borrowing=short(m.borrowing), revenue=short(m.revenue), other=short(m.other_spending)
    )
    keys += [
        Line2D([], [], color=INK, lw=1.6, label=_("IMF baseline")),
        Line2D([], [], color=INK, lw=1.6, ls=DOTTED, label=held),
        Line2D([], [], color=color, lw=2.0, ls=DASHED, label=path),
    ]
    if not np.allclose(frame["extra_pct_gdp_low"], frame["extra_pct_gdp_high"], equal_nan=True):
        keys.append(Patch(color=color, alpha=BAND_ALPHA, lw=0, label=_("Between the low and the high end")))
    for artist in keys:
        artist.set_label(str(artist.get_label()).replace(" %", P))
    legend_below(fig, keys)
    return fig
