"""Workbook: ``budget.xlsx``, a run in one Excel file a colleague can read (needs openpyxl).

Sheets, in order: ``summary`` (a row per scenario: title, description, plan source, defense
spending in 2030 and 2035 in USD bn and % of GDP, cumulative procurement, each line's level and
path met in 2035 or not, at both ends of the range, and the scenario's sheet); a sheet per
scenario (its title, description and plan source, then its projection under readable headers
with units); ``gaps``, ``simulation`` (with draws) and ``sensitivity``, every scenario stacked
with a scenario column; ``comparison``; ``sources``; ``columns`` (each header with its name in
the CSV files, unit and meaning). The numbers are those of ``budget.project``, ``budget.gaps``,
``budget.tables.key_figures`` and ``budget.uncertainty``, unrounded, shown with number formats.
The words are in ``budget.workbook_text``. Two runs give byte-identical files.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from budget.compare import Projections, comparison_frame
from budget.formats import num
from budget.ledger import gaps
from budget.pledges import Line, lines_for
from budget.provenance import describe, sources_used
from budget.scenario import Scenario
from budget.tables import key_figures
from budget.uncertainty import sensitivity, simulate
from budget.workbook_text import WORDS, header, say, shown_unit

# The workbook's own sheets: no scenario's sheet takes one.
WORKBOOK_SHEETS = tuple(
    say(k) for k in ("summary", "gaps", "simulation", "sensitivity", "comparison", "sources", "columns")
)
YEARS = (2030, 2035)  # the summary's years; lines are judged in the last
FIXED_TIME = datetime(2000, 1, 1)  # the document's created/modified time: fixed, so reruns give the same bytes
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the zip entries' time, the earliest zip allows


def sheet_names(names: list[str]) -> dict[str, str]:
    """A unique Excel sheet name per scenario: the name itself where it fits in Excel's 31
    characters, else cut to 28 with ``~2``, ``~3``... added. Excel compares sheet names without
    regard to case, and the workbook's own sheets (``WORKBOOK_SHEETS``) count too.

    >>> sheets = sheet_names(["a" * 40, "a" * 35, "Gaps"])
    >>> sheets["a" * 35], sheets["Gaps"]
    ('aaaaaaaaaaaaaaaaaaaaaaaaaaaa~2', 'Gaps~2')
    """
    taken = {w.casefold() for w in WORKBOOK_SHEETS}
    out: dict[str, str] = {}
    for name in names:
        sheet, n = name[:31], 1
        while sheet.casefold() in taken:
            n += 1
            sheet = f"{name[:28]}~{n}"
        taken.add(sheet.casefold())
        out[name] = sheet
    return out


def cell_value(v: Any) -> Any:
    """A cell's value: None for a missing one, plain Python numbers, 0.0 for float noise around 0."""
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    if hasattr(v, "item"):  # a numpy scalar
        v = v.item()
    if isinstance(v, float):
        return 0.0 if abs(v) < 1e-9 else v
    return v if isinstance(v, bool | int) else str(v)


