"""Fiscal room: what a path adds to general-government spending, and the balance and debt with it.

Per year from the last data year t0 to the end year, at both ends of the range (all shares in % of
GDP, money in billions at current prices):

- **extra** defense spending against holding t0's share: E(t) = s(t) - s(t0); in money E x Y(t) / 100
  (local currency, and USD at the scenario's exchange rate);
- the scenario's **financing mix** (``[financing]``, percent of E: borrowed b, higher revenue r, cuts
  to other spending o; b + r + o = 100) on the IMF WEO general-government baseline:
  expenditure X0 + E (1 - o), revenue R0 + E r, balance (net lending, - = deficit) B0 - E b, and
  gross debt D0 + 100 x (sum from t0 + 1 to t of E b Y / 100) / Y(t).

Simplifications, stated wherever the numbers are shown: no interest on the added debt and no
effect on growth, revenue or the baseline; the baseline ratios are the IMF's as published
(whatever GDP path the scenario assumes) and, after the IMF's last year, held at their last value
(our assumption); the IMF baseline may already hold part of a planned increase.

Rules and loans are data (``budget/data/fiscal_rules/*.toml``): an escape clause binds the members
it lists as activated (its cap is compared with the rise in the defense share since its baseline
year, in its years), a loan instrument's allocation is shown as money and as % of GDP of the year
it was allocated.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np

from budget.formats import as_float
from budget.history import DATA, Country
from budget.scenario import Scenario

if TYPE_CHECKING:
    import pandas as pd

RULES = DATA / "fiscal_rules"
BASELINE = {  # what the table calls each general-government ratio -> the data's indicator
    "expenditure": "gg_expenditure_pct_gdp",
    "revenue": "gg_revenue_pct_gdp",
    "balance": "gg_net_lending_pct_gdp",
    "debt": "gg_gross_debt_pct_gdp",
}
ENDS = ("low", "high")
DESCRIPTION = (
    "Extra defense spending against holding the last data year's share of GDP (both ends of the range), and "
    "general-government expenditure, revenue, balance and gross debt with it under the scenario's financing "
    "mix, on the IMF WEO baseline (held after the IMF's last year: our assumption; no interest on the added "
    "debt); an escape clause's cap and the rise it is compared with where the country activated one."
)
SHOWN_YEARS = (2026, 2028, 2030, 2035)  # the years of summary.md's table (and the end year)

# Columns of fiscal.csv (regular expressions; {cur}: currency code), for the Table Schema sidecar.
COLUMNS: list[tuple[str, str, str, str]] = [
    (r"baseline_status", "string", "", "IMF baseline: actual or projection (the IMF's), held (our assumption)."),
    (r"extra_pct_gdp_(low|high)", "number", "% of GDP", "Defense share minus the last data year's share."),
    (r"extra_{cur}_bn_(low|high)", "number", "{CUR} bn, current prices", "Extra defense spending in money."),
    (r"extra_usd_bn_(low|high)", "number", "USD bn, current prices", "Extra defense spending in US dollars."),
    (r"gg_(expenditure|revenue|balance|debt)_baseline_pct_gdp", "number", "% of GDP",
     "IMF WEO general government (balance = net lending, - = deficit); held after the IMF's last year."),
    (r"gg_expenditure_pct_gdp_(low|high)", "number", "% of GDP",
     "Expenditure with the extra spending: baseline + extra x (1 - other-spending share)."),
    (r"gg_revenue_pct_gdp_(low|high)", "number", "% of GDP", "Revenue: baseline + extra x revenue share."),
    (r"gg_balance_pct_gdp_(low|high)", "number", "% of GDP",
     "Balance (net lending, - = deficit): baseline - extra x borrowed share."),
    (r"gg_debt_pct_gdp_(low|high)", "number", "% of GDP",
     "Gross debt: baseline + the borrowed extra summed from the first projection year, over that year's GDP; "
     "no interest."),
    (r"added_debt_{cur}_bn_(low|high)", "number", "{CUR} bn, current prices",
     "The borrowed extra spending summed from the first projection year."),
    (r"[a-z0-9]+_clause_cap_pct_gdp", "number", "% of GDP",
     "The escape clause's cap on the rise in defense spending, in its years (members that activated it)."),
    (r"[a-z0-9]+_clause_rise_pct_gdp_(low|high)", "number", "% of GDP",
     "Defense share minus its share in the clause's baseline year, in the clause's years (NATO basis)."),
    (r"[a-z0-9_]+_allocation_(eur_bn|{cur}_bn|usd_bn|pct_gdp)", "number", "EUR, {CUR} or USD bn, or % of GDP",
     "A loan allocation for the instrument's whole life, in the year it was made (% of that year's GDP)."),
]  # fmt: skip


@dataclass(frozen=True)
class Clause:
    """An escape clause as it binds one country: up to ``cap_pct_gdp`` of GDP a year in ``first``-``last``,
    measured as the rise in the defense share since ``baseline_year``.
    """

    id: str
    label: str
    short_label: str
    cap_pct_gdp: float
    first: int
    last: int
    baseline_year: int
    baseline_single_source: bool
    measure: str
    activated: dt.date
    sources: tuple[str, ...]

    @property
    def column(self) -> str:
        """The stem of its columns in ``fiscal.csv``."""
        return f"{self.id}_clause"


@dataclass(frozen=True)
class Loan:
    """A country's allocation of a loan instrument: EUR bn and, where sourced, the local-currency amount."""

    id: str
    label: str
    eur_bn: float
    local_bn: float | None
    status: str
    date: dt.date
    inside_cap: bool
    inside_cap_single_source: bool
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Mix:
    """Percent of the extra defense spending borrowed, paid by revenue and by cuts to other spending."""

    borrowing: float
    revenue: float
    other_spending: float


