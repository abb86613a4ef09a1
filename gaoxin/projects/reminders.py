"""What the project work adds to the 督办 reminders (jobs/reminders.py): blockers, approvals
and owed 容缺 documents due within a few days or overdue, each to the people who act on it.

Who acts: a blocker's responsible person (or, with nobody named, its department's users) and
the project's serving officer; an approval's (and its owed documents') department users and
the project's officer. Each source reads its items in one query and the departments' users in
one more, however many items there are. Terminated projects are left out.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.accounts.models import User
from gaoxin.core.roles import Role
from gaoxin.jobs import reminders
from gaoxin.jobs.reminders import Due, ReminderKind
from gaoxin.projects.models import OPEN_BLOCKER_STATUSES, Approval, ApprovalStatus, Blocker
from gaoxin.projects.stages import Stage
from gaoxin.projects.work.approvals.selectors import approval_owes_documents_q

if TYPE_CHECKING:
    from gaoxin.accounts.models import Zone

BLOCKER_DUE_SOON = ReminderKind("blocker_due_soon", gettext_lazy("Blockers due soon"), 10)
BLOCKER_OVERDUE = ReminderKind("blocker_overdue", gettext_lazy("Blockers overdue"), 11)
APPROVAL_DUE_SOON = ReminderKind("approval_due_soon", gettext_lazy("Approvals due soon"), 20)
APPROVAL_OVERDUE = ReminderKind("approval_overdue", gettext_lazy("Approvals overdue"), 21)
DOCUMENTS_DUE_SOON = ReminderKind(
    "documents_due_soon", gettext_lazy("Owed 容缺 documents due soon"), 30
)
DOCUMENTS_OVERDUE = ReminderKind(
    "documents_overdue", gettext_lazy("Owed 容缺 documents overdue"), 31
)


def _department_users(department_ids: Iterable[int]) -> dict[int, list[int]]:
    """The active users of each department (one query)."""
    users: dict[int, list[int]] = defaultdict(list)
    rows = User.objects.filter(
        department_id__in=set(department_ids), role=Role.DEPARTMENT, is_active=True
    ).values_list("department_id", "pk")
    for department_id, user_id in rows.order_by("pk"):
        users[department_id].append(user_id)
    return users


def _live(zone: Zone) -> Q:
    return Q(project__zone=zone) & ~Q(project__stage=Stage.TERMINATED)


def _blockers(zone: Zone, day: dt.date, *, overdue: bool) -> list[Due]:
    if overdue:
        when = Q(due_on__lt=day)
    else:
        start, end = reminders.due_soon_window(day)
        when = Q(due_on__gte=start, due_on__lte=end)
    blockers = list(
        Blocker.objects.filter(_live(zone), when, status__in=OPEN_BLOCKER_STATUSES)
        .select_related("project")
        .only(
            "pk",
            "description",
            "due_on",
            "owner_id",
            "department_id",
            "project__name",
            "project__officer",
        )
        .order_by("due_on", "pk")
    )
    unowned = {b.department_id for b in blockers if b.owner_id is None}
    department_users = _department_users(unowned) if unowned else {}
    kind = BLOCKER_OVERDUE if overdue else BLOCKER_DUE_SOON
    dues = []
    for blocker in blockers:
        owners = (
            [blocker.owner_id]
            if blocker.owner_id
            else department_users.get(blocker.department_id, [])
        )
        if overdue:
            detail = _("%(days)d days overdue (to be resolved by %(day)s)") % {
                "days": reminders.overdue_days(blocker.due_on, day),
                "day": blocker.due_on.isoformat(),
            }
        else:
            detail = reminders.due_in_words(blocker.due_on, day)
        dues.append(
            Due(
                kind=kind.key,
                key=f"blocker:{blocker.pk}",
                user_ids=(*owners, blocker.project.officer_id),
                title=f"{blocker.project.name} · {blocker.description[:60]}",
                detail=detail,
                url=reverse("blockers:detail", args=[blocker.pk]),
                due_on=blocker.due_on,
            )
        )
    return dues


def blockers_due_soon(zone: Zone, day: dt.date) -> list[Due]:
    return _blockers(zone, day, overdue=False)


def blockers_overdue(zone: Zone, day: dt.date) -> list[Due]:
    return _blockers(zone, day, overdue=True)


def _approvals(zone: Zone, day: dt.date, *, documents: bool, overdue: bool) -> list[Due]:
    field = "owed_due_on" if documents else "due_on"
    if overdue:
        when = Q(**{f"{field}__lt": day})
    else:
        start, end = reminders.due_soon_window(day)
        when = Q(**{f"{field}__gte": start, f"{field}__lte": end})
    pending = approval_owes_documents_q() if documents else ~Q(status=ApprovalStatus.DONE)
    approvals = list(
        Approval.objects.filter(_live(zone), pending, when)
        .select_related("project")
        .only(
            "pk",
            "name",
            "due_on",
            "owed_due_on",
            "owed_documents",
            "department_id",
            "project__name",
            "project__officer",
        )
        .order_by(field, "pk")
    )
    department_users = _department_users({a.department_id for a in approvals})
    if documents:
        kind = DOCUMENTS_OVERDUE if overdue else DOCUMENTS_DUE_SOON
    else:
        kind = APPROVAL_OVERDUE if overdue else APPROVAL_DUE_SOON
    dues = []
    for approval in approvals:
        due_on = approval.owed_due_on if documents else approval.due_on
        assert due_on is not None  # the filter above asked for a date
        if overdue and documents:
            detail = _("documents %(days)d days overdue (to be handed in by %(day)s): %(what)s")
        elif overdue:
            detail = _("%(days)d days overdue (to be done by %(day)s)")
        elif documents:
            detail = _("documents %(when)s: %(what)s")
        else:
            detail = "%(when)s"
        detail = detail % {
            "days": reminders.overdue_days(due_on, day),
            "day": due_on.isoformat(),
            "when": reminders.due_in_words(due_on, day),
            "what": approval.owed_documents[:80],
        }
        dues.append(
            Due(
                kind=kind.key,
                key=f"{'documents' if documents else 'approval'}:{approval.pk}",
                user_ids=(
                    *department_users.get(approval.department_id, []),
                    approval.project.officer_id,
                ),
                title=f"{approval.project.name} · {approval.name}",
                detail=detail,
                url=reverse("approvals:edit", args=[approval.pk]),
                due_on=due_on,
            )
        )
    return dues


def approvals_due_soon(zone: Zone, day: dt.date) -> list[Due]:
    return _approvals(zone, day, documents=False, overdue=False)


def approvals_overdue(zone: Zone, day: dt.date) -> list[Due]:
    return _approvals(zone, day, documents=False, overdue=True)


def documents_due_soon(zone: Zone, day: dt.date) -> list[Due]:
    return _approvals(zone, day, documents=True, overdue=False)


def documents_overdue(zone: Zone, day: dt.date) -> list[Due]:
    return _approvals(zone, day, documents=True, overdue=True)


def register() -> None:
    """Called from the projects app's ready()."""
    reminders.register(BLOCKER_DUE_SOON, blockers_due_soon)
    reminders.register(BLOCKER_OVERDUE, blockers_overdue)
    reminders.register(APPROVAL_DUE_SOON, approvals_due_soon)
    reminders.register(APPROVAL_OVERDUE, approvals_overdue)
    reminders.register(DOCUMENTS_DUE_SOON, documents_due_soon)
    reminders.register(DOCUMENTS_OVERDUE, documents_overdue)
