"""The approval and blocker figures, each as of a date."""

from __future__ import annotations

import datetime as dt

import pytest

from gaoxin.core.metrics import MetricScope, registry
from gaoxin.projects.models import Approval, Blocker
from tests.factories import DepartmentFactory, ProjectFactory


@pytest.fixture
def department(users):
    return users["department"].department


@pytest.fixture
def project(zone, users):
    return ProjectFactory(zone=zone, carrier="land", officer=users["officer"])


def _value(key: str, zone, as_of: dt.date):
    return registry.get(key).value(MetricScope.of([zone.pk], as_of))


def _blocker(project, department, raised, due, closed=None):
    return Blocker.objects.create(
        project=project,
        stage=project.stage,
        description="堵点",
        department=department,
        raised_on=raised,
        due_on=due,
        status="resolved" if closed else "open",
        resolution="已解决" if closed else "",
        closed_on=closed,
    )


def test_blockers_open_and_overdue_as_of_a_date(zone, other_zone, project, department):
    _blocker(project, department, dt.date(2023, 1, 10), dt.date(2023, 2, 1))
    _blocker(project, department, dt.date(2023, 1, 5), dt.date(2023, 1, 20), dt.date(2023, 3, 1))
    _blocker(project, department, dt.date(2023, 4, 1), dt.date(2023, 5, 1))
    away = ProjectFactory(zone=other_zone)
    _blocker(away, DepartmentFactory(zone=other_zone), dt.date(2023, 1, 1), dt.date(2023, 1, 2))

    assert _value("blockers.open", zone, dt.date(2023, 1, 4)) == 0
    assert _value("blockers.open", zone, dt.date(2023, 1, 15)) == 2
    assert _value("blockers.overdue", zone, dt.date(2023, 1, 15)) == 0
    # On 2023-02-15 both early ones are open and past due; the second closes on 03-01.
    assert _value("blockers.overdue", zone, dt.date(2023, 2, 15)) == 2
    assert _value("blockers.open", zone, dt.date(2023, 3, 1)) == 1
    assert _value("blockers.overdue", zone, dt.date(2023, 3, 1)) == 1
    # Due on 05-01: not overdue that day, overdue the day after.
    assert _value("blockers.overdue", zone, dt.date(2023, 5, 1)) == 1
    assert _value("blockers.overdue", zone, dt.date(2023, 5, 2)) == 2
    assert _value("blockers.open", zone, dt.date(2023, 5, 2)) == 2


def test_approvals_overdue_done_and_days_taken_as_of(zone, project, department):
    Approval.objects.create(
        project=project,
        name="用地预审",
        department=department,
        status="done",
        started_on=dt.date(2023, 1, 1),
        due_on=dt.date(2023, 1, 20),
        done_on=dt.date(2023, 2, 1),
    )
    Approval.objects.create(
        project=project,
        name="施工许可证",
        department=department,
        status="in_progress",
        started_on=dt.date(2023, 1, 10),
        due_on=dt.date(2023, 3, 1),
    )
    Approval.objects.create(
        project=project, name="未开始", department=department, due_on=dt.date(2023, 1, 2)
    )
    # The one nobody started is late from 01-03 on: an approval not picked up by its due
    # date is overdue too.
    assert _value("approvals.overdue", zone, dt.date(2023, 1, 2)) == 0
    assert _value("approvals.overdue", zone, dt.date(2023, 1, 15)) == 1
    # 用地预审 was late from 01-21 until done on 02-01.
    assert _value("approvals.overdue", zone, dt.date(2023, 1, 25)) == 2
    assert _value("approvals.overdue", zone, dt.date(2023, 2, 1)) == 1
    assert _value("approvals.overdue", zone, dt.date(2023, 3, 2)) == 2
    # A terminated project's approvals are no longer anyone's work.
    project.stage = "terminated"
    project.save()
    assert _value("approvals.overdue", zone, dt.date(2023, 3, 2)) == 0
    assert _value("approvals.done", zone, dt.date(2023, 1, 31)) == 0
    metric = registry.get("approvals.done")
    value, records = metric.evaluate(MetricScope.of([zone.pk], dt.date(2023, 2, 1)))
    assert value == 1
    column = next(c for c in metric.columns if c.path == "days_taken")
    assert column.value(records.get()) == 31


def test_pending_documents_overdue(zone, project, department):
    Approval.objects.create(
        project=project,
        name="环评批复",
        department=department,
        status="accepted_pending",
        started_on=dt.date(2023, 3, 1),
        owed_documents="环境影响报告书",
        owed_due_on=dt.date(2023, 3, 15),
    )
    assert _value("approvals.pending_documents_overdue", zone, dt.date(2023, 3, 15)) == 0
    assert _value("approvals.pending_documents_overdue", zone, dt.date(2023, 3, 16)) == 1


def test_metric_record_pages_load_with_their_columns(client_as, project, department):
    _blocker(project, department, dt.date(2023, 1, 10), dt.date(2023, 2, 1))
    client = client_as("leader")
    for key in (
        "blockers.open",
        "blockers.overdue",
        "approvals.overdue",
        "approvals.pending_documents_overdue",
        "approvals.done",
    ):
        assert client.get(f"/metrics/{key}/", {"as_of": "2023-03-01"}).status_code == 200
    page = client.get("/metrics/blockers.overdue/", {"as_of": "2023-03-01"}).content.decode()
    assert project.name in page
