"""The projects area of the API: projects, their stage changes and service records, approvals
and blockers, read as the pages read them and written through the same services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gaoxin.projects import selectors
from gaoxin.projects.models import (
    Approval,
    ApprovalStatus,
    Blocker,
    Project,
    ServiceRecord,
    StageChange,
)
from tests.factories import DepartmentFactory, IndustryFactory, ProjectFactory, UserFactory

TODAY = timezone.localdate()


@pytest.fixture
def industry(zone):
    return IndustryFactory(zone=zone, name="新能源")


@pytest.fixture
def project(zone, users, industry):
    """A space tenant at 洽谈 carrying its investment: 签约 is its next stage."""
    return ProjectFactory(
        zone=zone,
        industry=industry,
        officer=users["officer"],
        stage="negotiating",
        stage_on=dt.date(2023, 3, 1),
        name="储能电池项目",
    )


@pytest.fixture
def land_project(zone, users, industry):
    """A land project registered (注册), owing the land's evidence for 拿地."""
    return ProjectFactory(
        zone=zone,
        industry=industry,
        officer=users["officer"],
        carrier="land",
        stage="registered",
        stage_on=dt.date(2023, 3, 1),
    )


@pytest.fixture
def other_department(zone):
    return DepartmentFactory(zone=zone, name="住房和城乡建设局")


def _approval(project, department, name="用地预审"):
    return Approval.objects.create(project=project, name=name, department=department)


def _blocker(project, department, description="供电线路未接入", **fields):
    return Blocker.objects.create(
        project=project,
        stage=project.stage,
        description=description,
        department=department,
        raised_on=fields.pop("raised_on", dt.date(2023, 4, 1)),
        due_on=fields.pop("due_on", dt.date(2023, 5, 1)),
        **fields,
    )


# --- projects -------------------------------------------------------------------------------


def test_advance_through_the_api_shows_in_history_and_on_the_page(api_as, project, users):
    api = api_as("officer", name="调度系统")
    response = api.post(
        f"/api/v1/projects/{project.pk}/advance",
        {"to_stage": "signed", "on": "2023-04-10", "version": project.version},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["stage"], body["stage_on"]) == ("signed", "2023-04-10")
    assert body["version"] == project.version + 1
    # What the project's page reads agrees.
    seen = selectors.project_get_for_user(users["officer"], project.pk)
    assert (seen.stage, seen.stage_on, seen.version) == ("signed", dt.date(2023, 4, 10), 2)
    assert seen.reached_signed_on == dt.date(2023, 4, 10)

    history = api.get(f"/api/v1/projects/{project.pk}/stages").json()["results"]
    page_changes = list(seen.stage_changes.order_by("on", "pk"))
    assert [(c["to_stage"], c["kind"], c["on"]) for c in history] == [
        (c.to_stage, c.kind, c.on.isoformat()) for c in page_changes
    ]
    assert history[-1] == {
        **history[-1],
        "from_stage": "negotiating",
        "to_stage": "signed",
        "kind": "advance",
        "by_id": users["officer"].pk,
        "by_name": users["officer"].display_name,
    }
    reason = Project.objects.get(pk=project.pk).history.first().history_change_reason
    assert "调度系统" in reason


def test_advance_brings_the_evidence_the_stage_asks_for(api_as, land_project):
    response = api_as("officer").post(
        f"/api/v1/projects/{land_project.pk}/advance",
        {
            "to_stage": "land_acquired",
            "on": "2023-05-02",
            "version": land_project.version,
            "land_parcel_code": "ZH-2023-17",
            "land_area": "33500.50",
            "land_contract_on": "2023-04-28",
        },
    )
    assert response.status_code == 200, response.content
    land_project.refresh_from_db()
    assert land_project.stage == "land_acquired"
    assert land_project.land_parcel_code == "ZH-2023-17"
    assert land_project.land_area == Decimal("33500.50")
    assert response.json()["land_area"] in ("33500.50", 33500.5)


def test_advance_without_the_evidence_is_refused_naming_the_field(api_as, land_project):
    response = api_as("officer").post(
        f"/api/v1/projects/{land_project.pk}/advance",
        {"to_stage": "land_acquired", "on": "2023-05-02", "version": land_project.version},
    )
    assert response.status_code == 400
    assert response.json()["field"] == "land_parcel_code"
    land_project.refresh_from_db()
    assert land_project.stage == "registered"


def test_evidence_the_stage_does_not_ask_for_is_refused(api_as, project):
    response = api_as("officer").post(
        f"/api/v1/projects/{project.pk}/advance",
        {
            "to_stage": "signed",
            "on": "2023-04-10",
            "version": project.version,
            "land_parcel_code": "ZH-1",
        },
    )
    assert response.status_code == 400
    assert response.json()["field"] == "land_parcel_code"
    assert Project.objects.get(pk=project.pk).stage == "negotiating"


