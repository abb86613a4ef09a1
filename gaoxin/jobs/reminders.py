"""督办预警: each working morning, what is due or overdue in each zone becomes one in-app notice
per responsible user and item (once a day), and a digest to the zone's channels.

The apps that own the work register its sources here in their `ready()` (blockers, approvals,
容缺 documents, designations expiring, monthly self-reports not in), so this app, low among
the floors, reads them without importing any app above it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.functional import Promise

if TYPE_CHECKING:
    from gaoxin.accounts.models import Zone


@dataclass(frozen=True)
class ReminderKind:
    key: str  # Notice.kind, ReminderMute.kind: "blocker_overdue"
    label: Promise | str  # what a user mutes: 难点堵点逾期
    order: int = 100


@dataclass(frozen=True)
class Due:
    """One item due or overdue, and who is to act on it."""

    kind: str
    key: str  # the item's identity within its kind, e.g. "blocker:12"
    user_ids: tuple[int, ...]
    title: str  # the item, as the user knows it
    detail: str  # why now: 逾期3天（应于2026-11-27解决）
    url: str
    due_on: dt.date | None = None


# A source lists a zone's items due or overdue on the day.
Source = Callable[["Zone", dt.date], Iterable[Due]]

_SOURCES: list[tuple[ReminderKind, Source]] = []


def register(kind: ReminderKind, source: Source) -> None:
    if any(existing.key == kind.key for existing, _source in _SOURCES):
        return
    _SOURCES.append((kind, source))
    _SOURCES.sort(key=lambda pair: pair[0].order)


def sources() -> list[tuple[ReminderKind, Source]]:
    return list(_SOURCES)


def kinds() -> list[ReminderKind]:
    return [kind for kind, _source in _SOURCES]
