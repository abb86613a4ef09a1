"""The 小升规 and 应统尽统 list pages: rows with their months and follow-ups, filters, sort,
the sheet (opened with openpyxl), empty states, other zones' enterprises kept out, and the
queries not growing with the rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse

from gaoxin.core.formatting import money
from gaoxin.cultivation.models import Followup
from gaoxin.cultivation.scale import window_columns
from gaoxin.cultivation.thresholds import threshold_of
from gaoxin.economy.models import Indicator, Source
from gaoxin.economy.periods import Period
from gaoxin.economy.services import FigureInput, figures_record
from gaoxin.industries.models import NationalIndustry
from tests.factories import EnterpriseFactory, IndustryFactory

pytestmark = pytest.mark.django_db

SCALE_URL = reverse("cultivation:scale_list")
UNREPORTED_URL = reverse("cultivation:unreported_list")
JUNE = Period.of(2023, 6)  # the latest month with figures: the radar's month whatever today is
# A page reads: the session and user, the zones, the radar's month (two), its standings'
# build, the rules in force (two), the rows and their count, the page's months and follow-ups,
# the filters' choices. The same with 4 rows and with 29.
QUERIES = 15


def year_to_june(total: Decimal) -> dict[Period, Decimal]:
    each = (total / 12).quantize(Decimal("0.01"))
    values = {Period.of(2022, m): each for m in range(7, 13)}
    values |= {Period.of(2023, m): each for m in range(1, 6)}
    values[JUNE] = total - each * 11
    return values


def record(zone, rows: dict) -> None:
    revenue = Indicator.objects.get(code="revenue").pk
    figures_record(
        zone=zone,
        values=[
            FigureInput(enterprise.pk, revenue, period, amount)
            for enterprise, values in rows.items()
            for period, amount in values.items()
        ],
        source=Source.BUREAU,
        by=None,
    )


def make(zone, name: str, code: str = "39", **fields):
    return EnterpriseFactory(
        zone=zone,
        name=name,
        national_industry=NationalIndustry.objects.get(code=code),
        settled_on=dt.date(2005, 1, 1),
        **fields,
    )


@pytest.fixture
def radar(zone, other_zone, users):
    """Three manufacturers near the line (95%, 85%, 81%), one over it for a year, a software
    firm at 90% of its own line, a far one (50%), and one of another zone at 95%."""
    industry = IndustryFactory(zone=zone, name="储能")
    firms = {
        "near": make(zone, "珠海近线储能有限公司", liaison_officer=users["officer"]),
        "middle": make(zone, "珠海中游制造有限公司"),
        "low": make(zone, "珠海低位电子有限公司"),
        "over": make(zone, "珠海超线材料有限公司"),
        "soft": make(zone, "珠海软件信息有限公司", code="65"),
        "far": make(zone, "珠海远线科技有限公司"),
    }
    firms["near"].industries.add(industry)
    line = threshold_of(NationalIndustry.objects.get(code="39").pk, dt.date(2023, 6, 30))
    soft_line = threshold_of(NationalIndustry.objects.get(code="65").pk, dt.date(2023, 6, 30))
    shares = {"near": 95, "middle": 85, "low": 81, "over": 110, "far": 50}
    totals = {key: line.min_revenue * share / 100 for key, share in shares.items()}
    totals["soft"] = soft_line.min_revenue * 90 / 100
    record(zone, {firms[key]: year_to_june(total) for key, total in totals.items()})
    away = make(other_zone, "外区近线企业")
    record(other_zone, {away: year_to_june(line.min_revenue * 95 / 100)})
    Followup.objects.create(
        zone=zone,
        enterprise=firms["middle"],
        radar="scale",
        officer=users["officer"],
        started_on=dt.date(2023, 7, 3),
        created_by=users["officer"],
    )
    return {"firms": firms, "totals": totals, "line": line, "industry": industry}


def names(response) -> list[str]:
    return [row.name for row in response.context["page"].object_list]


def test_scale_list_closest_first_with_months_and_followups(client_as, radar) -> None:
    firms = radar["firms"]
    response = client_as("officer").get(SCALE_URL)
    assert response.status_code == 200
    assert names(response) == [firms[k].name for k in ("near", "soft", "middle", "low")]
    html = response.content.decode()
    assert "外区近线企业" not in html and firms["over"].name not in html
    assert JUNE.label in html  # the month the radar is of
    assert money(radar["totals"]["near"]) in html and "规模以上工业" in html
    # Who follows whom: the officer since 2023-07-03, on the middle firm's row.
    assert response.context["followups"][firms["middle"].pk].started_on == dt.date(2023, 7, 3)
    assert "2023-07-03" in html
    # The months behind the row: twelve (1–2月 as one cell), adding up to its revenue.
    strip = response.context["strips"][firms["near"].pk]
    assert [cell["column"].short for cell in strip][6] == "1–2月" and len(strip) == 11
    assert sum(cell["wan"] for cell in strip) == pytest.approx(
        radar["totals"]["near"] / 10_000, abs=1
    )


def test_unreported_list(client_as, radar) -> None:
    response = client_as("leader").get(UNREPORTED_URL)
    assert response.status_code == 200
    assert names(response) == [radar["firms"]["over"].name]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"share": "90"}, ["near", "soft"]),
        ({"share": "40"}, ["near", "soft", "middle", "low", "far"]),
        ({"section": "I"}, ["soft"]),
        ({"section": "C"}, ["near", "middle", "low"]),
        ({"followed": "1"}, ["middle"]),
        ({"followed": "0"}, ["near", "soft", "low"]),
        ({"q": "软件"}, ["soft"]),
        ({"q": "zhjx"}, ["near"]),  # pinyin initials of 珠海近线…
        ({"sort": "gap"}, ["near", "soft", "middle", "low"]),
        ({"sort": "revenue"}, ["low", "middle", "soft", "near"]),
        ({"sort": "name"}, None),
    ],
)
def test_filters_and_sort(client_as, radar, query, expected) -> None:
    firms = radar["firms"]
    response = client_as("officer").get(SCALE_URL, query)
    assert response.status_code == 200
    if expected is None:
        shown = names(response)
        assert shown == sorted(shown) and len(shown) == 4
    else:
        assert names(response) == [firms[k].name for k in expected]


def test_industry_and_liaison_filters(client_as, radar, users) -> None:
    client = client_as("officer")
    near = radar["firms"]["near"].name
    assert names(client.get(SCALE_URL, {"industry": radar["industry"].pk})) == [near]
    assert names(client.get(SCALE_URL, {"liaison_officer": users["officer"].pk})) == [near]


def test_a_bad_share_is_refused(client_as, radar) -> None:
    response = client_as("officer").get(SCALE_URL, {"share": "0"})
    assert response.status_code == 200 and names(response) == []
    assert response.context["form"].errors["share"]


def test_the_sheet(client_as, radar, users) -> None:
    firms = radar["firms"]
    response = client_as("officer").get(SCALE_URL, {"export": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    headers = rows[1]
    body = {row[0]: dict(zip(headers, row, strict=True)) for row in rows[2:]}
    assert list(body) == [firms[k].name for k in ("near", "soft", "middle", "low")]
    columns = window_columns(JUNE)
    assert len(headers) == 10 + len(columns) + 3
    near = rows[2]
    assert near[1] == firms["near"].uscc
    assert near[2].startswith("C ") and near[3].startswith("39 ")
    assert near[4] == "规模以上工业"
    assert Decimal(str(near[5])) == radar["line"].min_revenue
    assert Decimal(str(near[6])) == radar["totals"]["near"]
    assert near[7] == 12 and Decimal(str(near[8])) == Decimal("95.0")
    assert Decimal(str(near[9])) == radar["line"].min_revenue - radar["totals"]["near"]
    months = [Decimal(str(v)) for v in near[10 : 10 + len(columns)]]
    assert sum(months) == radar["totals"]["near"]
    each = (radar["totals"]["near"] / 12).quantize(Decimal("0.01"))
    assert months[0] == each and months[6] == each * 2  # July 2022; 1–2月 2023 together
    assert near[-3] == users["officer"].display_name
    middle = rows[4]
    assert middle[-2] == users["officer"].display_name
    assert str(middle[-1]).startswith("2023-07-03")


def test_no_figures_yet(client_as, zone) -> None:
    make(zone, "珠海无数据企业")
    response = client_as("officer").get(SCALE_URL)
    assert response.status_code == 200 and response.context["period"] is None
    assert names(response) == []
    assert "export=xlsx" not in response.content.decode()


def test_enterprise_accounts_refused(client_as, radar) -> None:
    assert client_as("enterprise").get(SCALE_URL).status_code == 403
    assert client_as("enterprise").get(UNREPORTED_URL).status_code == 403


def test_queries_do_not_grow_with_rows(client_as, radar, zone, django_assert_max_num_queries):
    client = client_as("officer")
    client.get(SCALE_URL)  # the standings are built on the first read
    with django_assert_max_num_queries(QUERIES):
        client.get(SCALE_URL)
    line = radar["line"].min_revenue
    more = [make(zone, f"珠海批量{n}号企业") for n in range(25)]
    record(zone, {firm: year_to_june(line * (81 + n % 15) / 100) for n, firm in enumerate(more)})
    client.get(SCALE_URL)
    with django_assert_max_num_queries(QUERIES):
        response = client.get(SCALE_URL)
    assert len(response.context["page"].object_list) > 20
    with django_assert_max_num_queries(QUERIES):
        client.get(SCALE_URL, {"export": "xlsx"})