@cache
def _rules() -> tuple[tuple[str, dict[str, Any]], ...]:
    return tuple((p.stem, tomllib.loads(p.read_text(encoding="utf-8"))) for p in sorted(RULES.glob("*.toml")))


def clauses_for(c: Country) -> list[Clause]:
    """The escape clauses that bind ``c``: its memberships hold the rule's ``binds`` and it is listed as activated."""
    out = []
    for rid, doc in _rules():
        e = doc.get("escape_clause")
        if e is None or doc.get("binds") not in c.memberships or c.key not in e.get("activated", {}):
            continue
        act = e["activated"][c.key]
        out.append(
            Clause(
                id=rid,
                label=e["label"],
                short_label=e["short_label"],
                cap_pct_gdp=float(e["cap_pct_gdp"]),
                first=int(e["from"]),
                last=int(e["to"]),
                baseline_year=int(e["baseline_year"]),
                baseline_single_source=bool(e.get("baseline_single_source", False)),
                measure=e.get("measure", ""),
                activated=act["date"],
                sources=tuple(dict.fromkeys([*e.get("sources", ()), *act.get("sources", ())])),
            )
        )
    return out


def loans_for(c: Country) -> list[Loan]:
    """The loan allocations sourced for ``c`` (``[loans.<id>]``, e.g. SAFE), from the rules of its groups."""
    out = []
    for rid, doc in _rules():
        for lid, loan in doc.get("loans", {}).items():
            if doc.get("binds") not in c.memberships or c.key not in loan.get("allocation", {}):
                continue
            a = loan["allocation"][c.key]
            local = a["eur_bn"] if c.currency == "EUR" else a.get("local_bn")  # euro members: the amount itself
            out.append(
                Loan(
                    id=f"{rid}_{lid}",
                    label=loan["label"],
                    eur_bn=float(a["eur_bn"]),
                    local_bn=None if local is None else float(local),
                    status=a.get("status", ""),
                    date=a["date"],
                    inside_cap=bool(loan.get("inside_cap", False)),
                    inside_cap_single_source=bool(loan.get("inside_cap_single_source", False)),
                    sources=tuple(dict.fromkeys([*loan.get("sources", ()), *a.get("sources", ())])),
                )
            )
    return out


def has_fiscal(c: Country) -> bool:
    """True when the data hold every general-government ratio the table needs."""
    return all(c.has(ind) for ind in BASELINE.values())


def mix(s: Scenario) -> Mix:
    """The scenario's financing mix in percent; borrowing, when not given, is what the others leave."""
    rest = max(0.0, 100.0 - s.financing_revenue_pct - s.financing_other_spending_pct)
    borrowing = rest if s.financing_borrowing_pct is None else float(s.financing_borrowing_pct)
    return Mix(borrowing, float(s.financing_revenue_pct), float(s.financing_other_spending_pct))


def baseline(c: Country, years: np.ndarray) -> tuple[dict[str, np.ndarray], list[str], int]:
    """The IMF ratios for ``years`` (% of GDP), held at the IMF's last year after it; each year's
    status (``actual``, ``projection``, ``held``) and that last year.
    """
    last = min(int(c.values(ind).dropna().index.max()) for ind in BASELINE.values())
    ratios = {name: c.array(ind, np.minimum(years, last)) for name, ind in BASELINE.items()}
    status = [c.status_list(BASELINE["debt"], np.array([y]))[0] if y <= last else "held" for y in years]
    return ratios, status, last


