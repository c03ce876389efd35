"""The WEO and FRED importers on small files in the publishers' layouts (tests/data/importers/).

The fixtures are hand-made in the published layouts; the expectations below are worked out by
hand from them (the deflators are NGDP / NGDP_R x 100 of the same rows, to three decimals).
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from budget.importers.fred_csv import read_fred_csv
from budget.importers.records import RateValue, WeoValue
from budget.importers.weo_tsv import read_weo_tsv

DATA = Path(__file__).parent / "data" / "importers"
WEO_LATIN1 = DATA / "weo_3countries_latin1.tsv"  # pre-October-2020 style: Latin-1, LF
WEO_UTF16 = DATA / "weo_3countries_utf16.tsv"  # October 2020 on: UTF-16 LE with BOM, CRLF, trailing empty columns
FRED_NEW = DATA / "fred_aexuseu.csv"  # header observation_date,AEXUSEU
FRED_OLD = DATA / "fred_aexuseu_old_header.csv"  # header DATE,AEXUSEU, CRLF

HEADER = (
    "WEO Country Code\tISO\tWEO Subject Code\tCountry\tSubject Descriptor\tSubject Notes\tUnits\tScale\t"
    "Country/Series-specific Notes\t2023\t2024\tEstimates Start After"
)
FOOTER = "International Monetary Fund, World Economic Outlook Database, October 2025"


def weo_line(iso: str = "DEU", code: str = "NGDP", v2023: str = "1.5", v2024: str = "2", last: str = "2024") -> str:
    """One data line of the two-year test header."""
    cells = ["134", iso, code, "Germany", "Gross domestic product, current prices", "", "National currency"]
    return "\t".join([*cells, "Billions", "Base year: 2020", v2023, v2024, last])


def write(tmp_path: Path, text: str, name: str = "weo.tsv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def expected_weo() -> list[WeoValue]:
    """Every default-code value of the 3-country fixture, in file order then by year."""
    rows = [
        ("DEU", "NGDP", (4185.55, 4305.26, 4430.07), 2020, 2024),
        ("DEU", "NGDPD", (4525.70, 4659.93, 5013.57), 2020, 2024),
        ("DEU", "NGDP_RPCH", (-0.3, -0.2, 0.25), 2020, 2024),
        ("DEU", "NGDP_D", (122.643, 126.403, 129.744), 2020, 2024),
        ("POL", "NGDP", (3410.52, 3637.81, 3870.0), 2015, 2024),
        ("POL", "NGDPD", (811.229, 914.696, None), 2015, 2024),  # "--" in 2025
        ("POL", "NGDP_RPCH", (0.1, 2.9, 3.2), 2015, 2024),
        ("POL", "NGDP_D", (142.336, 147.543, None), 2015, 2024),  # "n/a" in 2025
        ("TUR", "NGDP", (26545.98, 43410.81, None), None, 2023),  # notes give no base year
        ("TUR", "NGDPD", (1130.0, 1323.26, None), None, 2023),  # empty cell in 2025
        ("TUR", "NGDP_RPCH", (5.1, 3.2, None), None, 2023),
        ("TUR", "NGDP_D", (None, None, None), None, None),  # "n/a" everywhere, "Estimates Start After" too
    ]
    return [
        WeoValue(iso, code, year, value, base, last)
        for iso, code, values, base, last in rows
        for year, value in zip((2023, 2024, 2025), values, strict=True)
    ]


# ---- WEO: the layout ------------------------------------------------------------------------------


def test_weo_latin1_file_gives_every_default_value() -> None:
    assert read_weo_tsv(WEO_LATIN1) == expected_weo()


def test_weo_utf16_file_gives_the_same_values() -> None:
    assert WEO_UTF16.read_bytes().startswith(codecs.BOM_UTF16_LE)
    assert read_weo_tsv(WEO_UTF16) == expected_weo()


def test_weo_encodings_without_bom_and_with_utf8_bom(tmp_path: Path) -> None:
    text = WEO_LATIN1.read_bytes().decode("latin-1")
    for encoding in ("utf-16-le", "utf-16-be", "utf-8", "utf-8-sig"):
        assert read_weo_tsv(write(tmp_path, text, f"weo-{encoding}.tsv", encoding)) == expected_weo(), encoding


def test_weo_codes_select_subjects_and_keep_file_order() -> None:
    values = read_weo_tsv(WEO_UTF16, codes=["NGDP_D", "NGDP_R"])
    assert [(v.iso3, v.weo_code) for v in values[::3]] == [
        ("DEU", "NGDP_R"),
        ("DEU", "NGDP_D"),
        ("POL", "NGDP_R"),
        ("POL", "NGDP_D"),
        ("TUR", "NGDP_D"),
    ]
    assert values[:3] == [
        WeoValue("DEU", "NGDP_R", y, v, 2020, 2024) for y, v in [(2023, 3412.8), (2024, 3405.97), (2025, 3414.48)]
    ]


def test_weo_quoted_notes_do_not_swallow_columns() -> None:
    # The PPPGDP row's Subject Notes start with a double quote; the cells after it are still its own.
    values = read_weo_tsv(WEO_LATIN1, codes=["PPPGDP"])
    assert values == [
        WeoValue("TUR", "PPPGDP", y, v, None, 2023) for y, v in [(2023, 3560.17), (2024, 3767.0), (2025, 3970.0)]
    ]


def test_weo_unknown_code_gives_nothing() -> None:
    assert read_weo_tsv(WEO_LATIN1, codes=["LUR"]) == []


def test_weo_base_year_from_referenced_series_and_fiscal_year(tmp_path: Path) -> None:
    see = (
        "See notes for:  Gross domestic product, constant prices (National currency)"
        " Gross domestic product, current prices (National currency)."
    )
    lines = [
        HEADER,
        "\t".join(["534", "IND", "NGDP_R", "India", "Gross domestic product, constant prices", "", "National currency"])
        + "\tBillions\tBase year: 2011/12 Chain-weighted: No\t1\t2\t2024",
        "\t".join(["534", "IND", "NGDP", "India", "Gross domestic product, current prices", "", "National currency"])
        + "\tBillions\tBase year: 2004/05\t1\t2\t2024",
        "\t".join(["534", "IND", "NGDP_D", "India", "Gross domestic product, deflator", "", "Index", "Units", see])
        + "\t100\t104.5\t2024",
        FOOTER,
    ]
    values = read_weo_tsv(write(tmp_path, "\n".join(lines)), codes=["NGDP_D", "NGDP"])
    # NGDP's own notes win; the deflator takes the first series its notes name (constant prices).
    assert [(v.weo_code, v.base_year) for v in values] == [
        ("NGDP", 2004),
        ("NGDP", 2004),
        ("NGDP_D", 2011),
        ("NGDP_D", 2011),
    ]


def test_weo_thousands_separators_signs_and_spreadsheet_quotes(tmp_path: Path) -> None:
    lines = [HEADER, weo_line(v2023='"12,345,678.9"', v2024="-1,000"), "", FOOTER, ""]
    values = read_weo_tsv(write(tmp_path, "\n".join(lines)))
    assert [v.value for v in values] == [12345678.9, -1000.0]


# ---- WEO: errors ----------------------------------------------------------------------------------


def test_weo_header_without_required_columns(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER.replace("\tISO\t", "\tCountry ISO\t") + "\n" + weo_line())
    with pytest.raises(ValueError, match=r"weo\.tsv: line 1: the header lacks the column\(s\) 'ISO'"):
        read_weo_tsv(path)


def test_weo_header_names_the_encoding_it_read(tmp_path: Path) -> None:
    path = write(tmp_path, "WEO Country Code;ISO;WEO Subject Code\n", encoding="latin-1")
    with pytest.raises(ValueError, match=r"line 1: .*'WEO Subject Code'.*read as utf-8"):
        read_weo_tsv(path)


def test_weo_header_without_year_columns(tmp_path: Path) -> None:
    header = HEADER.replace("\t2023\t2024", "")
    with pytest.raises(ValueError, match=r"weo\.tsv: line 1: the header has no year columns"):
        read_weo_tsv(write(tmp_path, header + "\n"))


def test_weo_repeated_header_column(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"weo\.tsv: line 1, column 12: '2023' is also column 10"):
        read_weo_tsv(write(tmp_path, HEADER.replace("Estimates Start After", "2023\tEstimates Start After")))


def test_weo_empty_file(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"weo\.tsv: the file is empty"):
        read_weo_tsv(write(tmp_path, "\n\n"))


def test_weo_value_not_a_number(tmp_path: Path) -> None:
    path = write(tmp_path, "\n".join([HEADER, weo_line(), weo_line(iso="FRA", v2024="1.234,5")]))
    with pytest.raises(ValueError, match=r"weo\.tsv: line 3, column 11 \(2024\): not a number: '1\.234,5'"):
        read_weo_tsv(path)


def test_weo_last_actual_not_a_year(tmp_path: Path) -> None:
    path = write(tmp_path, "\n".join([HEADER, weo_line(last="2024.0")]))
    with pytest.raises(ValueError, match=r"line 2, column 12 \(Estimates Start After\): not a year: '2024\.0'"):
        read_weo_tsv(path)


def test_weo_line_without_iso_or_subject_code(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"weo\.tsv: line 2, column 2 \(ISO\): empty"):
        read_weo_tsv(write(tmp_path, "\n".join([HEADER, weo_line(iso="")])))
    with pytest.raises(ValueError, match=r"weo\.tsv: line 3, column 3 \(WEO Subject Code\): empty"):
        read_weo_tsv(write(tmp_path, "\n".join([HEADER, weo_line(), weo_line(code="")])))


def test_weo_value_under_no_header_column(tmp_path: Path) -> None:
    path = write(tmp_path, "\n".join([HEADER, weo_line() + "\t7"]))
    with pytest.raises(ValueError, match=r"weo\.tsv: line 2, column 13: a value under no header column: '7'"):
        read_weo_tsv(path)


def test_weo_country_and_subject_twice(tmp_path: Path) -> None:
    path = write(tmp_path, "\n".join([HEADER, weo_line(), weo_line(code="NGDPD"), weo_line()]))
    with pytest.raises(ValueError, match=r"weo\.tsv: line 4: DEU NGDP is also on line 2"):
        read_weo_tsv(path)


def test_weo_broken_utf16(tmp_path: Path) -> None:
    path = tmp_path / "weo.tsv"
    path.write_bytes(codecs.BOM_UTF16_LE + "WEO".encode("utf-16-le") + b"\x00\xd8")  # a lone surrogate
    with pytest.raises(ValueError, match=r"weo\.tsv: byte \d+: not valid utf-16"):
        read_weo_tsv(path)


def test_weo_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"absent\.tsv: cannot read the file"):
        read_weo_tsv(tmp_path / "absent.tsv")


# ---- FRED -----------------------------------------------------------------------------------------


def rates(*pairs: tuple[int, float | None]) -> list[RateValue]:
    return [RateValue("AEXUSEU", "EUR", "USD", year, value) for year, value in pairs]


def test_fred_current_header() -> None:
    values = read_fred_csv(FRED_NEW, "AEXUSEU", "EUR", "USD")
    assert values == rates((2021, 1.1830), (2022, 1.0534), (2023, 1.0813), (2024, None))


def test_fred_old_date_header() -> None:
    values = read_fred_csv(FRED_OLD, "AEXUSEU", "EUR", "USD")
    assert values == rates((2018, 1.1817), (2019, 1.1194), (2020, None))


def test_fred_several_series_empty_cell_and_order(tmp_path: Path) -> None:
    path = tmp_path / "fred.csv"
    path.write_text("\ufeffobservation_date,AEXUSUK,AEXUSEU\n2001-01-01,1.4396,0.8952\n2000-01-01,1.5165,\n\n")
    assert read_fred_csv(path, "AEXUSEU", "EUR", "USD") == rates((2000, None), (2001, 0.8952))
    assert read_fred_csv(path, "AEXUSUK", "GBP", "USD") == [
        RateValue("AEXUSUK", "GBP", "USD", 2000, 1.5165),
        RateValue("AEXUSUK", "GBP", "USD", 2001, 1.4396),
    ]


def test_fred_column_for_series_absent() -> None:
    with pytest.raises(ValueError, match=r"fred_aexuseu\.csv: line 1: the header has no column 'AEXUSUK'"):
        read_fred_csv(FRED_NEW, "AEXUSUK", "GBP", "USD")


def test_fred_column_for_series_twice(tmp_path: Path) -> None:
    path = tmp_path / "fred.csv"
    path.write_text("DATE,AEXUSEU,AEXUSEU\n2001-01-01,1,1\n")
    with pytest.raises(ValueError, match=r"fred\.csv: line 1: the header has more than one column 'AEXUSEU'"):
        read_fred_csv(path, "AEXUSEU", "EUR", "USD")


def test_fred_year_repeats(tmp_path: Path) -> None:
    path = tmp_path / "monthly.csv"
    path.write_text("observation_date,AEXUSEU\n2024-01-01,1.09\n2024-02-01,1.08\n")
    with pytest.raises(ValueError, match=r"monthly\.csv: line 3: year 2024 is also on line 2; AEXUSEU is not an"):
        read_fred_csv(path, "AEXUSEU", "EUR", "USD")


def test_fred_not_a_fred_header(tmp_path: Path) -> None:
    path = tmp_path / "page.csv"
    path.write_text("<!DOCTYPE html>\n<html></html>\n")
    with pytest.raises(ValueError, match=r"page\.csv: line 1, column 1: '<!DOCTYPE html>' is not a FRED date column"):
        read_fred_csv(path, "AEXUSEU", "EUR", "USD")


def test_fred_bad_date(tmp_path: Path) -> None:
    path = tmp_path / "fred.csv"
    for bad in ("2024", "2024-13-01", "01/01/2024"):
        path.write_text(f"observation_date,AEXUSEU\n2023-01-01,1.08\n{bad},1.09\n")
        with pytest.raises(ValueError, match=rf"fred\.csv: line 3, column 1: not a YYYY-MM-DD date: '{bad}'"):
            read_fred_csv(path, "AEXUSEU", "EUR", "USD")


def test_fred_bad_value(tmp_path: Path) -> None:
    path = tmp_path / "fred.csv"
    for cell, bad in (("n/a", "n/a"), ('"1,08"', "1,08"), ("nan", "nan")):
        path.write_text(f"observation_date,AEXUSEU\n2023-01-01,{cell}\n")
        with pytest.raises(ValueError, match=rf"fred\.csv: line 2, column 2 \(AEXUSEU\): not a number: '{bad}'"):
            read_fred_csv(path, "AEXUSEU", "EUR", "USD")


def test_fred_empty_and_undecodable_and_missing(tmp_path: Path) -> None:
    empty, latin1 = tmp_path / "empty.csv", tmp_path / "latin1.csv"
    empty.write_text("\n")
    latin1.write_bytes("observation_date,AEXUSEU\n2023-01-01,1.08 \u00e9\n".encode("latin-1"))
    with pytest.raises(ValueError, match=r"empty\.csv: the file is empty"):
        read_fred_csv(empty, "AEXUSEU", "EUR", "USD")
    with pytest.raises(ValueError, match=r"latin1\.csv: byte \d+: not valid UTF-8"):
        read_fred_csv(latin1, "AEXUSEU", "EUR", "USD")
    with pytest.raises(ValueError, match=r"absent\.csv: cannot read the file"):
        read_fred_csv(tmp_path / "absent.csv", "AEXUSEU", "EUR", "USD")
