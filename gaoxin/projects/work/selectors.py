"""What the readers of approvals, blockers and service records share: the project work is added
to, and the day a figure or badge is read for."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from gaoxin.core.access import get_for_user
from gaoxin.projects import access
from gaoxin.projects.models import Project

if TYPE_CHECKING:
    from gaoxin.accounts.models import User


def today_or(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


# An open item due within this many days carries the amber "due soon" badge.
DUE_SOON_DAYS = 7


def is_due_soon(due_on: dt.date | None, today: dt.date) -> bool:
    """Due today or within DUE_SOON_DAYS (the caller checks the item is still open)."""
    return due_on is not None and today <= due_on <= today + dt.timedelta(days=DUE_SOON_DAYS)


def project_for_work(user: User, pk: Any, *, write: bool = False) -> Project:
    """The project an approval, blocker or service record is added to (write: officers and
    administrators of its zone)."""
    return get_for_user(
        user, Project.objects.select_related("zone"), pk, access.PROJECT, write=write
    )
