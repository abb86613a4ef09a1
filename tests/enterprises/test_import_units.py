"""Units of amounts in government sheets: a unit row above the header ("单位：万元") and units in
headers ("注册资本（亿元）"), applied to bare numbers, shown in the preview, and a refusal when the
unit is ambiguous, not money or a currency the import does not know. Sheets are built with
xlsxwriter the way officials lay them out, and imported through the page and the command."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from gaoxin.enterprises.models import Enterprise
from tests.factories import make_uscc

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = ["序号", "企业名称", "统一社会信用代码", "注册资本", "从业人员"]
WAN = Decimal(10_000)
YI = Decimal(100_000_000)


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path: Path) -> Path:
    settings.VAR_DIR = tmp_path
    return tmp_path


def sheet(
    rows: list[list[Any]],
    *,
    units: list[str] = (),  # type: ignore[assignment]
    place: str = "merged",
    headers: list[str] = HEADERS,
) -> bytes:
    """A title row merged across the sheet, the unit rows (each merged across the sheet, or a
    right-aligned cell in the last column, or a cell in the first), then the header."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    page = book.add_worksheet("企业名录")
    last = len(headers) - 1
    page.merge_range(0, 0, 0, last, "高新区重点企业名录（2024年）", book.add_format({"bold": True}))
    right = book.add_format({"align": "right"})
    r = 1
    for text in units:
        if place == "merged":
            page.merge_range(r, 0, r, last, text, right)
        elif place == "last":
            page.write_string(r, last, text, right)
        else:
            page.write_string(r, 0, text)
        r += 1
    for c, header in enumerate(headers):
        page.write_string(r, c, header)
    for n, row in enumerate(rows, start=1):
        page.write_number(r + n, 0, n)
        for c, value in enumerate(row, start=1):
            if isinstance(value, int | float):
                page.write_number(r + n, c, value)
            elif value:
                page.write_string(r + n, c, value)
    book.close()
    return buffer.getvalue()


