"""Figures of the approvals, each as of a date: an approval is done from its completion date,
so a month's figure can be asked again later and comes out the same."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from gaoxin.accounts.models import Department
from gaoxin.core.metrics import Column, MetricScope, Said, Unit, breakdown, metric, subject
from gaoxin.projects.models import Approval
from gaoxin.projects.stages import Stage
from gaoxin.projects.work.metrics import GROUP, zone_projects

# How reports write these figures (数据核对): 累计办结审批事项120个；逾期审批事项3个.
subject("approvals", _("Approvals"), "审批事项", "审批服务", "审批")
MATTERS = ("个", "项", "件")

APPROVAL_COLUMNS = (
    Column(_("Project"), "project.name"),
    Column(_("Approval"), "name"),
    Column(_("Department"), "department.name"),
    Column(_("Started on"), "started_on"),
    Column(_("Due on"), "due_on"),
    Column(_("Done on"), "done_on"),
    Column(_("Status"), "get_status_display"),
)
PENDING_COLUMNS = (
    Column(_("Project"), "project.name"),
    Column(_("Approval"), "name"),
    Column(_("Department"), "department.name"),
    Column(_("Documents still owed"), "owed_documents"),
    Column(_("Documents due on"), "owed_due_on"),
    Column(_("Status"), "get_status_display"),
)
DONE_COLUMNS = (
    Column(_("Project"), "project.name"),
    Column(_("Approval"), "name"),
    Column(_("Department"), "department.name"),
    Column(_("Started on"), "started_on"),
    Column(_("Done on"), "done_on"),
    Column(_("Days taken"), "days_taken"),
)


def _approvals(scope: MetricScope) -> QuerySet[Approval]:
    return Approval.objects.filter(project_id__in=zone_projects(scope)).select_related(
        "project", "department"
    )


@metric(
    "approvals.overdue",
    label=_("Overdue approvals"),
    unit=Unit.ITEM,
    columns=APPROVAL_COLUMNS,
    group=GROUP,
    description=_(
        "Not done by the day and past their due date (projects terminated since are left out)."
    ),
    # 目前逾期未办结的审批事项2个 (not 办结: approvals.done's)
    said=Said(("逾期审批事项", "逾期未办结", "审批逾期", "逾期"), MATTERS, "approvals"),
)
def approvals_overdue(scope: MetricScope) -> QuerySet[Approval]:
    return (
        _approvals(scope)
        .exclude(project__stage=Stage.TERMINATED)
        .filter(Q(done_on__isnull=True) | Q(done_on__gt=scope.as_of))
        .filter(due_on__lt=scope.as_of)
        .order_by("due_on", "pk")
    )


@metric(
    "approvals.pending_documents_overdue",
    label=_("容缺受理 approvals with documents overdue"),
    unit=Unit.ITEM,
    columns=PENDING_COLUMNS,
    group=GROUP,
    description=_(
        "With 容缺 documents still owed on the day (not received or waived by then, whether or "
        "not the approval was done), whose deadline had passed by the day."
    ),
    # 容缺受理事项中补齐材料逾期2个
    # (not 容缺受理 alone: "以容缺受理方式办理28个" are not overdue)
    said=Said(("补齐材料逾期", "材料逾期", "逾期未补齐"), MATTERS, "approvals"),
)
def approvals_pending_documents_overdue(scope: MetricScope) -> QuerySet[Approval]:
    day = scope.as_of
    return (
        _approvals(scope)
        .exclude(project__stage=Stage.TERMINATED)
        .exclude(owed_documents="")
        .filter(Q(owed_received_on__isnull=True) | Q(owed_received_on__gt=day))
        .filter(Q(owed_waived_on__isnull=True) | Q(owed_waived_on__gt=day))
        .filter(owed_due_on__lt=day)
        .order_by("owed_due_on", "pk")
    )


@metric(
    "approvals.done",
    label=_("Approvals done (已办结)"),
    unit=Unit.ITEM,
    columns=DONE_COLUMNS,
    group=GROUP,
    description=_("Done by the day; the table shows the days each took."),
    said=Said(("累计办结审批事项", "办结审批事项", "已办结", "办结"), MATTERS, "approvals"),
)
def approvals_done(scope: MetricScope) -> QuerySet[Approval]:
    return _approvals(scope).filter(done_on__lte=scope.as_of).order_by("-done_on", "pk")


# One department's share of the overdue approvals (the dashboard's bars by department).
breakdown("approvals.overdue", "department", "department_id", Department, subject="department")
