"""Writing Excel workbooks. Every string cell is written as text, and one that a spreadsheet
could take for a formula (= + - @, or a tab or carriage return first) carries Excel's
quote-prefix, so it is shown as typed and never run.

The workbook is one sheet of plain cells (an optional title row, a bold header row, then the
rows), streamed as SpreadsheetML into the zip as the rows come. It writes only what an export
needs: inline strings, numbers, booleans, dates and six cell styles, at about 1 µs a cell.
Files are checked by reading them back with python-calamine and openpyxl
(tests/core/test_excel.py). bench/excel_writers.py measures it against the maintained writers
on the 100k enterprise export: xlsxwriter (constant_memory) and pyexcelerate take three to four
times as long, and rustpy-xlsxwriter, a little slower, cannot mark one cell's text with the
quote-prefix (bench/README.md, "Excel writers").
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from django.http import HttpResponse
from django.utils import timezone

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_CELL_TEXT = 32_767  # Excel's limit for one cell
EXCEL_EPOCH = dt.datetime(1899, 12, 30)
ROWS_PER_WRITE = 500

# Characters XML 1.0 cannot carry (and lone surrogates, which UTF-8 cannot): Excel's own
# escape for them is _xHHHH_, so text that already reads like one escapes its "_" (_x005F_).
# A carriage return is legal XML, but every XML reader turns it into a line feed: Excel
# writes it as _x000D_ too (bench/excel_writers.py found the difference).
_ILLEGAL = re.compile("_(?=x[0-9A-Fa-f]{4}_)|[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]")
# Excel counts days from 1900-01-00 and takes 1900 for a leap year: a date before 1900-03-01
# is written as text rather than as a wrong or negative serial.
FIRST_SERIAL_DATE = dt.date(1900, 3, 1)

# Cell styles (the index of each in styles.xml's cellXfs).
HEADER, DATE, DATETIME, QUOTED, TITLE = 1, 2, 3, 4, 5


def needs_escape(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def write_workbook(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    sheet_name: str = "Sheet1",
    title: str | None = None,
    subtitle: str | None = None,
    header_groups: Sequence[str] | None = None,
) -> bytes:
    """A one-sheet workbook: an optional title row and a row under it (a sheet's unit,
    "单位：万元"), a bold header row (under an optional bold row naming groups of columns, as
    the statistics bureau's sheets have: 营业收入 over its 本月, 本年累计 …), then the rows."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        for name, content in _PARTS.items():
            book.writestr(name, content)
        book.writestr("xl/workbook.xml", _workbook_xml(sheet_name))
        # Plain zip headers (no Zip64): Excel refuses Zip64 where it is not needed, and an
        # export is far below the 4 GB that would need it (zipfile raises if one were not).
        with book.open("xl/worksheets/sheet1.xml", "w") as sheet:
            _write_sheet(sheet, headers, rows, title, subtitle, header_groups)
    return buffer.getvalue()


def _write_sheet(
    sheet: Any,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    title: str | None,
    subtitle: str | None = None,
    header_groups: Sequence[str] | None = None,
) -> None:
    columns = max(len(headers), 1)
    widths = "".join(
        f'<col min="{i}" max="{i}" width="{max(12, min(40, len(str(h)) * 2 + 4))}" '
        'customWidth="1"/>'
        for i, h in enumerate(headers, 1)
    )
    sheet.write(
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + (f"<cols>{widths}</cols>" if widths else "").encode()
        + b"<sheetData>"
    )
    letters = _column_letters(columns)
    number = 0
    chunk: list[str] = []
    for line, style in ((title, TITLE), (subtitle, 0)):
        if line:
            number += 1
            rest = "".join(f'<c r="{letter}{number}"/>' for letter in letters[1:])
            chunk.append(f'<row r="{number}">{_text(f"A{number}", line, style)}{rest}</row>')
    if header_groups is not None:
        number += 1
        chunk.append(
            f'<row r="{number}">'
            + "".join(
                _text(f"{letters[i]}{number}", str(g), HEADER)
                if g
                else f'<c r="{letters[i]}{number}"/>'
                for i, g in enumerate(header_groups)
            )
            + "</row>"
        )
    number += 1
    chunk.append(
        f'<row r="{number}">'
        + "".join(_text(f"{letters[i]}{number}", str(h), HEADER) for i, h in enumerate(headers))
        + "</row>"
    )
    for row in rows:
        number += 1
        if len(row) > len(letters):
            letters = _column_letters(len(row))
        cells = "".join(_cell(f"{letters[i]}{number}", value) for i, value in enumerate(row))
        chunk.append(f'<row r="{number}">{cells}</row>')
        if len(chunk) >= ROWS_PER_WRITE:
            sheet.write("".join(chunk).encode())
            chunk = []
    sheet.write(("".join(chunk) + "</sheetData></worksheet>").encode())


def _cell(ref: str, value: Any) -> str:
    if value is None or value == "":
        # Written, not left out: readers that take a row's width from its last cell
        # (openpyxl's read-only mode, tablib) then see every row as wide as the header.
        return f'<c r="{ref}"/>'
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float | Decimal):
        number = float(value) if not (isinstance(value, Decimal) and value.is_snan()) else None
        if number is None or not math.isfinite(number):
            return f'<c r="{ref}"/>'  # NaN and infinity have no place in a cell
        return f'<c r="{ref}"><v>{number!r}</v></c>'
    if (
        isinstance(value, dt.date)
        and (value.date() if isinstance(value, dt.datetime) else value) < FIRST_SERIAL_DATE
    ):
        return _text(ref, value.isoformat(), 0)
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        serial = (value - EXCEL_EPOCH) / dt.timedelta(days=1)
        return f'<c r="{ref}" s="{DATETIME}"><v>{serial!r}</v></c>'
    if isinstance(value, dt.date):
        serial = (dt.datetime.combine(value, dt.time.min) - EXCEL_EPOCH).days
        return f'<c r="{ref}" s="{DATE}"><v>{serial}</v></c>'
    text = str(value)
    return _text(ref, text, QUOTED if needs_escape(text) else 0)


