"""Reading approvals, always through the access rules: a department user's list holds only
their department's (APPROVAL_WORK), while one approval of another department opens
read-only (APPROVAL) and refuses changes with 403."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When

from gaoxin.core.access import can_write, get_for_user, scope
from gaoxin.core.queries import containing
from gaoxin.projects import access
from gaoxin.projects.models import (
    OPEN_APPROVAL_STATUSES,
    Approval,
    ApprovalStatus,
    ApprovalTemplate,
    Project,
)
from gaoxin.projects.stages import Stage
from gaoxin.projects.work.selectors import today_or

if TYPE_CHECKING:
    from gaoxin.accounts.models import User


def approval_overdue_q(today: dt.date) -> Q:
    """Not done and past its due date, whether or not the department has started it: an
    approval nobody has picked up by its deadline is the most overdue of all."""
    return ~Q(status=ApprovalStatus.DONE) & Q(due_on__lt=today)


def approval_documents_overdue_q(today: dt.date) -> Q:
    """容缺受理 whose owed documents are past their deadline."""
    return Q(status=ApprovalStatus.ACCEPTED_PENDING, owed_due_on__lt=today)


def approval_is_overdue(approval: Approval, today: dt.date | None = None) -> bool:
    today = today_or(today)
    return (
        approval.status != ApprovalStatus.DONE
        and approval.due_on is not None
        and approval.due_on < today
    )


def approval_documents_overdue(approval: Approval, today: dt.date | None = None) -> bool:
    today = today_or(today)
    return (
        approval.status == ApprovalStatus.ACCEPTED_PENDING
        and approval.owed_due_on is not None
        and approval.owed_due_on < today
    )


def _late_first(late: Q) -> Case:
    return Case(When(late, then=Value(0)), default=Value(1), output_field=IntegerField())


def approval_list_for_user(user: User) -> QuerySet[Approval]:
    """The approvals a user works with: a department user's own department's, everyone
    else's by zone."""
    return scope(user, Approval.objects.all(), access.APPROVAL_WORK)


def approval_get_for_user(user: User, pk: Any, *, write: bool = False) -> Approval:
    """One approval the user may see (404 otherwise); with write=True one they may change:
    a department user only their department's (403 otherwise)."""
    return get_for_user(
        user,
        Approval.objects.select_related("project", "department"),
        pk,
        access.APPROVAL,
        write=write,
        write_rule=access.APPROVAL_WORK,
    )


def approval_can_write(user: User, approval: Approval) -> bool:
    return can_write(user, Approval.objects.all(), access.APPROVAL_WORK, approval.pk)


APPROVAL_SORTS = {
    "due": (F("due_on").asc(nulls_last=True), "project__name", "order", "pk"),
    "-due": (F("due_on").desc(nulls_last=True), "project__name", "order", "pk"),
    "project": ("project__name", "order", "pk"),
    "-project": ("-project__name", "order", "pk"),
    "started": (F("started_on").asc(nulls_last=True), "pk"),
    "-started": (F("started_on").desc(nulls_last=True), "pk"),
}


def approval_search(
    user: User,
    *,
    status: str = "",
    department: int | None = None,
    overdue: bool = False,
    project: int | None = None,
    q: str = "",
    sort: str = "due",
    today: dt.date | None = None,
) -> QuerySet[Approval]:
    """The approvals a user works with, narrowed by the list's filters.

    `status` is one status, "open" for every status but 已办结, or empty for all; `overdue`
    keeps those past their due date or with owed documents past their deadline.
    """
    today = today_or(today)
    queryset = approval_list_for_user(user).select_related("project", "department")
    if status == "open":
        queryset = queryset.filter(status__in=OPEN_APPROVAL_STATUSES)
    elif status in ApprovalStatus.values:
        queryset = queryset.filter(status=status)
    if department:
        queryset = queryset.filter(department_id=department)
    if overdue:
        queryset = queryset.filter(approval_overdue_q(today) | approval_documents_overdue_q(today))
    if project:
        queryset = queryset.filter(project_id=project)
    queryset = containing(queryset, q, "name", "project__name", "project__investor_name")
    return queryset.order_by(*APPROVAL_SORTS.get(sort, APPROVAL_SORTS["due"]))


def approval_inbox(user: User, *, today: dt.date | None = None) -> QuerySet[Approval]:
    """A department user's open approvals, overdue ones (or owed documents) first."""
    today = today_or(today)
    return (
        approval_list_for_user(user)
        .filter(status__in=OPEN_APPROVAL_STATUSES)
        # A terminated project's approvals are nobody's work any more.
        .exclude(project__stage=Stage.TERMINATED)
        .select_related("project", "department")
        .order_by(
            _late_first(approval_overdue_q(today) | approval_documents_overdue_q(today)),
            F("due_on").asc(nulls_last=True),
            "pk",
        )
    )


def approval_template_list_for_user(user: User) -> QuerySet[ApprovalTemplate]:
    return scope(user, ApprovalTemplate.objects.all(), access.APPROVAL_TEMPLATE)


def approval_templates_for_project(project: Project) -> QuerySet[ApprovalTemplate]:
    """The checklists that can be applied to a project: the active ones of its zone."""
    return ApprovalTemplate.objects.filter(zone_id=project.zone_id, is_active=True).order_by("name")
