"""Excel files with personal data: text stays text, a header says what the sheet is.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return would be taken
as a formula by Excel (or by openpyxl, for `=`); such text is stored as a string cell,
so a team named `=HYPERLINK(…)` is shown, never run.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

CONFIDENTIAL = "Fortroligt – indeholder personoplysninger"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$")
MAX_WIDTH = 60


def cell_value(value: object) -> object:
    """Dates and times as real Excel dates, so the analyst can sort and filter them."""
    if isinstance(value, str) and ISO_DATE.match(value):
        return date.fromisoformat(value)
    if isinstance(value, str) and ISO_TIME.match(value):
        return datetime.fromisoformat(value)
    return value


def put(sheet: Worksheet, row: int, column: int, value: object):
    """Write one cell; text that looks like a formula is kept as plain text."""
    cell = sheet.cell(row, column)
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = TYPE_STRING  # openpyxl would otherwise store "=…" as a formula
        cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
    elif isinstance(value, datetime):
        cell.number_format = "dd-mm-yyyy hh:mm"
    elif isinstance(value, date):
        cell.number_format = "dd-mm-yyyy"
    return cell


def workbook(
    title: str,
    header: Sequence[tuple[str, str]],
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    sheet_title: str = "Liste",
) -> bytes:
    """An .xlsx: the header block (label, value) and the confidentiality line, a blank
    row, then the table with bold column names, frozen below them."""
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title
    put(sheet, 1, 1, CONFIDENTIAL).font = Font(bold=True, color="9C0006")
    for line, (label, value) in enumerate(header, start=2):
        put(sheet, line, 1, label).font = Font(bold=True)
        put(sheet, line, 2, value).alignment = Alignment(horizontal="left")
    top = len(header) + 3
    for index, name in enumerate(columns, start=1):
        put(sheet, top, index, name).font = Font(bold=True)
    for offset, row in enumerate(rows, start=1):
        for index, value in enumerate(row, start=1):
            put(sheet, top + offset, index, cell_value(value))
    _fit_widths(sheet, columns, rows, first=max((len(label) for label, _ in header), default=0))
    sheet.freeze_panes = sheet.cell(top + 1, 1)
    book.properties.title = title
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _fit_widths(
    sheet: Worksheet, columns: Sequence[str], rows: Sequence[Sequence[object]], first: int
) -> None:
    """Wide enough for the name and the longest value seen in the first rows, within reason
    (the first column also holds the header block's labels)."""
    for index, name in enumerate(columns, start=1):
        sample = [len(_shown(row[index - 1])) for row in rows[:200] if len(row) >= index]
        width = max([len(name), *sample, first if index == 1 else 0, 8]) + 2
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = min(width, MAX_WIDTH)


def _shown(value: object) -> str:
    if isinstance(value, datetime):
        return "dd-mm-åååå tt:mm"
    if isinstance(value, date):
        return "dd-mm-åååå"
    return "" if value is None else str(value)
