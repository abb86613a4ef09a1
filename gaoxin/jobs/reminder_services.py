"""A user's writes to their own reminders: marking notices read, and muting kinds."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core.errors import DomainError
from gaoxin.jobs import reminder_selectors
from gaoxin.jobs.models import Notice, ReminderMute

if TYPE_CHECKING:
    from gaoxin.accounts.models import User


def notice_mark_read(*, user: User, notice: Notice) -> int:
    """Mark the notice read, with the user's earlier unread notices of the same item (the
    same reminder on the days before); how many."""
    return Notice.objects.filter(
        user=user, kind=notice.kind, key=notice.key, day__lte=notice.day, read_at__isnull=True
    ).update(read_at=timezone.now())


def notice_mark_all_read(*, user: User, kind: str = "") -> int:
    queryset = Notice.objects.filter(user=user, read_at__isnull=True)
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset.update(read_at=timezone.now())


def reminder_mutes_set(*, user: User, muted: Iterable[str]) -> None:
    """The kinds the user no longer wants reminders of are exactly `muted`."""
    known = reminder_selectors.kind_labels()
    wanted = set(muted)
    unknown = wanted - set(known)
    if unknown:
        raise DomainError(
            _("Unknown kind of reminder: %(kinds)s") % {"kinds": ", ".join(sorted(unknown))}
        )
    with transaction.atomic():
        ReminderMute.objects.filter(user=user).exclude(kind__in=wanted).delete()
        have = set(ReminderMute.objects.filter(user=user).values_list("kind", flat=True))
        ReminderMute.objects.bulk_create(
            [ReminderMute(user=user, kind=kind) for kind in sorted(wanted - have)],
            ignore_conflicts=True,
        )
