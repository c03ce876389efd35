"""The shipped data: every value carries a known source, a unit and a status; missing stays missing."""

from __future__ import annotations

import csv
import math

import pytest

from budget.history import DATA, STATUSES, countries, load_country, load_sources, series_rows


def test_every_source_is_complete() -> None:
    for src in load_sources().values():
        assert src.publisher and src.title and src.published and src.accessed, src.id
        assert src.url.startswith(("http://", "https://")), src.id


@pytest.mark.parametrize("key", countries())
def test_every_value_has_source_unit_and_status(key: str) -> None:
    c = load_country(key)
    sources = load_sources()
    assert c.rows
    for r in c.rows:
        assert r.source_id in sources, r
        assert r.unit, r
        assert r.status in STATUSES, r
        assert math.isnan(r.value) == (r.status == "missing"), r  # missing stays missing, never filled in
    pairs = [(r.year, r.indicator) for r in c.rows]
    assert len(pairs) == len(set(pairs)), "one value per year and indicator in the editions loaded"
    every = [(r.year, r.indicator, r.edition) for r in series_rows(c.folder)]
    assert len(every) == len(set(every)), "one value per year, indicator and edition in series.csv"


def test_czech_series_as_published() -> None:
    c = load_country("czechia")
    assert c.currency == "CZK" and c.last_data_year == 2025
    defaults = ("", "IMF WEO 2025-10", "NATO 2025")
    with (DATA / "czechia" / "series.csv").open(encoding="utf-8", newline="") as f:
        rows = {(int(r["year"]), r["indicator"]): r for r in csv.DictReader(f) if r["edition"] in defaults}
    assert float(rows[2024, "defense_pct_gdp"]["value"]) == 2.075680277  # NATO 2025 edition, Table 3 (unrounded)
    assert rows[2024, "defense_pct_gdp"]["status"] == "estimate"
    assert float(rows[2030, "gdp_czk_bn"]["value"]) == 10261.645  # IMF WEO October 2025
    assert rows[2030, "gdp_czk_bn"]["status"] == "projection"
    assert float(rows[2025, "czk_per_usd"]["value"]) == 21.914  # CNB daily fixings, mean
    assert (2022, "equipment_pct_defense") not in rows  # not in the inputs: absent, never filled
    assert float(rows[2019, "equipment_pct_defense"]["value"]) == 14.5  # hand-sourced row (NATO 2019) kept
