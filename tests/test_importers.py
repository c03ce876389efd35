"""The importer end to end on small input files written here: rows, statuses, hashes, changes."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest

from budget.importers.__main__ import main

SOURCES = "id,publisher,title,url,published,accessed,note,short,publisher_short\n" + "".join(
    f"{i},P,T,https://example.org/{i},2025,2026,,,\n"
    for i in (
        "nato_2025",
        "nato_2025_news",
        "nato_2026",
        "imf_weo_2025_10",
        "imf_weo_2025_10_fiscal",
        "imf_weo_2026_04",
        "imf_weo_2026_04_fx",
        "fred_g5a",
        "cnb_fx",
        "imf_weo_2025_10_fx",
        "cz_facts",
    )
)
WEO_HEADER = "iso3,country,weo_code,year,value,unit,base_year,last_actual,status,source"


def inputs(folder: Path, share_2024: str = "2.5") -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "nato_2025ed_table3_pct_gdp_2014_2024.csv").write_text(
        f"iso3,country,year,pct_gdp,status\nEUA,Eualand,2023,1.234567891,actual\nEUA,Eualand,2024,{share_2024},estimate\n"
        "LOC,Locland,2024,3.1,estimate\n",
        encoding="utf-8",
    )
    (folder / "nato_2025ed_2025e_reported.csv").write_text(
        "iso3,country,year,pct_gdp_rounded,status,note\nEUA,Eualand,2025,2.60,estimate,\n", encoding="utf-8"
    )
    (folder / "nato_2026ed_sample_7allies.csv").write_text(
        "iso3,country,year,indicator,value,unit,status\nEUA,Eualand,2025,pct_gdp,2.4,percent of GDP,estimate\n",
        encoding="utf-8",
    )
    weo = [WEO_HEADER]
    for iso, gdp_usd in (("EUA", 100.0), ("LOC", 25.0)):
        for year in (2024, 2025):
            weo += [
                f"{iso},x,NGDP,{year},{200.0 if year == 2024 else 210.0},u,2020,2024,,",
                f"{iso},x,NGDPD,{year},{gdp_usd},u,2020,2024,,",
                f"{iso},x,NGDP_RPCH,{year},1.5,u,2020,2024,,",
                f"{iso},x,NGDP_D,{year},{110.0 if year == 2024 else 113.0},u,2020,2024,,",
            ]
    (folder / "imf_weo_2025oct_nato32_kor.csv").write_text("\n".join(weo) + "\n", encoding="utf-8")
    fiscal = [WEO_HEADER, "EUA,x,GGXWDG_NGDP,2024,60.5,u,,2024,,", "EUA,x,GGXWDG_NGDP,2025,61.0,u,,2024,,"]
    (folder / "imf_weo_2025oct_fiscal_nato32_kor.csv").write_text("\n".join(fiscal) + "\n", encoding="utf-8")
    april = [WEO_HEADER, "EUA,x,NGDP,2025,215.0,u,2020,2025,,", "LOC,x,NGDP,2025,30.0,u,2020,2025,,"]
    april += ["LOC,x,NGDPD,2025,3.0,u,2020,2025,,", "EUA,x,GGXWDG_NGDP,2025,62.0,u,,2024,,"]
    (folder / "imf_weo_2026apr_nato32_kor.csv").write_text("\n".join(april) + "\n", encoding="utf-8")
    (folder / "fred_h10_annual_fx_2014_2025.csv").write_text(
        "series_id,unit,year,value\nAEXUSEU,USD per EUR (invert for EUR per USD),2024,1.25\n"
        "AEXUSEU,USD per EUR (invert for EUR per USD),2025,1.10\n",
        encoding="utf-8",
    )
    (folder / "cnb_czk_annual_avg_2014_2025.csv").write_text("year,czk_per_usd\n2024,23.2\n", encoding="utf-8")
    (folder / "korea_defense_budget.csv").write_text(
        "year,item,value,unit,basis,status,publisher,source_url,read_via\n", encoding="utf-8"
    )
    (folder / "czech_defence_budget_facts.csv").write_text(
        "year,item,value,unit,status,source_type,source_url,note\n"
        "2023,mod_spent,100.7,CZK billion,outturn (final accounts),NEWS,https://example.org/cz_facts,\n",
        encoding="utf-8",
    )
    (folder / "czech_mod_budget_2014_2026.csv").write_text(  # the budget stages: `url`, not `source_url`
        "year,item,value,unit,status,publisher,title,published,url,read_via,note\n"
        "2023,mod_budget_passed,111.8,CZK billion,budget act,P,T,2024,https://example.org/cz_facts,copy,\n",
        encoding="utf-8",
    )
    return folder


def data(folder: Path) -> Path:
    for key, iso, cur in (("eualand", "EUA", "EUR"), ("locland", "LOC", "LCU"), ("czland", "CZE", "CZK")):
        (folder / key).mkdir(parents=True)
        (folder / key / "country.toml").write_text(
            f'name = "{key}"\niso3 = "{iso}"\ncurrency = "{cur}"\nmemberships = ["nato"]\n', encoding="utf-8"
        )
    (folder / "sources.csv").write_text(SOURCES, encoding="utf-8")
    return folder


def rows(
    path: Path, editions: tuple[str, ...] = ("", "IMF WEO 2025-10", "NATO 2025")
) -> dict[tuple[int, str], dict[str, str]]:
    """The rows of the ``editions`` (by default the default editions), by year and indicator."""
    with path.open(encoding="utf-8", newline="") as f:
        return {(int(r["year"]), r["indicator"]): r for r in csv.DictReader(f) if r["edition"] in editions}


def test_import_writes_series_statuses_and_hashes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src, out = inputs(tmp_path / "in"), data(tmp_path / "data")
    assert main([str(src), "--data", str(out)]) == 0
    eu = rows(out / "eualand" / "series.csv")
    assert eu[2023, "defense_pct_gdp"]["value"] == "1.234567891"  # every published digit
    assert eu[2024, "defense_pct_gdp"]["status"] == "estimate"
    assert (
        eu[2025, "defense_pct_gdp"]["value"] == "2.6" and eu[2025, "defense_pct_gdp"]["source_id"] == "nato_2025_news"
    )
    assert eu[2022, "defense_pct_gdp"]["status"] == "missing" and eu[2022, "defense_pct_gdp"]["value"] == ""
    assert float(eu[2024, "eur_per_usd"]["value"]) == pytest.approx(0.8)  # 1 / 1.25 USD per EUR
    assert eu[2025, "gdp_eur_bn"]["status"] == "projection" and eu[2024, "gdp_eur_bn"]["status"] == "actual"
    assert (2024, "gdp_deflator_2020_100") in eu
    loc = rows(out / "locland" / "series.csv")
    assert float(loc[2024, "lcu_per_usd"]["value"]) == 8.0  # no published rate: 200 / 25, derived
    assert loc[2024, "lcu_per_usd"]["note"].startswith("derived")
    with (out / "sources.csv").open(encoding="utf-8", newline="") as f:
        src_rows = {r["id"]: r for r in csv.DictReader(f)}
    table3 = src / "nato_2025ed_table3_pct_gdp_2014_2024.csv"
    assert src_rows["nato_2025"]["sha256"] == hashlib.sha256(table3.read_bytes()).hexdigest()
    assert src_rows["nato_2025"]["input_file"] == table3.name
    assert "added" in capsys.readouterr().out


def test_editions_sit_side_by_side_and_never_share_a_row(tmp_path: Path) -> None:
    src, out = inputs(tmp_path / "in"), data(tmp_path / "data")
    assert main([str(src), "--data", str(out)]) == 0
    path = out / "eualand" / "series.csv"
    october, april = rows(path, ("IMF WEO 2025-10",)), rows(path, ("IMF WEO 2026-04",))
    assert october[2025, "gdp_eur_bn"]["value"] == "210.0" and october[2025, "gdp_eur_bn"]["status"] == "projection"
    assert april[2025, "gdp_eur_bn"]["value"] == "215.0" and april[2025, "gdp_eur_bn"]["status"] == "actual"
    assert october[2025, "gg_gross_debt_pct_gdp"]["value"] == "61.0"  # the fiscal extract of the same edition
    assert april[2025, "gg_gross_debt_pct_gdp"]["status"] == "projection"  # after the series' own last actual year
    nato_2026 = rows(path, ("NATO 2026 (core defence basis)",))
    assert (
        nato_2026[2025, "defense_pct_gdp"]["value"] == "2.4"
        and "core defence" in nato_2026[2025, "defense_pct_gdp"]["unit"]
    )
    assert rows(path)[2025, "defense_pct_gdp"]["value"] == "2.6"  # the 2025 edition's line is untouched
    assert (2024, "defense_pct_gdp") not in nato_2026  # no missing rows invented for an edition not expected
    loc = rows(out / "locland" / "series.csv", ("IMF WEO 2026-04",))
    assert float(loc[2025, "lcu_per_usd"]["value"]) == 10.0  # 30 / 3: the rate April 2026 implies, its own row
    cz = rows(out / "czland" / "series.csv")
    assert cz[2023, "mod_outturn_czk_bn"]["value"] == "100.7" and cz[2023, "mod_outturn_czk_bn"]["status"] == "actual"
    assert cz[2023, "mod_outturn_czk_bn"]["note"] == "outturn (final accounts)"  # the publisher's own status kept


def test_a_rerun_changes_nothing_and_a_new_edition_prints_each_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src, out = inputs(tmp_path / "in"), data(tmp_path / "data")
    main([str(src), "--data", str(out)])
    capsys.readouterr()
    before = (out / "eualand" / "series.csv").read_bytes()
    assert main([str(src), "--data", str(out)]) == 0
    assert capsys.readouterr().out == "" and (out / "eualand" / "series.csv").read_bytes() == before
    inputs(src, share_2024="2.7")
    assert main([str(src), "--data", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "eualand defense_pct_gdp 2024 (NATO 2025): value 2.5 -> 2.7" in printed
    assert "sources nato_2025: input nato_2025ed_table3_pct_gdp_2014_2024.csv" in printed


def test_a_missing_input_is_one_message_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src, out = inputs(tmp_path / "in"), data(tmp_path / "data")
    (src / "cnb_czk_annual_avg_2014_2025.csv").unlink()
    assert main([str(src), "--data", str(out)]) == 2
    assert "cnb_czk_annual_avg_2014_2025.csv" in capsys.readouterr().err
    assert not (out / "eualand" / "series.csv").exists()


def test_the_imfs_own_download_layout_can_replace_the_extract(tmp_path: Path) -> None:
    import shutil

    from budget.importers.build import CONFIG, build

    src, out = inputs(tmp_path / "in"), tmp_path / "data"
    (out / "pol").mkdir(parents=True)
    (out / "pol" / "country.toml").write_text('name = "P"\niso3 = "POL"\ncurrency = "PLN"\n', encoding="utf-8")
    (out / "sources.csv").write_text(SOURCES, encoding="utf-8")
    shutil.copy(Path(__file__).parent / "data" / "importers" / "weo_3countries_latin1.tsv", src / "WEOOct2025all.xls")
    config = CONFIG.read_text(encoding="utf-8").replace(
        'file = "imf_weo_2025oct_nato32_kor.csv"\nlayout = "weo_long"', 'file = "WEOOct2025all.xls"\nlayout = "weo_tsv"'
    )
    assert "weo_tsv" in config
    (tmp_path / "inputs.toml").write_text(config, encoding="utf-8")
    built, _ = build(src, out, tmp_path / "inputs.toml")
    pol = {(y, i): r for (y, i, e), r in built["pol"].rows.items() if e in ("", "IMF WEO 2025-10")}
    assert pol[2024, "gdp_pln_bn"]["value"] == "3637.81" and pol[2024, "gdp_pln_bn"]["status"] == "actual"
    assert pol[2025, "gdp_pln_bn"]["status"] == "projection"
    assert (2024, "gdp_deflator_2015_100") in pol
    assert float(pol[2024, "pln_per_usd"]["value"]) == pytest.approx(3637.81 / 914.696)  # implied, derived
    assert pol[2025, "pln_per_usd"]["status"] == "missing"  # no USD GDP in 2025: no rate, never filled
