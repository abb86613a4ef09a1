import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from python_calamine import CalamineWorkbook

from gaoxin.core.errors import DomainError
from gaoxin.core.metrics import MetricScope, registry
from gaoxin.enterprises import services
from gaoxin.enterprises.models import DesignationKind, Enterprise
from tests.factories import (
    ChainSegmentFactory,
    DesignationFactory,
    EnterpriseFactory,
    IndustryFactory,
    make_uscc,
)


@pytest.fixture
def registry_data(zone, other_zone, users):
    industry = IndustryFactory(zone=zone, name="储能", short_name="储能")
    segment = ChainSegmentFactory(industry=industry, name="电池管理系统")
    gaoxin = services.enterprise_create(
        zone=zone,
        name="珠海高新储能科技有限公司",
        short_name="高新储能",
        uscc=make_uscc(101),
        is_above_scale=True,
        above_scale_year=2022,
        settled_on=dt.date(2021, 5, 1),
        segments=[segment],
        by=users["officer"],
    )
    other = services.enterprise_create(
        zone=zone, name="珠海东方传感有限公司", uscc=make_uscc(102), settled_on=dt.date(2023, 2, 1)
    )
    away = services.enterprise_create(zone=other_zone, name="外区高新企业", uscc=make_uscc(103))
    return {
        "industry": industry,
        "segment": segment,
        "gaoxin": gaoxin,
        "other": other,
        "away": away,
    }


def test_create_keeps_pinyin_initials_and_implied_industry(registry_data) -> None:
    enterprise = registry_data["gaoxin"]
    assert enterprise.name_initials.startswith("zhgxcnkj")
    assert "gxcn" in enterprise.name_initials
    assert list(enterprise.industries.all()) == [registry_data["industry"]]
    assert enterprise.history.first().history_user.username == "t-officer"


def test_the_same_code_twice_in_a_zone_is_refused_with_the_holder_named(
    registry_data, zone
) -> None:
    with pytest.raises(DomainError, match="珠海高新储能科技有限公司"):
        services.enterprise_create(zone=zone, name="另一家", uscc=make_uscc(101).lower())
    assert Enterprise.objects.filter(name="另一家").count() == 0


def test_a_bad_code_is_refused_and_nothing_is_written(zone, users) -> None:
    with pytest.raises(DomainError) as info:
        services.enterprise_create(zone=zone, name="错误代码公司", uscc="91440400000000001X")
    assert info.value.field == "uscc"
    assert not Enterprise.objects.filter(name="错误代码公司").exists()


@pytest.mark.parametrize(
    ("q", "found"),
    [
        ("zhgx", {"gaoxin"}),
        ("ZHGX", {"gaoxin"}),
        ("gxcn", {"gaoxin"}),
        ("传感", {"other"}),
        ("高新", {"gaoxin"}),
        (make_uscc(102)[:17], {"other"}),
        (f" {make_uscc(102).lower()} ", {"other"}),  # a whole code: looked up by its index
        ("zh", {"gaoxin", "other"}),
    ],
)
def test_search_by_name_pinyin_and_code(registry_data, client_as, q, found) -> None:
    body = client_as("officer").get("/enterprises/", {"q": q}).content.decode()
    for key in ("gaoxin", "other"):
        assert (registry_data[key].name in body) == (key in found), key
    assert registry_data["away"].name not in body


def test_filters_by_segment_scale_and_designation(registry_data, client_as) -> None:
    DesignationFactory(
        enterprise=registry_data["other"],
        kind=DesignationKind.SPECIALISED_SME,
        granted_on=timezone.localdate() - dt.timedelta(days=10),
        expires_on=timezone.localdate() + dt.timedelta(days=400),
    )
    client = client_as("leader")
    body = client.get("/enterprises/", {"segment": registry_data["segment"].pk}).content.decode()
    assert registry_data["gaoxin"].name in body and registry_data["other"].name not in body
    body = client.get("/enterprises/", {"above_scale": "0"}).content.decode()
    assert registry_data["gaoxin"].name not in body and registry_data["other"].name in body
    body = client.get("/enterprises/", {"designation": "specialised"}).content.decode()
    assert registry_data["other"].name in body and registry_data["gaoxin"].name not in body


def test_list_query_count_does_not_grow_with_rows(
    zone, client_as, registry_data, django_assert_max_num_queries
) -> None:
    client = client_as("officer")
    for n in range(60):
        enterprise = EnterpriseFactory(zone=zone, uscc=make_uscc(1000 + n))
        enterprise.industries.add(registry_data["industry"])
        DesignationFactory(enterprise=enterprise, expires_on=None)
    # 16: the liaison officer filter's options are one more query, the same for any rows, and
    # the top bar's count of unread reminders one more.
    with django_assert_max_num_queries(16):
        response = client.get("/enterprises/", {"sort": "-capital"})
    assert response.status_code == 200
    assert response.content.decode().count('class="name"') == 50


def test_export_writes_the_filtered_list_and_escapes_formulas(zone, client_as, users) -> None:
    services.enterprise_create(
        zone=zone,
        name='=HYPERLINK("http://x")公司',
        uscc=make_uscc(201),
        registered_capital=Decimal("12000000"),
    )
    response = client_as("officer").get("/enterprises/", {"q": "HYPERLINK", "export": "xlsx"})
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(response.content))
        .get_sheet_by_index(0)
        .to_python()
    )
    assert rows[1][0] == "企业名称"
    assert rows[2][0] == '=HYPERLINK("http://x")公司'
    assert rows[2][7] == 12000000
    assert len(rows) == 3


