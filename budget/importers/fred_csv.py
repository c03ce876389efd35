"""Reader for FRED's CSV download of one annual series (St. Louis Fed, https://fred.stlouisfed.org).

Layout of ``https://fred.stlouisfed.org/graph/fredgraph.csv?id=AEXUSEU`` (comma-separated,
UTF-8): a header line ``observation_date,AEXUSEU`` (files downloaded before FRED renamed the
column in December 2024 say ``DATE,AEXUSEU``; a download of several series has one column per
series id), then one line per observation: the period's first day as ``YYYY-MM-DD`` (``1999-01-01``
for the year 1999 of an annual series) and the value, ``.`` where FRED has none.

Units are the series' own, returned unchanged: for an exchange rate, units of ``quote`` currency
per one unit of ``base`` (``AEXUSEU``: U.S. dollars per euro, annual average).
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path

from budget.importers.records import RateValue

DATE_COLUMNS: tuple[str, ...] = ("observation_date", "DATE")  # current, and before December 2024
MISSING = frozenset({"", "."})
NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def read_fred_csv(path: Path, series_id: str, base: str, quote: str) -> list[RateValue]:
    """The annual observations of ``series_id`` in the FRED CSV download at ``path``, by year.

    ``value`` is ``quote`` units per ``base`` unit as FRED publishes it (``None`` for ``.`` or an
    empty cell); ``year`` is the year of the observation date. Raises ``ValueError`` naming the
    file (and the line) when it cannot be read or decoded, when the header's first column is not
    ``observation_date`` or ``DATE``, when it has no column ``series_id``, when a date is not
    ``YYYY-MM-DD`` or a value not a number, or when a year repeats (the series is not annual).
    """
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as err:
        raise ValueError(f"{path}: cannot read the file: {err.strerror or err}") from err
    except UnicodeDecodeError as err:
        raise ValueError(f"{path}: byte {err.start}: not valid UTF-8 text") from err
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = ((reader.line_num, [cell.strip() for cell in row]) for row in reader if any(cell.strip() for cell in row))
    try:
        header_line, header = next(rows)
    except StopIteration:
        raise ValueError(f"{path}: the file is empty") from None
    if header[0] not in DATE_COLUMNS:
        raise ValueError(
            f"{path}: line {header_line}, column 1: {header[0]!r} is not a FRED date column"
            f" ({' or '.join(DATE_COLUMNS)}); is this a fredgraph.csv download?"
        )
    if header.count(series_id) != 1:
        problem = "has no column" if series_id not in header else "has more than one column"
        raise ValueError(f"{path}: line {header_line}: the header {problem} {series_id!r} (found {header})")
    column = header.index(series_id)

    lines: dict[int, int] = {}  # year -> line
    values: list[RateValue] = []
    for line, cells in rows:
        year = _year(path, line, cells[0])
        if year in lines:
            raise ValueError(
                f"{path}: line {line}: year {year} is also on line {lines[year]}; {series_id} is not an annual series"
            )
        lines[year] = line
        text = cells[column] if column < len(cells) else ""
        if text in MISSING:
            value = None
        elif NUMBER.fullmatch(text):
            value = float(text)
        else:
            raise ValueError(f"{path}: line {line}, column {column + 1} ({series_id}): not a number: {text!r}")
        values.append(RateValue(series_id, base, quote, year, value))
    return sorted(values, key=lambda record: record.year)


def _year(path: Path, line: int, text: str) -> int:
    """The year of an observation date ``YYYY-MM-DD``; ``ValueError`` naming the line otherwise."""
    try:
        if not ISO_DATE.fullmatch(text):
            raise ValueError(text)
        return date.fromisoformat(text).year
    except ValueError:
        raise ValueError(f"{path}: line {line}, column 1: not a YYYY-MM-DD date: {text!r}") from None
