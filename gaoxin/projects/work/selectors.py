"""Reading approvals, blockers and service records, always through the access rules.

Department users work on their own department's approvals and blockers: their lists hold
only those (APPROVAL_WORK / BLOCKER_WORK), while one record of another department opens
read-only (APPROVAL / BLOCKER) and refuses changes with 403.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from gaoxin.core.access import get_for_user, role_of, scope
from gaoxin.core.roles import Role
from gaoxin.projects import access
from gaoxin.projects.models import (
    OPEN_APPROVAL_STATUSES,
    OPEN_BLOCKER_STATUSES,
    Approval,
    ApprovalStatus,
    ApprovalTemplate,
    Blocker,
    Project,
    ServiceRecord,
)
from gaoxin.projects.stages import Stage


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


# --- projects, as the work pages need them ------------------------------------------------


def project_for_work(user: Any, pk: Any, *, write: bool = False) -> Project:
    """The project an approval, blocker or service record is added to (write: officers and
    administrators of its zone)."""
    return get_for_user(
        user, Project.objects.select_related("zone"), pk, access.PROJECT, write=write
    )


# --- overdue --------------------------------------------------------------------------------


def approval_overdue_q(today: dt.date) -> Q:
    """Not done and past its due date, whether or not the department has started it: an
    approval nobody has picked up by its deadline is the most overdue of all."""
    return ~Q(status=ApprovalStatus.DONE) & Q(due_on__lt=today)


def approval_documents_overdue_q(today: dt.date) -> Q:
    """容缺受理 whose owed documents are past their deadline."""
    return Q(status=ApprovalStatus.ACCEPTED_PENDING, owed_due_on__lt=today)


def approval_is_overdue(approval: Approval, today: dt.date | None = None) -> bool:
    today = _today(today)
    return (
        approval.status != ApprovalStatus.DONE
        and approval.due_on is not None
        and approval.due_on < today
    )


def approval_documents_overdue(approval: Approval, today: dt.date | None = None) -> bool:
    today = _today(today)
    return (
        approval.status == ApprovalStatus.ACCEPTED_PENDING
        and approval.owed_due_on is not None
        and approval.owed_due_on < today
    )


def blocker_overdue_q(today: dt.date) -> Q:
    return Q(status__in=OPEN_BLOCKER_STATUSES, due_on__lt=today)


def blocker_is_overdue(blocker: Blocker, today: dt.date | None = None) -> bool:
    return blocker.is_open and blocker.due_on < _today(today)


def _late_first(late: Q) -> Case:
    return Case(When(late, then=Value(0)), default=Value(1), output_field=IntegerField())


# --- approvals ------------------------------------------------------------------------------


def approval_list_for_user(user: Any) -> QuerySet[Approval]:
    """The approvals a user works with: a department user's own department's, everyone
    else's by zone."""
    return scope(user, Approval.objects.all(), access.APPROVAL_WORK)


def approval_get_for_user(user: Any, pk: Any, *, write: bool = False) -> Approval:
    """One approval the user may see (404 otherwise); with write=True one they may change:
    a department user only their department's (403 otherwise)."""
    approval = get_for_user(
        user,
        Approval.objects.select_related("project", "department"),
        pk,
        access.APPROVAL,
    )
    if write and not approval_can_write(user, approval):
        raise PermissionDenied
    return approval


def approval_can_write(user: Any, approval: Approval) -> bool:
    return (
        scope(user, Approval.objects.all(), access.APPROVAL_WORK, write=True, whole_reach=True)
        .filter(pk=approval.pk)
        .exists()
    )


APPROVAL_SORTS = {
    "due": (F("due_on").asc(nulls_last=True), "project__name", "order", "pk"),
    "-due": (F("due_on").desc(nulls_last=True), "project__name", "order", "pk"),
    "project": ("project__name", "order", "pk"),
    "-project": ("-project__name", "order", "pk"),
    "started": (F("started_on").asc(nulls_last=True), "pk"),
    "-started": (F("started_on").desc(nulls_last=True), "pk"),
}