def write_workbook(projections: Projections, path: Path, draws: int = 0, seed: int = 0) -> None:
    """Write ``budget.xlsx`` (see the module docstring) for scenarios of one country; the
    simulation sheet with ``draws`` > 0 and ``seed``, as ``budget.report.run`` draws them.
    """
    group = [s for s, _ in projections.values()]
    base = int(next(iter(projections.values()))[1]["prices_base_year"].iloc[0])
    book = Book(group[0].data.cur, base, {ln.id: ln for s in group for ln in lines_for(s.data)})
    sheets = sheet_names(list(projections))
    ledgers = {name: gaps(s, df) for name, (s, df) in projections.items()}
    sources = sources_used(group)
    summary(book, projections, ledgers, sheets, sources)
    for name, (s, df) in projections.items():
        plan = ", ".join(str(s.plan_source[k]) for k in ("publisher", "title", "date", "url") if s.plan_source.get(k))
        plan += f". {s.plan_source['note']}" if plan and s.plan_source.get("note") else ""
        ws, top = book.sheet(sheets[name], [s.title, _oneline(s.description), plan and say("plan_source", text=plan)])
        book.table(ws, top, df.reset_index(), say("projection_table"))
    stacked = {
        "gaps": _stack({n: _readable(g, book.lines) for n, g in ledgers.items()}),
        "simulation": _stack({n: simulate(s, draws, seed) for n, s in zip(projections, group, strict=True)})
        if draws > 0
        else None,
        "sensitivity": _stack({n: sensitivity(s) for n, s in zip(projections, group, strict=True)}),
    }
    for key, frame in stacked.items():
        if frame is not None:
            ws, top = book.sheet(say(key), [say(f"{key}_title", draws=num(draws, 0), seed=seed)])
            book.table(ws, top, frame, say("stacked_table", sheet=say(key), csv=key), freeze=2, filter=True)
    ws, top = book.sheet(say("comparison"), [say("comparison_title")])
    book.table(ws, top, comparison_frame(projections).reset_index(), say("comparison_table", sheet=say("comparison")))
    ws, top = book.sheet(say("sources"), [say("sources_title")])
    put(ws, top, [say(k) for k in ("source", "source_publisher", "published", "accessed", "source_url")])
    for src in sources:
        ws.append([src[k] for k in ("title", "publisher", "published", "accessed", "path")])
        if src["path"]:
            ws.cell(ws.max_row, 5).hyperlink, ws.cell(ws.max_row, 5).style = src["path"], "Hyperlink"
    book.layout(ws, top, 1, wrap=(1,))
    ws, top = book.sheet(say("columns"), [say("columns_title")])
    put(ws, top, [say(k) for k in ("table", "header", "csv", "unit", "meaning")])
    for row in book.catalog.values():
        ws.append(list(row))
    book.layout(ws, top, 2, wrap=(2, 5))
    book.save(path)


def summary(
    book: Book,
    projections: Projections,
    ledgers: dict[str, pd.DataFrame],
    sheets: dict[str, str],
    sources: list[dict[str, str]],
) -> None:
    """The first sheet: a row per scenario (its sheet linked, its source, its key figures), then notes."""
    from openpyxl.worksheet.hyperlink import Hyperlink

    figures = {name: key_figures(df, s, ledgers[name]) for name, (s, df) in projections.items()}
    windows = {name: _window(k) for name, k in figures.items()}
    shared = len(set(windows.values())) == 1
    usd, pct = (shown_unit(describe(c, book.cur)[1], book.base) for c in ("defense_usd_bn", "defense_pct_gdp"))
    keys = ("scenario", "sheet", "title", "description", "publisher", "source_title", "date", "url", "note")
    heads, formats = [say(k) for k in keys], ["General"] * len(keys)
    for unit, fmt in ((usd, "#,##0.0"), (pct, "0.00")):
        heads += [say("spending", year=y, unit=unit, end=say(e)) for y in YEARS for e in ("low", "high")]
        formats += [fmt] * 2 * len(YEARS)
    years = next(iter(windows.values())) if shared else say("ten_years")
    heads += [say("procurement", years=years, unit=usd, end=say(e)) for e in ("low", "high")]
    heads += [] if shared else [say("procurement_years")]
    formats += ["#,##0.0"] * 2 + ([] if shared else ["General"])
    lines = list(book.lines.values())
    heads += [
        say("met", line=ln.short_label, ref=say(ref), year=YEARS[-1]) for ln in lines for ref in ("level", "path")
    ]
    ws, top = book.sheet(say("summary"), [say("summary_title", country=next(iter(projections.values()))[0].data.name)])
    put(ws, top, heads)
    for name, (s, _) in projections.items():
        k, src = figures[name], s.plan_source
        row: list[Any] = [name, sheets[name], s.title, _oneline(s.description)]
        row += [src.get(key) or None for key in ("publisher", "title", "date", "url", "note")]
        row += [
            k.get(f"{c}_{y}_{e}") for c in ("defense_usd_bn", "defense_pct_gdp") for y in YEARS for e in ("low", "high")
        ]
        row += [k.get(f"procurement_usd_bn_{windows[name].replace('-', '_')}_{e}") for e in ("low", "high")]
        row += [] if shared else [windows[name]]
        row += [_met(s, ledgers[name], ln, ref) for ln in lines for ref in ("level", "path")]
        ws.append([cell_value(v) for v in row])
        ws.cell(ws.max_row, 2).hyperlink = Hyperlink(ref="", location=f"'{sheets[name]}'!A1")
        ws.cell(ws.max_row, 2).style = "Hyperlink"
        if src.get("url"):
            ws.cell(ws.max_row, 8).hyperlink = str(src["url"])
            ws.cell(ws.max_row, 8).style = "Hyperlink"
        for j, fmt in enumerate(formats, start=1):
            ws.cell(ws.max_row, j).number_format = fmt
    book.layout(ws, top, 2, wrap=(3, 4, 6, 9))
    ws.append([])
    used = "; ".join(f"{s['publisher']}: {s['title']}" for s in sources)
    ws.append([say("note_units")])
    ws.append([say("note_lines")])
    ws.append([say("note_sources", sources=used, sources_sheet=say("sources"), columns_sheet=say("columns"))])


