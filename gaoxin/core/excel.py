"""Writing Excel workbooks (xlsxwriter). Every string cell is written as text, and one that a
spreadsheet could take for a formula (= + - @, or a tab or carriage return first) carries
Excel's quote-prefix, so it is shown as typed and never run."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.http import HttpResponse
from django.utils import timezone

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def needs_escape(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def write_workbook(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    sheet_name: str = "Sheet1",
    title: str | None = None,
) -> bytes:
    """A one-sheet workbook: an optional title row, a bold header row, then the rows."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {
            "constant_memory": True,
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    sheet = book.add_worksheet(sheet_name[:31])
    bold = book.add_format({"bold": True, "bg_color": "#EEF2F7", "border": 1})
    quoted = book.add_format({"quote_prefix": True})
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    datetime_format = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    row_index = 0
    if title:
        sheet.write_string(row_index, 0, title, book.add_format({"bold": True, "font_size": 14}))
        row_index += 1
    for col, header in enumerate(headers):
        sheet.write_string(row_index, col, str(header), bold)
        sheet.set_column(col, col, max(12, min(40, len(str(header)) * 2 + 4)))
    row_index += 1
    for row in rows:
        for col, value in enumerate(row):
            _write_cell(sheet, row_index, col, value, quoted, date_format, datetime_format)
        row_index += 1
    book.close()
    return buffer.getvalue()


def _write_cell(
    sheet: Any, row: int, col: int, value: Any, quoted: Any, date_format: Any, datetime_format: Any
) -> None:
    if value is None or value == "":
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, int | float | Decimal):
        sheet.write_number(row, col, float(value))
    elif isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        sheet.write_datetime(row, col, value, datetime_format)
    elif isinstance(value, dt.date):
        sheet.write_datetime(row, col, dt.datetime.combine(value, dt.time.min), date_format)
    else:
        text = str(value)
        if needs_escape(text):
            sheet.write_string(row, col, text, quoted)
        else:
            sheet.write_string(row, col, text)


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    from urllib.parse import quote

    response["Content-Disposition"] = (
        f"attachment; filename=\"export.xlsx\"; filename*=UTF-8''{quote(filename)}"
    )
    return response
