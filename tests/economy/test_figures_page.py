"""/economy/: the table, breakdowns and lists of a month, each number from the rows the test
wrote; the default month; "as known on"; the sheet; an enterprise user refused; bounded
queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from gaoxin.core import formatting
from gaoxin.economy.models import Indicator, Source
from gaoxin.economy.periods import Period
from gaoxin.economy.services import FigureInput, figures_record
from gaoxin.enterprises.models import ScaleSpell
from tests.factories import EnterpriseFactory, IndustryFactory

pytestmark = pytest.mark.django_db

AT = dt.datetime(2023, 7, 15, 12, tzinfo=dt.UTC)
URL = reverse("economy:figures")


@pytest.fixture
def written(zone):
    """Revenue of three enterprises for January–June 2022 and 2023; the third fell."""
    revenue = Indicator.objects.get(code="revenue")
    industry = IndustryFactory(zone=zone, name="储能")
    amounts = {"甲": (100, 150), "乙": (200, 260), "丙": (300, 270)}
    rows: dict[tuple[str, int, int], Decimal] = {}
    values = []
    for name, (last, this) in amounts.items():
        enterprise = EnterpriseFactory(zone=zone, name=f"{name}企业")
        enterprise.industries.add(industry)
        ScaleSpell.objects.create(enterprise=enterprise, entered_on=dt.date(2020, 1, 1))
        for year, base in ((2022, last), (2023, this)):
            for month in range(1, 7):
                amount = Decimal(base * 10_000 + month)
                rows[(name, year, month)] = amount
                values.append(
                    FigureInput(enterprise.pk, revenue.pk, Period.of(year, month), amount)
                )
    figures_record(zone=zone, values=values, source=Source.BUREAU, by=None, at=AT)
    return rows


def total(rows, year, months, names=None) -> Decimal:
    return sum(
        (
            a
            for (n, y, m), a in rows.items()
            if y == year and m in months and (names is None or n in names)
        ),
        Decimal(0),
    )


def test_the_table_of_the_latest_month(client_as, written) -> None:
    response = client_as("leader").get(URL)
    assert response.status_code == 200
    assert response.context["period"] == Period.of(2023, 6)
    (line,) = [x for x in response.context["lines"] if x["indicator"].code == "revenue"]
    this, last = total(written, 2023, range(1, 7)), total(written, 2022, range(1, 7))
    assert line["ytd"].value == this
    assert line["month"].value == total(written, 2023, [6])
    assert line["comparable"].value == ((this - last) * 100 / last).quantize(Decimal("0.1"))
    body = response.content.decode()
    assert formatting.money(this) in body
    assert "/metrics/economy.growth.revenue/?as_of=2023-06-30" in body
    decliners = response.context["lists"]["decliners"]
    assert [d["name"] for d in decliners] == ["丙企业"]
    contributors = response.context["lists"]["contributors"]
    change = {
        n: total(written, 2023, range(1, 7), {n}) - total(written, 2022, range(1, 7), {n})
        for n in "甲乙丙"
    }
    growing = sorted((n for n in change if change[n] > 0), key=lambda n: -change[n])
    assert [c["name"] for c in contributors] == [f"{n}企业" for n in growing]
    zone_change = sum(change.values())
    assert zone_change > 0
    share = (change[growing[0]] * 100 / zone_change).quantize(Decimal("0.1"))
    assert contributors[0]["share"] == f"{formatting.number(share, places=1)}%"


def test_a_month_asked_for_and_known_on(client_as, written) -> None:
    response = client_as("officer").get(URL, {"period": "2023-03", "basis": "total"})
    (line,) = [x for x in response.context["lines"] if x["indicator"].code == "revenue"]
    assert line["ytd"].value == total(written, 2023, range(1, 4))
    # Known on a day before anything was recorded: no figures at all.
    response = client_as("officer").get(URL, {"period": "2023-03", "known_on": "2023-07-01"})
    (line,) = [x for x in response.context["lines"] if x["indicator"].code == "revenue"]
    assert line["ytd"].value == 0
    assert client_as("officer").get(URL, {"period": "June"}).status_code == 400


def test_the_sheet(client_as, written) -> None:
    response = client_as("leader").get(URL, {"export": "xlsx"})
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(BytesIO(response.content))
    sheet = book.get_sheet_by_index(0).to_python()
    (row,) = [r for r in sheet if r and r[0] == "营业收入"]
    assert Decimal(str(row[3])) == total(written, 2023, range(1, 7))


def test_enterprise_user_refused(client_as, written) -> None:
    assert client_as("enterprise").get(URL).status_code == 403


def test_other_zone_sees_nothing_of_this_one(client_as, written) -> None:
    response = client_as("outsider").get(URL)
    assert response.status_code == 200 and response.context["period"] is None


def test_queries_bounded(client_as, written, django_assert_max_num_queries) -> None:
    client = client_as("leader")
    client.get(URL)
    with django_assert_max_num_queries(30):
        client.get(URL)
