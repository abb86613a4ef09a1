"""The statistics bureau's monthly sheet as officers receive it, for the tests and the bench:
a title, a unit row, a two-line header with each indicator's name merged over its 本月 /
本年累计 / 上年同期累计 / 增速(%) (or a one-line header), then one line per enterprise."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import xlsxwriter

MEASURES = ("本月", "本年累计", "上年同期累计", "增速(%)")


def bureau_workbook(
    rows: Sequence[Sequence[Any]],
    *,
    indicators: Sequence[str] = ("营业收入",),
    measures: Sequence[str] = MEASURES,
    title: str = "2023年1-6月规模以上工业企业主要经济指标",
    unit: str | None = "单位：万元",
    two_lines: bool = True,
    names_above: bool = False,
    code_header: str = "统一社会信用代码",
    name_header: str = "单位详细名称",
    extra_headers: Sequence[str] = (),
    footer: Sequence[Any] = ("合计", "", 0),
) -> bytes:
    """Each row: code, name, then for each indicator a value per measure, then the extra
    columns' cells."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Sheet1")
    line = 0
    sheet.write(line, 0, title)
    line += 1
    if unit:
        sheet.write(line, 0, unit)
        line += 1
    width = len(measures)
    if names_above:  # the indicators' names alone above the line of codes, names and measures
        for k, name in enumerate(indicators):
            sheet.write(line, 2 + k * width, name)
        headers = [code_header, name_header, *(m for _n in indicators for m in measures)]
        sheet.write_row(line + 1, 0, [*headers, *extra_headers])
        line += 2
    elif two_lines:
        sheet.merge_range(line, 0, line + 1, 0, code_header)
        sheet.merge_range(line, 1, line + 1, 1, name_header)
        for k, name in enumerate(indicators):
            first = 2 + k * width
            if width > 1:
                sheet.merge_range(line, first, line, first + width - 1, name)
            else:
                sheet.write(line, first, name)
            for m, measure in enumerate(measures):
                sheet.write(line + 1, first + m, measure)
        for e, header in enumerate(extra_headers):
            position = 2 + len(indicators) * width + e
            sheet.merge_range(line, position, line + 1, position, header)
        line += 2
    else:
        headers = [code_header, name_header]
        headers += [f"{name}{measure}" for name in indicators for measure in measures]
        headers += list(extra_headers)
        sheet.write_row(line, 0, headers)
        line += 1
    for row in rows:
        sheet.write_row(line, 0, list(row))
        line += 1
    if footer:
        sheet.write_row(line, 0, list(footer))
    book.close()
    return buffer.getvalue()
