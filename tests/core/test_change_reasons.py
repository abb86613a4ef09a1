"""A note kept as the history's change reason is kept whole, on SQLite and PostgreSQL alike:
its only limit is its form field's (the history column is text, not 100 characters)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import (
    AwardFactory,
    DepartmentFactory,
    DesignationFactory,
    ProjectFactory,
    UserFactory,
    ZoneFactory,
)

pytestmark = pytest.mark.django_db

NOTE = "因材料不齐退回补正，" * 50  # 500 characters


def _last_reason(record) -> str:
    return record.history.order_by("-history_id").first().history_change_reason


def test_an_approval_note_of_500_characters_is_kept_as_the_reason() -> None:
    from gaoxin.projects.models import Approval
    from gaoxin.projects.work.approvals.services import approval_update

    zone = ZoneFactory()
    project = ProjectFactory(zone=zone)
    approval = Approval.objects.create(
        project=project, name="用地预审", department=DepartmentFactory(zone=zone)
    )
    approval_update(
        approval=approval, by=UserFactory(zones=[zone]), status=approval.status, note=NOTE
    )
    assert len(NOTE) == 500 and _last_reason(approval) == NOTE


def test_reopening_and_reassigning_a_blocker_keep_long_notes() -> None:
    from gaoxin.projects.models import Blocker
    from gaoxin.projects.work.blockers.services import blocker_reassign, blocker_update_status

    zone = ZoneFactory()
    project = ProjectFactory(zone=zone)
    by = UserFactory(zones=[zone])
    blocker = Blocker.objects.create(
        project=project,
        stage=project.stage,
        description="供电线路未接入",
        department=DepartmentFactory(zone=zone),
        raised_on=dt.date(2023, 4, 1),
        due_on=dt.date(2023, 5, 1),
    )
    blocker_reassign(
        blocker=blocker,
        by=by,
        department=DepartmentFactory(zone=zone, name="住建局"),
        owner=None,
        due_on=dt.date(2023, 6, 1),
        note=NOTE,
    )
    assert _last_reason(blocker) == NOTE
    blocker_update_status(
        blocker=blocker, by=by, status="resolved", resolution="已接入", on=dt.date(2023, 5, 2)
    )
    blocker_update_status(blocker=blocker, by=by, status="in_progress", note=NOTE)
    assert _last_reason(blocker) == NOTE


def test_withdrawing_an_award_and_revoking_a_designation_keep_long_notes() -> None:
    from gaoxin.campaigns.award_services import award_withdraw
    from gaoxin.enterprises.services import designation_revoke

    award = AwardFactory()
    award_withdraw(award=award, by=UserFactory(), note=NOTE)
    assert _last_reason(award) == NOTE
    designation = DesignationFactory()
    designation_revoke(
        designation=designation,
        on=designation.granted_on + dt.timedelta(days=1),
        by=UserFactory(),
        reason=NOTE,
    )
    assert _last_reason(designation) == NOTE
