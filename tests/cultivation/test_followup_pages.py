"""The follow-ups' pages: the one-step start form (its defaults, back to where it came from, a
refusal that writes nothing), the list with its filters, sort, export and bounded queries, one
follow-up with its records, adding one, closing it after a confirmation step; the 企业培育
panel of an enterprise's page; and the cell the radars' lists show."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from gaoxin.core.roles import Role
from gaoxin.cultivation.followups import VisitInput, followup_close, followup_start
from gaoxin.cultivation.models import Followup, FollowupReason, FollowupVisit
from gaoxin.cultivation.radars import all_radars
from tests.cultivation.followup_radars import HEADS, radars_registered
from tests.factories import EnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LATER = TODAY + dt.timedelta(days=60)
START = reverse("cultivation:followup_start")
LIST = reverse("cultivation:followup_list")


@pytest.fixture(autouse=True)
def _radars(english):
    with radars_registered():
        yield


@pytest.fixture
def english(settings):
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def liaison(zone):
    return UserFactory(role=Role.OFFICER, zones=[zone], name="王挂点")


@pytest.fixture
def enterprise(zone, liaison):
    return EnterpriseFactory(zone=zone, employees=HEADS + 10, liaison_officer=liaison)


def follow(enterprise, user, radar="scale", target_on=LATER, **extra) -> Followup:
    return followup_start(
        enterprise=enterprise,
        radar=radar,
        officer=user,
        target_on=target_on,
        visit=VisitInput("visit", TODAY, "首次走访"),
        by=user,
        **extra,
    )


def form_data(enterprise, **changes) -> dict:
    data = {
        "enterprise": enterprise.pk,
        "radar": "scale",
        "officer": enterprise.liaison_officer_id,
        "target_on": LATER.isoformat(),
        "visit_kind": "visit",
        "visit_held_on": TODAY.isoformat(),
        "visit_minutes": "走访 营收接近规上线",
    }
    return {**data, **changes}


# --- the start form ----------------------------------------------------------------------------


def test_the_start_form_defaults_to_the_liaison_officer_and_the_radar_asked(
    client_as, enterprise, liaison
) -> None:
    response = client_as("officer").get(
        START, {"enterprise": enterprise.pk, "radar": "unreported", "next": "/enterprises/"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form["officer"].value() == liaison.pk
    assert form["radar"].value() == "unreported"
    assert response.context["back"] == "/enterprises/"
    assert [key for key, _label in form.fields["radar"].choices] == [
        radar.key for radar in all_radars() if radar.followed
    ]
    assert {"scale", "unreported", "high_tech", "specialised"} <= dict(
        form.fields["radar"].choices
    ).keys()


def test_without_a_liaison_officer_the_user_follows(client_as, users, zone) -> None:
    enterprise = EnterpriseFactory(zone=zone)
    response = client_as("officer").get(START, {"enterprise": enterprise.pk})
    assert response.context["form"]["officer"].value() == users["officer"].pk


def test_starting_writes_the_followup_and_the_record_and_goes_back(
    client_as, users, enterprise, liaison
) -> None:
    back = "/enterprises/?employees=50&page=2"
    response = client_as("officer").post(START, {**form_data(enterprise), "next": back})
    assert response.status_code == 302 and response["Location"] == back
    followup = Followup.objects.get()
    assert (followup.enterprise, followup.officer, followup.created_by) == (
        enterprise,
        liaison,
        users["officer"],
    )
    assert followup.target_on == LATER
    assert followup.visits.get().minutes == "走访 营收接近规上线"


def test_next_to_another_site_goes_to_the_enterprise(client_as, enterprise) -> None:
    response = client_as("officer").post(
        START, {**form_data(enterprise), "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response["Location"] == enterprise.get_absolute_url()


def test_a_refused_start_shows_the_form_and_writes_nothing(client_as, enterprise) -> None:
    yesterday = (TODAY - dt.timedelta(days=1)).isoformat()
    response = client_as("officer").post(START, form_data(enterprise, target_on=yesterday))
    assert response.status_code == 400
    assert "cannot be in the past" in response.content.decode()
    assert not Followup.objects.exists() and not FollowupVisit.objects.exists()
    # A form error of its own (no minutes) writes nothing either.
    response = client_as("officer").post(START, form_data(enterprise, visit_minutes=""))
    assert response.status_code == 400
    assert not Followup.objects.exists() and not FollowupVisit.objects.exists()


def test_a_second_start_says_who_follows(client_as, users, enterprise, liaison) -> None:
    follow(enterprise, liaison)
    response = client_as("officer").post(START, form_data(enterprise, officer=users["officer"].pk))
    assert response.status_code == 400
    assert "is already followed on this radar by 王挂点" in response.content.decode()
    assert Followup.objects.count() == 1 and FollowupVisit.objects.count() == 1


# --- the list ----------------------------------------------------------------------------------


@pytest.fixture
def several(zone, users, liaison):
    """Five follow-ups: the officer's open on scale, overdue on unreported, closed as 规上;
    the liaison's open on high_tech; and one of another zone."""
    officer = users["officer"]
    a, b, c, d = (EnterpriseFactory(zone=zone, name=f"培育企业{n}") for n in "甲乙丙丁")
    rows = {
        "open": follow(a, officer),
        "overdue": follow(b, officer, radar="unreported"),
        "closed": follow(c, officer),
        "theirs": follow(d, liaison, radar="high_tech"),
    }
    Followup.objects.filter(pk=rows["overdue"].pk).update(
        target_on=TODAY - dt.timedelta(days=3), started_on=TODAY - dt.timedelta(days=30)
    )
    followup_close(
        followup=rows["closed"], reason=FollowupReason.ABOVE_SCALE, note="", on=TODAY, by=officer
    )
    away = EnterpriseFactory(zone=users["outsider"].zones.get())
    rows["away"] = follow(away, users["outsider"])
    return rows