def test_moving_back_needs_a_note(api_as, project):
    api = api_as("officer")
    url = f"/api/v1/projects/{project.pk}/advance"
    refused = api.post(url, {"to_stage": "planned", "on": "2023-04-10", "version": 1})
    assert refused.status_code == 400
    assert refused.json()["field"] == "note"
    done = api.post(
        url, {"to_stage": "planned", "on": "2023-04-10", "version": 1, "note": "重新谋划"}
    )
    assert done.status_code == 200
    change = StageChange.objects.filter(project=project).order_by("-pk").first()
    assert (change.kind, change.note) == ("back", "重新谋划")


def test_stale_version_is_409_and_nothing_changes(api_as, project, users):
    from gaoxin.projects import services

    services.project_update(project=project, by=users["officer"], version=1, name="储能电池二期")
    response = api_as("officer").post(
        f"/api/v1/projects/{project.pk}/advance",
        {"to_stage": "signed", "on": "2023-04-10", "version": 1},
    )
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    project.refresh_from_db()
    assert (project.stage, project.version) == ("negotiating", 2)
    assert project.stage_changes.count() == 1


def test_future_date_and_bad_input(api_as, project):
    api = api_as("officer")
    url = f"/api/v1/projects/{project.pk}/advance"
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    future = api.post(url, {"to_stage": "signed", "on": tomorrow, "version": 1})
    assert (future.status_code, future.json()["field"]) == (400, "on")
    long_note = api.post(
        url, {"to_stage": "planned", "on": "2023-04-10", "version": 1, "note": "因" * 1001}
    )
    assert (long_note.status_code, long_note.json()["field"]) == (422, "note")
    too_big = api.post(
        url,
        {"to_stage": "signed", "on": "2023-04-10", "version": 1, "planned_investment": "1e13"},
    )
    assert (too_big.status_code, too_big.json()["field"]) == (422, "planned_investment")
    unknown_stage = api.post(url, {"to_stage": "launched", "on": "2023-04-10", "version": 1})
    assert unknown_stage.status_code == 422
    assert Project.objects.get(pk=project.pk).stage == "negotiating"


def test_list_filters_as_the_page(api_as, project, land_project, zone, users):
    ProjectFactory(zone=zone, stage="terminated", name="已终止项目")
    api = api_as("leader")
    ids = lambda **q: {p["id"] for p in api.get("/api/v1/projects/", **q).json()["results"]}  # noqa: E731
    assert ids(stage="negotiating") == {project.pk}
    assert ids(carrier="land") == {land_project.pk}
    assert project.pk in ids(q="储能电池")
    assert "已终止项目" not in {
        p["name"] for p in api.get("/api/v1/projects/", stage="active").json()["results"]
    }
    # The page's search finds the same projects.
    page = selectors.project_search(users["leader"], stage="negotiating")
    assert set(page.values_list("pk", flat=True)) == ids(stage="negotiating")


def test_other_zones_projects_are_not_found(api_as, other_zone):
    away = ProjectFactory(zone=other_zone, stage="negotiating")
    api = api_as("officer")
    for path in ("", "/stages", "/service-records"):
        assert api.get(f"/api/v1/projects/{away.pk}{path}").status_code == 404
    response = api.post(
        f"/api/v1/projects/{away.pk}/advance",
        {"to_stage": "signed", "on": "2023-04-10", "version": 1},
    )
    assert response.status_code == 404
    assert Project.objects.get(pk=away.pk).stage == "negotiating"
    assert api.get("/api/v1/projects/").json()["results"] == []


def _count_queries(api, url, **params):
    api.get(url, **params)  # the token's first use of the minute is recorded once
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url, **params)
    assert response.status_code == 200, response.content
    return len(queries), len(response.json()["results"])


def test_project_list_and_get_queries_do_not_grow_with_rows(
    api_as, zone, users, industry, django_assert_max_num_queries
):
    api = api_as("officer")
    ProjectFactory.create_batch(2, zone=zone, industry=industry, officer=users["officer"])
    few, n_few = _count_queries(api, "/api/v1/projects/")
    ProjectFactory.create_batch(8, zone=zone, industry=industry, officer=users["officer"])
    many, n_many = _count_queries(api, "/api/v1/projects/")
    assert (n_few, n_many) == (2, 10)
    assert many == few
    one = Project.objects.filter(zone=zone).first()
    with django_assert_max_num_queries(few):
        assert api.get(f"/api/v1/projects/{one.pk}").status_code == 200


# --- approvals ------------------------------------------------------------------------------


