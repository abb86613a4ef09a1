"""Test radars for the follow-up tests: registered for a test and taken off after it (whatever
radar held the key before, a real one once the radars' modules register theirs, is put back).

A test radar holds the zones' active enterprises with at least `HEADS` employees, and its line
says how many they have; so a test puts an enterprise on it by its head count alone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager

from django.db.models import CharField, QuerySet, Value
from django.db.models.functions import Cast, Concat

from gaoxin.cultivation.radars import Radar, registered
from gaoxin.enterprises.models import Enterprise

HEADS = 50
KEYS = ("scale", "unreported", "high_tech", "specialised")


def _records(zone_ids: Iterable[int], day: dt.date) -> QuerySet[Enterprise]:
    return (
        Enterprise.objects.filter(
            zone_id__in=list(zone_ids), employees__gte=HEADS, status=Enterprise.Status.ACTIVE
        )
        .annotate(why=Concat(Value("heads "), Cast("employees", CharField())))
        .order_by("-employees", "pk")
    )


def _line(enterprise: Enterprise, day: dt.date) -> str | None:
    if enterprise.employees is None or enterprise.employees < HEADS:
        return None
    return f"测试线：从业人员 {enterprise.employees} 人"


def make_radar(key: str, *, order: int = 0, followed: bool = True) -> Radar:
    return Radar(
        key=key,
        label=f"测试雷达 {key}",
        description=f"测试雷达 {key} 的说明",
        url_name="cultivation:followup_list",
        records=_records,
        line=_line,
        order=order,
        followed=followed,
    )


@contextmanager
def radars_registered(*keys: str) -> Iterator[list[Radar]]:
    """The radars `keys` (by default the four the follow-ups close on) registered for the
    block."""
    made = [make_radar(key, order=n) for n, key in enumerate(keys or KEYS)]
    with ExitStack() as stack:
        for radar in made:
            stack.enter_context(registered(radar))
        yield made