def listed(response) -> set[int]:
    return {f.pk for f in response.context["page"]}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"open", "overdue", "closed", "theirs"}),
        ({"radar": "scale"}, {"open", "closed"}),
        ({"officer": "mine"}, {"open", "overdue", "closed"}),
        ({"state": "open"}, {"open", "overdue", "theirs"}),
        ({"state": "overdue"}, {"overdue"}),
        ({"state": "closed"}, {"closed"}),
        ({"reason": FollowupReason.ABOVE_SCALE}, {"closed"}),
        ({"q": "培育企业乙"}, {"overdue"}),
    ],
)
def test_the_list_filters(query, expected, client_as, several) -> None:
    response = client_as("officer").get(LIST, query)
    assert response.status_code == 200
    assert listed(response) == {several[name].pk for name in expected}


def test_the_list_filters_by_an_officer_and_sorts(client_as, several, liaison) -> None:
    client = client_as("leader")
    response = client.get(LIST, {"officer": liaison.pk})
    assert listed(response) == {several["theirs"].pk}
    names = [f.enterprise.name for f in client.get(LIST, {"sort": "-enterprise"}).context["page"]]
    assert names == sorted(names, reverse=True)
    assert "Overdue" in client.get(LIST, {"state": "overdue"}).content.decode()


def test_the_list_exports(client_as, several) -> None:
    from python_calamine import CalamineWorkbook

    response = client_as("officer").get(LIST, {"radar": "scale", "export": "xlsx"})
    assert response.status_code == 200
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0)
    rows = rows.to_python()
    header = rows[1]
    assert header[:3] == ["Enterprise", "Unified social credit code", "Radar"]
    names = {row[0] for row in rows[2:]}
    assert names == {several["open"].enterprise.name, several["closed"].enterprise.name}
    assert {row[2] for row in rows[2:]} == {"测试雷达 scale"}


def test_the_list_queries_do_not_grow_with_the_rows(
    client_as, zone, users, django_assert_max_num_queries
) -> None:
    officer = users["officer"]
    for _ in range(30):
        followup = follow(EnterpriseFactory(zone=zone), officer)
        FollowupVisit.objects.create(
            followup=followup, kind="call", held_on=TODAY, minutes="x", recorded_by=officer
        )
    client = client_as("officer")
    with django_assert_max_num_queries(12):
        response = client.get(LIST)
    assert len(listed(response)) == 30
    with django_assert_max_num_queries(12):
        client.get(LIST, {"export": "xlsx"})


# --- one follow-up -----------------------------------------------------------------------------


def test_the_detail_shows_the_records_and_takes_another(client_as, users, enterprise) -> None:
    followup = follow(enterprise, users["officer"])
    client = client_as("officer")
    detail = reverse("cultivation:followup_detail", args=[followup.pk])
    page = client.get(detail).content.decode()
    assert "首次走访" in page and "测试雷达 scale" in page
    response = client.post(
        reverse("cultivation:followup_visit_add", args=[followup.pk]),
        {"visit_kind": "meeting", "visit_held_on": TODAY.isoformat(), "visit_minutes": "协调用电"},
    )
    assert response.status_code == 302 and response["Location"] == detail
    assert "协调用电" in client.get(detail).content.decode()
    # A bad record is refused with its reason, and nothing is written.
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    client.post(
        reverse("cultivation:followup_visit_add", args=[followup.pk]),
        {"visit_kind": "visit", "visit_held_on": tomorrow, "visit_minutes": "未来"},
    )
    assert followup.visits.count() == 2
    # A leader reads it, with no forms.
    leader_page = client_as("leader").get(detail)
    assert leader_page.status_code == 200 and leader_page.context["visit_form"] is None


