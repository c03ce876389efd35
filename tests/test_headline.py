"""Headlines: each chart's title sentence worked out by hand from made-up numbers, then read from the
frames the charts draw (the same numbers as the ledger, the simulation, the sensitivity and the
chart's own labels); and each scenario's stable colour, legible on the projection's shading."""

from __future__ import annotations

import dataclasses
import math
from functools import cache

import pandas as pd
import pytest
from conftest import SCENARIOS
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text

import budget
from budget import Scenario, charts, load_scenario, project, simulate
from budget.charts import alliance_headline as ah
from budget.charts import headline as h
from budget.charts import uncertainty_headline as u
from budget.charts.colors import PALETTE, scenario_color
from budget.charts.sensitivity import by_end
from budget.charts.style import BAND_ALPHA, SHADE, TEXT_CONTRAST, contrast, legible, over
from budget.uncertainty import sensitivity
from budget.verdicts import versus_money

NB = "\u00a0"
CORE = f"NATO 3.5{NB}% core"


def level(**changes: object) -> h.Level:
    """Czechia at 3.00 % of GDP (USD 17.0 bn) in 2035, USD 2.84 bn short of the 3.5 % core level."""
    base = h.Level("Czechia", CORE, False, 2035, 2025, 2035, (None, None), (3.0, 3.0), (17.0, 17.0), (-2.84, -2.84))
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


# --- Sentences from hand-made numbers ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("met", "want"),
    [
        ((2032, 2032), f"Czechia would reach the {CORE} level in 2032"),
        ((None, None), f"Czechia would stay below the {CORE} level through 2035"),
        ((2024, 2024), f"Czechia would stay at or above the {CORE} level every year to 2035"),  # met before t0
        (
            (None, 2033),
            f"Czechia would reach the {CORE} level in 2033 at the high end of the range, "
            "but stay below it through 2035 at the low end",
        ),
        (
            (2031, None),
            f"Czechia would reach the {CORE} level in 2031 at the low end of the range, "
            "but stay below it through 2035 at the high end",
        ),
        (
            (2034, 2031),
            f"Czechia would reach the {CORE} level in 2031 at the high end of the range and in 2034 at the low end",
        ),
    ],
)
def test_the_share_title_says_when_the_level_is_reached(met: tuple[int | None, int | None], want: str) -> None:
    assert h.share_title(level(met=met)) == want


def test_the_share_title_of_a_total_line_and_of_no_line() -> None:
    total = level(line=f"NATO 5{NB}% total", total=True, met=(2035, 2035))
    assert (
        h.share_title(total)
        == f"Czechia's defense and resilience spending would reach the NATO 5{NB}% total level in 2035"
    )
    assert (
        h.share_title(level(line="", share=(4.0477, 4.3996)))
        == f"Czechia's defense spending would be 4.05–4.40{NB}% of GDP in 2035"
    )


@pytest.mark.parametrize(
    ("spending", "minus", "want"),
    [
        (
            (17.0, 17.0),
            (-2.84, -2.84),
            f"Czechia would spend USD 17.0 bn on defense in 2035, USD 2.8 bn short of the {CORE} level",
        ),
        (
            (23.0, 25.0),
            (3.07, 5.07),
            f"Czechia would spend USD 23.0–25.0 bn on defense in 2035, USD 3.1–5.1 bn above the {CORE} level",
        ),
        ((19.9, 19.9), (0.0, 0.04), f"Czechia would spend USD 19.9 bn on defense in 2035, exactly the {CORE} level"),
        (
            (19.5, 20.5),
            (-0.4, 0.6),
            "Czechia would spend USD 19.5–20.5 bn on defense in 2035: between USD 0.4 bn short of and USD 0.6 bn "
            f"above the {CORE} level",
        ),
    ],
)
def test_the_spending_title_says_how_far_from_the_level(spending: tuple, minus: tuple, want: str) -> None:
    assert h.spending_title(level(spending=spending, minus_level=minus)) == want


def test_above_and_short_of_agree_with_the_verdicts() -> None:
    words = {"above": "above)", "short": "short)", "at": "exactly", "mixed": "between"}
    for low in (-3.0, -0.06, -0.04, 0.0, 0.04, 0.06, 2.0):
        for high in (-1.0, -0.04, 0.0, 0.05, 1.5):
            assert words[h.side((low, high), 1)] in versus_money(low, high, "USD", 1), (low, high)


def test_the_procurement_title_sums_both_ends() -> None:
    text = h.procurement_title("Czechia", (27.14, 33.93), 2026, 2035)
    assert text == "Czechia would spend USD 27–34 bn on major equipment over 2026–2035"


