import datetime as dt
import io
import zipfile
from decimal import Decimal

from python_calamine import CalamineWorkbook

from gaoxin.core.excel import write_workbook


def test_cells_that_look_like_formulas_are_kept_as_text() -> None:
    rows = [
        [
            '=HYPERLINK("http://x")',
            "+1",
            "-2",
            "@SUM(A1)",
            "普通文字",
            Decimal("12.5"),
            dt.date(2023, 6, 30),
        ]
    ]
    content = write_workbook(["a", "b", "c", "d", "e", "f", "g"], rows)
    sheet_xml = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml, "no cell may be written as a formula"
    styles = zipfile.ZipFile(io.BytesIO(content)).read("xl/styles.xml").decode()
    assert 'quotePrefix="1"' in styles
    read = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    assert read[1][:5] == ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "普通文字"]
    assert read[1][5] == 12.5


def test_title_row_comes_above_the_header() -> None:
    content = write_workbook(["名称"], [["甲"]], title="标题")
    read = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    assert read[0][0] == "标题"
    assert read[1][0] == "名称"
    assert read[2][0] == "甲"


def test_the_workbook_opens_in_openpyxl_with_its_types_and_styles() -> None:
    import openpyxl

    content = write_workbook(
        ["名称", "日期", "金额", "是否", "备注"],
        [
            ["甲\x01乙 ", dt.date(2023, 6, 30), Decimal("12.50"), True, "=1+1"],
            [None, "", 3, False, "<b>&</b>"],
        ],
        title="企业名录 2023-06-30",
        sheet_name="企业:名录[1]",
    )
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book.active
    assert sheet.title == "企业 名录 1 "
    assert list(sheet.iter_rows(values_only=True)) == [
        ("企业名录 2023-06-30", None, None, None, None),
        ("名称", "日期", "金额", "是否", "备注"),
        ("甲_x0001_乙 ", dt.datetime(2023, 6, 30), 12.5, True, "=1+1"),
        (None, None, 3, False, "<b>&</b>"),
    ]
    assert sheet["A1"].font.b and sheet["A1"].font.sz == 14
    assert sheet["A2"].font.b and sheet["A2"].fill.fgColor.rgb == "FFEEF2F7"
    assert sheet["B3"].number_format == "yyyy-mm-dd"
    assert sheet["E3"].quotePrefix and not sheet["A3"].quotePrefix
    assert sheet.column_dimensions["A"].width == 12
    # Read row by row (openpyxl's read-only mode, as tablib does), every row is as wide as
    # the header: empty cells are written, not left out.
    streamed = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
    assert [len(row) for row in streamed.iter_rows(values_only=True)] == [5, 5, 5, 5]


def test_values_excel_cannot_hold_are_written_safely() -> None:
    import openpyxl

    content = write_workbook(
        ["a", "b", "c", "d", "e"],
        [[Decimal("NaN"), float("inf"), dt.date(1899, 1, 2), "_x0041_ as typed", "\ud800x"]],
    )
    # The zip is plain (no Zip64 headers, which Excel refuses where they are not needed).
    info = zipfile.ZipFile(io.BytesIO(content)).getinfo("xl/worksheets/sheet1.xml")
    assert info.extract_version < 45
    row = list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))[1]
    assert row[:3] == (None, None, "1899-01-02")  # no NaN, no infinity, no negative serial
    assert row[3] == "_x005F_x0041_ as typed"  # Excel shows it as typed
    assert row[4] == "_xD800_x"


def test_a_carriage_return_survives_the_round_trip() -> None:
    # XML readers turn a bare CR into LF; written as Excel's _x000D_ it reads back as typed.
    content = write_workbook(["a", "b"], [["一\r\n二", "\r开头"]])
    read = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    assert read[1] == ["一\r\n二", "\r开头"]


def test_a_unit_row_and_column_groups_come_between_title_and_header() -> None:
    """The statistics bureau's layout: title, unit, a row naming groups of columns, header."""
    content = write_workbook(
        ["代码", "本月", "本年累计"],
        [["A1", 1.5, 3]],
        title="主要指标",
        subtitle="单位：万元",
        header_groups=["", "营业收入", ""],
    )
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    assert rows == [
        ["主要指标", "", ""],
        ["单位：万元", "", ""],
        ["", "营业收入", ""],
        ["代码", "本月", "本年累计"],
        ["A1", 1.5, 3.0],
    ]
