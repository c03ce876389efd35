"""Exchange rates for every country: the published annual average, else the rate IMF WEO implies.

``[rates]`` of ``inputs.toml`` names, per currency, the input that publishes its annual average
(``{CUR}`` per USD); those rows belong to no edition. A currency it does not list gets, for each
IMF WEO edition whose input names an ``fx_source``, the rate that edition used (GDP in national
currency / GDP in USD), labelled as derived and filed under that edition. Nothing is filled: a
year without both GDP figures, or without a published rate, has an empty ``missing`` row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from budget.importers.build import Country


def rates(
    cfg: dict[str, Any], read: dict[str, list[Any]], countries: dict[str, Country], hashes: dict[str, tuple[str, str]]
) -> None:
    """Put every country's ``{cur}_per_usd`` rows for the years of ``[rates]``; record implied sources' hashes."""
    r = cfg["rates"]
    first, last = r["years"]
    by_id = {s["id"]: s for s in cfg["inputs"]}
    weo = [s for s in cfg["inputs"] if s.get("fx_source")]
    for c in countries.values():
        spec = r.get(c.currency)
        if spec is None:
            for w in weo:
                _implied(r, w, read[w["id"]], c, hashes, range(first, last + 1))
            continue
        name, unit = c.fill("{cur}_per_usd"), c.fill(r["unit"])
        for year in range(first, last + 1):
            if spec.get("identity"):
                c.put(year, name, 1.0, unit, "actual", spec["source"], spec["note"])
                hashes.setdefault(spec["source"], ("", ""))
                continue
            found = [v for v in read[spec["input"]] if v.series_id == spec["series"] and v.year == year]
            value = found[0].value if found else None
            if value is not None and spec.get("invert"):
                value = 1 / value
            c.put(year, name, value, unit, "actual", by_id[spec["input"]]["source"], spec.get("note", ""))


def _implied(
    r: dict[str, Any],
    w: dict[str, Any],
    values: list[Any],
    c: Country,
    hashes: dict[str, tuple[str, str]],
    years: range,
) -> None:
    """The rate one IMF WEO edition implies for ``c`` (in the currency that edition states it in)."""
    name, unit = c.fill("{cur}_per_usd", w["edition"]), c.fill(r["unit"], w["edition"])
    gdp = {(v.weo_code, v.year): v for v in values if v.iso3 == c.iso3}
    for year in years:
        local, usd = gdp.get(("NGDP", year)), gdp.get(("NGDPD", year))
        value = local.value / usd.value if local and usd and local.value and usd.value else None
        actual = local is not None and local.last_actual is not None and year <= local.last_actual
        status = r["implied"]["status"] if actual else "projection"
        c.put(year, name, value, unit, status, w["fx_source"], r["implied"]["note"], w["edition"])
    hashes[w["fx_source"]] = hashes[w["source"]]