def test_the_fan_title_gives_the_chance_at_both_ends_or_the_money() -> None:
    chance = u.Chance("Czechia", CORE, 2035, (0.784, 0.896), (math.nan,) * 2, (math.nan,) * 2)  # type: ignore[arg-type]
    want = f"Chance of meeting the {CORE} level in 2035: 78{NB}% at the low end of the range, 90{NB}% at the high end"
    assert u.fan_title(chance) == want
    assert (
        u.fan_title(dataclasses.replace(chance, p=(0.851, 0.849)))
        == f"Chance of meeting the {CORE} level in 2035: 85{NB}%"
    )
    assert u.fan_title(dataclasses.replace(chance, p=(math.nan, 0.9))).endswith(f"2035: 90{NB}%")
    money = u.Chance("Czechia", "", 2035, (math.nan, math.nan), (12.54, 12.54), (22.81, 22.81))
    assert u.fan_title(money) == "In 9 of 10 simulations Czechia would spend USD 12.5–22.8 bn on defense in 2035"
    ranged = dataclasses.replace(money, p05=(11.0, 12.0), p95=(20.0, 22.0))
    assert u.fan_title(ranged) == (
        "In 9 of 10 simulations Czechia would spend USD 11.0–20.0 bn on defense in 2035 at the low end of the range, "
        "USD 12.0–22.0 bn at the high end"
    )


def test_the_sensitivity_title_names_the_driver_and_its_results() -> None:
    rate = u.driver_name("CZK per USD -/+ 1.37 % a year (+ = weaker CZK)", "CZK")
    assert (
        rate == "The CZK/USD rate" and u.driver_name("Real GDP growth -/+ 0.92 pt a year", "CZK") == "Real GDP growth"
    )
    money = u.Driver("Czechia", rate, 2035, False, {"high": (14.87, 19.56)})
    assert (
        u.sensitivity_title(money) == "The CZK/USD rate moves Czechia's defense spending in 2035 most: USD 14.9–19.6 bn"
    )
    share = u.Driver("Czechia", rate, 2035, True, {"high": (3.844, 5.051), "low": (3.531, 4.642)})
    assert u.sensitivity_title(share) == (
        f"The CZK/USD rate moves Czechia's defense share of GDP in 2035 most: 3.84–5.05{NB}% at the high end of the "
        f"range, 3.53–4.64{NB}% at the low end"
    )


def test_the_alliance_titles() -> None:
    assert ah.count(0, 30) == "none of the 30" and ah.count(30, 30) == "all 30" and ah.count(4, 30) == "4 of 30"
    assert [ah.rank_text(i, 4) for i in (1, 2, 3, 4)] == [
        "the highest",
        "the second highest",
        "the third highest",
        "the lowest",
    ]
    assert ah.ranked_title("G", 31, 4, "NATO 2 %", (7, 8), "NATO 3.5 % core", 2035, False) == (
        "G: 4 of 31 below the NATO 2 % level in their last figure; under these rules 7 of 31 (low end of the "
        "range) to 8 of 31 (high end) reach the NATO 3.5 % core level in 2035"
    )
    assert ah.group_path_title("G", "", 2035, "USD 0 bn", 2026, 2014) == (
        "G: USD 0 bn more over 2026–2035 than if each member held its last share"
    )
    assert ah.group_path_title("G", "", 2035, "", 2026, 2014) == "G: defense spending, 2014–2035"
    assert ah.multiples_title("G", 2, 3, None, "X", (-0.51, -0.49), 2035, True) == (
        "G: 2 of 3 raised their share of GDP since their first figure; on these paths X's share falls most by "
        "2035, \u22120.5 points"
    )
    assert ah.neighbours_title("X", "2.00 %", 2025, "the lowest", 4, "V4", "2.00 %", 2035, False).endswith(
        "; under these rules it reaches 2.00 % in 2035"
    )


# --- The same numbers as the frames and the charts -----------------------------------------------------


@cache
def bundled(name: str) -> tuple[Scenario, pd.DataFrame, pd.DataFrame]:
    s = load_scenario(SCENARIOS / f"{name}.toml")
    df = project(s)
    return s, df, budget.gaps(s, df)


def title(fig: Figure) -> str:
    return fig.texts[0].get_text().replace("\n", " ")


