"""Reading approvals, always through the access rules: a department user's list holds only
their department's (APPROVAL_WORK), while one approval of another department opens
read-only (APPROVAL) and refuses changes with 403."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import Case, DateField, F, IntegerField, Q, QuerySet, Value, When

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
from gaoxin.projects.work.selectors import is_due_soon, today_or

if TYPE_CHECKING:
    from gaoxin.accounts.models import User


def approval_overdue_q(today: dt.date) -> Q:
    """Not done and past its due date, whether or not the department has started it: an
    approval nobody has picked up by its deadline is the most overdue of all."""
    return ~Q(status=ApprovalStatus.DONE) & Q(due_on__lt=today)


def approval_owes_documents_q() -> Q:
    """容缺 documents recorded and neither received nor waived, whatever the status: finishing
    the approval (已办结) does not settle them."""
    return ~Q(owed_documents="") & Q(owed_received_on__isnull=True, owed_waived_on__isnull=True)


def approval_documents_overdue_q(today: dt.date) -> Q:
    """Owed 容缺 documents past their deadline (容缺材料补齐时限)."""
    return approval_owes_documents_q() & Q(owed_due_on__lt=today)


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
        approval.owes_documents
        and approval.owed_due_on is not None
        and approval.owed_due_on < today
    )


def approval_due_soon(approval: Approval, today: dt.date | None = None) -> bool:
    """Not done and due within DUE_SOON_DAYS (the amber badge)."""
    return approval.status != ApprovalStatus.DONE and is_due_soon(approval.due_on, today_or(today))


def approval_documents_due_soon(approval: Approval, today: dt.date | None = None) -> bool:
    return approval.owes_documents and is_due_soon(approval.owed_due_on, today_or(today))


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


# The day an approval's next deadline falls on: its due date while it is not done, or the
# deadline of its owed 容缺 documents (while owed) when that comes first. None: nothing pending
# has a date.
_OPEN_DUE = Case(When(~Q(status=ApprovalStatus.DONE), then=F("due_on")), output_field=DateField())
_OWED_DUE = Case(When(approval_owes_documents_q(), then=F("owed_due_on")), output_field=DateField())
_NEXT_DEADLINE = Case(
    When(Q(status=ApprovalStatus.DONE) | Q(due_on__isnull=True), then=_OWED_DUE),
    When(~approval_owes_documents_q() | Q(owed_due_on__gte=F("due_on")), then=_OPEN_DUE),
    default=F("owed_due_on"),
    output_field=DateField(),
)
_DONE_LAST = Case(
    When(Q(status=ApprovalStatus.DONE), then=Value(1)),
    default=Value(0),
    output_field=IntegerField(),
)

APPROVAL_SORTS = {
    # Urgent first: overdue (the most overdue on top) and then due soonest, by the next
    # deadline; then what has no deadline; done ones last, the latest done first.
    "urgent": (
        _NEXT_DEADLINE.asc(nulls_last=True),
        _DONE_LAST.asc(),
        F("done_on").desc(nulls_last=True),
        "project__name",
        "order",
        "pk",
    ),
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
    sort: str = "urgent",
    today: dt.date | None = None,
) -> QuerySet[Approval]:
    """The approvals a user works with, narrowed by the list's filters.

    `status` is one status, "open" for what is still to do (not 已办结, or with 容缺 documents
    still owed), "done" for 已办结 with nothing owed, "owed" for those owing documents, or
    empty (or "all") for all; `overdue` keeps those past their due date or with owed documents
    past their deadline.
    """
    today = today_or(today)
    queryset = approval_list_for_user(user).select_related("project", "department")
    if status == "open":
        queryset = queryset.filter(
            Q(status__in=OPEN_APPROVAL_STATUSES) | approval_owes_documents_q()
        )
    elif status == "done":
        queryset = queryset.filter(Q(status=ApprovalStatus.DONE) & ~approval_owes_documents_q())
    elif status == "owed":
        queryset = queryset.filter(approval_owes_documents_q())
    elif status in ApprovalStatus.values:
        queryset = queryset.filter(status=status)
    if department:
        queryset = queryset.filter(department_id=department)
    if overdue:
        queryset = queryset.filter(approval_overdue_q(today) | approval_documents_overdue_q(today))
    if project:
        queryset = queryset.filter(project_id=project)
    queryset = containing(queryset, q, "name", "project__name", "project__investor_name")
    return queryset.order_by(*APPROVAL_SORTS.get(sort, APPROVAL_SORTS["urgent"]))


def approval_inbox(user: User, *, today: dt.date | None = None) -> QuerySet[Approval]:
    """A department user's approvals still to do (or still owing 容缺 documents), urgent
    first: overdue ones (or owed documents) at the top, then the next deadline."""
    return (
        approval_list_for_user(user)
        .filter(Q(status__in=OPEN_APPROVAL_STATUSES) | approval_owes_documents_q())
        # A terminated project's approvals are nobody's work any more.
        .exclude(project__stage=Stage.TERMINATED)
        .select_related("project", "department")
        .order_by(*APPROVAL_SORTS["urgent"])
    )


def approval_template_list_for_user(user: User) -> QuerySet[ApprovalTemplate]:
    return scope(user, ApprovalTemplate.objects.all(), access.APPROVAL_TEMPLATE)


def approval_templates_for_project(project: Project) -> QuerySet[ApprovalTemplate]:
    """The checklists that can be applied to a project: the active ones of its zone."""
    return ApprovalTemplate.objects.filter(zone_id=project.zone_id, is_active=True).order_by("name")