def test_closing_asks_first_then_closes(client_as, users, enterprise) -> None:
    followup = follow(enterprise, users["officer"])
    client = client_as("officer")
    url = reverse("cultivation:followup_close", args=[followup.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "End the follow-up of" in page.content.decode()
    followup.refresh_from_db()
    assert followup.closed_on is None  # asking is not closing
    refused = client.post(
        url, {"reason": "officer", "on": TODAY.isoformat(), "note": "", "version": followup.version}
    )
    assert refused.status_code == 400
    followup.refresh_from_db()
    assert followup.closed_on is None
    done = client.post(
        url,
        {
            "reason": "officer",
            "on": TODAY.isoformat(),
            "note": "企业暂缓扩产",
            "version": followup.version,
        },
    )
    assert done.status_code == 302
    followup.refresh_from_db()
    assert (followup.closed_on, followup.close_reason, followup.close_note) == (
        TODAY,
        "officer",
        "企业暂缓扩产",
    )
    # Closed: the page no longer offers to close it, and no record can be added.
    assert client.get(url).status_code == 302
    assert (
        client.get(reverse("cultivation:followup_detail", args=[followup.pk])).context["visit_form"]
        is None
    )


# --- the enterprise page's panel ---------------------------------------------------------------


def test_the_panel_shows_the_lines_followups_and_start_links(client_as, users, enterprise, zone):
    follow(enterprise, users["officer"], radar="high_tech")
    page = client_as("officer").get(enterprise.get_absolute_url()).content.decode()
    assert f"测试线：从业人员 {HEADS + 10} 人" in page
    assert "测试雷达 high_tech" in page
    # A start link for each radar it is on and not followed on (not high_tech).
    assert page.count(f"{START}?enterprise={enterprise.pk}&amp;radar=") == 3
    assert "radar=high_tech&amp;next" not in page
    # A leader sees the lines, without the links; an enterprise account sees no panel.
    leader = client_as("leader").get(enterprise.get_absolute_url()).content.decode()
    assert "测试线" in leader and START not in leader
    own = users["enterprise"].enterprise
    own.employees = HEADS * 2
    own.save()
    mine = client_as("enterprise").get(own.get_absolute_url()).content.decode()
    assert "测试线" not in mine and 'id="cultivation"' not in mine


def test_an_enterprise_on_no_radar_and_never_followed_has_no_panel(client_as, zone) -> None:
    small = EnterpriseFactory(zone=zone, employees=HEADS - 1)
    page = client_as("officer").get(small.get_absolute_url()).content.decode()
    assert 'id="cultivation"' not in page


def test_the_panel_lists_closed_followups_with_their_reason(client_as, users, zone) -> None:
    small = EnterpriseFactory(zone=zone, employees=3)
    followup = follow(small, users["officer"])
    followup_close(
        followup=followup, reason=FollowupReason.ABOVE_SCALE, note="", on=TODAY, by=users["officer"]
    )
    page = client_as("officer").get(small.get_absolute_url()).content.decode()
    assert "Became 规上" in page and "On no radar today." in page


# --- the radars' lists' cell -------------------------------------------------------------------


def test_the_cell_offers_writers_the_one_step_link(users, enterprise) -> None:
    request = RequestFactory().get("/cultivation/scale/?page=2")
    cell = render_to_string(
        "cultivation/_followup_cell.html",
        {"followup": None, "enterprise": enterprise, "radar": "scale", "can_write": True},
        request=request,
    )
    assert (
        f"{START}?enterprise={enterprise.pk}&amp;radar=scale&amp;next=/cultivation/scale/%3Fpage%3D2"
        in cell
    )
    reader = render_to_string(
        "cultivation/_followup_cell.html",
        {"followup": None, "enterprise": enterprise, "radar": "scale", "can_write": False},
        request=request,
    )
    assert START not in reader
    followup = follow(enterprise, users["officer"])
    followed = render_to_string(
        "cultivation/_followup_cell.html",
        {"followup": followup, "enterprise": enterprise, "radar": "scale", "can_write": True},
        request=request,
    )
    assert users["officer"].display_name in followed and START not in followed