def run_command(tmp_path: Path, content: bytes, zone) -> tuple[str, str]:
    path = tmp_path / "名录.xlsx"
    path.write_bytes(content)
    out, err = io.StringIO(), io.StringIO()
    call_command("import", "enterprises", str(path), "--zone", zone.code, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def capital(n: int) -> Decimal | None:
    return Enterprise.objects.get(uscc=make_uscc(n)).registered_capital


def test_a_unit_row_of_wan_makes_500_five_million_yuan(zone, tmp_path) -> None:
    """The reported case: "500" under 单位：万元 was stored as 500 元."""
    content = sheet([["珠海甲科技有限公司", make_uscc(940001), 500, 85]], units=["单位：万元"])
    out, _err = run_command(tmp_path, content, zone)
    assert capital(940001) == Decimal(5_000_000)
    assert "注册资本: 万元 (from the unit row (row 2))" in out


@pytest.mark.parametrize(
    ("unit_row", "factor"),
    [
        ("单位：万元", WAN),
        ("单位:万元", WAN),
        ("单位： 万元", WAN),
        ("（单位：亿元）", YI),
        ("(单位:亿元)", YI),
        ("金额单位：万元", WAN),
        ("计量单位：千元", Decimal(1000)),
        ("单位：百万元", Decimal(1_000_000)),
        ("单位：千万元", Decimal(10_000_000)),
        ("单位：万元、人", WAN),
        ("单位：人、万元", WAN),
        ("单位：万元，人，平方米", WAN),
        ("单位：元", Decimal(1)),
        ("单位：人民币万元", WAN),
        ("单位：万元人民币", WAN),
        ("２０２４年１２月　　单位：万元", WAN),
        ("币种：人民币  单位：万元", WAN),
        ("表号：高新企01表    计量单位：万元", WAN),
    ],
)
@pytest.mark.parametrize("place", ["merged", "last", "first"])
def test_unit_rows_as_officials_write_them(zone, tmp_path, unit_row, factor, place) -> None:
    content = sheet(
        [
            ["珠海甲科技有限公司", make_uscc(940011), 500, 85],
            ["珠海乙科技有限公司", make_uscc(940012), "1,200.5", ""],
        ],
        units=[unit_row],
        place=place,
    )
    run_command(tmp_path, content, zone)
    assert capital(940011) == 500 * factor
    assert capital(940012) == Decimal("1200.5") * factor


@pytest.mark.parametrize(
    ("header", "factor"),
    [
        ("注册资本（亿元）", YI),
        ("注册资本(万元)", WAN),
        ("注册资本（万）", WAN),
        ("注册资本/万元", WAN),
        ("注册资本／万元", WAN),
        ("注册资本 万元", WAN),
        ("注册资本【万元】", WAN),
        ("注册资本[千元]", Decimal(1000)),
        ("注册资本（百万元）", Decimal(1_000_000)),
        ("注册资金（元）", Decimal(1)),
        ("注册资本（万元人民币）", WAN),
        ("*注册资本（万元）", WAN),
        ("注册资本（单位：万元）", WAN),
        ("注册资本（万元）（认缴）", WAN),
        ("注册资本\n（万元）", WAN),
        ("注册资本\n万元", WAN),
    ],
)
def test_units_in_headers(zone, tmp_path, header, factor) -> None:
    headers = [*HEADERS[:3], header, HEADERS[4]]
    content = sheet([["珠海甲科技有限公司", make_uscc(940021), 500, 85]], headers=headers)
    out, _err = run_command(tmp_path, content, zone)
    assert capital(940021) == 500 * factor
    assert "(from the column's header)" in out


@pytest.mark.parametrize("place", ["merged", "last"])
def test_the_header_unit_wins_over_the_unit_row(zone, tmp_path, place) -> None:
    headers = [*HEADERS[:3], "注册资本（亿元）", HEADERS[4]]
    content = sheet(
        [["珠海甲科技有限公司", make_uscc(940031), 3, 85]],
        units=["单位：万元、人"],
        headers=headers,
        place=place,
    )
    run_command(tmp_path, content, zone)
    assert capital(940031) == 3 * YI


def test_a_cell_that_writes_its_own_unit_keeps_it(zone, tmp_path) -> None:
    content = sheet(
        [
            ["珠海甲科技有限公司", make_uscc(940041), "3亿", ""],
            ["珠海乙科技有限公司", make_uscc(940042), "500元", ""],
            ["珠海丙科技有限公司", make_uscc(940043), "¥1,000", ""],
            ["珠海丁科技有限公司", make_uscc(940044), "1千万", ""],
            ["珠海戊科技有限公司", make_uscc(940045), 80, ""],
        ],
        units=["单位：万元"],
    )
    run_command(tmp_path, content, zone)
    assert capital(940041) == 3 * YI
    assert capital(940042) == Decimal(500)
    assert capital(940043) == Decimal(1000)
    assert capital(940044) == Decimal(10_000_000)
    assert capital(940045) == 80 * WAN


def test_an_organisation_named_after_单位_is_not_a_unit(zone, tmp_path) -> None:
    content = sheet(
        [["珠海甲科技有限公司", make_uscc(940051), 500, 85]],
        units=["填报单位：科技产业局", "报送单位:经发局（盖章）"],
    )
    out, _err = run_command(tmp_path, content, zone)
    assert capital(940051) == Decimal(500)
    assert "注册资本: 元 (no unit given: 元 assumed)" in out


@pytest.mark.parametrize(
    ("units", "headers", "named"),
    [
        (["单位：万元、亿元"], HEADERS, ["注册资本", "万元", "亿元"]),
        (["单位：万元", "单位：亿元"], HEADERS, ["注册资本", "万元", "亿元", "row 2", "row 3"]),
        (["单位：千美元"], HEADERS, ["注册资本", "千美元"]),
        (["单位：万美元、人"], HEADERS, ["注册资本", "万美元"]),
        (["币种：美元"], HEADERS, ["注册资本", "美元"]),
        (["币种：港币  单位：万元"], HEADERS, ["注册资本", "港币", "万元"]),
        ([], [*HEADERS[:3], "注册资本（人）", HEADERS[4]], ["注册资本(人)", "not money"]),
        ([], [*HEADERS[:3], "注册资本（%）", HEADERS[4]], ["注册资本(%)", "not money"]),
        ([], [*HEADERS[:3], "注册资本（千美元）", HEADERS[4]], ["注册资本(千美元)", "foreign"]),
        ([], [*HEADERS[:3], "注册资本(万港元)", HEADERS[4]], ["注册资本(万港元)", "foreign"]),
        ([], [*HEADERS[:3], "注册资本（澳元）", HEADERS[4]], ["注册资本(澳元)", "foreign"]),
        ([], [*HEADERS[:3], "注册资本（万元）（亿元）", HEADERS[4]], ["万元、亿元", "several"]),
    ],
)
def test_an_ambiguous_or_unknown_unit_is_refused_and_nothing_written(
    zone, tmp_path, units, headers, named
) -> None:
    content = sheet(
        [
            ["珠海甲科技有限公司", make_uscc(940061), 500, 85],
            ["珠海乙科技有限公司", make_uscc(940062), 20, 10],
        ],
        units=units,
        headers=headers,
    )
    path = tmp_path / "名录.xlsx"
    path.write_bytes(content)
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import", "enterprises", str(path), "--zone", zone.code, stderr=err)
    for word in named:
        assert word in err.getvalue()
    assert not Enterprise.objects.filter(uscc__in=[make_uscc(940061), make_uscc(940062)]).exists()


def test_the_preview_shows_each_amount_column_unit_and_confirm_stores_yuan(
    client_as, zone, django_capture_on_commit_callbacks
) -> None:
    client = client_as("officer")
    content = sheet([["珠海甲科技有限公司", make_uscc(940071), 500, 85]], units=["单位：万元"])
    upload = SimpleUploadedFile("名录.xlsx", content, content_type=XLSX)
    preview = client.post("/enterprises/import/", {"file": upload})
    html = preview.content.decode()
    assert "<strong>注册资本</strong>: 万元" in html
    assert "from the unit row (row 2)" in html
    with django_capture_on_commit_callbacks(execute=True):  # the import's job runs
        done = client.post("/enterprises/import/confirm/", {"token": preview.context["token"]})
    assert done.status_code == 302
    assert capital(940071) == 500 * WAN


def test_the_preview_refuses_an_ambiguous_unit_without_a_confirm_button(client_as, zone) -> None:
    content = sheet(
        [["珠海甲科技有限公司", make_uscc(940081), 500, 85]], units=["单位：万元、亿元"]
    )
    upload = SimpleUploadedFile("名录.xlsx", content, content_type=XLSX)
    preview = client_as("officer").post("/enterprises/import/", {"file": upload})
    html = preview.content.decode()
    assert "confirm/" not in html
    assert "The unit of the column 注册资本 is ambiguous" in html
    assert not preview.context["token"]


def test_a_wrong_unit_that_makes_an_amount_impossible_names_the_limit(zone, tmp_path) -> None:
    """The unit row says 元 but the figures are 万元 anyway: caught where they become absurd."""
    content = sheet(
        [["珠海甲科技有限公司", make_uscc(940091), 200_000_000, 85]], units=["单位：万元"]
    )
    with pytest.raises(CommandError):
        run_command(tmp_path, content, zone)
    assert not Enterprise.objects.filter(uscc=make_uscc(940091)).exists()


def test_notes_in_headers_are_not_units(zone, tmp_path) -> None:
    headers = [
        "企业名称（全称）",
        "法定 代表人",
        "统一社会信用代码",
        "注册资本（认缴）",
        "从业人员（人）",
    ]
    content = sheet([["张三", make_uscc(940101), 500, "85人"]], headers=headers)
    # The first column holds 序号 (row numbers) under 企业名称（全称）: the sheet helper numbers
    # rows in column A, so here the name is the number.
    out, _err = run_command(tmp_path, content, zone)
    stored = Enterprise.objects.get(uscc=make_uscc(940101))
    assert stored.legal_representative == "张三"
    assert stored.registered_capital == Decimal(500)
    assert stored.employees == 85
    assert "注册资本(认缴): 元 (no unit given: 元 assumed)" in out


@pytest.mark.parametrize("header", ["从业人员（万人）", "从业人员(千人)", "从业人员/百人"])
def test_a_head_count_in_thousands_is_refused_not_read_as_people(zone, tmp_path, header) -> None:
    headers = [*HEADERS[:4], header]
    content = sheet([["珠海甲科技有限公司", make_uscc(940111), "", 1.2]], headers=headers)
    path = tmp_path / "名录.xlsx"
    path.write_bytes(content)
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import", "enterprises", str(path), "--zone", zone.code, stderr=err)
    assert "counts in" in err.getvalue()
    assert not Enterprise.objects.filter(uscc=make_uscc(940111)).exists()


def test_a_head_count_in_people_is_read_as_is(zone, tmp_path) -> None:
    headers = [*HEADERS[:4], "从业人员（人）"]
    content = sheet([["珠海甲科技有限公司", make_uscc(940112), "", 120]], headers=headers)
    run_command(tmp_path, content, zone)
    assert Enterprise.objects.get(uscc=make_uscc(940112)).employees == 120


def test_the_upload_page_says_how_units_are_read(client_as, zone) -> None:
    html = client_as("officer").get("/enterprises/import/").content.decode()
    assert "注册资本（万元）" in html
    assert "单位：万元" in html
