"""Service records (服务记录): a coordination meeting's decisions become blockers with owners and
due dates in the same step; one bad decision writes nothing at all."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from gaoxin.core.errors import DomainError
from gaoxin.projects.models import Blocker, ServiceRecord
from gaoxin.projects.work.service_records import services
from tests.factories import DepartmentFactory, ProjectFactory

TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def own_department(users):
    return users["department"].department


@pytest.fixture
def other_department(zone):
    return DepartmentFactory(zone=zone, name="住房和城乡建设局")


@pytest.fixture
def project(zone, users):
    return ProjectFactory(zone=zone, carrier="land", officer=users["officer"], name="传感器产业园")


def _decisions(own_department, other_department, users):
    return [
        {
            "description": "三日内完成临时用电接入",
            "department": own_department,
            "owner": users["department"],
            "due_on": TODAY + 3 * DAY,
        },
        {
            "description": "协调施工许可证并联审批",
            "department": other_department,
            "owner": None,
            "due_on": TODAY + 10 * DAY,
        },
    ]


def test_meeting_with_two_decisions_creates_two_blockers(
    project, own_department, other_department, users
):
    record = services.service_record_create(
        project=project,
        by=users["officer"],
        kind="coordination",
        held_on=TODAY - DAY,
        minutes="会议研究了供电和施工许可问题。",
        attendees=[users["officer"], users["department"]],
        departments=[own_department, other_department],
        enterprise_attendees="张总（项目经理）",
        decisions=_decisions(own_department, other_department, users),
    )
    blockers = list(record.decisions.order_by("pk"))
    assert [b.description for b in blockers] == ["三日内完成临时用电接入", "协调施工许可证并联审批"]
    assert all(b.raised_on == TODAY - DAY for b in blockers)
    assert all(b.stage == project.stage for b in blockers)
    assert blockers[0].owner == users["department"]
    assert set(record.attendees.all()) == {users["officer"], users["department"]}
    assert record.recorded_by == users["officer"]
    assert record.history.first().history_user == users["officer"]


def test_a_bad_third_decision_writes_nothing_and_is_named(
    project, own_department, other_department, users
):
    decisions = [
        *_decisions(own_department, other_department, users),
        {
            "description": "倒签的决定",
            "department": own_department,
            "owner": None,
            "due_on": TODAY - 30 * DAY,  # before the meeting
        },
    ]
    with pytest.raises(DomainError, match="Decision 3: The due date cannot be before"):
        services.service_record_create(
            project=project,
            by=users["officer"],
            kind="coordination",
            held_on=TODAY - DAY,
            minutes="会议纪要",
            attendees=[users["officer"]],
            departments=[own_department],
            decisions=decisions,
        )
    assert ServiceRecord.objects.count() == 0
    assert Blocker.objects.count() == 0
    assert ServiceRecord.attendees.through.objects.count() == 0


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"held_on": TODAY + DAY}, "cannot be dated in the future"),
        ({"minutes": "  "}, "Write the minutes"),
        ({"kind": "party"}, "Choose the kind"),
    ],
)
def test_record_refusals_write_nothing(project, users, fields, message):
    arguments = {
        "project": project,
        "by": users["officer"],
        "kind": "site_visit",
        "held_on": TODAY,
        "minutes": "现场查看了地块。",
        **fields,
    }
    with pytest.raises(DomainError, match=message):
        services.service_record_create(**arguments)
    assert ServiceRecord.objects.count() == 0


def test_attendees_and_departments_come_from_the_projects_zone(project, users, other_zone):
    with pytest.raises(DomainError, match="does not work in this project's zone"):
        services.service_record_create(
            project=project,
            by=users["officer"],
            kind="site_visit",
            held_on=TODAY,
            minutes="纪要",
            attendees=[users["outsider"]],
        )
    with pytest.raises(DomainError, match="not a department"):
        services.service_record_create(
            project=project,
            by=users["officer"],
            kind="site_visit",
            held_on=TODAY,
            minutes="纪要",
            departments=[DepartmentFactory(zone=other_zone)],
        )
    assert ServiceRecord.objects.count() == 0


def test_decisions_are_allowed_at_any_kind_of_service(project, own_department, users):
    record = services.service_record_create(
        project=project,
        by=users["officer"],
        kind="site_visit",
        held_on=TODAY,
        minutes="现场发现道路未通。",
        decisions=[{"description": "修通道路", "department": own_department, "due_on": TODAY}],
    )
    assert record.decisions.count() == 1


# --- the pages -----------------------------------------------------------------------------


def _form_data(decisions: list[dict[str, str]], **fields: str) -> dict[str, str]:
    data = {
        "kind": "coordination",
        "held_on": TODAY.isoformat(),
        "minutes": "协调会纪要",
        "enterprise_attendees": "李经理",
        "decisions-TOTAL_FORMS": str(max(3, len(decisions))),
        "decisions-INITIAL_FORMS": "0",
        "decisions-MIN_NUM_FORMS": "0",
        "decisions-MAX_NUM_FORMS": "30",
        **fields,
    }
    for index, decision in enumerate(decisions):
        for key, value in decision.items():
            data[f"decisions-{index}-{key}"] = value
    return data


def test_create_page_saves_the_meeting_with_its_decisions(
    client_as, project, own_department, other_department, users
):
    client = client_as("officer")
    page = client.get(f"/projects/{project.pk}/service-records/new/").content.decode()
    assert "decisions-TOTAL_FORMS" in page
    data = _form_data(
        [
            {
                "description": "临时用电接入",
                "department": str(own_department.pk),
                "owner": str(users["department"].pk),
                "due_on": (TODAY + 3 * DAY).isoformat(),
            },
            {
                "description": "并联审批",
                "department": str(other_department.pk),
                "due_on": (TODAY + 5 * DAY).isoformat(),
            },
        ],
        attendees=str(users["department"].pk),
        departments=str(own_department.pk),
    )
    response = client.post(f"/projects/{project.pk}/service-records/new/", data)
    assert response.status_code == 302
    record = ServiceRecord.objects.get()
    assert response["Location"] == f"/projects/{project.pk}/service-records/{record.pk}/"
    assert record.decisions.count() == 2
    detail = client.get(response["Location"]).content.decode()
    assert "临时用电接入" in detail and "并联审批" in detail and "李经理" in detail
    blocker = record.decisions.order_by("pk").first()
    blocker_page = client.get(f"/blockers/{blocker.pk}/").content.decode()
    assert f'href="{response["Location"]}"' in blocker_page  # "decided at" links back


def test_create_page_with_a_bad_decision_writes_nothing(
    client_as, project, own_department, other_department
):
    data = _form_data(
        [
            {
                "description": "临时用电接入",
                "department": str(own_department.pk),
                "due_on": (TODAY + 3 * DAY).isoformat(),
            },
            {
                "description": "倒签",
                "department": str(other_department.pk),
                "due_on": (TODAY - 3 * DAY).isoformat(),
            },
        ]
    )
    response = client_as("officer").post(f"/projects/{project.pk}/service-records/new/", data)
    assert response.status_code == 200
    assert "Decision 2:" in response.content.decode()
    assert ServiceRecord.objects.count() == 0
    assert Blocker.objects.count() == 0


def test_a_record_is_read_under_its_own_project_only(client_as, project, zone, users):
    record = services.service_record_create(
        project=project, by=users["officer"], kind="site_visit", held_on=TODAY, minutes="纪要"
    )
    other = ProjectFactory(zone=zone, officer=users["officer"])
    client = client_as("leader")
    assert client.get(f"/projects/{project.pk}/service-records/{record.pk}/").status_code == 200
    assert client.get(f"/projects/{other.pk}/service-records/{record.pk}/").status_code == 404


def test_project_page_lists_service_records(client_as, project, users, own_department):
    services.service_record_create(
        project=project,
        by=users["officer"],
        kind="coordination",
        held_on=TODAY,
        minutes="项目协调会纪要",
        departments=[own_department],
        decisions=[{"description": "修路", "department": own_department, "due_on": TODAY}],
    )
    page = client_as("officer").get(f"/projects/{project.pk}/").content.decode()
    assert "Coordination meeting" in page and "1 decision" in page
    assert f"/projects/{project.pk}/service-records/new/" in page