def approval_search(
    user: Any,
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
    today = _today(today)
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
    q = q.strip()
    if q:
        queryset = queryset.filter(
            Q(name__icontains=q)
            | Q(project__name__icontains=q)
            | Q(project__investor_name__icontains=q)
        )
    return queryset.order_by(*APPROVAL_SORTS.get(sort, APPROVAL_SORTS["due"]))


def approval_inbox(user: Any, *, today: dt.date | None = None) -> QuerySet[Approval]:
    """A department user's open approvals, overdue ones (or owed documents) first."""
    today = _today(today)
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


def approval_template_list_for_user(user: Any) -> QuerySet[ApprovalTemplate]:
    return scope(user, ApprovalTemplate.objects.all(), access.APPROVAL_TEMPLATE)


def approval_templates_for_project(project: Project) -> QuerySet[ApprovalTemplate]:
    """The checklists that can be applied to a project: the active ones of its zone."""
    return ApprovalTemplate.objects.filter(zone_id=project.zone_id, is_active=True).order_by("name")


# --- blockers -------------------------------------------------------------------------------


def blocker_list_for_user(user: Any) -> QuerySet[Blocker]:
    """The blockers a user works with: a department user's own department's, everyone else's
    by zone."""
    return scope(user, Blocker.objects.all(), access.BLOCKER_WORK)


def blocker_get_for_user(user: Any, pk: Any, *, write: bool = False) -> Blocker:
    blocker = get_for_user(
        user,
        Blocker.objects.select_related("project", "department", "owner", "service_record"),
        pk,
        access.BLOCKER,
    )
    if write and not blocker_can_write(user, blocker):
        raise PermissionDenied
    return blocker


def blocker_can_write(user: Any, blocker: Blocker) -> bool:
    return (
        scope(user, Blocker.objects.all(), access.BLOCKER_WORK, write=True, whole_reach=True)
        .filter(pk=blocker.pk)
        .exists()
    )


def blocker_can_reassign(user: Any, blocker: Blocker) -> bool:
    """Handing a blocker to someone else is the officers' (and administrators') call."""
    return (
        scope(user, Project.objects.all(), access.PROJECT, write=True, whole_reach=True)
        .filter(pk=blocker.project_id)
        .exists()
    )


BLOCKER_SORTS = {
    "due": ("due_on", "pk"),
    "-due": ("-due_on", "-pk"),
    "raised": ("raised_on", "pk"),
    "-raised": ("-raised_on", "-pk"),
    "project": ("project__name", "due_on", "pk"),
    "-project": ("-project__name", "due_on", "pk"),
}


def blocker_search(
    user: Any,
    *,
    status: str = "",
    department: int | None = None,
    overdue: bool = False,
    mine: bool = False,
    project: int | None = None,
    q: str = "",
    sort: str = "due",
    today: dt.date | None = None,
) -> QuerySet[Blocker]:
    """The blockers a user works with, narrowed by the list's filters.

    `status` is one status, "open" for 待处理 and 处理中, or empty for all; `mine` keeps those
    the user is responsible for or whose project they serve.
    """
    today = _today(today)
    queryset = blocker_list_for_user(user).select_related("project", "department", "owner")
    if status == "open":
        queryset = queryset.filter(status__in=OPEN_BLOCKER_STATUSES)
    elif status:
        queryset = queryset.filter(status=status)
    if department:
        queryset = queryset.filter(department_id=department)
    if overdue:
        queryset = queryset.filter(blocker_overdue_q(today))
    if mine:
        queryset = queryset.filter(Q(owner=user) | Q(project__officer=user))
    if project:
        queryset = queryset.filter(project_id=project)
    q = q.strip()
    if q:
        queryset = queryset.filter(
            Q(description__icontains=q)
            | Q(project__name__icontains=q)
            | Q(project__investor_name__icontains=q)
        )
    return queryset.order_by(*BLOCKER_SORTS.get(sort, BLOCKER_SORTS["due"]))


def blocker_open_for_department(user: Any) -> QuerySet[Blocker]:
    """A department user's open blockers, earliest due (so overdue ones) first."""
    return (
        blocker_list_for_user(user)
        .filter(status__in=OPEN_BLOCKER_STATUSES)
        .select_related("project", "department")
        .order_by("due_on", "pk")
    )


def blocker_overdue_for_officer(user: Any, *, today: dt.date | None = None) -> QuerySet[Blocker]:
    """Overdue blockers of the projects an officer serves (专人服务)."""
    today = _today(today)
    return (
        blocker_list_for_user(user)
        .filter(blocker_overdue_q(today), project__officer=user)
        .select_related("project", "department")
        .order_by("due_on", "pk")
    )


def blocker_overdue_in_zone(user: Any, *, today: dt.date | None = None) -> QuerySet[Blocker]:
    """Overdue blockers of the zones a user works in, for the leaders."""
    today = _today(today)
    return (
        blocker_list_for_user(user)
        .filter(blocker_overdue_q(today))
        .select_related("project", "department")
        .order_by("due_on", "pk")
    )


# --- service records -----------------------------------------------------------------------


def service_record_get_for_user(user: Any, project_pk: Any, pk: Any) -> ServiceRecord:
    """One service record of the project in the URL (404 for another project's)."""
    record = get_for_user(
        user,
        ServiceRecord.objects.select_related("project", "recorded_by"),
        pk,
        access.SERVICE_RECORD,
    )
    if str(record.project_id) != str(project_pk):
        raise Http404
    return record


def service_record_decisions(record: ServiceRecord) -> QuerySet[Blocker]:
    return record.decisions.select_related("department", "owner").order_by("pk")


def is_department_user(user: Any) -> bool:
    return role_of(user) == Role.DEPARTMENT
