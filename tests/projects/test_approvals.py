"""Approvals (审批事项): created from a checklist template, updated by the department handling
them, listed as each department's to-do list, flagged when overdue."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone, translation
from python_calamine import CalamineWorkbook

from gaoxin.core import inbox
from gaoxin.core.errors import DomainError
from gaoxin.projects import inbox_sections
from gaoxin.projects.models import (
    Approval,
    ApprovalStatus,
    ApprovalTemplate,
    ApprovalTemplateItem,
)
from gaoxin.projects.work.approvals import services
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
    return ProjectFactory(
        zone=zone, carrier="land", officer=users["officer"], name="晶圆级集成项目"
    )


@pytest.fixture
def template(zone, own_department, other_department):
    template = ApprovalTemplate.objects.create(zone=zone, name="工业用地审批清单")
    for order, (name, department, days) in enumerate(
        [
            ("用地预审", own_department, 10),
            ("建设用地规划许可证", own_department, 15),
            ("施工许可证", other_department, 20),
        ]
    ):
        ApprovalTemplateItem.objects.create(
            template=template, name=name, department=department, expected_days=days, order=order
        )
    return template


def _approval(project, department, **fields):
    return Approval.objects.create(
        project=project, name=fields.pop("name", "环评批复"), department=department, **fields
    )


# --- creating approvals --------------------------------------------------------------------


def test_template_creates_one_approval_per_item_with_due_dates(project, template, users):
    start = dt.date(2023, 5, 1)
    created = services.approvals_create_from_template(
        project=project, template=template, by=users["officer"], started_on=start
    )
    assert [a.name for a in created] == ["用地预审", "建设用地规划许可证", "施工许可证"]
    assert [a.due_on for a in created] == [
        start + dt.timedelta(days=10),
        start + dt.timedelta(days=15),
        start + dt.timedelta(days=20),
    ]
    assert all(a.status == ApprovalStatus.NOT_STARTED for a in created)
    assert created[0].history.first().history_user == users["officer"]


def test_template_applied_again_skips_what_the_project_has_and_refuses_when_nothing_is_new(
    project, template, users, own_department
):
    services.approval_add(
        project=project, by=users["officer"], name="用地预审", department=own_department
    )
    created = services.approvals_create_from_template(
        project=project, template=template, by=users["officer"]
    )
    assert [a.name for a in created] == ["建设用地规划许可证", "施工许可证"]
    assert all(a.due_on is None for a in created)
    with pytest.raises(DomainError, match="already has every approval"):
        services.approvals_create_from_template(
            project=project, template=template, by=users["officer"]
        )
    assert project.approvals.count() == 3


def test_template_refused_for_a_space_project_and_nothing_is_written(zone, users, template):
    space_project = ProjectFactory(zone=zone, carrier="space", officer=users["officer"])
    with pytest.raises(DomainError, match="land projects only"):
        services.approvals_create_from_template(
            project=space_project, template=template, by=users["officer"]
        )
    assert Approval.objects.count() == 0


def test_template_of_another_zone_is_refused(project, other_zone, users):
    away = ApprovalTemplate.objects.create(zone=other_zone, name="外区清单")
    ApprovalTemplateItem.objects.create(
        template=away, name="用地预审", department=DepartmentFactory(zone=other_zone)
    )
    with pytest.raises(DomainError, match="another zone"):
        services.approvals_create_from_template(project=project, template=away, by=users["admin"])
    assert Approval.objects.count() == 0


def test_template_item_with_a_department_of_another_zone_writes_nothing(
    project, template, other_zone, users
):
    ApprovalTemplateItem.objects.create(
        template=template, name="外区事项", department=DepartmentFactory(zone=other_zone), order=9
    )
    with pytest.raises(DomainError, match="外区事项"):
        services.approvals_create_from_template(
            project=project, template=template, by=users["officer"]
        )
    assert Approval.objects.count() == 0


def test_inactive_or_empty_templates_are_refused(project, zone, template, users):
    template.is_active = False
    template.save()
    with pytest.raises(DomainError, match="no longer in use"):
        services.approvals_create_from_template(
            project=project, template=template, by=users["officer"]
        )
    empty = ApprovalTemplate.objects.create(zone=zone, name="空清单")
    with pytest.raises(DomainError, match="no approvals"):
        services.approvals_create_from_template(
            project=project, template=empty, by=users["officer"]
        )
    assert Approval.objects.count() == 0


def test_approval_add_rules(project, users, own_department, other_zone, zone):
    added = services.approval_add(
        project=project, by=users["officer"], name=" 环评批复 ", department=own_department
    )
    assert added.name == "环评批复"
    with pytest.raises(DomainError, match="already has an approval"):
        services.approval_add(
            project=project, by=users["officer"], name="环评批复", department=own_department
        )
    with pytest.raises(DomainError, match="not a department of this project's zone"):
        services.approval_add(
            project=project,
            by=users["officer"],
            name="水土保持",
            department=DepartmentFactory(zone=other_zone),
        )
    with pytest.raises(DomainError, match="Name the approval"):
        services.approval_add(
            project=project, by=users["officer"], name="  ", department=own_department
        )
    terminated = ProjectFactory(zone=zone, carrier="land", stage="terminated")
    with pytest.raises(DomainError, match="terminated"):
        services.approval_add(
            project=terminated, by=users["officer"], name="用地预审", department=own_department
        )
    assert Approval.objects.count() == 1


# --- updating approvals --------------------------------------------------------------------


def test_in_progress_starts_today_and_done_counts_days(project, own_department, users):
    approval = _approval(project, own_department)
    services.approval_update(approval=approval, by=users["department"], status="in_progress")
    approval.refresh_from_db()
    assert approval.started_on == TODAY
    services.approval_update(
        approval=approval,
        by=users["department"],
        status="done",
        started_on=TODAY - 12 * DAY,
        done_on=TODAY - 2 * DAY,
    )
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.DONE
    assert approval.days_taken == 10
    assert approval.history.first().history_user == users["department"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"status": "in_progress", "started_on": TODAY + DAY},
            "start date cannot be in the future",
        ),
        ({"status": "done", "done_on": TODAY + DAY}, "completion date cannot be in the future"),
        (
            {"status": "done", "started_on": TODAY - DAY, "done_on": TODAY - 3 * DAY},
            "cannot be done before it started",
        ),
        ({"status": "accepted_pending", "owed_due_on": TODAY + DAY}, "documents still owed"),
        ({"status": "accepted_pending", "owed_documents": "消防设计文件"}, "deadline"),
        (
            {
                "status": "accepted_pending",
                "owed_documents": "消防设计文件",
                "started_on": TODAY - DAY,
                "owed_due_on": TODAY - 5 * DAY,
            },
            "cannot be due before the approval started",
        ),
        ({"status": "returned"}, "reason the approval was returned"),
        ({"status": "nonsense"}, "Choose a status"),
    ],
)
def test_update_refusals_write_nothing(project, own_department, users, fields, message):
    approval = _approval(project, own_department)
    versions = approval.history.count()
    with pytest.raises(DomainError, match=message):
        services.approval_update(approval=approval, by=users["department"], **fields)
    stored = Approval.objects.get(pk=approval.pk)
    assert stored.status == ApprovalStatus.NOT_STARTED
    assert stored.started_on is None
    assert stored.history.count() == versions


def _owing(project, department, users, **fields):
    """An approval accepted with 容缺 documents owed in ten days."""
    approval = _approval(project, department, **fields)
    services.approval_update(
        approval=approval,
        by=users["department"],
        status="accepted_pending",
        started_on=TODAY - 20 * DAY,
        owed_documents="消防设计审查意见",
        owed_due_on=TODAY + 10 * DAY,
    )
    approval.refresh_from_db()
    return approval


def test_finishing_with_documents_owed_keeps_them_owed(project, own_department, users):
    approval = _owing(project, own_department, users)
    assert approval.started_on == TODAY - 20 * DAY
    services.approval_update(approval=approval, by=users["department"], status="done")
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.DONE and approval.done_on == TODAY
    # 已办结 does not wipe what is still owed, nor its deadline.
    assert approval.owed_documents == "消防设计审查意见"
    assert approval.owed_due_on == TODAY + 10 * DAY
    assert approval.owes_documents
    # Another change of status keeps them too (a reopening, with its reason).
    services.approval_update(
        approval=approval, by=users["officer"], status="in_progress", note="许可证信息有误"
    )
    approval.refresh_from_db()
    assert approval.owes_documents and approval.owed_due_on == TODAY + 10 * DAY


def test_owed_documents_received_records_the_day(project, own_department, users):
    approval = _owing(project, own_department, users)
    services.approval_documents_receive(
        approval=approval, by=users["department"], on=TODAY - 2 * DAY
    )
    approval.refresh_from_db()
    assert not approval.owes_documents
    assert approval.owed_received_on == TODAY - 2 * DAY
    assert approval.owed_documents == "消防设计审查意见"  # what was owed stays on record
    assert approval.status == ApprovalStatus.IN_PROGRESS  # nothing owed: no longer 容缺受理
    with pytest.raises(DomainError, match="No 容缺 documents are owed"):
        services.approval_documents_receive(approval=approval, by=users["department"])
    # Finishing afterwards does not make them owed again.
    services.approval_update(approval=approval, by=users["department"], status="done")
    approval.refresh_from_db()
    assert approval.owed_received_on == TODAY - 2 * DAY and not approval.owes_documents


def test_received_in_the_future_or_before_the_start_is_refused(project, own_department, users):
    approval = _owing(project, own_department, users)
    with pytest.raises(DomainError, match="future"):
        services.approval_documents_receive(approval=approval, by=users["officer"], on=TODAY + DAY)
    with pytest.raises(DomainError, match="before the approval started"):
        services.approval_documents_receive(
            approval=approval, by=users["officer"], on=TODAY - 30 * DAY
        )
    assert Approval.objects.get(pk=approval.pk).owes_documents


def test_waiving_owed_documents_needs_a_reason_and_keeps_who_when_why(
    project, own_department, users
):
    approval = _owing(project, own_department, users)
    services.approval_update(approval=approval, by=users["department"], status="done")
    approval.refresh_from_db()
    with pytest.raises(DomainError, match="Say why"):
        services.approval_documents_waive(approval=approval, by=users["officer"], reason="  ")
    assert Approval.objects.get(pk=approval.pk).owes_documents
    services.approval_documents_waive(
        approval=approval, by=users["officer"], reason="已由市级部门共享获取"
    )
    approval.refresh_from_db()
    assert not approval.owes_documents
    assert approval.owed_waived_on == TODAY
    assert approval.owed_waived_by == users["officer"]
    assert approval.owed_waived_reason == "已由市级部门共享获取"
    assert approval.status == ApprovalStatus.DONE
    assert approval.history.first().history_change_reason == "已由市级部门共享获取"


def test_a_late_finish_says_how_many_days_late(project, own_department, users):
    approval = _approval(project, own_department, due_on=TODAY - 10 * DAY)
    services.approval_update(
        approval=approval,
        by=users["officer"],
        status="done",
        started_on=TODAY - 40 * DAY,
        done_on=TODAY - 3 * DAY,
    )
    approval.refresh_from_db()
    assert approval.days_late == 7
    on_time = _approval(project, own_department, name="用地预审", due_on=TODAY)
    services.approval_update(approval=on_time, by=users["officer"], status="done")
    on_time.refresh_from_db()
    assert on_time.days_late is None
    page = _client_page(users, approval)
    assert "done 7 days late" in page


def _client_page(users, approval):
    from django.test import Client

    client = Client()
    client.force_login(users["officer"])
    return client.get(f"/approvals/{approval.pk}/").content.decode()


def test_approval_page_shows_owed_documents_after_done_and_settles_them(
    client_as, project, own_department, users
):
    approval = _owing(project, own_department, users)
    services.approval_update(approval=approval, by=users["department"], status="done")
    approval.refresh_from_db()
    client = client_as("department")
    page = client.get(f"/approvals/{approval.pk}/").content.decode()
    assert "消防设计审查意见" in page
    assert "Deadline for the owed documents (容缺材料补齐时限)" in page
    assert "Still owed" in page
    # A done approval still owing documents stays on the department's list by default.
    listing = client.get("/approvals/").content.decode()
    assert "消防设计审查意见" in listing
    # Waiving without a reason is refused on the page; nothing changes.
    response = client.post(
        f"/approvals/{approval.pk}/documents/", {"action": "waive", "version": approval.version}
    )
    assert response.status_code == 200
    assert "Say why" in response.content.decode()
    assert Approval.objects.get(pk=approval.pk).owes_documents
    response = client.post(
        f"/approvals/{approval.pk}/documents/",
        {"action": "receive", "on": TODAY.isoformat(), "version": approval.version},
    )
    assert response.status_code == 302
    approval.refresh_from_db()
    assert approval.owed_received_on == TODAY
    assert "Received on" in client.get(f"/approvals/{approval.pk}/").content.decode()


def test_documents_overdue_also_after_done(project, own_department, users):
    from gaoxin.projects.work.approvals import selectors

    approval = _owing(project, own_department, users)
    services.approval_update(approval=approval, by=users["department"], status="done")
    approval.refresh_from_db()
    assert not selectors.approval_documents_overdue(approval, TODAY)
    assert selectors.approval_documents_overdue(approval, TODAY + 11 * DAY)
    assert selectors.approval_documents_due_soon(approval, TODAY + 5 * DAY)


def test_returned_needs_a_reason_kept_in_the_history(project, own_department, users):
    approval = _approval(project, own_department)
    services.approval_update(
        approval=approval, by=users["department"], status="returned", note="材料不全"
    )
    approval.refresh_from_db()
    assert approval.note == "材料不全"
    assert approval.history.first().history_change_reason == "材料不全"


def test_done_approval_reopens_only_with_a_note(project, own_department, users):
    approval = _approval(
        project,
        own_department,
        status="done",
        started_on=TODAY - 5 * DAY,
        done_on=TODAY - DAY,
    )
    with pytest.raises(DomainError, match="reopened"):
        services.approval_update(approval=approval, by=users["officer"], status="in_progress")
    assert Approval.objects.get(pk=approval.pk).status == ApprovalStatus.DONE
    services.approval_update(
        approval=approval, by=users["officer"], status="in_progress", note="许可证信息有误"
    )
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.IN_PROGRESS
    assert approval.done_on is None
    assert approval.started_on == TODAY - 5 * DAY


def test_due_date_left_out_is_kept(project, own_department, users):
    approval = _approval(project, own_department, due_on=TODAY + 30 * DAY)
    services.approval_update(approval=approval, by=users["department"], status="in_progress")
    approval.refresh_from_db()
    assert approval.due_on == TODAY + 30 * DAY


# --- the pages -----------------------------------------------------------------------------


def test_department_user_sees_only_their_departments_open_approvals(
    client_as, project, own_department, other_department
):
    _approval(project, own_department, name="用地预审")
    _approval(project, own_department, name="已办完事项", status="done", done_on=TODAY)
    _approval(project, other_department, name="施工许可证")
    page = client_as("department").get("/approvals/").content.decode()
    assert "用地预审" in page
    assert "施工许可证" not in page
    assert "已办完事项" not in page  # 我的待办 shows what is still to do by default
    everything = client_as("department").get("/approvals/", {"status": ""}).content.decode()
    assert "已办完事项" in everything
    assert "施工许可证" not in everything
    staff = client_as("leader").get("/approvals/").content.decode()
    assert "施工许可证" in staff and "用地预审" in staff
    assert "已办完事项" not in staff  # done ones are behind the status filter for everyone
    done = client_as("leader").get("/approvals/", {"status": "done"}).content.decode()
    assert "已办完事项" in done and "用地预审" not in done


def test_department_user_cannot_update_another_departments_approval(
    client_as, project, own_department, other_department
):
    theirs = _approval(project, other_department, name="施工许可证")
    client = client_as("department")
    page = client.get(f"/approvals/{theirs.pk}/")
    assert page.status_code == 200
    assert 'name="status"' not in page.content.decode()
    response = client.post(f"/approvals/{theirs.pk}/", {"status": "in_progress"})
    assert response.status_code == 403
    assert Approval.objects.get(pk=theirs.pk).status == ApprovalStatus.NOT_STARTED


def test_department_user_updates_their_own_and_the_history_shows_it(
    client_as, project, own_department
):
    mine = _approval(project, own_department, name="用地预审")
    client = client_as("department")
    response = client.post(
        f"/approvals/{mine.pk}/",
        {
            "status": "accepted_pending",
            "owed_documents": "规划设计方案",
            "owed_due_on": (TODAY + 7 * DAY).isoformat(),
            "version": mine.version,
        },
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == ApprovalStatus.ACCEPTED_PENDING
    page = client.get(f"/approvals/{mine.pk}/").content.decode()
    assert "Change history" in page
    assert "规划设计方案" in page


def test_update_form_shows_a_refusal_and_changes_nothing(client_as, project, own_department):
    mine = _approval(project, own_department)
    response = client_as("officer").post(
        f"/approvals/{mine.pk}/", {"status": "returned", "version": mine.version}
    )
    assert response.status_code == 200
    assert "reason the approval was returned" in response.content.decode()
    assert Approval.objects.get(pk=mine.pk).status == ApprovalStatus.NOT_STARTED


def test_list_flags_overdue_approvals_and_late_documents(client_as, project, own_department):
    _approval(
        project,
        own_department,
        name="逾期事项",
        status="in_progress",
        started_on=TODAY - 30 * DAY,
        due_on=TODAY - DAY,
    )
    _approval(
        project,
        own_department,
        name="容缺事项",
        status="accepted_pending",
        started_on=TODAY - 10 * DAY,
        owed_documents="环评报告",
        owed_due_on=TODAY - 2 * DAY,
    )
    _approval(project, own_department, name="按期事项", status="in_progress", due_on=TODAY + DAY)
    client = client_as("officer")
    page = client.get("/approvals/").content.decode()
    # Each badge shows twice: in the due column and, for a phone, under the project name.
    assert page.count(">Overdue</span>") == 2
    assert page.count(">Documents overdue</span>") == 1
    overdue = client.get("/approvals/", {"overdue": "on"}).content.decode()
    assert "逾期事项" in overdue and "容缺事项" in overdue
    assert "按期事项" not in overdue


def test_list_filters_by_department_status_and_project(
    client_as, project, zone, users, own_department, other_department
):
    other_project = ProjectFactory(
        zone=zone, carrier="land", officer=users["officer"], name="另一个项目"
    )
    _approval(project, own_department, name="甲事项")
    _approval(project, other_department, name="乙事项", status="in_progress", started_on=TODAY)
    _approval(other_project, other_department, name="丙事项")
    client = client_as("officer")
    by_department = client.get("/approvals/", {"department": other_department.pk}).content.decode()
    assert "乙事项" in by_department and "丙事项" in by_department and "甲事项" not in by_department
    by_status = client.get("/approvals/", {"status": "in_progress"}).content.decode()
    assert "乙事项" in by_status and "甲事项" not in by_status
    by_project = client.get("/approvals/", {"project": project.pk}).content.decode()
    assert "甲事项" in by_project and "丙事项" not in by_project
    searched = client.get("/approvals/", {"q": "另一个"}).content.decode()
    assert "丙事项" in searched and "甲事项" not in searched
    htmx = client.get("/approvals/", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in htmx and "甲事项" in htmx


def test_list_queries_are_bounded(
    client_as, zone, users, own_department, other_department, django_assert_max_num_queries
):
    for i in range(8):
        project = ProjectFactory(zone=zone, carrier="land", officer=users["officer"])
        for j in range(5):
            _approval(
                project,
                own_department if j % 2 else other_department,
                name=f"事项{j}",
                status="in_progress",
                started_on=TODAY - 20 * DAY,
                due_on=TODAY - DAY * (i - 4),
            )
    client = client_as("officer")
    # Session, user, zones, the department picker, the page, the count; the top bar's unread
    # reminders and the working-day calendar's year (once a process, here once a test).
    with django_assert_max_num_queries(12):
        response = client.get("/approvals/")
    assert response.content.decode().count('<td class="name">') == 40
    department_client = client_as("department")
    with django_assert_max_num_queries(12):
        response = department_client.get("/approvals/")
    assert response.content.decode().count('<td class="name">') == 16


def test_export_has_a_row_per_approval(client_as, project, own_department):
    _approval(
        project,
        own_department,
        name="用地预审",
        status="done",
        started_on=TODAY - 4 * DAY,
        done_on=TODAY,
    )
    response = client_as("leader").get("/approvals/", {"export": "xlsx", "status": ""})
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    rows = book.get_sheet_by_index(0).to_python()
    assert rows[1][:3] == ["Project", "Approval", "Department"]
    assert rows[2][1] == "用地预审"
    assert rows[2][7] == 4


def test_apply_page_creates_the_checklist(client_as, project, template):
    client = client_as("officer")
    page = client.get(f"/approvals/apply/{project.pk}/").content.decode()
    assert "工业用地审批清单" in page
    response = client.post(
        f"/approvals/apply/{project.pk}/", {"template": template.pk, "started_on": "2023-05-01"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/projects/{project.pk}/"
    assert project.approvals.count() == 3


def test_apply_page_shows_why_a_space_project_has_no_approvals(client_as, zone, users, template):
    space_project = ProjectFactory(zone=zone, carrier="space", officer=users["officer"])
    response = client_as("officer").post(
        f"/approvals/apply/{space_project.pk}/", {"template": template.pk}
    )
    assert response.status_code == 200
    assert "land projects only" in response.content.decode()
    assert Approval.objects.count() == 0


def test_add_page_adds_one_approval(client_as, project, own_department):
    response = client_as("admin").post(
        f"/approvals/add/{project.pk}/", {"name": "水土保持方案", "department": own_department.pk}
    )
    assert response.status_code == 302
    assert project.approvals.get().name == "水土保持方案"


def test_templates_page_lists_items_and_links_admins_to_the_editor(client_as, template):
    page = client_as("department").get("/approvals/templates/").content.decode()
    assert "工业用地审批清单" in page and "施工许可证" in page
    assert "/admin/projects/approvaltemplate/" not in page
    admin_page = client_as("admin").get("/approvals/templates/").content.decode()
    assert "/admin/projects/approvaltemplate/" in admin_page


def test_project_page_shows_approvals_with_actions_for_their_department(
    client_as, project, own_department, other_department
):
    mine = _approval(project, own_department, name="用地预审")
    theirs = _approval(project, other_department, name="施工许可证")
    page = client_as("department").get(f"/projects/{project.pk}/").content.decode()
    assert "用地预审" in page and "施工许可证" in page
    assert page.count(f'href="/approvals/{mine.pk}/"') == 2  # the name and "Update"
    assert page.count(f'href="/approvals/{theirs.pk}/"') == 1
    assert f"/approvals/apply/{project.pk}/" not in page
    officer_page = client_as("officer").get(f"/projects/{project.pk}/").content.decode()
    assert f"/approvals/apply/{project.pk}/" in officer_page


# --- the inbox -----------------------------------------------------------------------------


def test_department_inbox_lists_open_approvals_overdue_first(
    users, project, own_department, other_department, django_assert_max_num_queries
):
    inbox_sections.register_all()
    _approval(
        project,
        own_department,
        name="按期事项",
        status="in_progress",
        started_on=TODAY,
        due_on=TODAY + 5 * DAY,
    )
    _approval(
        project,
        own_department,
        name="容缺事项",
        status="accepted_pending",
        started_on=TODAY - 9 * DAY,
        owed_documents="环评报告",
        owed_due_on=TODAY - DAY,
    )
    _approval(project, own_department, name="已办结事项", status="done", done_on=TODAY)
    _approval(project, other_department, name="别的部门事项")
    for i in range(12):
        _approval(project, own_department, name=f"未开始{i}")
    with django_assert_max_num_queries(2):
        section = inbox_sections.department_approvals_section(users["department"])
    titles = [item["title"] for item in section.items]
    assert len(titles) == inbox_sections.LIMIT
    assert titles[0].startswith("容缺事项")
    assert section.items[0]["overdue"]
    assert "documents due" in section.items[0]["note"]
    assert titles[1].startswith("按期事项")
    assert not any("别的部门" in t or "已办结" in t for t in titles)
    assert section.more_url == "/approvals/?status=open"
    assert inbox_sections.department_approvals_section(users["officer"]) is None
    assert any(s.title == section.title for s in inbox.sections_for(users["department"]))


def test_home_page_shows_the_department_inbox(client_as, project, own_department):
    from gaoxin.projects import inbox_sections as sections

    sections.register_all()
    _approval(project, own_department, name="用地预审")
    page = client_as("department").get("/").content.decode()
    assert "用地预审" in page


def test_a_department_cannot_move_its_own_deadline(zone, users, client_as) -> None:
    import datetime as dt

    from gaoxin.core.errors import DomainError
    from gaoxin.projects.models import Approval
    from gaoxin.projects.work.approvals import services as work_services
    from tests.factories import ProjectFactory

    department = users["department"].department
    project = ProjectFactory(zone=zone, carrier="land", officer=users["officer"])
    approval = Approval.objects.create(
        project=project, name="用地预审", department=department, due_on=dt.date(2024, 1, 10)
    )
    with pytest.raises(DomainError, match="due date"):
        work_services.approval_update(
            approval=approval,
            by=users["department"],
            status="in_progress",
            due_on=dt.date(2030, 1, 1),
        )
    page = client_as("department").get(f"/approvals/{approval.pk}/").content.decode()
    assert 'name="due_on"' not in page
    client_as("department").post(
        f"/approvals/{approval.pk}/",
        {"status": "in_progress", "due_on": "2030-01-01", "version": approval.version},
    )
    approval.refresh_from_db()
    assert approval.due_on == dt.date(2024, 1, 10)
    assert approval.status == "in_progress"
    officer_page = client_as("officer").get(f"/approvals/{approval.pk}/").content.decode()
    assert 'name="due_on"' in officer_page


# --- urgent first --------------------------------------------------------------------------


def test_list_puts_overdue_first_then_due_soonest_then_undated_then_done(
    client_as, project, own_department, users
):
    other = ProjectFactory(zone=project.zone, carrier="land", name="另一个项目")
    names = {
        "done-late": dict(
            project=project,
            status="done",
            due_on=TODAY - 30 * DAY,
            started_on=TODAY - 60 * DAY,
            done_on=TODAY - 2 * DAY,
        ),
        "overdue-10": dict(project=project, due_on=TODAY - 10 * DAY),
        "overdue-3": dict(project=project, due_on=TODAY - 3 * DAY),
        "soon-2": dict(project=project, due_on=TODAY + 2 * DAY),
        # A tie on the date: the project's name decides (另一个项目 before 晶圆级集成项目).
        "soon-2-other": dict(project=other, due_on=TODAY + 2 * DAY),
        "later-40": dict(project=project, due_on=TODAY + 40 * DAY),
        "undated": dict(project=project),
        # Owed documents past their deadline make a done approval overdue work.
        "owing-overdue": dict(
            project=project,
            status="done",
            due_on=TODAY - 20 * DAY,
            started_on=TODAY - 40 * DAY,
            done_on=TODAY - 25 * DAY,
            owed_documents="规划设计方案",
            owed_due_on=TODAY - 5 * DAY,
        ),
    }
    for name, fields in names.items():
        Approval.objects.create(name=name, department=own_department, **fields)
    from gaoxin.projects.work.approvals.selectors import approval_search

    def order(**arguments):
        return [a.name for a in approval_search(users["officer"], **arguments)]

    assert order(status="open", sort="urgent") == [
        "overdue-10",
        "owing-overdue",
        "overdue-3",
        "soon-2-other",
        "soon-2",
        "later-40",
        "undated",
    ]
    assert order(status="", sort="urgent")[-1] == "done-late"
    assert order(status="done") == ["done-late"]
    # The other sorts are still there.
    assert order(status="open", sort="-due")[0] == "later-40"
    # The page opens on that order, with red only on what is open and past due, amber soon.
    client = client_as("officer")
    with_badges = client.get("/approvals/").content.decode()
    assert with_badges.index("overdue-10") < with_badges.index("overdue-3")
    assert with_badges.index("soon-2") < with_badges.index("undated")
    assert "done-late" not in with_badges
    # Each badge shows twice: in the due column and, for a phone, under the project name.
    assert with_badges.count('badge badge-soon">Due soon') == 2 * 2
    everything = client.get("/approvals/", {"status": ""}).content.decode()
    row = everything[everything.index("done-late") :]
    row = row[: row.index("</tr>")]
    assert "badge-danger" not in row and "done 28 days late" in row


def test_list_and_export_follow_the_filter_within_a_bounded_number_of_queries(
    client_as, project, own_department, django_assert_max_num_queries
):
    for day in range(30):
        _approval(project, own_department, name=f"事项{day}", due_on=TODAY + (day - 15) * DAY)
    _approval(project, own_department, name="已办完事项", status="done", done_on=TODAY)
    client = client_as("officer")
    with django_assert_max_num_queries(12):
        page = client.get("/approvals/")
    assert page.status_code == 200
    sheet = client.get("/approvals/", {"export": "xlsx"})
    rows = CalamineWorkbook.from_filelike(io.BytesIO(sheet.content)).get_sheet_by_index(0)
    text = str(rows.to_python())
    assert "已办完事项" not in text and "事项0" in text
