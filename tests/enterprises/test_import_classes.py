"""The enterprise import's 国民经济行业分类 (a GB/T 4754 division by code or name) and 挂点联系人
(an officer of the zone by username or name) columns, the 规上 spells it writes in bulk, and
the registry's export imported back into another zone giving the same records."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from django.utils import translation
from python_calamine import CalamineWorkbook

from gaoxin.core.excel import write_workbook
from gaoxin.core.roles import Role
from gaoxin.enterprises.imports import import_enterprises, read_enterprise_sheet
from gaoxin.enterprises.models import Enterprise, ScaleSpell
from gaoxin.industries.models import NationalIndustry
from tests.factories import UserFactory, make_uscc

HEADERS = ["企业名称", "统一社会信用代码", "是否规上", "规上年份", "国民经济行业分类", "挂点联系人"]


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def officer(zone, other_zone):
    return UserFactory(
        username="liaison-wang", name="王挂点", role=Role.OFFICER, zones=[zone, other_zone]
    )


def _division(code: str) -> NationalIndustry:
    return NationalIndustry.objects.get(code=code)


def test_bad_classes_and_officers_are_named_by_row(zone, officer, users):
    rows = [
        ["甲公司", make_uscc(980_001), "", "", "99", "liaison-wang"],
        ["乙公司", make_uscc(980_002), "", "", "C", ""],
        ["丙公司", make_uscc(980_003), "", "", "39", "不存在的人"],
        ["丁公司", make_uscc(980_004), "", "", "", "t-leader"],  # a leader, not an officer
    ]
    result = read_enterprise_sheet(zone, write_workbook(HEADERS, rows))
    problems = {(p.row, p.column) for p in result.errors}
    assert problems == {
        (2, "国民经济行业分类"),
        (3, "国民经济行业分类"),
        (4, "挂点联系人"),
        (5, "挂点联系人"),
    }


def test_classes_officers_and_spells_are_written(zone, officer):
    rows = [
        ["甲公司", make_uscc(981_001), "是", 2021, "39", "liaison-wang"],
        ["乙公司", make_uscc(981_002), "", "", "C38", "王挂点"],
        ["丙公司", make_uscc(981_003), "否", "", "软件和信息技术服务业", ""],
        ["丁公司", make_uscc(981_004), "是", "", "74 专业技术服务业", ""],
    ]
    result = read_enterprise_sheet(zone, write_workbook(HEADERS, rows))
    assert result.errors == []
    import_enterprises(zone=zone, rows=result.rows, by=officer)
    found = {
        e.name: e
        for e in Enterprise.objects.filter(zone=zone, uscc__in=[r[1] for r in rows]).select_related(
            "national_industry"
        )
    }
    assert {name: e.national_industry.code for name, e in found.items()} == {
        "甲公司": "39",
        "乙公司": "38",
        "丙公司": "65",
        "丁公司": "74",
    }
    assert found["甲公司"].liaison_officer == officer
    assert found["乙公司"].liaison_officer == officer
    assert found["丙公司"].liaison_officer is None
    spells = {
        s.enterprise.name: s.entered_on
        for s in ScaleSpell.objects.filter(enterprise__zone=zone).select_related("enterprise")
    }
    settled = found["丁公司"].settled_on
    assert spells == {"甲公司": dt.date(2021, 1, 1), "丁公司": settled}
    assert ScaleSpell.history.filter(history_user=officer).count() == 2


def test_the_export_imports_back_into_another_zone_the_same(zone, other_zone, officer):
    from gaoxin.enterprises import services

    for n, (code, above, year) in enumerate([("39", True, 2020), ("65", False, None)]):
        services.enterprise_create(
            zone=zone,
            name=f"往返{n}有限公司",
            uscc=make_uscc(982_000 + n),
            settled_on=dt.date(2019, 4, 1),
            is_above_scale=above,
            above_scale_year=year,
            national_industry=_division(code),
            liaison_officer=officer,
            by=officer,
        )
    client = Client()
    client.force_login(officer)
    session = client.session
    session["zone_id"] = zone.pk
    session.save()
    response = client.get("/enterprises/", {"export": "xlsx", "q": "往返"})
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0)
    lines = sheet.to_python()
    header_at = next(i for i, line in enumerate(lines) if "企业名称" in line)
    content = write_workbook(
        [str(h) for h in lines[header_at]], [list(line) for line in lines[header_at + 1 :]]
    )
    result = read_enterprise_sheet(other_zone, content)
    assert result.errors == [], [str(p) for p in result.errors]
    import_enterprises(zone=other_zone, rows=result.rows, by=officer)

    def standing(z):
        return {
            e.uscc: (
                e.name,
                e.national_industry_id,
                e.liaison_officer_id,
                e.is_above_scale,
                e.above_scale_year,
                [(s.entered_on, s.left_on) for s in e.scale_spells.all()],
            )
            for e in Enterprise.objects.filter(zone=z, name__startswith="往返")
        }

    assert standing(other_zone) == standing(zone)
    assert len(standing(zone)) == 2
