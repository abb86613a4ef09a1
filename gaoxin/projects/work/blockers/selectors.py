"""Reading blockers, always through the access rules: a department user's list holds only
their department's (BLOCKER_WORK), while one blocker of another department opens read-only
(BLOCKER) and refuses changes with 403."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import Case, DateField, F, Q, QuerySet, When

from gaoxin.core.access import can_write, get_for_user, scope
from gaoxin.core.queries import containing
from gaoxin.projects import access
from gaoxin.projects.models import (
    OPEN_BLOCKER_STATUSES,
    Blocker,
    Project,
)
from gaoxin.projects.work.selectors import is_due_soon, today_or

if TYPE_CHECKING:
    from gaoxin.accounts.models import User


def blocker_overdue_q(today: dt.date) -> Q:
    return Q(status__in=OPEN_BLOCKER_STATUSES, due_on__lt=today)


def blocker_is_overdue(blocker: Blocker, today: dt.date | None = None) -> bool:
    return blocker.is_open and blocker.due_on < today_or(today)


def blocker_list_for_user(user: User) -> QuerySet[Blocker]:
    """The blockers a user works with: a department user's own department's, everyone else's
    by zone."""
    return scope(user, Blocker.objects.all(), access.BLOCKER_WORK)


def blocker_get_for_user(user: User, pk: Any, *, write: bool = False) -> Blocker:
    return get_for_user(
        user,
        Blocker.objects.select_related("project", "department", "owner", "service_record"),
        pk,
        access.BLOCKER,
        write=write,
        write_rule=access.BLOCKER_WORK,
    )


def blocker_due_soon(blocker: Blocker, today: dt.date | None = None) -> bool:
    """Open and due within DUE_SOON_DAYS (the amber badge)."""
    return blocker.is_open and is_due_soon(blocker.due_on, today_or(today))


def blocker_can_write(user: User, blocker: Blocker) -> bool:
    return can_write(user, Blocker.objects.all(), access.BLOCKER_WORK, blocker.pk)


def blocker_can_reassign(user: User, blocker: Blocker) -> bool:
    """Handing a blocker to someone else is the officers' (and administrators') call."""
    return can_write(user, Project.objects.all(), access.PROJECT, blocker.project_id)


# Urgent first: the open ones by due date (so the most overdue on top, then the soonest due),
# then the closed ones, the latest closed first.
_OPEN_DUE = Case(
    When(Q(status__in=OPEN_BLOCKER_STATUSES), then=F("due_on")), output_field=DateField()
)

BLOCKER_SORTS: dict[str, tuple[Any, ...]] = {
    "urgent": (
        _OPEN_DUE.asc(nulls_last=True),
        F("closed_on").desc(nulls_last=True),
        "project__name",
        "pk",
    ),
    "due": ("due_on", "pk"),
    "-due": ("-due_on", "-pk"),
    "raised": ("raised_on", "pk"),
    "-raised": ("-raised_on", "-pk"),
    "project": ("project__name", "due_on", "pk"),
    "-project": ("-project__name", "due_on", "pk"),
}


def blocker_search(
    user: User,
    *,
    status: str = "",
    department: int | None = None,
    overdue: bool = False,
    mine: bool = False,
    project: int | None = None,
    q: str = "",
    sort: str = "urgent",
    today: dt.date | None = None,
) -> QuerySet[Blocker]:
    """The blockers a user works with, narrowed by the list's filters.

    `status` is one status, "open" for 待处理 and 处理中, "closed" for 已解决 and 无法解决, or
    empty for all; `mine` keeps those
    the user is responsible for or whose project they serve.
    """
    today = today_or(today)
    queryset = blocker_list_for_user(user).select_related("project", "department", "owner")
    if status == "open":
        queryset = queryset.filter(status__in=OPEN_BLOCKER_STATUSES)
    elif status == "closed":
        queryset = queryset.exclude(status__in=OPEN_BLOCKER_STATUSES)
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
    queryset = containing(queryset, q, "description", "project__name", "project__investor_name")
    return queryset.order_by(*BLOCKER_SORTS.get(sort, BLOCKER_SORTS["urgent"]))


def blocker_open_for_department(user: User) -> QuerySet[Blocker]:
    """A department user's open blockers, earliest due (so overdue ones) first."""
    return (
        blocker_list_for_user(user)
        .filter(status__in=OPEN_BLOCKER_STATUSES)
        .select_related("project", "department")
        .order_by("due_on", "pk")
    )


def blocker_overdue_for_officer(user: User, *, today: dt.date | None = None) -> QuerySet[Blocker]:
    """Overdue blockers of the projects an officer serves (专人服务)."""
    today = today_or(today)
    return (
        blocker_list_for_user(user)
        .filter(blocker_overdue_q(today), project__officer=user)
        .select_related("project", "department")
        .order_by("due_on", "pk")
    )


def blocker_overdue_in_zone(user: User, *, today: dt.date | None = None) -> QuerySet[Blocker]:
    """Overdue blockers of the zones a user works in, for the leaders."""
    today = today_or(today)
    return (
        blocker_list_for_user(user)
        .filter(blocker_overdue_q(today))
        .select_related("project", "department")
        .order_by("due_on", "pk")
    )
