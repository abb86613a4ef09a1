"""Importing enterprises from messy government sheets: everything or nothing."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import pytest
import xlsxwriter
from django.utils import translation
from python_calamine import CalamineWorkbook

from gaoxin.core.errors import DomainError
from gaoxin.enterprises.imports import (
    import_enterprises,
    read_enterprise_sheet,
    template_workbook,
)
from gaoxin.enterprises.models import Enterprise
from tests.factories import ChainSegmentFactory, EnterpriseFactory, IndustryFactory, make_uscc


@pytest.fixture(autouse=True)
def _english(settings):
    """These tests read the messages' English wording (the interface defaults to Chinese)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


HEADERS = [
    "序号",
    "企业全称 ",
    "统一社会信用代码（必填）",
    "成立时间",
    "注册资本",
    "从业人数",
    "所属产业",
    "产业链环节",
    "是否规上",
    "联系电话",
]


def messy_workbook(rows: Sequence[Sequence[Any]], *, headers: Sequence[str] = HEADERS) -> bytes:
    """Two title rows (merged across the sheet), a blank row, the header on row 4."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("名录")
    sheet.merge_range(0, 0, 0, len(headers) - 1, "高新区重点企业名录（2023年6月）")
    sheet.merge_range(1, 0, 1, len(headers) - 1, "填报单位：科技产业局")
    for col, header in enumerate(headers):
        sheet.write_string(3, col, header)
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    for r, row in enumerate(rows, start=4):
        for col, value in enumerate(row):
            if isinstance(value, dt.date):
                sheet.write_datetime(r, col, dt.datetime.combine(value, dt.time()), date_format)
            elif isinstance(value, int | float):
                sheet.write_number(r, col, value)
            elif value:
                sheet.write_string(r, col, value)
    book.close()
    return buffer.getvalue()


def full_width(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


@pytest.fixture
def chain(zone):
    storage = IndustryFactory(zone=zone, name="新型储能", short_name="储能")
    sensors = IndustryFactory(zone=zone, name="传感器")
    return {
        "storage": storage,
        "sensors": sensors,
        "cells": ChainSegmentFactory(industry=storage, name="电芯制造"),
        "chips": ChainSegmentFactory(industry=sensors, name="芯片设计"),
    }


def good_rows() -> list[list[Any]]:
    return [
        [
            1,
            "珠海甲储能科技有限公司  ",
            full_width(make_uscc(900001)) + " ",
            dt.date(2018, 5, 20),
            "1,200万",
            "120人",
            "储能、传感器",
            "电芯制造，芯片设计",
            "是",
            13800138000,
        ],
        [
            2,
            "珠海乙传感科技有限公司",
            make_uscc(900002).lower(),
            "2019年3月1日",
            "0.3亿",
            35,
            "传感器",
            "",
            "否",
            "0756-1234567",
        ],
        ["", "", "", "", "", "", "", "", "", ""],  # a blank row is skipped
        [3, "珠海丙软件有限公司", make_uscc(900003), "2020.7.1", 500, "", "", "", "", ""],
    ]


def test_messy_sheet_is_read_and_imported(zone, chain, users) -> None:
    result = read_enterprise_sheet(zone, messy_workbook(good_rows()))
    assert result.errors == []
    assert result.header_row == 4
    assert "序号" in result.ignored_headers
    assert result.counts == {"rows": 3, "good": 3, "bad": 0}
    first = result.rows[0]
    assert first.row == 5
    assert first.values["name"] == "珠海甲储能科技有限公司"
    assert first.values["uscc"] == make_uscc(900001)
    assert first.values["registered_capital"] == Decimal("12000000")
    assert first.values["employees"] == 120
    assert first.values["founded_on"] == dt.date(2018, 5, 20)
    assert first.values["contact_phone"] == "13800138000"
    assert result.rows[2].row == 8

    created = import_enterprises(zone=zone, rows=result.rows, by=users["officer"])
    assert len(created) == 3
    first = Enterprise.objects.get(uscc=make_uscc(900001))
    assert first.zone == zone
    assert first.is_above_scale
    assert set(first.industries.all()) == {chain["storage"], chain["sensors"]}
    assert set(first.segments.all()) == {chain["cells"], chain["chips"]}
    assert first.name_initials.startswith("zhj")
    assert first.history.first().history_user == users["officer"]
    second = Enterprise.objects.get(uscc=make_uscc(900002))
    assert second.registered_capital == Decimal("30000000")
    assert second.founded_on == dt.date(2019, 3, 1)
    # A bare number under a plain 注册资本 header is yuan.
    assert Enterprise.objects.get(uscc=make_uscc(900003)).registered_capital == 500


def test_unit_in_the_header_counts_for_bare_numbers(zone) -> None:
    headers = ["企业名称", "信用代码", "注册资本（万元）"]
    result = read_enterprise_sheet(
        zone, messy_workbook([["甲公司", make_uscc(900010), 1200]], headers=headers)
    )
    assert result.rows[0].values["registered_capital"] == Decimal("12000000")


def test_one_bad_row_writes_nothing_and_every_bad_row_is_named(zone, chain, users) -> None:
    rows = good_rows()
    rows[1][2] = make_uscc(900002)[:-1] + ("0" if make_uscc(900002)[-1] != "0" else "1")
    rows[3][3] = "2023-02-30"
    rows[3][6] = "生物医药"
    rows[0][4] = "100万美元"
    result = read_enterprise_sheet(zone, messy_workbook(rows))
    assert result.counts == {"rows": 3, "good": 0, "bad": 3}
    by_row = {(p.row, p.column): p.message for p in result.errors}
    # Headers are reported cleaned (half-width), as they are found.
    assert "check character" in by_row[(6, "统一社会信用代码(必填)")]
    assert "calendar" in by_row[(8, "成立时间")]
    assert "生物医药" in by_row[(8, "所属产业")]
    assert "新型储能" in by_row[(8, "所属产业")], "the message lists the zone's industries"
    assert "foreign currency" in by_row[(5, "注册资本")]
    assert str(next(p for p in result.errors if p.row == 6)).startswith("Row 6 · 统一社会信用代码")
    with pytest.raises(DomainError):
        import_enterprises(zone=zone, rows=result.rows, by=users["officer"])
    assert not Enterprise.objects.filter(uscc__startswith="91440400000900").exists()


def test_missing_required_values_are_reported(zone) -> None:
    rows = [["", "", make_uscc(900020)], ["", "只有名称的公司", ""]]
    result = read_enterprise_sheet(
        zone, messy_workbook(rows, headers=["序号", "单位名称", "社会信用代码"])
    )
    messages = {(p.row, p.column): p.message for p in result.errors}
    assert "required" in messages[(5, "单位名称")]
    assert "required" in messages[(6, "社会信用代码")]


def test_duplicates_in_the_file_name_both_rows(zone) -> None:
    code = make_uscc(900030)
    rows = [["", "甲", code], ["", "乙", make_uscc(900031)], ["", "丙", full_width(code)]]
    result = read_enterprise_sheet(
        zone, messy_workbook(rows, headers=["序号", "企业名称", "统一社会信用代码"])
    )
    bad = {p.row: p.message for p in result.errors}
    assert set(bad) == {5, 7}
    assert "5、7" in bad[5] and "5、7" in bad[7]


def test_codes_already_in_the_zone_are_refused(zone, other_zone) -> None:
    EnterpriseFactory(zone=zone, uscc=make_uscc(900040), name="老企业")
    EnterpriseFactory(zone=other_zone, uscc=make_uscc(900041))  # another zone's: no clash
    rows = [["", "甲", make_uscc(900040)], ["", "乙", make_uscc(900041)]]
    result = read_enterprise_sheet(
        zone, messy_workbook(rows, headers=["序号", "企业名称", "统一社会信用代码"])
    )
    assert [(p.row, "老企业" in p.message) for p in result.errors] == [(5, True)]


def test_import_checks_the_database_again(zone, users) -> None:
    result = read_enterprise_sheet(
        zone,
        messy_workbook(
            [["", "甲", make_uscc(900050)], ["", "乙", make_uscc(900051)]],
            headers=["序号", "企业名称", "统一社会信用代码"],
        ),
    )
    assert result.ok
    EnterpriseFactory(zone=zone, uscc=make_uscc(900051))  # someone added it meanwhile
    with pytest.raises(DomainError, match=make_uscc(900051)):
        import_enterprises(zone=zone, rows=result.rows, by=users["officer"])
    assert not Enterprise.objects.filter(uscc=make_uscc(900050)).exists()


def test_segment_in_several_industries_needs_the_industry(zone, chain) -> None:
    ChainSegmentFactory(industry=chain["sensors"], name="电芯制造")
    headers = ["企业名称", "统一社会信用代码", "产业链环节", "所属产业"]
    result = read_enterprise_sheet(
        zone,
        messy_workbook(
            [
                ["甲", make_uscc(900060), "电芯制造", ""],
                ["乙", make_uscc(900061), "电芯制造", "储能"],
            ],
            headers=headers,
        ),
    )
    assert [p.row for p in result.errors] == [5]
    assert "several industries" in result.errors[0].message
    assert result.rows[1].segments == [chain["cells"]]


def test_vertically_merged_industry_cells_apply_to_each_row(zone, chain) -> None:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    for col, header in enumerate(["所属产业", "企业名称", "统一社会信用代码"]):
        sheet.write_string(0, col, header)
    sheet.merge_range(1, 0, 2, 0, "传感器")
    sheet.write_row(1, 1, ["甲", make_uscc(900070)])
    sheet.write_row(2, 1, ["乙", make_uscc(900071)])
    book.close()
    result = read_enterprise_sheet(zone, buffer.getvalue())
    assert result.ok
    assert [r.industries for r in result.rows] == [[chain["sensors"]], [chain["sensors"]]]


def test_a_sheet_without_header_is_refused(zone) -> None:
    result = read_enterprise_sheet(zone, messy_workbook([["甲", "乙"]], headers=["名字", "代码"]))
    assert not result.ok
    assert "header" in result.errors[0].message


def test_not_a_workbook(zone) -> None:
    result = read_enterprise_sheet(zone, b"PK\x03\x04 not really")
    assert "cannot be read" in result.errors[0].message


def test_template_reads_back_with_its_headers(zone) -> None:
    content = template_workbook()
    grid = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    assert grid[1][0] == "企业名称*"
    assert "统一社会信用代码*" in grid[1]
    result = read_enterprise_sheet(zone, content)
    assert result.header_row == 2
    assert result.ignored_headers == []
    assert len(result.rows) == 1
