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
