"""Figures of the blockers, each as of a date: a blocker is open on a day from the day it was
raised until the day it closed (a reopened one loses its closing date, so it counts as open
through the time it was closed)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from gaoxin.accounts.models import Department
from gaoxin.core.metrics import Column, MetricScope, Said, Unit, breakdown, metric, subject
from gaoxin.projects.models import Blocker
from gaoxin.projects.work.metrics import GROUP, zone_projects

# How reports write these figures (数据核对): 目前尚有难点堵点5个未解决，其中逾期2个.
subject("blockers", _("Blockers"), "难点堵点", "难点问题", "堵点", "难点", "督办")
MATTERS = ("个", "项", "件")

BLOCKER_COLUMNS = (
    Column(_("Project"), "project.name"),
    Column(_("Blocker"), "description"),
    Column(_("Stage"), "get_stage_display"),
    Column(_("Responsible department"), "department.name"),
    Column(_("Responsible person"), "owner"),
    Column(_("Raised on"), "raised_on"),
    Column(_("Due on"), "due_on"),
    Column(_("Status"), "get_status_display"),
    Column(_("Closed on"), "closed_on"),
)


def _blockers(scope: MetricScope) -> QuerySet[Blocker]:
    return Blocker.objects.filter(project_id__in=zone_projects(scope)).select_related(
        "project", "department", "owner"
    )


def open_blockers_q(scope: MetricScope) -> Q:
    return Q(raised_on__lte=scope.as_of) & (
        Q(closed_on__isnull=True) | Q(closed_on__gt=scope.as_of)
    )


@metric(
    "blockers.open",
    label=_("Open blockers (难点/堵点)"),
    unit=Unit.ITEM,
    columns=BLOCKER_COLUMNS,
    group=GROUP,
    description=_("Raised by the day and not closed by then."),
    # (not 难点堵点 alone, the subject: "梳理难点堵点问题58个，已解决49个" are no open ones)
    # 目前尚有难点堵点5个未解决 / 目前还有难点堵点九个没有解决
    said=Said(
        ("未解决", "没有解决", "尚未解决", "待解决", "未关闭", "尚未关闭", "尚有", "还有"),
        MATTERS,
        "blockers",
    ),
)
def blockers_open(scope: MetricScope) -> QuerySet[Blocker]:
    return _blockers(scope).filter(open_blockers_q(scope)).order_by("due_on", "pk")


@metric(
    "blockers.overdue",
    label=_("Overdue blockers"),
    unit=Unit.ITEM,
    columns=BLOCKER_COLUMNS,
    group=GROUP,
    description=_("Open on the day and past their due date."),
    said=Said(
        ("逾期未解决", "其中逾期", "超过办理时限", "超过时限", "超期", "逾期"), MATTERS, "blockers"
    ),
)
def blockers_overdue(scope: MetricScope) -> QuerySet[Blocker]:
    return (
        _blockers(scope)
        .filter(open_blockers_q(scope), due_on__lt=scope.as_of)
        .order_by("due_on", "pk")
    )


# One department's share of the overdue blockers (the dashboard's bars by department).
breakdown("blockers.overdue", "department", "department_id", Department, subject="department")