def _text(ref: str, text: str, style: int) -> str:
    text = text[:MAX_CELL_TEXT]
    if _ILLEGAL.search(text):
        text = _ILLEGAL.sub(_escaped, text)
    styled = f' s="{style}"' if style else ""
    return (
        f'<c r="{ref}"{styled} t="inlineStr">'
        f'<is><t xml:space="preserve">{escape(text)}</t></is></c>'
    )


def _escaped(match: re.Match[str]) -> str:
    return f"_x{ord(match.group()):04X}_"


def _column_letters(count: int) -> list[str]:
    letters = []
    for index in range(count):
        name, n = "", index + 1
        while n:
            n, rest = divmod(n - 1, 26)
            name = chr(65 + rest) + name
        letters.append(name)
    return letters


def _workbook_xml(sheet_name: str) -> str:
    name = "".join(ch for ch in sheet_name if ch.isprintable())
    for forbidden in "[]:*?/\\":
        name = name.replace(forbidden, " ")
    name = name[:31].strip("'") or "Sheet1"
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets><sheet name={quoteattr(name)} sheetId="1" r:id="rId1"/></sheets></workbook>'
    )


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

_OFFICE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_PARTS = {
    "[Content_Types].xml": _XML
    + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_OFFICE}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_OFFICE}.worksheet+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{_OFFICE}.styles+xml"/>'
    "</Types>",
    "_rels/.rels": _XML + f'<Relationships xmlns="{_RELS}">'
    f'<Relationship Id="rId1" Type="{_DOC}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>",
    "xl/_rels/workbook.xml.rels": _XML + f'<Relationships xmlns="{_RELS}">'
    f'<Relationship Id="rId1" Type="{_DOC}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_DOC}/styles" Target="styles.xml"/>'
    "</Relationships>",
    # Fonts: plain, bold, bold 14 (the title). Fills: the two Excel requires, then the
    # header's. Borders: none, thin. Cell styles in the order of the constants above.
    "xl/styles.xml": _XML + f'<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm"/></numFmts>'
    '<fonts count="3"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="14"/><name val="Calibri"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFEEF2F7"/><bgColor indexed="64"/>'
    "</patternFill></fill></fills>"
    '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
    '<border><left style="thin"><color auto="1"/></left><right style="thin"><color auto="1"/>'
    '</right><top style="thin"><color auto="1"/></top><bottom style="thin"><color auto="1"/>'
    "</bottom><diagonal/></border></borders>"
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    "</cellStyleXfs>"
    '<cellXfs count="6">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" '
    'applyBorder="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>",
}


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    from urllib.parse import quote

    response["Content-Disposition"] = (
        f"attachment; filename=\"export.xlsx\"; filename*=UTF-8''{quote(filename)}"
    )
    return response
