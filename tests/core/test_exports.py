"""The one export helper: a sheet's cells come from `Column`s, read as tuples when every
column is a stored field and from model instances otherwise, and both readings agree."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import timezone, translation
from python_calamine import CalamineWorkbook

from gaoxin.core.exports import export_response, export_rows
from gaoxin.core.metrics import Column, Kind
from gaoxin.enterprises.models import Enterprise
from gaoxin.spaces.models import Space
from tests.factories import EnterpriseFactory, IndustryFactory, SpaceFactory, ZoneFactory

pytestmark = pytest.mark.django_db

FIELDS = (
    Column("名称", "name"),
    Column("产业", "industries", Kind.NAMES),
    Column("园区", "zone.name"),
    Column("资本", "registered_capital"),
    Column("规上", "is_above_scale", Kind.SHI_FOU),
    Column("状态", "get_status_display"),
    Column("入区", "settled_on"),
)


@pytest.fixture
def enterprises():
    zone = ZoneFactory(name="测试园区")
    first = EnterpriseFactory(
        zone=zone, name="A甲", registered_capital=Decimal("12.5"), is_above_scale=True
    )
    # Joined in the industries' own order, not in the order they were linked.
    first.industries.set(
        [
            IndustryFactory(zone=zone, name="甲产业", order=2),
            IndustryFactory(zone=zone, name="乙产业", order=1),
        ]
    )
    EnterpriseFactory(zone=zone, name="B乙", status=Enterprise.Status.CLOSED)
    return Enterprise.objects.filter(zone=zone).order_by("name")


def test_stored_fields_are_read_as_tuples_in_two_queries(
    enterprises, django_assert_num_queries
) -> None:
    with django_assert_num_queries(2):  # the rows, and every row's industries
        rows = list(export_rows(enterprises, FIELDS))
    labels = {value: str(label) for value, label in Enterprise.Status.choices}
    day = dt.date(2020, 1, 1)
    assert rows == [
        ["A甲", "乙产业、甲产业", "测试园区", Decimal("12.5"), "是", labels["active"], day],
        ["B乙", "", "测试园区", None, "否", labels["closed"], day],
    ]


def test_a_property_reads_instances_and_gives_the_same_cells(enterprises) -> None:
    with_property = (*FIELDS, Column("字符串", "__str__"))
    by_tuples = list(export_rows(enterprises, FIELDS))
    by_instances = list(export_rows(enterprises, with_property))
    assert [row[:-1] for row in by_instances] == by_tuples
    assert [row[-1] for row in by_instances] == ["A甲", "B乙"]


def test_an_instance_reading_selects_its_foreign_keys(
    enterprises, django_assert_num_queries
) -> None:
    columns = (Column("园区", "zone"), Column("园区名", "zone.name"), Column("名", "__str__"))
    with django_assert_num_queries(1):
        rows = list(export_rows(enterprises, columns))
    assert [(str(zone), name) for zone, name, _ in rows] == [("测试园区", "测试园区")] * 2


def test_kinds_make_their_cells() -> None:
    with translation.override("en"):
        assert Kind.YES_NO.cell(True) == "Yes" and Kind.YES_NO.cell(False) == "No"
    with translation.override("zh-hans"):
        assert Kind.YES_NO.cell(True) == "是"
        assert Kind.SHI_FOU.cell(True) == "是"  # whatever the language
    assert Kind.SHI_FOU.cell(1) == "是" and Kind.SHI_FOU.cell(None) == "否"
    assert Kind.PERCENT.cell(Decimal("33.3333")) == Decimal("33.3")
    assert Kind.PERCENT.cell(None) is None
    assert Kind.NAMES.cell(["甲", "乙"]) == "甲、乙"
    assert Kind.VALUE.cell(Decimal("1.25")) == Decimal("1.25")


def test_an_annotation_is_a_column(enterprises) -> None:
    from django.db.models import Value

    rows = list(export_rows(enterprises.annotate(flag=Value(True)), [Column("f", "flag")]))
    assert rows == [[True], [True]]


def test_the_response_has_title_headers_rows_and_a_dated_file_name() -> None:
    SpaceFactory(name="一期", total_floor_area=300, leased_floor_area=100)
    columns = (Column("空间", "name"), Column("出租率", "occupancy", Kind.PERCENT))
    response = export_response(Space.objects.all(), columns, name="产业空间")
    today = timezone.localdate()
    assert (
        f"filename*=UTF-8''%E4%BA%A7%E4%B8%9A%E7%A9%BA%E9%97%B4-{today:%Y%m%d}.xlsx"
        in (response["Content-Disposition"])
    )
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0)
    assert rows.to_python() == [[f"产业空间 {today}", ""], ["空间", "出租率"], ["一期", 33.3]]


@override_settings(GAOXIN_EXPORT_MAX_ROWS=1)
def test_the_sheet_stops_at_the_export_limit_unless_every_row_is_asked_for(enterprises) -> None:
    def count(**kwargs) -> int:
        response = export_response(enterprises, FIELDS, name="企业", **kwargs)
        book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
        return len(book.get_sheet_by_index(0).to_python()) - 2

    assert count() == 1
    assert count(all_rows=True) == 2


def test_a_many_to_many_column_may_name_the_attribute_it_joins() -> None:
    from gaoxin.policies.models import PolicyEvent
    from tests.factories import PolicyEventFactory, PolicyFactory

    event = PolicyEventFactory()
    event.policies.set(
        [
            PolicyFactory(zone=event.zone, title="乙政策", issued_on=dt.date(2024, 1, 1)),
            PolicyFactory(zone=event.zone, title="甲政策", issued_on=dt.date(2024, 6, 1)),
        ]
    )
    column = Column("政策", "policies.title", Kind.NAMES)
    # In the policies' own order (latest issued first), whatever the order they were linked.
    assert list(export_rows(PolicyEvent.objects.filter(pk=event.pk), [column])) == [
        ["甲政策、乙政策"]
    ]
