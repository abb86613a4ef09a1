"""The project work's reminder sources: blockers, approvals and owed 容缺 documents due within
DUE_SOON_DAYS or overdue, each to the right people, never closed or done ones, never another
zone's; one query for the items and one for the departments' users."""

from __future__ import annotations

import datetime as dt

import pytest

from gaoxin.core.roles import Role
from gaoxin.projects import reminders as sources
from gaoxin.projects.models import Approval, Blocker
from tests.factories import ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 30)


def blocker(project, department, due_on, **fields) -> Blocker:
    return Blocker.objects.create(
        project=project,
        stage=project.stage,
        description=fields.pop("description", "供电线路未接入"),
        department=department,
        raised_on=dt.date(2026, 1, 1),
        due_on=due_on,
        **fields,
    )


@pytest.fixture
def project(zone, users):
    return ProjectFactory(zone=zone, officer=users["officer"], name="储能电池项目")


@pytest.fixture
def department(users):
    return users["department"].department


def by_key(dues):
    return {due.key: due for due in dues}


def test_overdue_blockers_go_to_their_owner_and_the_projects_officer(
    zone, other_zone, users, project, department
) -> None:
    owner = UserFactory(role=Role.OFFICER, zones=[zone])
    late = blocker(project, department, dt.date(2026, 11, 27), owner=owner)
    unowned = blocker(project, department, dt.date(2026, 11, 20))
    blocker(project, department, DAY)  # due today: not overdue yet
    blocker(
        project,
        department,
        dt.date(2026, 11, 1),
        status="resolved",
        closed_on=dt.date(2026, 11, 2),
        resolution="已接入",
    )
    away = ProjectFactory(zone=other_zone)
    blocker(away, department, dt.date(2026, 11, 1))

    dues = by_key(sources.blockers_overdue(zone, DAY))

    assert set(dues) == {f"blocker:{late.pk}", f"blocker:{unowned.pk}"}
    due = dues[f"blocker:{late.pk}"]
    assert set(due.user_ids) == {owner.pk, users["officer"].pk}
    assert due.detail == "逾期3天（应于2026-11-27解决）"
    assert due.title == "储能电池项目 · 供电线路未接入"
    assert due.url == f"/blockers/{late.pk}/"
    # Nobody named: the department's users are responsible.
    assert set(dues[f"blocker:{unowned.pk}"].user_ids) == {
        users["department"].pk,
        users["officer"].pk,
    }


def test_blockers_due_soon_are_those_due_today_to_three_days_on(
    zone, users, project, department
) -> None:
    today = blocker(project, department, DAY)
    soon = blocker(project, department, DAY + dt.timedelta(days=3))
    blocker(project, department, DAY + dt.timedelta(days=4))
    blocker(project, department, DAY - dt.timedelta(days=1))  # overdue: the other kind

    dues = by_key(sources.blockers_due_soon(zone, DAY))

    assert set(dues) == {f"blocker:{today.pk}", f"blocker:{soon.pk}"}
    assert dues[f"blocker:{today.pk}"].detail == "今天到期（2026-11-30）"
    assert dues[f"blocker:{soon.pk}"].detail == "3天后到期（2026-12-03）"


def test_terminated_projects_have_no_reminders(zone, users, department) -> None:
    ended = ProjectFactory(zone=zone, stage="terminated")
    blocker(ended, department, dt.date(2026, 11, 1))
    assert sources.blockers_overdue(zone, DAY) == []


def test_approvals_go_to_the_department_users_and_the_officer(
    zone, other_zone, users, project, department
) -> None:
    colleague = UserFactory(role=Role.DEPARTMENT, department=department, zones=[zone])
    UserFactory(role=Role.DEPARTMENT, department=department, zones=[zone], is_active=False)
    late = Approval.objects.create(
        project=project, name="用地预审", department=department, due_on=dt.date(2026, 11, 25)
    )
    Approval.objects.create(
        project=project,
        name="施工许可证",
        department=department,
        due_on=dt.date(2026, 11, 1),
        status="done",
        done_on=dt.date(2026, 11, 2),
    )
    Approval.objects.create(project=project, name="环评批复", department=department)  # no date
    soon = Approval.objects.create(
        project=project, name="规划许可", department=department, due_on=DAY + dt.timedelta(days=2)
    )
    away = ProjectFactory(zone=other_zone)
    Approval.objects.create(
        project=away, name="用地预审", department=department, due_on=dt.date(2026, 11, 1)
    )

    overdue = by_key(sources.approvals_overdue(zone, DAY))
    due_soon = by_key(sources.approvals_due_soon(zone, DAY))

    assert set(overdue) == {f"approval:{late.pk}"}
    assert set(overdue[f"approval:{late.pk}"].user_ids) == {
        users["department"].pk,
        colleague.pk,
        users["officer"].pk,
    }
    assert overdue[f"approval:{late.pk}"].detail == "逾期5天（应于2026-11-25办结）"
    assert overdue[f"approval:{late.pk}"].url == f"/approvals/{late.pk}/"
    assert set(due_soon) == {f"approval:{soon.pk}"}


def test_owed_documents_follow_their_own_deadline_until_received(
    zone, users, project, department
) -> None:
    owed = Approval.objects.create(
        project=project,
        name="建设工程规划许可证",
        department=department,
        status="accepted_pending",
        owed_documents="消防设计审查意见",
        owed_due_on=dt.date(2026, 11, 28),
    )
    Approval.objects.create(
        project=project,
        name="施工许可证",
        department=department,
        status="done",
        done_on=dt.date(2026, 11, 2),
        owed_documents="竣工图",
        owed_due_on=dt.date(2026, 11, 1),
        owed_received_on=dt.date(2026, 11, 5),
    )
    # Done, but the documents are still owed: still reminded.
    done_owing = Approval.objects.create(
        project=project,
        name="用地预审",
        department=department,
        status="done",
        done_on=dt.date(2026, 11, 2),
        owed_documents="地籍图",
        owed_due_on=DAY + dt.timedelta(days=1),
    )

    overdue = by_key(sources.documents_overdue(zone, DAY))
    due_soon = by_key(sources.documents_due_soon(zone, DAY))

    assert set(overdue) == {f"documents:{owed.pk}"}
    assert overdue[f"documents:{owed.pk}"].detail == (
        "容缺材料逾期2天（应于2026-11-28补齐）：消防设计审查意见"
    )
    assert set(due_soon) == {f"documents:{done_owing.pk}"}
    assert (
        due_soon[f"documents:{done_owing.pk}"].detail == "容缺材料1天后到期（2026-12-01）：地籍图"
    )


def test_sources_read_in_a_bounded_number_of_queries(
    zone, users, project, department, django_assert_max_num_queries
) -> None:
    for days in range(30):
        blocker(project, department, DAY - dt.timedelta(days=days + 1))
        Approval.objects.create(
            project=project,
            name=f"审批{days}",
            department=department,
            due_on=DAY - dt.timedelta(days=days + 1),
            status="accepted_pending",
            owed_documents="材料",
            owed_due_on=DAY - dt.timedelta(days=1),
        )
    with django_assert_max_num_queries(6):
        assert len(sources.blockers_overdue(zone, DAY)) == 30
        assert len(sources.approvals_overdue(zone, DAY)) == 30
        assert len(sources.documents_overdue(zone, DAY)) == 30