def put(ws: Any, row: int, values: list[Any]) -> None:
    """Write ``values`` into row ``row`` of ``ws`` from column A (later appends go below it)."""
    for j, value in enumerate(values, start=1):
        ws.cell(row, j, value)


def _oneline(text: str) -> str:
    """``text`` on one line (a TOML multi-line string's line breaks become spaces)."""
    return " ".join(text.split())


def _window(figures: dict[str, object]) -> str:
    """The years of the cumulative procurement in ``key_figures``, e.g. ``2026-2035``."""
    m = next(re.fullmatch(r"procurement_usd_bn_(\d{4})_(\d{4})_low", k) for k in figures if "procurement_usd" in k)
    assert m is not None  # key_figures always sums procurement
    return f"{m[1]}-{m[2]}"


def _met(s: Scenario, ledger: pd.DataFrame, line: Line, ref: str) -> str:
    """Whether the scenario meets the line's level (``ref`` = ``level``) or the path to it
    (``path``) in the last summary year, at both ends of the range, from the ledger.
    """
    if line not in lines_for(s.data):
        return say("not_compared")
    if line.compares_with == "total" and s.resilience is None:
        return say("no_resilience")
    if s.end_year < YEARS[-1]:
        return say("ends", year=s.end_year)
    rows = ledger[(ledger["line"] == line.id) & (ledger["year"] == YEARS[-1])].set_index("end")
    if rows.empty or rows[["share_pct_gdp", f"{ref}_pct_gdp"]].isna().any().any():
        return say("na")
    ends = {e: say("yes") if bool(rows.loc[e, f"meets_{ref}"]) else say("no") for e in ("low", "high")}
    return ends["low"] if ends["low"] == ends["high"] else say("split", **ends)


def _readable(ledger: pd.DataFrame, lines: dict[str, Line]) -> pd.DataFrame:
    """The ledger with each line's label and what it counts in words instead of ids."""
    return ledger.assign(
        line=ledger["line"].map(lambda i: lines[i].label),
        compares_with=ledger["compares_with"].map(WORDS["compares_with"]),
    )