def test_enterprise_user_sees_and_edits_only_contact_fields_of_own(
    users, client_as, own_enterprise, registry_data
) -> None:
    client = client_as("enterprise")
    assert client.get("/enterprises/").status_code == 302
    assert client.get(f"/enterprises/{registry_data['gaoxin'].pk}/").status_code == 404
    response = client.post(
        f"/enterprises/{own_enterprise.pk}/contact/",
        {
            "contact_person": "新联系人",
            "contact_phone": "0756-1",
            "contact_email": "a@b.cn",
            "address": "唐家湾",
            "version": own_enterprise.version,
        },
    )
    assert response.status_code == 302
    own_enterprise.refresh_from_db()
    assert own_enterprise.contact_person == "新联系人"
    assert client.get(f"/enterprises/{own_enterprise.pk}/edit/").status_code == 403


def test_officer_edit_refuses_a_code_of_another_enterprise(registry_data, client_as) -> None:
    target = registry_data["other"]
    response = client_as("officer").post(
        f"/enterprises/{target.pk}/edit/",
        {
            "name": target.name,
            "uscc": registry_data["gaoxin"].uscc,
            "status": "active",
            "version": target.version,
        },
    )
    assert response.status_code == 200
    assert "珠海高新储能科技有限公司" in response.content.decode()
    target.refresh_from_db()
    assert target.uscc == make_uscc(102)


def test_detail_shows_designations_in_force_from_their_dates(registry_data, client_as) -> None:
    today = timezone.localdate()
    enterprise = registry_data["gaoxin"]
    DesignationFactory(
        enterprise=enterprise,
        granted_on=today - dt.timedelta(days=1000),
        expires_on=today - dt.timedelta(days=1),
    )
    DesignationFactory(
        enterprise=enterprise,
        kind=DesignationKind.TECH_SME,
        granted_on=today - dt.timedelta(days=10),
        expires_on=None,
    )
    body = client_as("leader").get(f"/enterprises/{enterprise.pk}/").content.decode()
    assert body.count('badge badge-ok">有效') + body.count("In force") >= 1
    assert "变更记录" in body


def test_designation_metrics_follow_dates(registry_data, zone) -> None:
    today = timezone.localdate()
    DesignationFactory(
        enterprise=registry_data["gaoxin"],
        kind=DesignationKind.LITTLE_GIANT,
        granted_on=today - dt.timedelta(days=100),
        expires_on=today + dt.timedelta(days=30),
    )
    little = registry.get("enterprises.designation.little_giant")
    assert little.value(MetricScope.of([zone.pk], today)) == 1
    assert little.value(MetricScope.of([zone.pk], today - dt.timedelta(days=101))) == 0
    expiring = registry.get("enterprises.designations.expiring")
    assert expiring.value(MetricScope.of([zone.pk], today)) == 1
    assert expiring.value(MetricScope.of([zone.pk], today - dt.timedelta(days=70))) == 0


def test_registry_metrics_honour_as_of(registry_data, zone) -> None:
    total = registry.get("enterprises.total")
    # The standing enterprise user's own enterprise settled in 2020 counts too.
    assert total.value(MetricScope.of([zone.pk], dt.date(2019, 1, 1))) == 0
    assert total.value(MetricScope.of([zone.pk], dt.date(2022, 1, 1))) == 2
    assert total.value(MetricScope.of([zone.pk], dt.date(2023, 3, 1))) == 3
    scale = registry.get("enterprises.above_scale")
    assert scale.value(MetricScope.of([zone.pk], dt.date(2021, 12, 31))) == 0
    assert scale.value(MetricScope.of([zone.pk], dt.date(2022, 12, 31))) == 1
    by_industry = registry.get(f"enterprises.industry.{registry_data['industry'].pk}")
    value, records = by_industry.evaluate(MetricScope.of([zone.pk]))
    assert value == 1 and list(records) == [registry_data["gaoxin"]]


def test_designation_add_and_revoke_keep_the_record(registry_data, client_as) -> None:
    client = client_as("officer")
    enterprise = registry_data["other"]
    today = timezone.localdate()
    response = client.post(
        f"/enterprises/{enterprise.pk}/designations/",
        {
            "kind": "high_tech",
            "level": "national",
            "certificate_no": "GR2023",
            "granted_on": (today - dt.timedelta(days=5)).isoformat(),
            "expires_on": (today - dt.timedelta(days=50)).isoformat(),
        },
        follow=True,
    )
    assert enterprise.designations.count() == 0
    assert "颁发" in response.content.decode() or "granted" in response.content.decode()
    client.post(
        f"/enterprises/{enterprise.pk}/designations/",
        {
            "kind": "high_tech",
            "level": "national",
            "certificate_no": "GR2023",
            "granted_on": (today - dt.timedelta(days=5)).isoformat(),
        },
    )
    designation = enterprise.designations.get()
    client.post(
        f"/enterprises/designations/{designation.pk}/revoke/",
        {"on": today.isoformat(), "reason": "复核不通过", "version": designation.version},
    )
    designation.refresh_from_db()
    assert designation.revoked_on == today
    assert designation.history.first().history_change_reason == "复核不通过"
