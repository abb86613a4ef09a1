"""/cultivation/: one card per registered radar with its count today in the user's working
zones (equal to the radar's records, linking to them), the user's open and overdue
follow-ups, and a fixed number of queries whatever the rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from gaoxin.core.figures import metric_url
from gaoxin.cultivation.followups import VisitInput, followup_start
from gaoxin.cultivation.models import Followup
from gaoxin.cultivation.radars import all_radars
from tests.cultivation.followup_radars import HEADS, radars_registered
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
INDEX = reverse("cultivation:index")


def follow(enterprise, user, radar="scale"):
    return followup_start(
        enterprise=enterprise,
        radar=radar,
        officer=user,
        target_on=TODAY + dt.timedelta(days=10),
        visit=VisitInput("call", TODAY, "电话"),
        by=user,
    )


def test_one_card_per_radar_with_its_count_and_links(client_as, zone, other_zone, users) -> None:
    for n in range(4):
        EnterpriseFactory(zone=zone, employees=HEADS + n)
    EnterpriseFactory(zone=zone, employees=1)
    EnterpriseFactory(zone=other_zone, employees=HEADS * 2)
    with radars_registered("scale", "high_tech"):
        response = client_as("leader").get(INDEX)
        assert response.status_code == 200
        cards = response.context["cards"]
        assert [c["radar"].key for c in cards] == [r.key for r in all_radars()]
        tested = [card for card in cards if card["radar"].key in ("scale", "high_tech")]
        assert len(tested) == 2  # the real radars' cards are there too, with their own counts
        for card in tested:
            records = card["radar"].records([zone.pk], TODAY)
            assert card["figure"].value == records.count() == 4
            assert card["figure"].url == metric_url(f"radar.{card['radar'].key}", as_of=None)
        page = response.content.decode()
        assert "测试雷达 scale" in page and "测试雷达 high_tech" in page
        assert metric_url("radar.scale", as_of=None) in page
        assert f"{reverse('cultivation:followup_list')}?radar=scale" in page


def test_the_users_followups_and_the_overdue_ones(client_as, zone, users) -> None:
    officer = users["officer"]
    with radars_registered():
        mine = [follow(EnterpriseFactory(zone=zone), officer) for _ in range(3)]
        follow(EnterpriseFactory(zone=zone), users["admin"])
        Followup.objects.filter(pk=mine[0].pk).update(target_on=TODAY - dt.timedelta(days=1))
        response = client_as("officer").get(INDEX)
    assert response.context["mine"] == {"open": 3, "overdue": 1}
    assert response.context["open"].value == 4
    assert "?officer=mine&amp;state=overdue" in response.content.decode()


def test_with_no_radar_the_page_says_so(client_as, monkeypatch) -> None:
    from gaoxin.cultivation import radars

    monkeypatch.setattr(radars, "_RADARS", {})
    response = client_as("officer").get(INDEX)
    assert response.status_code == 200
    assert response.context["cards"] == []
    assert "尚未设置任何雷达" in response.content.decode()  # the page is Chinese first


def test_the_nav_leads_staff_here(client_as) -> None:
    assert f'href="{INDEX}"' in client_as("department").get("/").content.decode()
    assert f'href="{INDEX}"' not in client_as("enterprise").get("/").content.decode()


@pytest.mark.parametrize("rows", [2, 40])
def test_queries_do_not_grow_with_the_rows(
    rows, client_as, zone, users, django_assert_max_num_queries
) -> None:
    with radars_registered():
        for n in range(rows):
            enterprise = EnterpriseFactory(zone=zone, employees=HEADS + n)
            follow(enterprise, users["officer"])
        client = client_as("officer")
        # The same bound for 2 rows as for 40: 16 for the page and the test radars, and the
        # real 亩均效益 radar's own reads (its year, the standings, its count).
        with django_assert_max_num_queries(21):
            response = client.get(INDEX)
        cards = response.context["cards"]
        assert [c["figure"].value for c in cards if c["radar"].key != "efficiency"] == [rows] * 4
