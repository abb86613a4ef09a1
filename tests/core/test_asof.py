"""A field's value as of a day is that of the latest change on or before it; the stored value
from today on."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gaoxin.core.asof import with_value_as_of
from gaoxin.spaces.models import Space, SpaceStatusChange
from tests.factories import SpaceFactory

pytestmark = pytest.mark.django_db


def _status_on(space: Space, day: dt.date) -> str | None:
    spaces = Space.objects.filter(pk=space.pk)
    return (
        with_value_as_of(spaces, day, SpaceStatusChange.space, "status", stored="status")
        .get()
        .status_as_of
    )


def test_the_latest_change_by_the_day_gives_the_value() -> None:
    space = SpaceFactory(status="built")
    for status, day in [("planned", 1), ("building", 10), ("built", 20)]:
        SpaceStatusChange.objects.create(space=space, status=status, on=dt.date(2023, 5, day))
    assert _status_on(space, dt.date(2023, 4, 30)) is None  # not recorded yet
    assert _status_on(space, dt.date(2023, 5, 1)) == "planned"  # the day of a change counts
    assert _status_on(space, dt.date(2023, 5, 19)) == "building"
    assert _status_on(space, dt.date(2023, 6, 1)) == "built"


def test_two_changes_on_one_day_read_as_the_last_entered() -> None:
    space = SpaceFactory(status="built")
    SpaceStatusChange.objects.create(space=space, status="building", on=dt.date(2023, 5, 1))
    SpaceStatusChange.objects.create(space=space, status="planned", on=dt.date(2023, 5, 1))
    assert _status_on(space, dt.date(2023, 5, 1)) == "planned"


def test_from_today_on_the_stored_value_is_read() -> None:
    # The log says "planned" but the stored status is what today's figures read.
    space = SpaceFactory(status="built")
    SpaceStatusChange.objects.create(space=space, status="planned", on=dt.date(2023, 5, 1))
    assert _status_on(space, timezone.localdate()) == "built"
    assert _status_on(space, dt.date(2023, 5, 2)) == "planned"
