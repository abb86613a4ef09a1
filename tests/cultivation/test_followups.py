"""The follow-ups' services: taking an enterprise into follow-up in one step writes the
follow-up and its first service record, or nothing; a second open follow-up on the same radar
is refused by the database's constraint with a message naming who follows it; closing by hand;
and closing by itself when the enterprise enters the 规上 directory (by hand or from the
statistics import), is granted the designation a radar looks for, or leaves the zone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from gaoxin.core.errors import DomainError
from gaoxin.core.roles import Role
from gaoxin.cultivation import radars
from gaoxin.cultivation.followups import VisitInput, followup_close, followup_start, visit_add
from gaoxin.cultivation.models import Followup, FollowupReason, FollowupVisit
from gaoxin.economy.imports import import_statistics, read_statistics_sheet
from gaoxin.economy.periods import Period
from gaoxin.enterprises.models import DesignationKind, DesignationLevel, EnterpriseExit
from gaoxin.enterprises.services import (
    designation_create,
    enterprise_exit,
    scale_enter,
    scale_leave,
)
from tests.cultivation.followup_radars import radars_registered
from tests.economy.bureau_sheet import bureau_workbook
from tests.factories import EnterpriseFactory, UserFactory, ZoneFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LATER = TODAY + dt.timedelta(days=90)


@pytest.fixture(autouse=True)
def _radars_and_english():
    with radars_registered(), translation.override("en"):
        yield


@pytest.fixture
def zone():
    return ZoneFactory()


@pytest.fixture
def officer(zone):
    return UserFactory(role=Role.OFFICER, zones=[zone])


@pytest.fixture
def enterprise(zone):
    return EnterpriseFactory(zone=zone, employees=80)


def visit(**changes) -> VisitInput:
    values = {"kind": "visit", "held_on": TODAY, "minutes": "走访企业，了解扩产计划"}
    return VisitInput(**{**values, **changes})


def start(enterprise, user, **changes) -> Followup:
    """`user` takes the enterprise into follow-up on "scale", following it himself, unless
    `changes` say otherwise."""
    arguments = {
        "enterprise": enterprise,
        "radar": "scale",
        "officer": user,
        "target_on": LATER,
        "visit": visit(),
        "by": user,
    }
    return followup_start(**{**arguments, **changes})


def test_one_step_writes_the_followup_and_its_first_record(enterprise, officer, zone) -> None:
    followup = start(enterprise, officer, visit=visit(kind="call", minutes="  电话沟通  "))
    followup.refresh_from_db()
    assert (followup.zone_id, followup.radar, followup.officer_id) == (zone.pk, "scale", officer.pk)
    assert followup.started_on == TODAY and followup.target_on == LATER
    assert followup.closed_on is None and followup.close_reason == ""
    (record,) = followup.visits.all()
    assert (record.kind, record.held_on, record.minutes) == ("call", TODAY, "电话沟通")
    assert record.recorded_by == officer
    assert followup.history.first().history_user == officer


def _other_zone_officer():
    return UserFactory(role=Role.OFFICER, zones=[ZoneFactory()])


REFUSALS = {
    "unknown radar": (lambda e, o: {"radar": "nonesuch"}, "There is no radar"),
    "enterprise of another zone": (
        lambda e, o: {"by": _other_zone_officer()},
        "belongs to a zone you do not work in",
    ),
    "officer not staff of the zone": (
        lambda e, o: {"officer": _other_zone_officer()},
        "must be a staff member",
    ),
    "target date in the past": (
        lambda e, o: {"target_on": TODAY - dt.timedelta(days=1)},
        "cannot be in the past",
    ),
    "record in the future": (
        lambda e, o: {"visit": visit(held_on=TODAY + dt.timedelta(days=1))},
        "cannot be dated in the future",
    ),
    "record without minutes": (lambda e, o: {"visit": visit(minutes="   ")}, "found and agreed"),
    "record of no kind": (lambda e, o: {"visit": visit(kind="letter")}, "kind of service"),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_a_refused_start_writes_nothing(case, enterprise, officer) -> None:
    changes, message = REFUSALS[case]
    with pytest.raises(DomainError, match=message):
        start(enterprise, officer, **changes(enterprise, officer))
    assert not Followup.objects.exists()
    assert not FollowupVisit.objects.exists()


def test_an_enterprise_user_cannot_be_the_officer(enterprise, officer, zone) -> None:
    account = UserFactory(role=Role.ENTERPRISE, zones=[zone], enterprise=enterprise)
    with pytest.raises(DomainError, match="must be a staff member"):
        start(enterprise, officer, officer=account)
    assert not Followup.objects.exists()


def test_an_enterprise_that_left_cannot_be_followed(enterprise, officer) -> None:
    enterprise_exit(enterprise=enterprise, kind=EnterpriseExit.Kind.MOVED_OUT, on=TODAY, by=officer)
    enterprise.refresh_from_db()
    with pytest.raises(DomainError, match="has left the zone"):
        start(enterprise, officer)
    assert not Followup.objects.exists()


def test_a_radar_not_followed_refuses(enterprise, officer) -> None:
    from tests.cultivation.followup_radars import make_radar

    with (
        radars.registered(make_radar("efficiency", followed=False)),
        pytest.raises(DomainError, match="not taken into follow-up"),
    ):
        start(enterprise, officer, radar="efficiency")
    assert not Followup.objects.exists()


def test_a_second_open_followup_on_the_radar_is_refused_by_the_constraint(
    enterprise, officer, zone
) -> None:
    first = start(enterprise, officer)
    colleague = UserFactory(role=Role.OFFICER, zones=[zone], name="李专员")
    with pytest.raises(DomainError) as refused:
        start(enterprise, colleague)
    assert refused.value.field == "radar"
    assert officer.display_name in refused.value.message
    assert TODAY.isoformat() in refused.value.message
    # Nothing of the second was kept: one follow-up, one record.
    assert list(Followup.objects.values_list("pk", flat=True)) == [first.pk]
    assert FollowupVisit.objects.count() == 1
    # The database itself refuses a second open one (the service leans on it, not a check).
    with pytest.raises(IntegrityError), transaction.atomic():
        Followup.objects.create(
            zone=zone,
            enterprise=enterprise,
            radar="scale",
            officer=colleague,
            started_on=TODAY,
            created_by=colleague,
        )
    # Another radar, or the same one once the first is closed, is fine.
    start(enterprise, colleague, radar="unreported")
    followup_close(
        followup=first, reason=FollowupReason.OFFICER, note="企业暂无意愿", on=TODAY, by=officer
    )
    again = start(enterprise, colleague)
    assert again.officer == colleague


def test_visits_are_added_to_open_followups_only(enterprise, officer) -> None:
    followup = start(enterprise, officer)
    visit_add(followup=followup, kind="meeting", held_on=TODAY, minutes="协调会", by=officer)
    assert followup.visits.count() == 2
    with pytest.raises(DomainError, match="cannot be dated in the future"):
        visit_add(
            followup=followup,
            kind="visit",
            held_on=TODAY + dt.timedelta(days=1),
            minutes="x",
            by=officer,
        )
    followup_close(
        followup=followup, reason=FollowupReason.OFFICER, note="结束", on=TODAY, by=officer
    )
    with pytest.raises(DomainError, match="closed"):
        visit_add(followup=followup, kind="visit", held_on=TODAY, minutes="再访", by=officer)
    assert followup.visits.count() == 2


CLOSE_REFUSALS = {
    "officer's reason without a note": ({"reason": FollowupReason.OFFICER, "note": ""}, "Say why"),
    "in the future": ({"on": TODAY + dt.timedelta(days=1)}, "cannot be in the future"),
    "before it started": ({"on": TODAY - dt.timedelta(days=1)}, "before the follow-up started"),
    "no such reason": ({"reason": "bored"}, "Choose why"),
}


@pytest.mark.parametrize("case", sorted(CLOSE_REFUSALS))
def test_closing_refusals(case, enterprise, officer) -> None:
    followup = start(enterprise, officer)
    changes, message = CLOSE_REFUSALS[case]
    arguments = {"reason": FollowupReason.OFFICER, "note": "不再符合", "on": TODAY, **changes}
    with pytest.raises(DomainError, match=message):
        followup_close(followup=followup, by=officer, **arguments)
    followup.refresh_from_db()
    assert followup.closed_on is None


def test_closing_by_hand_and_not_twice(enterprise, officer) -> None:
    followup = start(enterprise, officer)
    followup_close(
        followup=followup,
        reason=FollowupReason.OFFICER,
        note="企业迁址意向",
        on=TODAY,
        by=officer,
        version=followup.version,
    )
    followup.refresh_from_db()
    assert (followup.closed_on, followup.close_reason, followup.close_note) == (
        TODAY,
        FollowupReason.OFFICER,
        "企业迁址意向",
    )
    with pytest.raises(DomainError, match="already closed"):
        followup_close(
            followup=followup, reason=FollowupReason.OFFICER, note="x", on=TODAY, by=officer
        )


def test_a_stale_form_cannot_close(enterprise, officer) -> None:
    followup = start(enterprise, officer)
    opened = followup.version
    visit_add(followup=followup, kind="visit", held_on=TODAY, minutes="x", by=officer)
    Followup.objects.get(pk=followup.pk).save()  # a colleague's change in between
    with pytest.raises(DomainError, match="changed by"):
        followup_close(
            followup=followup,
            reason=FollowupReason.OFFICER,
            note="x",
            on=TODAY,
            by=officer,
            version=opened,
        )


# --- closing by itself -------------------------------------------------------------------------


def _open_radars(enterprise) -> set[str]:
    return set(
        Followup.objects.filter(enterprise=enterprise, closed_on__isnull=True).values_list(
            "radar", flat=True
        )
    )


def _closed(enterprise) -> dict[str, str]:
    return dict(
        Followup.objects.filter(enterprise=enterprise, closed_on__isnull=False).values_list(
            "radar", "close_reason"
        )
    )


@pytest.fixture
def followed_everywhere(enterprise, officer):
    for key in ("scale", "unreported", "high_tech", "specialised"):
        start(enterprise, officer, radar=key)
    other = EnterpriseFactory(zone=enterprise.zone, employees=90)
    start(other, officer, radar="scale")
    return other


def test_entering_the_directory_closes_the_scale_radars_only(
    enterprise, officer, followed_everywhere
) -> None:
    scale_enter(enterprise=enterprise, on=TODAY, by=officer)
    assert _open_radars(enterprise) == {"high_tech", "specialised"}
    assert _closed(enterprise) == {
        "scale": FollowupReason.ABOVE_SCALE,
        "unreported": FollowupReason.ABOVE_SCALE,
    }
    closed = Followup.objects.get(enterprise=enterprise, radar="scale")
    assert closed.closed_on == TODAY and TODAY.isoformat() in closed.close_note
    # Another enterprise's follow-up is untouched.
    assert _open_radars(followed_everywhere) == {"scale"}


@pytest.mark.parametrize(
    ("kind", "closes"),
    [
        (DesignationKind.HIGH_TECH, {"high_tech"}),
        (DesignationKind.SPECIALISED_SME, {"specialised"}),
        (DesignationKind.TECH_SME, set()),
        (DesignationKind.INNOVATIVE_SME, set()),
    ],
)
def test_a_designation_closes_the_radar_of_its_kind_only(
    kind, closes, enterprise, officer, followed_everywhere
) -> None:
    designation_create(
        enterprise=enterprise,
        kind=kind,
        level=DesignationLevel.PROVINCIAL,
        granted_on=TODAY,
        by=officer,
    )
    assert _closed(enterprise) == {radar: FollowupReason.DESIGNATED for radar in closes}
    assert _open_radars(enterprise) == {"scale", "unreported", "high_tech", "specialised"} - closes


def test_leaving_the_zone_closes_every_followup(enterprise, officer, followed_everywhere) -> None:
    enterprise_exit(enterprise=enterprise, kind=EnterpriseExit.Kind.CLOSED, on=TODAY, by=officer)
    assert _open_radars(enterprise) == set()
    assert set(_closed(enterprise).values()) == {FollowupReason.EXITED}
    assert len(_closed(enterprise)) == 4
    assert _open_radars(followed_everywhere) == {"scale"}


# --- the statistics import's 入统 ---------------------------------------------------------------


JAN_FEB = Period(2023, 2, 1)


def _sheet(zone, rows):
    content = bureau_workbook(rows, extra_headers=("入统/退库",))
    sheet = read_statistics_sheet(zone, content, JAN_FEB)
    assert sheet.ok, sheet.errors
    return sheet


def test_the_statistics_import_closes_the_followup(zone, enterprise, officer) -> None:
    followup = start(enterprise, officer)
    on_other_radar = start(enterprise, officer, radar="high_tech")
    bystander = EnterpriseFactory(zone=zone, employees=60)
    untouched = start(bystander, officer)
    sheet = _sheet(
        zone,
        [
            (enterprise.uscc, enterprise.name, "", 1200, "", "", "新入统"),
            (bystander.uscc, bystander.name, "", 300, "", "", ""),
        ],
    )
    outcome = import_statistics(zone=zone, sheet=sheet, by=officer)
    assert outcome.entered == 1
    followup.refresh_from_db()
    assert followup.close_reason == FollowupReason.ABOVE_SCALE
    # 入统 is dated in the sheet's period (2023), before the follow-up began: it closes the
    # day it started, and its note keeps the day of 入统.
    assert followup.closed_on == followup.started_on
    assert "2023-01-01" in followup.close_note
    on_other_radar.refresh_from_db()
    untouched.refresh_from_db()
    assert on_other_radar.closed_on is None and untouched.closed_on is None


def test_a_refused_import_leaves_the_followup_open(zone, enterprise, officer) -> None:
    followup = start(enterprise, officer)
    # Left the directory in June 2023: it cannot enter it again in January 2023, so the
    # sheet's second row refuses the whole import after the first row's 入统 was written.
    already = EnterpriseFactory(zone=zone)
    scale_enter(enterprise=already, on=dt.date(2022, 1, 1), by=officer)
    scale_leave(enterprise=already, on=dt.date(2023, 6, 30), by=officer)
    sheet = _sheet(
        zone,
        [
            (enterprise.uscc, enterprise.name, "", 1200, "", "", "新入统"),
            (already.uscc, already.name, "", 900, "", "", "新入统"),
        ],
    )
    with pytest.raises(DomainError, match="Nothing was imported"):
        import_statistics(zone=zone, sheet=sheet, by=officer)
    followup.refresh_from_db()
    assert followup.closed_on is None and followup.close_reason == ""