def fiscal_frame(s: Scenario, df: pd.DataFrame) -> pd.DataFrame:
    """The yearly fiscal table from the last data year to the end year (see the module's docstring)."""
    import pandas as pd

    c, t0 = s.data, s.data.last_data_year
    cur = c.cur
    p = df.loc[t0 : s.end_year]
    years = p.index.to_numpy(dtype=int)
    gdp, rate = p[f"gdp_{cur}_bn"].to_numpy(float), p[f"{cur}_per_usd"].to_numpy(float)
    m = mix(s)
    base, status, _last = baseline(c, years)
    out: dict[str, Any] = {"baseline_status": status}
    for name in BASELINE:
        out[f"gg_{name}_baseline_pct_gdp"] = base[name]
    for end in ENDS:
        share = p[f"defense_pct_gdp_{end}"].to_numpy(float)
        extra = share - share[0]
        local = extra / 100 * gdp
        added = np.cumsum(local * m.borrowing / 100)  # NaN from the year a path stops
        out[f"extra_pct_gdp_{end}"] = extra
        out[f"extra_{cur}_bn_{end}"] = local
        out[f"extra_usd_bn_{end}"] = local / rate
        out[f"gg_expenditure_pct_gdp_{end}"] = base["expenditure"] + extra * (1 - m.other_spending / 100)
        out[f"gg_revenue_pct_gdp_{end}"] = base["revenue"] + extra * m.revenue / 100
        out[f"gg_balance_pct_gdp_{end}"] = base["balance"] - extra * m.borrowing / 100
        out[f"gg_debt_pct_gdp_{end}"] = base["debt"] + 100 * added / gdp
        out[f"added_debt_{cur}_bn_{end}"] = added
    for k in clauses_for(c):
        inside = (years >= k.first) & (years <= k.last)
        out[f"{k.column}_cap_pct_gdp"] = np.where(inside, k.cap_pct_gdp, np.nan)
        start = as_float(df.loc[k.baseline_year, "defense_pct_gdp"]) if k.baseline_year in df.index else np.nan
        for end in ENDS:
            rise = p[f"defense_pct_gdp_{end}"].to_numpy(float) - start
            out[f"{k.column}_rise_pct_gdp_{end}"] = np.where(inside, rise, np.nan)
    for loan in loans_for(c):  # an allocation, in the year it was made (the instrument's whole life)
        amounts = loan_amounts(loan, df, cur)
        at = years == loan.date.year
        for unit, value in zip(("eur_bn", f"{cur}_bn", "usd_bn", "pct_gdp"), (loan.eur_bn, *amounts), strict=True):
            out[f"{loan.id}_allocation_{unit}"] = np.where(at, value, np.nan)
    order = ["baseline_status", *(f"extra_{u}_{e}" for u in ("pct_gdp", f"{cur}_bn", "usd_bn") for e in ENDS)]
    for name in BASELINE:
        order += [f"gg_{name}_baseline_pct_gdp", *(f"gg_{name}_pct_gdp_{e}" for e in ENDS)]
    order += [k for k in out if k not in order]
    return pd.DataFrame({k: out[k] for k in order}, index=pd.Index(years, name="year"))


def clause_verdict(frame: pd.DataFrame, k: Clause) -> tuple[float, float, int | None, int | None]:
    """The rise in the clause's last year at the low and high end, and the first year each end is
    above the cap (None: within it in every year of the clause).
    """
    rows = frame.loc[k.first : k.last]
    out: list[Any] = [float(rows[f"{k.column}_rise_pct_gdp_{e}"].iloc[-1]) if len(rows) else np.nan for e in ENDS]
    for e in ENDS:
        above = rows.index[rows[f"{k.column}_rise_pct_gdp_{e}"] > k.cap_pct_gdp + 1e-9]
        out.append(int(above[0]) if len(above) else None)
    return out[0], out[1], out[2], out[3]


def loan_amounts(loan: Loan, df: pd.DataFrame, cur: str) -> tuple[float, float, float]:
    """A loan allocation in local currency bn, USD bn and % of GDP of the year allocated (NaN where
    no local amount is sourced or the year is outside the projection).
    """
    year = loan.date.year
    if loan.local_bn is None or year not in df.index:
        return np.nan, np.nan, np.nan
    local = loan.local_bn
    return (
        local,
        local / as_float(df.loc[year, f"{cur}_per_usd"]),
        100 * local / as_float(df.loc[year, f"gdp_{cur}_bn"]),
    )


def fiscal_sources(s: Scenario) -> list[str]:
    """Source ids behind the fiscal table: the general-government series, the clauses and the loans."""
    c = s.data
    ids = [*c.sources_of(BASELINE.values()), *(i for k in clauses_for(c) for i in k.sources)]
    return list(dict.fromkeys([*ids, *(i for loan in loans_for(c) for i in loan.sources)]))


def shown_years(frame: pd.DataFrame, end: int) -> list[int]:
    """The years of the summary's table that the frame holds (2026, 2028, 2030, 2035 and the end year)."""
    return sorted({*SHOWN_YEARS, end} & {int(y) for y in frame.index if int(y) > int(frame.index[0])})