def test_department_reports_its_own_approval_done(api_as, land_project, users):
    approval = _approval(land_project, users["department"].department)
    api = api_as("department", name="自然资源局接口")
    response = api.patch(
        f"/api/v1/approvals/{approval.pk}",
        {"version": approval.version, "status": "done", "done_on": "2023-06-01", "note": "已办结"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["done_on"], body["version"]) == ("done", "2023-06-01", 2)
    approval.refresh_from_db()
    assert (approval.status, approval.done_on) == (ApprovalStatus.DONE, dt.date(2023, 6, 1))
    reason = approval.history.first().history_change_reason
    assert "自然资源局接口" in reason and "已办结" in reason


def test_department_cannot_touch_another_departments_approval(
    api_as, client_as, land_project, other_department
):
    approval = _approval(land_project, other_department, name="施工许可证")
    api = api_as("department")
    # It reads it, as the page shows it, and may not change it: 403, as the page's form.
    assert api.get(f"/api/v1/approvals/{approval.pk}").status_code == 200
    response = api.patch(
        f"/api/v1/approvals/{approval.pk}", {"version": 1, "status": "in_progress"}
    )
    assert response.status_code == 403
    page = client_as("department").post(
        reverse("approvals:edit", args=[approval.pk]), {"status": "in_progress", "version": 1}
    )
    assert page.status_code == response.status_code
    approval.refresh_from_db()
    assert (approval.status, approval.version) == (ApprovalStatus.NOT_STARTED, 1)
    # Nor does its list hold it (the department's own list).
    listed = api.get("/api/v1/approvals/", status="all").json()["results"]
    assert approval.pk not in {a["id"] for a in listed}


def test_department_may_not_move_the_due_date(api_as, land_project, users):
    approval = _approval(land_project, users["department"].department)
    response = api_as("department").patch(
        f"/api/v1/approvals/{approval.pk}",
        {"version": 1, "status": "in_progress", "due_on": "2023-09-01"},
    )
    assert (response.status_code, response.json()["field"]) == (400, "due_on")
    approval.refresh_from_db()
    assert (approval.status, approval.due_on) == (ApprovalStatus.NOT_STARTED, None)


def test_approval_stale_version_is_409(api_as, land_project, users):
    approval = _approval(land_project, users["department"].department)
    api = api_as("officer")
    first = api.patch(f"/api/v1/approvals/{approval.pk}", {"version": 1, "status": "in_progress"})
    assert first.status_code == 200
    stale = api.patch(f"/api/v1/approvals/{approval.pk}", {"version": 1, "status": "returned"})
    assert stale.status_code == 409
    approval.refresh_from_db()
    assert (approval.status, approval.version) == (ApprovalStatus.IN_PROGRESS, 2)


def test_approval_list_opens_on_what_is_still_to_do(api_as, land_project, users, other_zone):
    department = users["department"].department
    open_one = _approval(land_project, department, name="用地预审")
    done = _approval(land_project, department, name="规划许可")
    Approval.objects.filter(pk=done.pk).update(status="done", done_on=dt.date(2023, 5, 1))
    away_project = ProjectFactory(zone=other_zone, carrier="land")
    away = _approval(away_project, DepartmentFactory(zone=other_zone))
    api = api_as("officer")
    ids = lambda **q: [a["id"] for a in api.get("/api/v1/approvals/", **q).json()["results"]]  # noqa: E731
    assert ids() == [open_one.pk]
    assert ids(status="done") == [done.pk]
    assert sorted(ids(status="all")) == sorted([open_one.pk, done.pk])
    assert api.get(f"/api/v1/approvals/{away.pk}").status_code == 404
    assert (
        api.patch(f"/api/v1/approvals/{away.pk}", {"version": 1, "status": "done"}).status_code
        == 404
    )


def test_approval_and_blocker_lists_do_not_grow_queries(
    api_as, land_project, users, django_assert_max_num_queries
):
    department = users["department"].department
    api = api_as("officer")
    _approval(land_project, department, name="a0")
    _blocker(land_project, department)
    few = _count_queries(api, "/api/v1/approvals/")[0], _count_queries(api, "/api/v1/blockers/")[0]
    for n in range(1, 8):
        project = ProjectFactory(zone=land_project.zone, carrier="land")
        _approval(project, department, name=f"a{n}")
        _blocker(project, department)
    approvals = _count_queries(api, "/api/v1/approvals/")
    blockers = _count_queries(api, "/api/v1/blockers/")
    assert (approvals[1], blockers[1]) == (8, 8)
    assert (approvals[0], blockers[0]) == few
    # One record reads no more than a page of them.
    one_approval = Approval.objects.filter(project=land_project).get()
    one_blocker = Blocker.objects.filter(project=land_project).get()
    with django_assert_max_num_queries(few[0]):
        assert api.get(f"/api/v1/approvals/{one_approval.pk}").status_code == 200
    with django_assert_max_num_queries(few[1]):
        assert api.get(f"/api/v1/blockers/{one_blocker.pk}").status_code == 200


# --- blockers -------------------------------------------------------------------------------


def test_blockers_read_as_their_pages(api_as, land_project, users, other_department, other_zone):
    own = _blocker(land_project, users["department"].department)
    other = _blocker(land_project, other_department, description="排水许可未办")
    closed = _blocker(
        land_project,
        other_department,
        description="已解决",
        status="resolved",
        resolution="已接入",
        closed_on=dt.date(2023, 4, 20),
    )
    away = _blocker(ProjectFactory(zone=other_zone), DepartmentFactory(zone=other_zone))
    officer = api_as("officer")
    listed = officer.get("/api/v1/blockers/").json()["results"]
    assert [b["id"] for b in listed] == [own.pk, other.pk]  # open ones, as the page opens
    assert listed[0]["department_name"] == users["department"].department.name
    assert {
        b["id"] for b in officer.get("/api/v1/blockers/", status="closed").json()["results"]
    } == {closed.pk}
    department = api_as("department")
    assert [b["id"] for b in department.get("/api/v1/blockers/").json()["results"]] == [own.pk]
    got = department.get(f"/api/v1/blockers/{other.pk}")
    assert (got.status_code, got.json()["description"]) == (200, "排水许可未办")
    assert officer.get(f"/api/v1/blockers/{away.pk}").status_code == 404


# --- service records ------------------------------------------------------------------------


def test_service_record_with_decisions(api_as, land_project, users, other_department):
    api = api_as("officer", name="服务台账")
    response = api.post(
        f"/api/v1/projects/{land_project.pk}/service-records",
        {
            "kind": "coordination",
            "held_on": "2023-04-15",
            "minutes": "协调供电接入",
            "attendees": [users["officer"].pk, users["department"].pk],
            "departments": [other_department.pk],
            "decisions": [
                {
                    "description": "两周内完成供电接入",
                    "department": other_department.pk,
                    "due_on": "2023-04-30",
                }
            ],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    record = ServiceRecord.objects.get(pk=body["id"])
    assert sorted(body["attendees"]) == sorted([users["officer"].pk, users["department"].pk])
    assert body["departments"] == [other_department.pk]
    blocker = record.decisions.get()
    assert body["decisions"] == [blocker.pk]
    assert (blocker.description, blocker.department, blocker.raised_on) == (
        "两周内完成供电接入",
        other_department,
        dt.date(2023, 4, 15),
    )
    assert "服务台账" in record.history.first().history_change_reason
    listed = api.get(f"/api/v1/projects/{land_project.pk}/service-records").json()["results"]
    assert [r["id"] for r in listed] == [record.pk]


def test_service_record_refuses_people_and_departments_of_other_zones(
    api_as, land_project, other_zone
):
    api = api_as("officer")
    url = f"/api/v1/projects/{land_project.pk}/service-records"
    base = {"kind": "site_visit", "held_on": "2023-04-15", "minutes": "实地查看"}
    stranger = UserFactory(role="officer", zones=[other_zone])
    away_department = DepartmentFactory(zone=other_zone)
    person = api.post(url, {**base, "attendees": [stranger.pk]})
    assert (person.status_code, person.json()["field"]) == (400, "attendees")
    dept = api.post(url, {**base, "departments": [away_department.pk]})
    assert (dept.status_code, dept.json()["field"]) == (400, "departments")
    decision = api.post(
        url,
        {
            **base,
            "decisions": [
                {"description": "x", "department": away_department.pk, "due_on": "2023-05-01"}
            ],
        },
    )
    assert (decision.status_code, decision.json()["field"]) == (400, "decisions")
    future = api.post(url, {**base, "held_on": (TODAY + dt.timedelta(days=2)).isoformat()})
    assert (future.status_code, future.json()["field"]) == (400, "held_on")
    assert not ServiceRecord.objects.filter(project=land_project).exists()


def test_service_record_list_queries_do_not_grow(api_as, land_project, users):
    api = api_as("officer")
    url = f"/api/v1/projects/{land_project.pk}/service-records"

    def record(n):
        saved = ServiceRecord.objects.create(
            project=land_project,
            kind="site_visit",
            held_on=dt.date(2023, 4, n),
            minutes="查看",
            recorded_by=users["officer"],
        )
        saved.attendees.set([users["officer"]])

    record(1)
    few = _count_queries(api, url)
    for n in range(2, 9):
        record(n)
    many = _count_queries(api, url)
    assert many[1] == 8
    assert many[0] == few[0]
    stages = _count_queries(api, f"/api/v1/projects/{land_project.pk}/stages")
    assert stages[1] == 1
