"""The dashboard's 企业培育 section: each registered radar's count on the dashboard's day and
新增规上企业 of that year, each linking to its records; no radar and nothing new, no section; a
fixed number of queries whatever the rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gaoxin.core.figures import metric_url
from gaoxin.cultivation.followups import VisitInput, followup_start
from gaoxin.cultivation.radars import all_radars
from gaoxin.enterprises.services import scale_enter
from tests.cultivation.followup_radars import HEADS, radars_registered
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def tiles(response) -> dict[str, int]:
    section = response.context["cultivation"]
    figures = [*section["radars"], section["new_above_scale"], section["open"]]
    return {f.key: f.value for f in figures if f is not None}


def test_the_section_shows_each_radar_and_the_new_above_scale(client_as, zone, users) -> None:
    officer = users["officer"]
    on = [EnterpriseFactory(zone=zone, employees=HEADS + n) for n in range(3)]
    scale_enter(enterprise=EnterpriseFactory(zone=zone), on=TODAY, by=officer)
    scale_enter(
        enterprise=EnterpriseFactory(zone=zone), on=dt.date(TODAY.year - 1, 6, 1), by=officer
    )
    with radars_registered("scale", "high_tech"):
        followup_start(
            enterprise=on[0],
            radar="scale",
            officer=officer,
            target_on=TODAY,
            visit=VisitInput("visit", TODAY, "走访"),
            by=officer,
        )
        response = client_as("leader").get("/dashboard/")
        assert response.status_code == 200
        shown = tiles(response)
        expected = {
            "radar.scale": 3,
            "radar.high_tech": 3,
            "radar.new_above_scale": 1,
            "radar.followups.open": 1,
        }
        assert {key: shown.get(key) for key in expected} == expected
        # The real radars keep their tiles beside the test ones (none of them has figures).
        others = set(shown) - set(expected)
        assert others == {f"radar.{r.key}" for r in all_radars()} - set(expected)
        assert all(shown[key] == 0 for key in others)
        page = response.content.decode()
        assert 'id="cultivation"' in page
        for key in ("radar.scale", "radar.new_above_scale", "radar.followups.open"):
            assert f'href="{metric_url(key, as_of=TODAY)}' in page.replace("&amp;", "&")


def test_as_of_an_earlier_day(client_as, zone, users) -> None:
    scale_enter(
        enterprise=EnterpriseFactory(zone=zone), on=dt.date(2023, 3, 1), by=users["officer"]
    )
    client = client_as("leader")
    with radars_registered("scale"):
        response = client.get("/dashboard/", {"as_of": "2023-06-30"})
        assert response.context["cultivation"]["new_above_scale"].value == 1
        response = client.get("/dashboard/", {"as_of": "2024-06-30"})
        assert response.context["cultivation"]["new_above_scale"].value == 0
    # Without a radar, the section shows when something entered the directory that year.
    response = client.get("/dashboard/", {"as_of": "2023-06-30"})
    assert response.context["cultivation"]["new_above_scale"].value == 1


def test_no_radar_and_nothing_new_no_section(client_as, monkeypatch) -> None:
    from gaoxin.cultivation import radars

    monkeypatch.setattr(radars, "_RADARS", {})
    response = client_as("leader").get("/dashboard/")
    assert response.context["cultivation"] is None
    assert 'id="cultivation"' not in response.content.decode()


def test_the_section_costs_the_same_whatever_the_rows(client_as, zone, users) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        client.get("/dashboard/")  # the first read builds what is read once
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/dashboard/")
        assert (
            tiles(response)["radar.scale"]
            == EnterpriseFactory._meta.model.objects.filter(employees__gte=HEADS).count()
        )
        return len(captured)

    client = client_as("leader")
    with radars_registered():
        EnterpriseFactory(zone=zone, employees=HEADS)
        few = queries()
        for n in range(40):
            EnterpriseFactory(zone=zone, employees=HEADS + n)
        assert queries() == few
