"""Plan against outturn: the imported budget stages, the table, the chart, the summary section, and
the scenario's execution rate in the projection and the simulation."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO_ROOT, SCENARIOS, call
from matplotlib.figure import Figure
from matplotlib.text import Text
from test_importers import data, inputs

from budget import load_scenario, project, simulate
from budget.charts import plot_outturn
from budget.execution import draws, factor, rate_pct
from budget.history import load_country, load_sources
from budget.importers.__main__ import main as import_main
from budget.outturn import historical_rate, outturn_table, section
from budget.report import render_scenario
from budget.scenario import ScenarioError
from budget.tables import summary_markdown

CZ_RATES = {  # outturn / final budget x 100, by hand from inputs/czech_mod_budget_2014_2026.csv
    2015: 47.338 / 48.955 * 100,
    2016: 45.671 / 49.7 * 100,
    2017: 52.9 / 57.3 * 100,
    2019: 68.3 / 71.1 * 100,
    2020: 74.3 / 76.1 * 100,
    2023: 100.7 / 110.3 * 100,
    2024: 159.0 / 164.3 * 100,
}


def series(key: str = "czechia") -> dict[tuple[int, str], dict[str, str]]:
    with (REPO_ROOT / "budget" / "data" / key / "series.csv").open(encoding="utf-8", newline="") as f:
        return {(int(r["year"]), r["indicator"]): r for r in csv.DictReader(f) if not r["edition"]}


def scenario(tmp_path: Path, execution: str, name: str = "plan", base: str = "stated-targets.toml") -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(f'extends = "{(SCENARIOS / base).as_posix()}"\n\n[execution]\n{execution}\n', encoding="utf-8")
    return path


# --- The data ---------------------------------------------------------------------------------------


def test_the_shipped_series_hold_the_budget_stages_with_sources_and_statuses() -> None:
    rows = series()
    # 2023 by hand: passed 111.8, final 110.3, outturn 100.7 (state closing account).
    assert rows[2023, "mod_budget_passed_czk_bn"]["value"] == "111.8"
    assert rows[2023, "mod_budget_final_czk_bn"]["value"] == "110.3"
    assert rows[2023, "mod_outturn_czk_bn"]["value"] == "100.7"
    assert rows[2023, "mod_outturn_czk_bn"]["status"] == "actual"
    assert "cz_lidovky_2024_05" in rows[2023, "mod_outturn_czk_bn"]["note"]  # the second source, named
    # A budget is a plan (estimate), a bill a request (projection); the ministry's year-end outturn an estimate.
    assert rows[2024, "mod_budget_passed_czk_bn"]["status"] == "estimate"
    assert rows[2026, "mod_budget_bill_czk_bn"]["status"] == "projection"
    assert rows[2024, "mod_outturn_czk_bn"]["status"] == "estimate"
    assert rows[2016, "mod_outturn_czk_bn"]["status"] == "actual"  # the closing account, via the rapporteur
    # The 2014 conflict stays apart, each value with its source and a note saying so.
    assert rows[2014, "mod_budget_passed_czk_bn"]["value"] == "42.0"
    assert rows[2014, "mod_budget_passed_restated_czk_bn"]["value"] == "42.721421033"
    assert {rows[2014, i]["source_id"] for i in ("mod_budget_passed_czk_bn", "mod_budget_passed_restated_czk_bn")} == {
        "cz_demagog_20342",
        "cz_rozhlas_2014_12",
    }
    assert "CONFLICT" in rows[2014, "mod_budget_passed_czk_bn"]["note"]
    sources = load_sources()
    for (_year, indicator), r in rows.items():
        if indicator.startswith(("mod_budget_", "mod_outturn_", "mod_unspent_")):
            src = sources[r["source_id"]]
            assert src.publisher and src.title and src.url.startswith("http") and src.published
    assert sources["cz_mod_2016_01"].input_file == "czech_mod_budget_2014_2026.csv"


def test_the_importer_reads_the_stages_keeps_a_second_source_and_refuses_a_conflict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src, out = inputs(tmp_path / "in"), data(tmp_path / "data")
    stages = src / "czech_mod_budget_2014_2026.csv"
    header = "year,item,value,unit,status,publisher,title,published,url,read_via,note\n"
    stages.write_text(
        header
        + "2023,mod_outturn,100.7,CZK bn,outturn (state closing account),P,T,2024,https://example.org/nato_2025,x,\n"
        + "2023,mod_budget_final,110.3,CZK bn,final budget,P,T,2024,https://example.org/cz_facts,x,\n"
        + '2015,mod_outturn,47.338,CZK bn,"outturn (MoD year-end release, before the state closing account)",P,T,'
        "2016,https://example.org/cz_facts,x,\n",
        encoding="utf-8",
    )
    assert import_main([str(src), "--data", str(out)]) == 0
    with (out / "czland" / "series.csv").open(encoding="utf-8", newline="") as f:
        got = {(int(r["year"]), r["indicator"]): r for r in csv.DictReader(f)}
    assert got[2023, "mod_outturn_czk_bn"]["source_id"] == "cz_facts"  # the facts file came first
    assert "same value in source nato_2025" in got[2023, "mod_outturn_czk_bn"]["note"]
    assert got[2023, "mod_budget_final_czk_bn"]["value"] == "110.3"
    assert got[2015, "mod_outturn_czk_bn"]["status"] == "estimate"  # "before the state closing account"
    capsys.readouterr()
    assert import_main([str(src), "--data", str(out)]) == 0
    assert "0 changes" in capsys.readouterr().err  # a re-run changes nothing
    stages.write_text(
        header + "2023,mod_outturn,99.0,CZK bn,outturn,P,T,2024,https://example.org/nato_2025,x,\n", encoding="utf-8"
    )
    assert import_main([str(src), "--data", str(out)]) == 2  # a different value: never picked silently
    assert "conflicts with 100.7 (cz_facts)" in capsys.readouterr().err


def test_a_rerun_of_the_real_importer_changes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shared = REPO_ROOT.parent / "shared" / "data"
    if not (shared / "czech_defence_budget_facts.csv").is_file():
        pytest.skip("needs ../shared/data")
    import shutil

    shutil.copytree(REPO_ROOT / "budget" / "data", tmp_path / "data")
    assert import_main([str(shared), str(REPO_ROOT / "inputs"), "--data", str(tmp_path / "data")]) == 0
    assert "0 changes" in capsys.readouterr().err


# --- The table --------------------------------------------------------------------------------------


def test_the_table_has_every_year_2014_2026_with_its_sources() -> None:
    c = load_country("czechia")
    t = outturn_table(c)
    assert t is not None
    assert list(t.index) == list(range(2014, 2027))
    assert t.loc[2023, "budget_passed_czk_bn"] == 111.8
    assert t.loc[2023, "budget_final_czk_bn"] == 110.3
    assert t.loc[2023, "outturn_czk_bn"] == 100.7
    assert t.loc[2023, "execution_final_pct"] == pytest.approx(91.3, abs=0.05)  # 100.7 / 110.3
    assert t.loc[2023, "execution_passed_pct"] == pytest.approx(100.7 / 111.8 * 100)
    assert t.loc[2020, "budget_amended_czk_bn"] == 72.6
    assert t.loc[2014, "budget_passed_other_czk_bn"] == pytest.approx(42.721421033)
    share, gdp = (c.array(i, np.array([2023]))[0] for i in ("defense_pct_gdp", "gdp_czk_bn"))
    assert t.loc[2023, "nato_czk_bn"] == pytest.approx(share / 100 * gdp)
    assert t.loc[2023, "nato_status"] == "actual" and t.loc[2025, "nato_status"] == "estimate"
    assert np.isnan(t.loc[2014, "outturn_czk_bn"]) and t.loc[2014, "outturn_source"] == ""  # missing stays empty
    known = load_sources()
    for stage in ("budget_passed", "budget_passed_other", "budget_amended", "budget_final", "nato", "outturn"):
        for year in t.index:
            has_value = not np.isnan(t.loc[year, f"{stage}_czk_bn"])
            ids = [i for i in t.loc[year, f"{stage}_source"].split("; ") if i]
            assert has_value == bool(ids), (stage, year)
            assert all(i in known for i in ids)
    rates = {int(y): v for y, v in t["execution_final_pct"].dropna().items()}
    assert rates == pytest.approx(CZ_RATES)


def test_historical_rate_is_the_mean_and_range_of_the_tables_rates() -> None:
    c = load_country("czechia")
    r = historical_rate(c)
    assert r is not None
    rates = outturn_table(c)["execution_final_pct"].dropna()  # type: ignore[index]
    assert r.mean_pct == pytest.approx(rates.mean()) == pytest.approx(sum(CZ_RATES.values()) / 7)
    assert (r.low_pct, r.high_pct) == pytest.approx((min(CZ_RATES.values()), max(CZ_RATES.values())))
    assert r.years == tuple(CZ_RATES)


def test_a_country_without_the_series_gets_no_table(tmp_path: Path) -> None:
    poland = load_country("poland")
    assert outturn_table(poland) is None and historical_rate(poland) is None and section(poland) == []
    s = load_scenario(SCENARIOS / "plans" / "poland-2026-budget.toml")
    render_scenario(s, project(s), tmp_path / "pl", draws=0)
    assert not list((tmp_path / "pl").glob("outturn.*"))
    assert "Budget against outturn" not in (tmp_path / "pl" / "summary.md").read_text(encoding="utf-8")


def test_a_czech_run_writes_the_table_its_sidecar_the_chart_and_the_section(tmp_path: Path) -> None:
    s = load_scenario(SCENARIOS / "stated-targets.toml")
    folder = tmp_path / "cz"
    render_scenario(s, project(s), folder, draws=0)
    with (folder / "outturn.csv").open(encoding="utf-8", newline="") as f:
        rows = {int(r["year"]): r for r in csv.DictReader(f)}
    assert sorted(rows) == list(range(2014, 2027))
    assert rows[2023]["outturn_source"] == "cz_mod_2023_outturn"
    import json

    side = json.loads((folder / "outturn.json").read_text(encoding="utf-8"))
    assert "cz_demagog_20342" in {x["id"] for x in side["sources"]}  # the table's own sources are listed
    assert {f["name"] for f in side["schema"]["fields"]} >= {"execution_final_pct", "outturn_czk_bn"}
    assert (folder / "outturn.png").read_bytes()[:4] == b"\x89PNG"
    summary = (folder / "summary.md").read_text(encoding="utf-8")
    assert "## Budget against outturn" in summary
    assert "spent on average 94.7 % of its final budget, from 91.3 % in 2023 to 97.6 % in 2020" in summary
    assert "| 2023 | 111.8 |  | 110.3 | 100.7 |" in summary
    assert "Execution rate applied" not in summary  # no [execution] table: the plan is spent in full


def test_the_chart_states_the_range_and_annotates_each_rate() -> None:
    s = load_scenario(SCENARIOS / "stated-targets.toml")
    fig = plot_outturn(outturn_table(s.data), s)  # type: ignore[arg-type]
    assert isinstance(fig, Figure)
    assert fig.texts[0].get_text() == "The defense ministry spent 91–98\u00a0% of its final budget in 2015–2024"
    rates = [t for t in fig.findobj(Text) if str(t.get_gid()).startswith("rate:2")]
    assert [t.get_text() for t in rates] == [f"{v:.1f}\u00a0%" for v in CZ_RATES.values()]
    nato = next(line for line in fig.axes[0].get_lines() if line.get_gid() == "nato")
    assert len(nato.get_xdata()) == 13


# --- The execution rate in a scenario ------------------------------------------------------------------


def test_a_fixed_rate_scales_the_projection_by_exactly_the_rate(tmp_path: Path) -> None:
    base = load_scenario(SCENARIOS / "stated-targets.toml")
    s = load_scenario(scenario(tmp_path, "rate_pct = 95"))
    a, b = project(base), project(s)
    t0 = s.data.last_data_year
    assert rate_pct(s) == 95 and factor(s) == 0.95 and factor(base) == 1.0
    assert float(b.loc[2030, "defense_usd_bn"]) == pytest.approx(15.0 * 0.95)  # USD 15 bn target x 95 %
    for col in ("defense_usd_bn", "defense_czk_bn", "defense_pct_gdp", "defense_usd_bn_low"):
        np.testing.assert_allclose(b.loc[t0 + 1 :, col], a.loc[t0 + 1 :, col] * 0.95, rtol=1e-12)
        np.testing.assert_array_equal(b.loc[:t0, col], a.loc[:t0, col])  # history is never scaled
    summary = summary_markdown(b, s)
    assert "Execution rate applied" in summary and "**95.0 %**" in summary


def test_historical_rate_applies_the_tables_mean_and_the_simulation_draws_within_its_range(tmp_path: Path) -> None:
    base = load_scenario(SCENARIOS / "stated-targets.toml")
    s = load_scenario(scenario(tmp_path, 'rate = "historical"'))
    r = historical_rate(s.data)
    assert r is not None and rate_pct(s) == pytest.approx(r.mean_pct)
    t0 = s.data.last_data_year
    ratio = project(s).loc[t0 + 1 :, "defense_czk_bn"] / project(base).loc[t0 + 1 :, "defense_czk_bn"]
    np.testing.assert_allclose(ratio, r.mean_pct / 100, rtol=1e-12)
    summary = summary_markdown(project(s), s)
    assert "the average execution rate of 2015-2024" in summary and "draws the rate uniformly" in summary
    drawn = draws(s, np.random.default_rng(1), 10_000)
    assert drawn is not None and r.low_pct / 100 <= drawn.min() < drawn.max() <= r.high_pct / 100
    assert draws(base, np.random.default_rng(1), 10) is None
    # With the economy held, the only spread left is the drawn rate: every percentile within its range.
    still = dataclasses.replace(s, real_growth_sd_pct=0.0, deflator_growth_sd_pct=0.0, local_per_usd_sd_pct=0.0)
    sim = simulate(still, draws=4000, seed=3)
    plan = project(base).loc[t0 + 1 :, "defense_czk_bn"]
    for p in ("p05", "p50", "p95"):
        share = sim[f"defense_czk_bn_{p}_high"] / plan * 100
        assert ((share >= r.low_pct - 1e-9) & (share <= r.high_pct + 1e-9)).all(), p
    assert (sim["defense_czk_bn_p95_high"] / sim["defense_czk_bn_p05_high"] > 1.04).all()  # drawn, not fixed
    fixed = dataclasses.replace(still, execution_rate=None, execution_rate_pct=95.0)
    sim_fixed = simulate(fixed, draws=500, seed=3)
    np.testing.assert_allclose(sim_fixed["defense_czk_bn_p05_high"], sim_fixed["defense_czk_bn_p95_high"])


def test_claims_are_compared_with_the_plan_not_the_expected_spending(tmp_path: Path) -> None:
    from budget.ledger import disagreements

    base = load_scenario(SCENARIOS / "stated-targets.toml")
    s = load_scenario(scenario(tmp_path, "rate_pct = 80"))
    assert disagreements(s) == disagreements(base)


def test_bad_execution_input_exits_2_naming_file_and_key(tmp_path: Path) -> None:
    for text, key in (("rate_pct = 150.5", "execution.rate_pct"), ('rate = "hist"', "execution.rate")):
        path = scenario(tmp_path, text, name="bad")
        out = tmp_path / "out"
        result = call("run", str(path), "--out", str(out), "--draws", "0")
        assert result.status == 2 and f"{path}: {key}" in result.stderr and not out.exists()
    with pytest.raises(ScenarioError, match="needs the budget outturns of Poland"):
        load_scenario(scenario(tmp_path, 'rate = "historical"', name="pl", base="plans/poland-2026-budget.toml"))
