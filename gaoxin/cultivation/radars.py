"""The radars (企业培育雷达), registered by the modules that compute them, so the dashboard, the
enterprise page, the follow-ups and the metrics read them all the same way.

A radar answers, for zones as of a day: which enterprises are on it (`records`, a queryset of
enterprises, each annotated with what put it there) and, for one enterprise, the line the
enterprise page shows (`line`, e.g. "距规上线还差 320.5 万元", or None when it is not on it).
Its figure is the count of its records (metric `radar.<key>`, registered from the registry).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.functional import Promise

from gaoxin.enterprises.models import Enterprise


@dataclass(frozen=True)
class Radar:
    key: str  # "scale", "unreported", "high_tech", "specialised", "efficiency"
    label: Promise | str
    description: Promise | str
    url_name: str  # the radar's list page
    records: Callable[[Iterable[int], dt.date], QuerySet[Enterprise]]
    line: Callable[[Enterprise, dt.date], str | None]
    order: int = 0
    # Whether an enterprise on it can be taken into follow-up from the list.
    followed: bool = True


_RADARS: dict[str, Radar] = {}


def register(radar: Radar) -> None:
    _RADARS[radar.key] = radar


def all_radars() -> list[Radar]:
    return sorted(_RADARS.values(), key=lambda r: (r.order, r.key))


def radar(key: str) -> Radar | None:
    return _RADARS.get(key)


def unregister(key: str) -> Radar | None:
    """Take a radar off the registry (a test's own radar once the test is done)."""
    return _RADARS.pop(key, None)


@contextmanager
def registered(radar: Radar) -> Iterator[Radar]:
    """The radar registered for the block's duration; whatever held its key before is put
    back after it."""
    before = _RADARS.get(radar.key)
    register(radar)
    try:
        yield radar
    finally:
        if before is None:
            unregister(radar.key)
        else:
            register(before)


def label_of(key: str) -> Promise | str:
    """A radar's label by its key; the key itself for a radar no longer registered (a
    follow-up outlives the code that found it)."""
    found = _RADARS.get(key)
    return found.label if found is not None else key