def _stack(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every scenario's table under one another, a scenario column first."""
    parts = [f.reset_index().drop(columns="index", errors="ignore") for f in frames.values()]
    parts = [p.assign(scenario=name)[["scenario", *p.columns]] for name, p in zip(frames, parts, strict=True)]
    return pd.concat(parts, ignore_index=True)


class Book:
    """An openpyxl workbook being filled; ``catalog`` collects every header for the columns sheet."""

    def __init__(self, cur: str, base: int, lines: dict[str, Line]) -> None:
        from openpyxl import Workbook

        self.wb = Workbook()
        self.wb.remove(self.wb.active)
        self.cur, self.base, self.lines = cur, base, lines
        self.catalog: dict[tuple[str, str], tuple[str, str, str, str, str]] = {}

    def sheet(self, title: str, block: list[str]) -> tuple[Any, int]:
        """A new sheet with ``block``'s non-empty lines on top (the first one bold), then a blank
        row; returns the sheet and the row its table starts on.
        """
        from openpyxl.styles import Font

        ws = self.wb.create_sheet(title)
        for text in (t for t in block if t):
            ws.append([text])
        ws["A1"].font = Font(bold=True, size=13)
        return ws, ws.max_row + 2

    def table(self, ws: Any, top: int, frame: pd.DataFrame, table: str, freeze: int = 1, filter: bool = False) -> None:
        """``frame`` (CSV column names) from row ``top``: readable headers, number formats, widths."""
        from openpyxl.utils import get_column_letter

        cols = [str(c) for c in frame.columns]
        heads = [header(c, self.cur, self.base, self.lines) for c in cols]
        for c, (head, _, unit) in zip(cols, heads, strict=True):
            self.catalog.setdefault((table, c), (table, head, c, unit, describe(c, self.cur)[2]))
        put(ws, top, [head for head, _, _ in heads])
        for row in frame.itertuples(index=False):
            ws.append([cell_value(v) for v in row])
        for j, (_, fmt, _) in enumerate(heads, start=1):
            for (cell,) in ws.iter_rows(min_row=top + 1, min_col=j, max_col=j):
                cell.number_format = fmt
        self.layout(ws, top, freeze)
        if filter:
            ws.auto_filter.ref = f"A{top}:{get_column_letter(len(cols))}{max(ws.max_row, top + 1)}"

    def layout(self, ws: Any, top: int, freeze: int, wrap: tuple[int, ...] = ()) -> None:
        """Header row ``top`` bold and wrapped, frozen with ``freeze`` columns; column widths (and
        the heights of wrapped rows) from the contents; columns in ``wrap`` (1-based) wrap text.
        """
        from openpyxl.styles import Alignment, Font
        from openpyxl.utils import get_column_letter

        tall = 1
        for j, (head, *cells) in enumerate(ws.iter_cols(min_row=top), start=1):
            text = [f"{c.value:,.2f}" if isinstance(c.value, float) else str(c.value or "") for c in cells]
            title = str(head.value or "")
            word = max((len(w) for w in title.split()), default=0)  # a header wraps at spaces, in 4 lines or so
            width = min(max([len(t) for t in text] + [word, math.ceil(len(title) / 4), 8]) + 2, 60 if j in wrap else 40)
            ws.column_dimensions[get_column_letter(j)].width = width
            head.font, head.alignment = Font(bold=True), Alignment(wrap_text=True, vertical="top")
            tall = max(tall, math.ceil(len(str(head.value or "")) / (width - 2)))
            for cell, t in zip(cells, text, strict=True) if j in wrap else ():
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                lines = min(math.ceil(len(t) / (width - 2)), 12)
                ws.row_dimensions[cell.row].height = max(ws.row_dimensions[cell.row].height or 15, 15 * lines)
        ws.row_dimensions[top].height = 15 * min(tall, 6)
        ws.freeze_panes = ws.cell(row=top + 1, column=freeze + 1).coordinate

    def save(self, path: Path) -> None:
        """Save with fixed document and zip entry times: the same workbook gives the same bytes.

        ``Workbook.save`` would stamp the time of saving as modified; its ``ExcelWriter`` keeps
        the properties as set. The zip entries are then copied with a fixed time.
        """
        from openpyxl.writer.excel import ExcelWriter

        self.wb.properties.created = self.wb.properties.modified = FIXED_TIME
        buffer = io.BytesIO()
        ExcelWriter(self.wb, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()  # closes the archive
        with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
            for info in src.infolist():
                entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
                entry.external_attr, entry.compress_type = info.external_attr, zipfile.ZIP_DEFLATED
                out.writestr(entry, src.read(info.filename))
