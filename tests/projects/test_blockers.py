"""Blockers (难点/堵点): raised on a project, owned by a department and a person, moved along
待处理 → 处理中 → 已解决 / 无法解决, flagged to the officer and the leaders when overdue."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone, translation
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from gaoxin.core.errors import DomainError
from gaoxin.core.roles import Role
from gaoxin.projects import inbox_sections
from gaoxin.projects.models import Blocker, BlockerStatus
from gaoxin.projects.work.blockers import services
from tests.factories import DepartmentFactory, ProjectFactory, UserFactory

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
    return ProjectFactory(
        zone=zone,
        carrier="land",
        officer=users["officer"],
        name="储能电池项目",
        stage="land_acquired",
    )


def _blocker(project, department, **fields):
    fields.setdefault("raised_on", TODAY - 10 * DAY)
    fields.setdefault("due_on", TODAY + 10 * DAY)
    return Blocker.objects.create(
        project=project,
        stage=project.stage,
        description=fields.pop("description", "供电线路未接入"),
        department=department,
        **fields,
    )


# --- raising -------------------------------------------------------------------------------


def test_create_defaults_to_the_projects_stage_and_today(project, own_department, users):
    blocker = services.blocker_create(
        project=project,
        by=users["officer"],
        description=" 施工用水未通 ",
        department=own_department,
        owner=users["department"],
        due_on=TODAY + 5 * DAY,
    )
    assert blocker.stage == "land_acquired"
    assert blocker.raised_on == TODAY
    assert blocker.status == BlockerStatus.OPEN
    assert blocker.description == "施工用水未通"
    assert blocker.history.first().history_user == users["officer"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"description": "  "}, "Describe the blocker"),
        ({"department": None}, "Choose the responsible department"),
        ({"raised_on": TODAY + DAY, "due_on": TODAY + 5 * DAY}, "cannot be raised in the future"),
        ({"raised_on": TODAY - DAY, "due_on": TODAY - 2 * DAY}, "cannot be before the day"),
        ({"due_on": None}, "due to be solved by"),
        ({"stage": "nowhere"}, "Choose a stage"),
    ],
)
def test_create_refusals_write_nothing(project, own_department, users, fields, message):
    arguments = {
        "project": project,
        "by": users["officer"],
        "description": "道路未通",
        "department": own_department,
        "due_on": TODAY + 3 * DAY,
        **fields,
    }
    with pytest.raises(DomainError, match=message):
        services.blocker_create(**arguments)
    assert Blocker.objects.count() == 0


def test_create_refuses_departments_and_people_of_another_zone(
    project, own_department, other_zone, users
):
    with pytest.raises(DomainError, match="not a department of this project's zone"):
        services.blocker_create(
            project=project,
            by=users["officer"],
            description="道路未通",
            department=DepartmentFactory(zone=other_zone),
            due_on=TODAY,
        )
    with pytest.raises(DomainError, match="does not work in this project's zone"):
        services.blocker_create(
            project=project,
            by=users["officer"],
            description="道路未通",
            department=own_department,
            owner=users["outsider"],
            due_on=TODAY,
        )
    with pytest.raises(DomainError, match="cannot be chosen"):
        services.blocker_create(
            project=project,
            by=users["officer"],
            description="道路未通",
            department=own_department,
            owner=users["enterprise"],
            due_on=TODAY,
        )
    assert Blocker.objects.count() == 0


def test_create_refused_on_a_terminated_project(zone, users, own_department):
    terminated = ProjectFactory(zone=zone, stage="terminated", officer=users["officer"])
    with pytest.raises(DomainError, match="terminated"):
        services.blocker_create(
            project=terminated,
            by=users["officer"],
            description="道路未通",
            department=own_department,
            due_on=TODAY,
        )
    assert Blocker.objects.count() == 0


# --- moving along --------------------------------------------------------------------------


def test_status_goes_open_in_progress_resolved(project, own_department, users):
    blocker = _blocker(project, own_department)
    services.blocker_update_status(blocker=blocker, by=users["department"], status="in_progress")
    services.blocker_update_status(
        blocker=blocker,
        by=users["department"],
        status="resolved",
        resolution="供电局已完成接入",
        on=TODAY - DAY,
    )
    blocker.refresh_from_db()
    assert blocker.status == BlockerStatus.RESOLVED
    assert blocker.closed_on == TODAY - DAY
    assert blocker.resolution == "供电局已完成接入"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"status": "open"}, "already"),
        ({"status": "resolved"}, "how it was resolved"),
        ({"status": "unresolvable", "resolution": "规划调整", "on": TODAY + DAY}, "future"),
        (
            {"status": "resolved", "resolution": "已解决", "on": TODAY - 20 * DAY},
            "before it was raised",
        ),
        ({"status": "bogus"}, "Choose a status"),
    ],
)
def test_status_refusals_write_nothing(project, own_department, users, fields, message):
    blocker = _blocker(project, own_department)
    versions = blocker.history.count()
    with pytest.raises(DomainError, match=message):
        services.blocker_update_status(blocker=blocker, by=users["officer"], **fields)
    stored = Blocker.objects.get(pk=blocker.pk)
    assert stored.status == BlockerStatus.OPEN
    assert stored.closed_on is None
    assert stored.history.count() == versions


def test_in_progress_cannot_go_back_to_open(project, own_department, users):
    blocker = _blocker(project, own_department, status="in_progress")
    with pytest.raises(DomainError, match="cannot go from"):
        services.blocker_update_status(blocker=blocker, by=users["officer"], status="open")


def test_reopening_needs_a_note_and_keeps_the_old_resolution_in_history(
    project, own_department, users
):
    blocker = _blocker(
        project, own_department, status="resolved", resolution="已协调解决", closed_on=TODAY
    )
    with pytest.raises(DomainError, match="reopened"):
        services.blocker_update_status(blocker=blocker, by=users["officer"], status="in_progress")
    assert Blocker.objects.get(pk=blocker.pk).status == BlockerStatus.RESOLVED
    services.blocker_update_status(
        blocker=blocker, by=users["officer"], status="in_progress", note="问题复现"
    )
    blocker.refresh_from_db()
    assert blocker.status == BlockerStatus.IN_PROGRESS
    assert blocker.closed_on is None
    assert blocker.resolution == ""
    latest, before = blocker.history.all()[:2]
    assert latest.history_change_reason == "问题复现"
    assert before.resolution == "已协调解决"


def test_reassign_moves_the_blocker_and_checks_the_zone(
    project, own_department, other_department, other_zone, users
):
    blocker = _blocker(project, own_department)
    services.blocker_reassign(
        blocker=blocker,
        by=users["officer"],
        department=other_department,
        owner=users["leader"],
        due_on=TODAY + 20 * DAY,
    )
    blocker.refresh_from_db()
    assert (blocker.department, blocker.owner) == (other_department, users["leader"])
    with pytest.raises(DomainError, match="not a department"):
        services.blocker_reassign(
            blocker=blocker,
            by=users["officer"],
            department=DepartmentFactory(zone=other_zone),
            owner=None,
            due_on=TODAY,
        )
    with pytest.raises(DomainError, match="before the day it was raised"):
        services.blocker_reassign(
            blocker=blocker,
            by=users["officer"],
            department=own_department,
            owner=None,
            due_on=TODAY - 30 * DAY,
        )
    blocker.refresh_from_db()
    assert blocker.department == other_department
    closed = _blocker(project, own_department, status="resolved", resolution="好", closed_on=TODAY)
    with pytest.raises(DomainError, match="closed blocker"):
        services.blocker_reassign(
            blocker=closed,
            by=users["officer"],
            department=other_department,
            owner=None,
            due_on=TODAY,
        )


@hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    moves=st.lists(
        st.tuples(st.sampled_from(BlockerStatus.values), st.booleans()), min_size=1, max_size=8
    )
)
def test_any_sequence_of_moves_keeps_a_blocker_consistent(project, own_department, users, moves):
    """Whatever is tried, a blocker is closed exactly when it has a closing date and a
    resolution, and a refused move changes nothing."""
    blocker = _blocker(project, own_department)
    for status, explained in moves:
        before = Blocker.objects.get(pk=blocker.pk)
        try:
            services.blocker_update_status(
                blocker=blocker,
                by=users["officer"],
                status=status,
                resolution="说明" if explained else "",
                note="原因" if explained else "",
            )
        except DomainError:
            after = Blocker.objects.get(pk=blocker.pk)
            assert (after.status, after.closed_on, after.resolution) == (
                before.status,
                before.closed_on,
                before.resolution,
            )
            blocker = after
        stored = Blocker.objects.get(pk=blocker.pk)
        assert stored.is_open == (stored.closed_on is None)
        assert stored.is_open or stored.resolution


# --- the pages -----------------------------------------------------------------------------


def test_department_user_lists_their_departments_open_blockers(
    client_as, project, own_department, other_department
):
    _blocker(project, own_department, description="本部门堵点")
    _blocker(project, other_department, description="别的部门堵点")
    _blocker(
        project,
        own_department,
        description="已解决堵点",
        status="resolved",
        resolution="好",
        closed_on=TODAY,
    )
    page = client_as("department").get("/blockers/").content.decode()
    assert "本部门堵点" in page
    assert "别的部门堵点" not in page
    assert "已解决堵点" not in page
    leader_page = client_as("leader").get("/blockers/").content.decode()
    assert all(d in leader_page for d in ("本部门堵点", "别的部门堵点"))
    assert "已解决堵点" not in leader_page  # closed ones are behind the status filter
    everything = client_as("leader").get("/blockers/", {"status": ""}).content.decode()
    assert all(d in everything for d in ("本部门堵点", "别的部门堵点", "已解决堵点"))
    closed = client_as("leader").get("/blockers/", {"status": "closed"}).content.decode()
    assert "已解决堵点" in closed and "本部门堵点" not in closed


def test_department_user_cannot_change_another_departments_blocker(
    client_as, project, other_department
):
    theirs = _blocker(project, other_department)
    client = client_as("department")
    page = client.get(f"/blockers/{theirs.pk}/").content.decode()
    assert f'action="/blockers/{theirs.pk}/status/"' not in page
    response = client.post(f"/blockers/{theirs.pk}/status/", {"status": "in_progress"})
    assert response.status_code == 403
    assert Blocker.objects.get(pk=theirs.pk).status == BlockerStatus.OPEN


def test_status_form_closes_a_blocker_and_shows_refusals(client_as, project, own_department):
    blocker = _blocker(project, own_department)
    client = client_as("department")
    refused = client.post(
        f"/blockers/{blocker.pk}/status/", {"status": "resolved", "version": blocker.version}
    )
    assert refused.status_code == 200
    assert "how it was resolved" in refused.content.decode()
    assert Blocker.objects.get(pk=blocker.pk).status == BlockerStatus.OPEN
    done = client.post(
        f"/blockers/{blocker.pk}/status/",
        {"status": "resolved", "resolution": "已接入", "version": blocker.version},
    )
    assert done.status_code == 302
    blocker.refresh_from_db()
    assert (blocker.status, blocker.closed_on) == (BlockerStatus.RESOLVED, TODAY)
    page = client.get(f"/blockers/{blocker.pk}/").content.decode()
    assert "Change history" in page and "已接入" in page


def test_only_officers_and_administrators_reassign(
    client_as, project, own_department, other_department
):
    blocker = _blocker(project, own_department)
    data = {
        "reassign-department": other_department.pk,
        "reassign-due_on": (TODAY + 9 * DAY).isoformat(),
        "reassign-version": blocker.version,
    }
    department_page = client_as("department").get(f"/blockers/{blocker.pk}/").content.decode()
    assert "/reassign/" not in department_page
    assert (
        client_as("department").post(f"/blockers/{blocker.pk}/reassign/", data).status_code == 403
    )
    officer = client_as("officer")
    assert (
        f'action="/blockers/{blocker.pk}/reassign/"'
        in officer.get(f"/blockers/{blocker.pk}/").content.decode()
    )
    assert officer.post(f"/blockers/{blocker.pk}/reassign/", data).status_code == 302
    assert Blocker.objects.get(pk=blocker.pk).department == other_department


def test_create_page_records_a_blocker(client_as, project, own_department, users):
    response = client_as("officer").post(
        f"/blockers/new/{project.pk}/",
        {
            "description": "环评批复延迟",
            "department": own_department.pk,
            "owner": users["department"].pk,
            "due_on": (TODAY + 7 * DAY).isoformat(),
        },
    )
    assert response.status_code == 302
    blocker = Blocker.objects.get()
    assert response["Location"] == f"/blockers/{blocker.pk}/"
    assert blocker.owner == users["department"]
    assert blocker.stage == project.stage


def test_list_flags_overdue_and_filters(
    client_as, project, own_department, other_department, users
):
    _blocker(project, own_department, description="逾期堵点", due_on=TODAY - DAY)
    _blocker(project, other_department, description="按期堵点", owner=users["leader"])
    _blocker(
        ProjectFactory(zone=project.zone, officer=users["admin"]),
        other_department,
        description="别人的项目堵点",
    )
    client = client_as("officer")
    page = client.get("/blockers/").content.decode()
    # Each badge shows twice: in the due column and, for a phone, under the project name.
    assert page.count(">Overdue</span>") == 2
    overdue = client.get("/blockers/", {"overdue": "on"}).content.decode()
    assert "逾期堵点" in overdue and "按期堵点" not in overdue
    by_department = client.get("/blockers/", {"department": other_department.pk}).content.decode()
    assert "按期堵点" in by_department and "逾期堵点" not in by_department
    mine = client.get("/blockers/", {"mine": "on"}).content.decode()
    assert "逾期堵点" in mine and "别人的项目堵点" not in mine
    searched = client.get("/blockers/", {"q": "按期"}).content.decode()
    assert "按期堵点" in searched and "逾期堵点" not in searched


def test_list_queries_are_bounded(
    client_as, zone, users, own_department, other_department, django_assert_max_num_queries
):
    owner = UserFactory(role=Role.OFFICER, zones=[zone])
    for i in range(8):
        project = ProjectFactory(zone=zone, officer=users["officer"])
        for j in range(5):
            _blocker(
                project,
                own_department if j % 2 else other_department,
                description=f"堵点{i}-{j}",
                owner=owner,
                due_on=TODAY + DAY * (i - 4),
                raised_on=TODAY - 30 * DAY,
            )
    leader, department = client_as("leader"), client_as("department")
    # Session, user, zones, the department picker, the page, the count; the top bar's unread
    # reminders and the working-day calendar's year (once a process, here once a test).
    with django_assert_max_num_queries(12):
        response = leader.get("/blockers/")
    assert response.content.decode().count('<td class="name">') == 40
    with django_assert_max_num_queries(12):
        response = department.get("/blockers/")
    assert response.content.decode().count('<td class="name">') == 16


def test_export_has_a_row_per_blocker(client_as, project, own_department):
    _blocker(project, own_department, description="排水许可未办", due_on=TODAY - DAY)
    response = client_as("leader").get("/blockers/", {"export": "xlsx"})
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0)
    rows = rows.to_python()
    assert rows[1][2] == "Blocker"
    assert rows[2][2] == "排水许可未办"
    assert rows[2][8] == "Yes"


def test_list_puts_the_most_overdue_first_then_due_soonest_and_closed_last(
    client_as, project, own_department, users
):
    other = ProjectFactory(zone=project.zone, carrier="land", name="一号项目")
    closed = dict(status="resolved", resolution="好", raised_on=TODAY - 40 * DAY)
    for description, fields in {
        "closed-long-overdue": dict(due_on=TODAY - 30 * DAY, closed_on=TODAY - 2 * DAY, **closed),
        "closed-recent": dict(due_on=TODAY - 20 * DAY, closed_on=TODAY - DAY, **closed),
        "soon-3": dict(due_on=TODAY + 3 * DAY),
        "overdue-2": dict(due_on=TODAY - 2 * DAY, status="in_progress"),
        "overdue-9": dict(due_on=TODAY - 9 * DAY, raised_on=TODAY - 20 * DAY),
        "later-30": dict(due_on=TODAY + 30 * DAY),
        "today": dict(due_on=TODAY),
    }.items():
        _blocker(project, own_department, description=description, **fields)
    # A tie on the due date: the project's name decides (一号项目 before 储能电池项目).
    _blocker(other, own_department, description="soon-3-other", due_on=TODAY + 3 * DAY)
    from gaoxin.projects.work.blockers.selectors import blocker_search

    def order(**arguments):
        return [b.description for b in blocker_search(users["officer"], **arguments)]

    assert order(status="open") == [
        "overdue-9",
        "overdue-2",
        "today",
        "soon-3-other",
        "soon-3",
        "later-30",
    ]
    assert order(status="")[-2:] == ["closed-recent", "closed-long-overdue"]
    assert order(status="open", sort="-due")[0] == "later-30"  # the other sorts stay
    page = client_as("officer").get("/blockers/").content.decode()
    assert page.index("overdue-9") < page.index("overdue-2") < page.index("later-30")
    assert "closed-recent" not in page
    # Each badge shows twice: in the due column and, for a phone, under the project name.
    assert page.count('badge badge-danger">Overdue') == 2 * 2
    assert page.count('badge badge-soon">Due soon') == 3 * 2  # today and both in three days
    everything = client_as("officer").get("/blockers/", {"status": ""}).content.decode()
    assert everything.count('badge badge-danger">Overdue') == 2 * 2  # never on a closed one


def test_project_page_lists_the_blockers(client_as, project, own_department):
    blocker = _blocker(project, own_department, description="项目页堵点", due_on=TODAY - DAY)
    page = client_as("officer").get(f"/projects/{project.pk}/").content.decode()
    assert "项目页堵点" in page
    assert f"/blockers/{blocker.pk}/" in page
    assert f"/blockers/new/{project.pk}/" in page


# --- the inboxes ---------------------------------------------------------------------------


def test_officer_inbox_has_the_overdue_blockers_of_their_projects(
    users, project, own_department, zone, django_assert_max_num_queries
):
    _blocker(project, own_department, description="逾期一", due_on=TODAY - 3 * DAY)
    _blocker(project, own_department, description="未到期", due_on=TODAY + DAY)
    other = ProjectFactory(zone=zone, officer=users["admin"])
    _blocker(other, own_department, description="别人的逾期", due_on=TODAY - DAY)
    with django_assert_max_num_queries(2):
        section = inbox_sections.officer_blockers_section(users["officer"])
    assert [item["title"] for item in section.items] == ["储能电池项目 · 逾期一"]
    assert section.items[0]["overdue"]
    assert section.more_url == "/blockers/?overdue=1&mine=1"
    assert inbox_sections.officer_blockers_section(users["leader"]) is None


def test_leader_inbox_counts_the_zones_overdue_blockers(
    users, project, own_department, other_zone, django_assert_max_num_queries
):
    for i in range(12):
        _blocker(
            project,
            own_department,
            description=f"逾期{i}",
            raised_on=TODAY - 30 * DAY,
            due_on=TODAY - (i + 1) * DAY,
        )
    away = ProjectFactory(zone=other_zone)
    _blocker(away, DepartmentFactory(zone=other_zone), description="外区逾期", due_on=TODAY - DAY)
    with django_assert_max_num_queries(3):
        section = inbox_sections.leader_blockers_section(users["leader"])
    assert "12" in str(section.title)
    assert len(section.items) == inbox_sections.LIMIT
    assert section.items[0]["title"].endswith("逾期11")  # the longest overdue first
    assert section.more_url == "/blockers/?overdue=1"


def test_department_inbox_lists_their_open_blockers(
    users, project, own_department, other_department
):
    _blocker(project, own_department, description="本部门", due_on=TODAY - DAY)
    _blocker(project, other_department, description="别部门")
    section = inbox_sections.department_blockers_section(users["department"])
    assert [i["title"] for i in section.items] == ["储能电池项目 · 本部门"]
    assert section.items[0]["overdue"]


def test_home_page_flags_overdue_blockers_to_the_officer(client_as, project, own_department):
    inbox_sections.register_all()
    _blocker(project, own_department, description="首页逾期", due_on=TODAY - DAY)
    page = client_as("officer").get("/").content.decode()
    assert 'class="overdue"' in page and "首页逾期" in page
