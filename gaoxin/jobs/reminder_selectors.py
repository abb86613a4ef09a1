"""Reads of a user's 督办 reminders: only their own notices, the unread ones of their latest
reminder day (what the top bar counts and the inbox lists), and the kinds they muted."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Case, IntegerField, QuerySet, Subquery, Value, When
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gaoxin.core.inbox import InboxSection
from gaoxin.jobs import reminders
from gaoxin.jobs.models import Notice, ReminderMute

if TYPE_CHECKING:
    from gaoxin.accounts.models import User

INBOX_LIMIT = 10


def notice_list_for_user(user: User) -> QuerySet[Notice]:
    return Notice.objects.filter(user=user)


def notice_get_for_user(user: User, pk: int) -> Notice:
    notice = notice_list_for_user(user).filter(pk=pk).first()
    if notice is None:
        raise Http404
    return notice


def _kind_rank() -> Case:
    """The kinds in their registered order (blockers first, self-reports last)."""
    return Case(
        *(When(kind=kind.key, then=Value(rank)) for rank, kind in enumerate(reminders.kinds())),
        default=Value(len(reminders.kinds())),
        output_field=IntegerField(),
    )


def notice_search(user: User, *, kind: str = "", unread: bool = True) -> QuerySet[Notice]:
    """The user's notices, the latest day first; within a day by kind, the earliest due
    first."""
    queryset = notice_list_for_user(user)
    if kind:
        queryset = queryset.filter(kind=kind)
    if unread:
        queryset = queryset.filter(read_at__isnull=True)
    return queryset.order_by("-day", _kind_rank(), "due_on", "pk")


def unread_latest(user: User) -> QuerySet[Notice]:
    """The unread notices of the last day the user got any: a run each working morning adds
    that day's, so yesterday's unread ones for the same items stop counting (one query)."""
    latest = Notice.objects.filter(user=user).order_by("-day").values("day")[:1]
    return Notice.objects.filter(user=user, read_at__isnull=True, day=Subquery(latest))


def unread_count(user: User) -> int:
    return unread_latest(user).count()


def kind_labels() -> dict[str, Any]:
    return {kind.key: kind.label for kind in reminders.kinds()}


def muted_kinds(user: User) -> set[str]:
    return set(ReminderMute.objects.filter(user=user).values_list("kind", flat=True))


def reminder_inbox_section(user: User) -> InboxSection | None:
    """督办提醒 on the home page: the unread notices of the user's latest reminder day."""
    notices = list(unread_latest(user).order_by(_kind_rank(), "due_on", "pk")[: INBOX_LIMIT + 1])
    if not notices:
        return None
    return InboxSection(
        title=_("Reminders (督办提醒)"),
        items=[
            {
                "url": n.url,
                "title": n.title,
                "note": n.detail,
                "overdue": n.due_on is not None and n.due_on < n.day,
            }
            for n in notices[:INBOX_LIMIT]
        ],
        more_url=reverse("reminders:list"),
        order=5,
    )
