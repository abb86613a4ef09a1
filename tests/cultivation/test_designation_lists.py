"""The candidate lists: filters, sort, the export, the rule stated on the page, the empty
states, and queries that do not grow with the rows shown."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from gaoxin.cultivation.models import DesignationCriteria, Followup
from gaoxin.economy.periods import Period
from gaoxin.enterprises.models import DesignationKind
from tests.cultivation.test_designation_radars import (
    WAN,
    company,
    innovative,
    record,
    steady,
)
from tests.factories import DesignationFactory, IndustryFactory

pytestmark = pytest.mark.django_db

DAY = "2023-06-15"
HIGH_TECH_URL = "/cultivation/designations/high-tech/"
SPECIALISED_URL = "/cultivation/designations/specialised/"


def candidate(zone, name: str, revenue: Decimal, percent: Decimal, **kwargs):
    enterprise = company(zone, name=name, **kwargs)
    steady(
        zone, enterprise, revenue=revenue, percent=percent, years=(2020, 2021, 2022), current=2023
    )
    return enterprise


@pytest.fixture
def rows(zone, users):
    """Three candidates of the home zone: two new, one re-applying; one followed."""
    a = candidate(zone, "甲科技有限公司", 1000 * WAN, Decimal(9), liaison_officer=users["officer"])
    b = candidate(zone, "乙科技有限公司", 8000 * WAN, Decimal(6))
    c = candidate(zone, "丙科技有限公司", 3000 * WAN, Decimal(7))
    DesignationFactory(
        enterprise=c, granted_on=dt.date(2020, 9, 1), expires_on=dt.date(2023, 8, 31)
    )
    Followup.objects.create(
        zone=zone,
        enterprise=b,
        radar="high_tech",
        officer=users["officer"],
        started_on=dt.date(2023, 5, 1),
        created_by=users["officer"],
    )
    return a, b, c


def names(response) -> list[str]:
    return [row.name for row in response.context["page"].object_list]


def test_the_list_sorts_by_share_first(client_as, rows) -> None:
    response = client_as("officer").get(HIGH_TECH_URL, {"as_of": DAY})
    assert response.status_code == 200
    assert names(response) == ["甲科技有限公司", "丙科技有限公司", "乙科技有限公司"]
    html = response.content.decode()
    # The rule in force and what the records cannot check.
    rule = DesignationCriteria.objects.get(kind="high_tech", effective_from="2016-01-01")
    assert rule.document in html and rule.not_checked in html
    assert "t-officer" in html or users_name(rows) in html


def users_name(rows) -> str:
    return rows[0].liaison_officer.display_name


def test_sorts(client_as, rows) -> None:
    client = client_as("leader")
    by_revenue = client.get(HIGH_TECH_URL, {"as_of": DAY, "sort": "revenue"})
    assert names(by_revenue) == ["乙科技有限公司", "丙科技有限公司", "甲科技有限公司"]
    by_expiry = client.get(HIGH_TECH_URL, {"as_of": DAY, "sort": "expiry"})
    assert names(by_expiry)[0] == "丙科技有限公司"
    by_name = [
        e.name for e in client.get(HIGH_TECH_URL, {"as_of": DAY, "sort": "name"}).context["page"]
    ]
    assert by_name == sorted(by_name)


def test_filters(client_as, rows, users, zone) -> None:
    a, b, c = rows
    client = client_as("officer")

    def shown(**params) -> set[str]:
        return set(names(client.get(HIGH_TECH_URL, {"as_of": DAY, **params})))

    assert shown(reason="renewal") == {c.name}
    assert shown(reason="new") == {a.name, b.name}
    assert shown(followed="1") == {b.name}
    assert shown(followed="0") == {a.name, c.name}
    assert shown(liaison_officer=users["officer"].pk) == {a.name}
    industry = IndustryFactory(zone=zone)
    a.industries.add(industry)
    assert shown(industry=industry.pk) == {a.name}
    assert shown(q="丙科技") == {c.name}
    assert shown(q=a.name_initials[:4]) >= {a.name}


def test_a_day_in_the_future_is_refused_with_its_reason(client_as, rows) -> None:
    response = client_as("officer").get(HIGH_TECH_URL, {"as_of": "2999-01-01"})
    assert response.status_code == 200 and names(response) == []
    assert "future" in response.content.decode() or "未来" in response.content.decode()


def test_the_export(client_as, rows) -> None:
    a, b, c = rows
    response = client_as("officer").get(HIGH_TECH_URL, {"as_of": DAY, "export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    table = list(sheet.iter_rows(values_only=True))
    header, body = table[1], table[2:]
    assert len(body) == 3
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in body}
    assert set(by_name) == {a.name, b.name, c.name}
    row_c = by_name[c.name]
    assert row_c[header[1]] == c.uscc
    values = list(row_c.values())
    assert dt.datetime(2023, 8, 31) in values or dt.date(2023, 8, 31) in values
    # Revenue of the three years, R&D of the three years, the share and the band's percent.
    assert values.count(3000 * WAN) == 3 and values.count(210 * WAN) == 3
    assert 7.0 in values and 5 in values
    followed = list(by_name[b.name].values())
    assert "t-officer" in followed and (
        dt.datetime(2023, 5, 1) in followed or dt.date(2023, 5, 1) in followed
    )


def test_the_specialised_export_names_the_prerequisite(client_as, zone) -> None:
    enterprise = company(zone, founded=dt.date(2018, 5, 1), name="丁精密有限公司")
    steady(
        zone,
        enterprise,
        revenue=2000 * WAN,
        percent=Decimal(5),
        years=(2022, 2023, 2024),
        current=2025,
    )
    record(zone, enterprise, "revenue", {Period.of(2025, 6): Decimal(0)})
    innovative(enterprise, expires=dt.date(2027, 1, 1))
    client = client_as("officer")
    page = client.get(SPECIALISED_URL, {"as_of": "2025-07-01"})
    assert names(page) == [enterprise.name]
    assert str(DesignationKind.INNOVATIVE_SME.label) in page.content.decode()
    sheet = load_workbook(
        io.BytesIO(client.get(SPECIALISED_URL, {"as_of": "2025-07-01", "export": "xlsx"}).content)
    ).active
    table = list(sheet.iter_rows(values_only=True))
    assert len(table) == 3
    assert dt.datetime(2027, 1, 1) in table[2] or dt.date(2027, 1, 1) in table[2]


def test_empty_states_explain(client_as, zone) -> None:
    client = client_as("officer")
    html = client.get(HIGH_TECH_URL, {"as_of": DAY}).content.decode()
    assert "经济运行" in html  # where candidates come from
    early = client.get(HIGH_TECH_URL, {"as_of": "2005-01-01"})
    assert early.context["rule"] is None
    assert "2005-01-01" in early.content.decode()


def test_queries_do_not_grow_with_the_rows(
    client_as, zone, django_assert_max_num_queries, users
) -> None:
    client = client_as("officer")
    for n in range(3):
        candidate(
            zone, f"戊{n}科技有限公司", 1000 * WAN, Decimal(9), liaison_officer=users["officer"]
        )
    client.get(HIGH_TECH_URL, {"as_of": DAY})  # the standings are built on the first read
    with django_assert_max_num_queries(20) as few:
        client.get(HIGH_TECH_URL, {"as_of": DAY})
        first = len(few.captured_queries)
    for n in range(12):
        candidate(
            zone, f"己{n}科技有限公司", 1000 * WAN, Decimal(9), liaison_officer=users["officer"]
        )
    client.get(HIGH_TECH_URL, {"as_of": DAY})
    with django_assert_max_num_queries(first):
        response = client.get(HIGH_TECH_URL, {"as_of": DAY})
    assert len(response.context["page"].object_list) == 15


def test_the_outsider_sees_his_own_zone(client_as, rows) -> None:
    assert names(client_as("outsider").get(HIGH_TECH_URL, {"as_of": DAY})) == []
