"""Reader for the IMF World Economic Outlook "By Countries" full download (``WEO<Mon><YYYY>all.xls``).

Layout, as published on the WEO database pages (for example
https://www.imf.org/en/Publications/WEO/weo-database/2025/October, "Entire dataset", "By Countries";
older releases at https://www.imf.org/external/pubs/ft/weo/2019/02/weodata/WEOOct2019all.xls):
despite its ``.xls`` name the file is tab-separated text, UTF-16 little-endian from the October 2020
release on and Latin-1 before. One header line::

    WEO Country Code, ISO, WEO Subject Code, Country, Subject Descriptor, Subject Notes, Units,
    Scale, Country/Series-specific Notes, 1980, 1981, ..., 2030, Estimates Start After

(tab-separated), then one line per country and subject, then a footer line such as
``International Monetary Fund, World Economic Outlook Database, October 2025``. Values carry
thousands separators (``4,185.55``); ``n/a``, ``--`` or an empty cell means no value.
"Estimates Start After" is the row's last year of actual data. The national-accounts base year
is in the "Country/Series-specific Notes" text (``... Base year: 2015 Chain-weighted: ...``); rows
derived from other series, the deflator ``NGDP_D`` among them, give no base year of their own but
``See notes for:  Gross domestic product, constant prices (National currency) ...``, and then the
base year of the series referred to (the first one named that has a base year) is theirs.

Units are the file's ``Units``/``Scale`` columns and are returned unchanged: ``NGDP`` national
currency, billions; ``NGDPD`` U.S. dollars, billions; ``NGDP_RPCH`` real GDP growth, percent
change on the year before; ``NGDP_D`` GDP deflator, index with ``base_year`` = 100.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

from budget.importers.records import WeoValue

DEFAULT_CODES: tuple[str, ...] = ("NGDP", "NGDPD", "NGDP_RPCH", "NGDP_D")
ISO, CODE, DESCRIPTOR, UNITS = "ISO", "WEO Subject Code", "Subject Descriptor", "Units"
NOTES, LAST_ACTUAL = "Country/Series-specific Notes", "Estimates Start After"
REQUIRED: tuple[str, ...] = (ISO, CODE, DESCRIPTOR, UNITS, NOTES, LAST_ACTUAL)
MISSING = frozenset({"", "n/a", "--"})  # compared in lower case
FOOTER = "International Monetary Fund, World Economic Outlook Database"
SEE_NOTES = "See notes for:"
BASE_YEAR = re.compile(r"Base year:\s*(?:FY\s*)?(\d{4})")  # "Base year: 2011/12" (fiscal) gives 2011
NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|[+-]?\.\d+")  # commas only as thousands
YEAR = re.compile(r"\d{4}")


@dataclass(frozen=True)
class _Row:
    """One data line of the file: its line number and its cells by column index."""

    line: int
    cells: list[str]

    def cell(self, index: int) -> str:
        """The cell in column ``index`` (0-based); ``""`` past the end of a short line."""
        return self.cells[index] if index < len(self.cells) else ""


def read_weo_tsv(path: Path, codes: Collection[str] = DEFAULT_CODES) -> list[WeoValue]:
    """Every value of the WEO subjects ``codes`` in the By-Countries download at ``path``.

    One ``WeoValue`` per country, subject and year column, in file order and then by year;
    ``value`` is ``None`` where the file gives ``n/a``, ``--`` or nothing. Values are in the
    file's units (see the module docstring: ``NGDP`` national currency bn, ``NGDPD`` USD bn,
    ``NGDP_RPCH`` percent, ``NGDP_D`` index = 100 in ``base_year``). Subjects in ``codes`` that
    the file lacks give no records. Raises ``ValueError`` naming the file and the line (and
    column) for a file that cannot be decoded, a header without the required columns or year
    columns, a line without ISO code or subject code, a cell that is not a number, or a country
    and subject given twice.
    """
    wanted = frozenset(codes)
    text, encoding = _decode(path)
    lines = _lines(text)
    try:
        header_line, header = next(lines)
    except StopIteration:
        raise ValueError(f"{path}: the file is empty (read as {encoding})") from None
    columns = _columns(path, header_line, header, encoding)
    years = [(index, int(name)) for name, index in columns.items() if YEAR.fullmatch(name)]
    if not years:
        raise ValueError(
            f"{path}: line {header_line}: the header has no year columns (1980, 1981, ...); found {list(columns)}"
        )
    named = frozenset(columns.values())

    rows: list[_Row] = []
    seen: dict[tuple[str, str], int] = {}
    base_years: dict[str, dict[str, int]] = {}  # ISO -> "Subject Descriptor (Units)" -> base year
    for line, cells in lines:
        if cells[0].startswith(FOOTER) and not any(cells[1:]):
            continue
        for index, cell in enumerate(cells):
            if cell and index not in named:
                raise ValueError(f"{path}: line {line}, column {index + 1}: a value under no header column: {cell!r}")
        row = _Row(line, cells)
        iso, code = row.cell(columns[ISO]), row.cell(columns[CODE])
        for name, cell in ((ISO, iso), (CODE, code)):
            if not cell:
                raise ValueError(f"{path}: line {line}, column {columns[name] + 1} ({name}): empty")
        own = BASE_YEAR.search(row.cell(columns[NOTES]))
        if own:
            label = f"{row.cell(columns[DESCRIPTOR])} ({row.cell(columns[UNITS])})"
            base_years.setdefault(iso, {}).setdefault(label, int(own.group(1)))
        if code not in wanted:
            continue
        if (iso, code) in seen:
            raise ValueError(f"{path}: line {line}: {iso} {code} is also on line {seen[iso, code]}")
        seen[iso, code] = line
        rows.append(row)

    values: list[WeoValue] = []
    for row in rows:
        iso, code = row.cell(columns[ISO]), row.cell(columns[CODE])
        base_year = _base_year(row.cell(columns[NOTES]), base_years.get(iso, {}))
        last_actual = _year(path, row, columns[LAST_ACTUAL])
        for index, year in sorted(years, key=lambda item: item[1]):
            value = _number(path, row, index, str(year))
            values.append(WeoValue(iso, code, year, value, base_year, last_actual))
    return values


# ---- text -------------------------------------------------------------------------------------------


def _decode(path: Path) -> tuple[str, str]:
    """The file's text and the encoding it was read with.

    UTF-8 (with or without BOM), UTF-16 (with BOM, or without one when every other byte of the
    start is NUL), else Latin-1.
    """
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ValueError(f"{path}: cannot read the file: {err.strerror or err}") from err
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    elif (head := data[:4096]) and head.count(0) * 4 > len(head):
        candidates = ["utf-16-le" if head[1::2].count(0) > head[::2].count(0) else "utf-16-be"]
    else:
        candidates = ["utf-8", "latin-1"]
    for encoding in candidates:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as err:
            failure = err
    raise ValueError(f"{path}: byte {failure.start}: not valid {failure.encoding} text") from failure


def _lines(text: str) -> Iterator[tuple[int, list[str]]]:
    """``(line number, cells)`` for each non-blank line; cells stripped, one level of quotes removed.

    Cells are split on tabs only (``QUOTE_NONE``): the notes columns hold free text, quotes
    included, that must not start a quoted field.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t", quoting=csv.QUOTE_NONE)
    for raw in reader:
        cells = [_unquote(cell.strip().lstrip("\ufeff").strip()) for cell in raw]
        if any(cells):
            yield reader.line_num, cells