def test_the_level_facts_are_the_ledgers() -> None:
    s, df, g = bundled("stated-targets")
    f = h.level_facts(s, df, g)
    rows = g[(g["line"] == "nato_core") & (g["year"] == 2035)].set_index("end")
    assert f.line == CORE and f.year == 2035 and not f.total
    assert f.met == tuple(int(rows.at[e, "met_from"]) for e in ("low", "high"))
    assert f.share == pytest.approx(tuple(rows.at[e, "share_pct_gdp"] for e in ("low", "high")))
    assert f.minus_level == pytest.approx(tuple(rows.at[e, "spending_minus_level_usd_bn"] for e in ("low", "high")))
    assert f.spending == pytest.approx(tuple(df.at[2035, f"defense_usd_bn_{e}"] for e in ("low", "high")))
    # the level's money is the spending minus the difference, at both ends
    level_usd = df.at[2035, "nato_core_level_usd_bn"]
    assert [a - b for a, b in zip(f.spending, f.minus_level, strict=True)] == pytest.approx([level_usd] * 2)
    assert (
        title(charts.plot_share(df, s, ledger=g)) == h.share_title(f) == f"Czechia would reach the {CORE} level in 2032"
    )
    assert title(charts.plot_spending(df, s, ledger=g)) == h.spending_title(f)


def test_a_total_line_is_headlined_only_where_resilience_is_modelled() -> None:
    s, df, g = bundled("nato-total-5")
    assert h.level_facts(s, df, g).total and "total" in title(charts.plot_share(df, s, ledger=g))
    s, df, g = bundled("fiala-3pct-2030")
    f = h.level_facts(s, df, g)
    assert not f.total and f.line == CORE and f.met == (None, None)


def test_the_procurement_title_and_the_summed_label_agree() -> None:
    s, df, _g = bundled("stated-targets")
    fig = charts.plot_procurement(df, s)
    (summed,) = [t for t in fig.findobj(Text) if t.get_gid() == "label:summed"]
    low, high = (df.loc[2026:2035, f"procurement_usd_bn_{e}"].sum() for e in ("low", "high"))
    amount = f"USD {low:.0f}–{high:.0f} bn"
    assert amount in title(fig) and amount in summed.get_text() and "2026–2035" in title(fig)


def test_the_fan_title_is_the_simulations_chance() -> None:
    s, df, g = bundled("stated-targets")
    sim = simulate(s, draws=400)
    fig = charts.plot_fan(sim, df, s, ledger=g)
    low, high = (sim.at[2035, f"prob_meets_nato_core_{e}"] for e in ("low", "high"))
    assert f"{100 * low:.0f}{NB}% at the low end" in title(fig) and f"{100 * high:.0f}{NB}% at the high end" in title(
        fig
    )
    s, df, g = bundled("nato-core-3.5")  # a share target: the chance is 0 or 100 % by construction, so money
    sim = simulate(s, draws=400)
    text = title(charts.plot_fan(sim, df, s, ledger=g))
    p05, p95 = sim.at[2035, "defense_usd_bn_p05_high"], sim.at[2035, "defense_usd_bn_p95_high"]
    assert text == f"In 9 of 10 simulations Czechia would spend USD {p05:.1f}–{p95:.1f} bn on defense in 2035"


def test_the_sensitivity_title_is_its_widest_bar() -> None:
    s = bundled("fiala-3pct-2030")[0]
    sens = sensitivity(s)
    part = by_end(sens)["high"]
    widths = (part.iloc[:, 2] - part.iloc[:, 0]).abs()
    driver = str(widths.idxmax())
    lo, hi = sorted(part.loc[driver].iloc[[0, 2]])
    text = title(charts.plot_sensitivity(sens, s))
    assert text.startswith(u.driver_name(driver, "CZK")) and f"USD {lo:.1f}–{hi:.1f} bn" in text


# --- Colours -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("color", PALETTE)
def test_every_scenario_colour_is_legible_on_the_shading(color: str) -> None:
    line, text = legible(color), legible(color, TEXT_CONTRAST)
    for ground in ("#ffffff", SHADE, over(color, BAND_ALPHA, SHADE)):  # white, the projection, the range band
        assert contrast(line, ground) >= 3.0, (color, line, ground)
    for ground in ("#ffffff", SHADE):
        assert contrast(text, ground) >= 4.5, (color, text, ground)


def test_a_scenario_keeps_its_colour_by_name() -> None:
    s, df, g = bundled("stated-targets")
    names = [n for n in ("a", "b", "c", "d", "e", "f", "g") if scenario_color(n) != scenario_color("a")]
    for name in ("a", names[0]):
        renamed = dataclasses.replace(s, name=name)
        figs = [charts.plot_share(df, renamed, ledger=g) for _ in range(2)]
        colors = {str(line.get_color()) for fig in figs for line in fig.findobj(Line2D) if line.get_gid() == "plan"}
        assert colors == {legible(scenario_color(name))}, (name, colors)
        (label,) = [t for t in figs[0].findobj(Text) if t.get_gid() == "label:plan"]
        assert label.get_color() == legible(scenario_color(name), TEXT_CONTRAST)
