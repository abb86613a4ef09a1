"""/economy/ reads its sums through the figures cache (core/figure_cache.py, issue 19): a
second view computes none of them again and shows the same page; figures recorded through the
service, once committed, show in the next view; two views that differ (another indicator,
"as known on") never share a value.

The test commits (`transaction=True`): a write in a test's own transaction is never
committed, so its readers bypass the cache and would not test it. One test: a committing
test's flush empties the indicators' catalogue for the next one."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gaoxin.core import formatting
from gaoxin.economy import catalogue
from gaoxin.economy.models import Indicator, Source
from gaoxin.economy.periods import Period
from gaoxin.economy.services import FigureInput, figures_record
from tests.factories import EnterpriseFactory, IndustryFactory

pytestmark = pytest.mark.django_db(transaction=True)

URL = reverse("economy:figures")
# A warm view: the session, its user, the user's zones, the indicators, the zone's settings,
# the month, the zones' generations, the layout's zones and notices. 21 on a cold view of the
# 100k set, and every one of the sums a scan of the zone's figures.
WARM_MAX = 12


def record(zone, enterprise, code: str, year: int, amount: int) -> None:
    indicator = Indicator.objects.get(code=code)
    figures_record(
        zone=zone,
        values=[
            FigureInput(enterprise.pk, indicator.pk, Period.of(year, month), Decimal(amount))
            for month in range(1, 7)
        ],
        source=Source.BUREAU,
        by=None,
        at=dt.datetime(2023, 7, 15, 12, tzinfo=dt.UTC),
    )


@pytest.fixture
def firms(zone):
    # Another committing test run before this one in the same process (they run last, in any
    # order) has flushed the catalogue its migration loaded.
    if not Indicator.objects.exists():
        catalogue.load(Indicator)
    industry = IndustryFactory(zone=zone, name="储能")
    made = []
    for index, (last, this) in enumerate(((100_000, 150_000), (300_000, 270_000))):
        enterprise = EnterpriseFactory(zone=zone, name=f"缓存{index}企业")
        enterprise.industries.add(industry)
        record(zone, enterprise, "revenue", 2022, last)
        record(zone, enterprise, "revenue", 2023, this)
        made.append(enterprise)
    return made


def _view(client, query: dict | None = None) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, query or {})
    assert response.status_code == 200
    return len(queries), response.content.decode()


def _body(content: str) -> str:
    """The page without its per-request tokens."""
    return re.sub(r'(csrfmiddlewaretoken" value=|X-CSRFToken": |nonce=)"[^"]+"', "", content)


def test_a_second_view_computes_nothing_and_a_write_shows(
    firms, zone, client_as, django_assert_max_num_queries
) -> None:
    client = client_as("leader")
    cold, first = _view(client)
    with django_assert_max_num_queries(WARM_MAX) as warm:
        second = client.get(URL).content.decode()
    assert len(warm) < cold, (len(warm), cold)
    assert _body(second) == _body(first)
    ytd = formatting.money(Decimal((150_000 + 270_000) * 6))
    assert ytd in first and "缓存1企业" in first  # the year to date; the one that fell

    # Figures recorded (committed) move the zone's generation on: the next view reads them.
    late = EnterpriseFactory(zone=zone, name="新增企业")
    record(zone, late, "revenue", 2023, 1_000)
    third = client.get(URL)
    (line,) = [x for x in third.context["lines"] if x["indicator"].code == "revenue"]
    assert line["ytd"].value == Decimal((150_000 + 270_000 + 1_000) * 6)
    assert line["ytd"].shown in third.content.decode()

    # Views that differ (another indicator and basis, as known on a day) share no value.
    record(zone, firms[0], "tax", 2023, 7_000)
    client.get(URL)
    tax = client.get(URL, {"indicator": "tax", "basis": "total"})
    assert [c["name"] for c in tax.context["industries"]["rows"]] == ["储能"]
    assert tax.context["industries"]["rows"][0]["ytd"].value == Decimal(7_000 * 6)
    # As known before the figures were recorded: nothing, not the cached figures of now.
    before = client.get(URL, {"period": "2023-06", "known_on": "2023-07-01"})
    (line,) = [x for x in before.context["lines"] if x["indicator"].code == "revenue"]
    assert line["ytd"].value == 0
    now = client.get(URL, {"period": "2023-06"})
    (line,) = [x for x in now.context["lines"] if x["indicator"].code == "revenue"]
    assert line["ytd"].value == Decimal((150_000 + 270_000 + 1_000) * 6)
