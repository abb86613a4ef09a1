"""What the approvals and blockers add to each user's home page (我的待办).

Department users: their department's open approvals (容缺 ones with the documents' deadline)
and open blockers, overdue ones first. Officers: the overdue blockers of the projects they
serve. Leaders: the overdue blockers of their zone, counted. Each section shows at most
`LIMIT` items and links to the filtered list for the rest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core import inbox
from gaoxin.core.access import role_of
from gaoxin.core.inbox import InboxSection
from gaoxin.core.roles import Role
from gaoxin.projects.models import Approval, Blocker
from gaoxin.projects.work.approvals import selectors as approval_selectors
from gaoxin.projects.work.blockers import selectors as blocker_selectors

if TYPE_CHECKING:
    from gaoxin.accounts.models import User

LIMIT = 10


def _url(name: str, **params: Any) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{reverse(name)}?{query}" if query else reverse(name)


def _approval_item(approval: Approval, today: Any) -> dict[str, Any]:
    late = approval_selectors.approval_is_overdue(approval, today)
    documents_late = approval_selectors.approval_documents_overdue(approval, today)
    parts = [approval.get_status_display()]
    if approval.owes_documents and approval.owed_due_on:
        parts.append(_("documents due %(day)s") % {"day": approval.owed_due_on.isoformat()})
    if approval.due_on:
        parts.append(_("due %(day)s") % {"day": approval.due_on.isoformat()})
    if late or documents_late:
        parts.append(_("overdue"))
    return {
        "url": reverse("approvals:edit", args=[approval.pk]),
        "title": f"{approval.name} · {approval.project.name}",
        "note": " · ".join(str(p) for p in parts),
        "overdue": late or documents_late,
    }


def _blocker_item(blocker: Blocker, today: Any) -> dict[str, Any]:
    late = blocker_selectors.blocker_is_overdue(blocker, today)
    parts = [blocker.department.name, _("due %(day)s") % {"day": blocker.due_on.isoformat()}]
    if late:
        parts.append(_("overdue"))
    return {
        "url": reverse("blockers:detail", args=[blocker.pk]),
        "title": f"{blocker.project.name} · {blocker.description[:40]}",
        "note": " · ".join(str(p) for p in parts),
        "overdue": late,
    }


def department_approvals_section(user: User) -> InboxSection | None:
    if role_of(user) != Role.DEPARTMENT:
        return None
    today = timezone.localdate()
    approvals = list(approval_selectors.approval_inbox(user, today=today)[: LIMIT + 1])
    return InboxSection(
        title=gettext_lazy("My department's approvals (审批事项)"),
        items=[_approval_item(a, today) for a in approvals[:LIMIT]],
        empty_text=gettext_lazy("No approval of your department is waiting."),
        more_url=_url("approvals:list", status="open"),
        order=20,
    )


def department_blockers_section(user: User) -> InboxSection | None:
    if role_of(user) != Role.DEPARTMENT:
        return None
    today = timezone.localdate()
    blockers = list(blocker_selectors.blocker_open_for_department(user)[: LIMIT + 1])
    return InboxSection(
        title=gettext_lazy("My department's blockers (难点/堵点)"),
        items=[_blocker_item(b, today) for b in blockers[:LIMIT]],
        empty_text=gettext_lazy("No blocker is assigned to your department."),
        more_url=_url("blockers:list", status="open"),
        order=21,
    )


def officer_blockers_section(user: User) -> InboxSection | None:
    if role_of(user) != Role.OFFICER:
        return None
    today = timezone.localdate()
    blockers = list(blocker_selectors.blocker_overdue_for_officer(user, today=today)[: LIMIT + 1])
    return InboxSection(
        title=gettext_lazy("Overdue blockers of my projects"),
        items=[_blocker_item(b, today) for b in blockers[:LIMIT]],
        empty_text=gettext_lazy("None of your projects has an overdue blocker."),
        more_url=_url("blockers:list", overdue=1, mine=1),
        order=30,
    )


def leader_blockers_section(user: User) -> InboxSection | None:
    if role_of(user) != Role.LEADER:
        return None
    today = timezone.localdate()
    queryset = blocker_selectors.blocker_overdue_in_zone(user, today=today)
    blockers = list(queryset[:LIMIT])
    count = len(blockers) if len(blockers) < LIMIT else queryset.count()
    return InboxSection(
        title=_("Overdue blockers in the zone: %(count)d") % {"count": count},
        items=[_blocker_item(b, today) for b in blockers],
        empty_text=gettext_lazy("No blocker in the zone is overdue."),
        more_url=_url("blockers:list", overdue=1),
        order=30,
    )


PROVIDERS = (
    department_approvals_section,
    department_blockers_section,
    officer_blockers_section,
    leader_blockers_section,
)


def register_all() -> None:
    """Called from the projects app's ready()."""
    for provider in PROVIDERS:
        inbox.register(provider)