def _unquote(cell: str) -> str:
    """``cell`` without the double quotes a spreadsheet may have put around it."""
    if len(cell) >= 2 and cell[0] == cell[-1] == '"':
        return cell[1:-1].replace('""', '"').strip()
    return cell


def _columns(path: Path, line: int, header: list[str], encoding: str) -> dict[str, int]:
    """Column index by header name; ``ValueError`` for a repeated name or a missing required one."""
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        if not name:
            continue
        if name in columns:
            raise ValueError(f"{path}: line {line}, column {index + 1}: {name!r} is also column {columns[name] + 1}")
        columns[name] = index
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise ValueError(
            f"{path}: line {line}: the header lacks the column(s) {', '.join(map(repr, missing))}"
            f" (read as {encoding}; found {list(columns)[:12]}); is this the WEO By-Countries download?"
        )
    return columns


# ---- cells ------------------------------------------------------------------------------------------


def _number(path: Path, row: _Row, index: int, name: str) -> float | None:
    """The value in column ``index``: ``None`` for ``n/a``, ``--`` or empty; thousands separators dropped."""
    text = row.cell(index)
    if text.lower() in MISSING:
        return None
    if not NUMBER.fullmatch(text):
        raise ValueError(f"{path}: line {row.line}, column {index + 1} ({name}): not a number: {text!r}")
    return float(text.replace(",", ""))


def _year(path: Path, row: _Row, index: int) -> int | None:
    """The "Estimates Start After" year, ``None`` where the file gives none."""
    text = row.cell(index)
    if text.lower() in MISSING:
        return None
    if not YEAR.fullmatch(text):
        raise ValueError(f"{path}: line {row.line}, column {index + 1} ({LAST_ACTUAL}): not a year: {text!r}")
    return int(text)


def _base_year(notes: str, country: dict[str, int]) -> int | None:
    """The base year the notes give, or that of the first series they refer to ("See notes for:")."""
    own = BASE_YEAR.search(notes)
    if own:
        return int(own.group(1))
    if not notes.startswith(SEE_NOTES):
        return None
    found = [(notes.find(label), -len(label), year) for label, year in country.items() if label in notes]
    return min(found)[2] if found else None
