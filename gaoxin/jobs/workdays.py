"""Chinese working days: weekends and the State Council's public holidays with their make-up
working days (调休), from chinese-calendar, overridden by the days an admin entered from a
year's notice (`CalendarDay`) where the library lags or errs.

A year that neither the library nor any entered day knows falls back to plain weekends, and
says so (`year_known`, `unknown_year_warning`): the reminders would otherwise fire on the first
day of 春节 and stay silent on a 调休 Saturday.

Each year is read once per process and kept (`_YEARS`): a due date shown on every row of a
list costs no query. The entered days change rarely; this process forgets them at once when
they change (the signals below, and the calendar's services), other processes (the other web
workers, the huey worker) within `CACHE_SECONDS`.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import chinese_calendar
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gaoxin.jobs.models import CalendarDay

CACHE_SECONDS = 60.0

# The library's names (its `Holiday` values), in Chinese through the catalogue.
LIBRARY_NAMES: Mapping[str, Promise] = {
    "New Year's Day": _("New Year's Day"),  # 元旦
    "Spring Festival": _("Spring Festival"),  # 春节
    "Tomb-sweeping Day": _("Tomb-sweeping Day"),  # 清明节
    "Labour Day": _("Labour Day"),  # 劳动节
    "Dragon Boat Festival": _("Dragon Boat Festival"),  # 端午节
    "National Day": _("National Day"),  # 国庆节
    "Mid-autumn Festival": _("Mid-autumn Festival"),  # 中秋节
    "Anti-Fascist 70th Day": _("Anti-Fascist 70th Day"),  # 抗战胜利70周年纪念日
}

# The holidays' names an admin picks from when entering a notice.
HOLIDAY_NAMES = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")


def _library_by_year() -> dict[int, dict[dt.date, tuple[bool, str]]]:
    """The library's special days, by year: (is_workday, its English holiday name)."""
    years: dict[int, dict[dt.date, tuple[bool, str]]] = {}
    for day, name in chinese_calendar.holidays.items():
        years.setdefault(day.year, {})[day] = (False, str(name))
    for day, name in chinese_calendar.workdays.items():
        years.setdefault(day.year, {})[day] = (True, str(name))
    return years


_LIBRARY = _library_by_year()
LIBRARY_FIRST_YEAR = min(_LIBRARY)
LIBRARY_LAST_YEAR = max(_LIBRARY)


@dataclass(frozen=True)
class Special:
    """A day that is not what its weekday says (a holiday on a weekday, a 调休 weekend), or a
    day an admin entered."""

    day: dt.date
    is_workday: bool
    entered_name: str = ""  # the name an admin gave it (Chinese as entered)
    library_key: str = ""  # the library's English name, translated when shown
    entered_pk: int | None = None
    source: str = ""  # the document an entered day came from
    # What the library says of an entered day, if it knows the day at all.
    library_was_workday: bool | None = None
    library_was_key: str = ""

    @property
    def entered(self) -> bool:
        return self.entered_pk is not None

    @property
    def name(self) -> str:
        if self.entered_name:
            return self.entered_name
        label = LIBRARY_NAMES.get(self.library_key)
        return str(label) if label is not None else self.library_key

    @property
    def library_was_name(self) -> str:
        """What the library calls an entered day it knows (empty if it knows nothing of it)."""
        label = LIBRARY_NAMES.get(self.library_was_key)
        return str(label) if label is not None else self.library_was_key

    @property
    def is_makeup(self) -> bool:
        """A working day on a weekend: 调休上班."""
        return self.is_workday and self.day.weekday() >= 5


@dataclass(frozen=True)
class Year:
    year: int
    in_library: bool
    entered: int  # how many days of the year were entered
    days: dict[dt.date, Special] = field(default_factory=dict)

    @property
    def known(self) -> bool:
        return self.in_library or self.entered > 0

    def specials(self) -> list[Special]:
        return [self.days[day] for day in sorted(self.days)]


_lock = threading.Lock()  # the huey worker runs threads
_YEARS: dict[int, tuple[float, Year]] = {}


def forget() -> None:
    """Read the entered days again on the next question (they changed)."""
    with _lock:
        _YEARS.clear()


@receiver(post_save, sender=CalendarDay)
@receiver(post_delete, sender=CalendarDay)
def _entered_days_changed(**kwargs: Any) -> None:
    forget()
    # A thread reading the year before the change commits would keep the old days: forget
    # them once more when it has.
    transaction.on_commit(forget)


def _load(year: int) -> Year:
    library = _LIBRARY.get(year, {})
    days = {
        day: Special(day=day, is_workday=is_workday, library_key=key)
        for day, (is_workday, key) in library.items()
    }
    entered = list(
        CalendarDay.objects.filter(
            day__gte=dt.date(year, 1, 1), day__lte=dt.date(year, 12, 31)
        ).values_list("pk", "day", "is_workday", "name", "source")
    )
    for pk, day, is_workday, name, source in entered:
        was = library.get(day)
        days[day] = Special(
            day=day,
            is_workday=is_workday,
            entered_name=name,
            entered_pk=pk,
            source=source,
            library_was_workday=was[0] if was else None,
            library_was_key=was[1] if was else "",
        )
    return Year(year=year, in_library=year in _LIBRARY, entered=len(entered), days=days)


def year_calendar(year: int) -> Year:
    """The year's special days, from this process's memory when read within CACHE_SECONDS."""
    now = time.monotonic()
    with _lock:
        cached = _YEARS.get(year)
    if cached is not None and now - cached[0] < CACHE_SECONDS:
        return cached[1]
    loaded = _load(year)
    with _lock:
        _YEARS[year] = (now, loaded)
    return loaded


def year_known(year: int) -> bool:
    """Whether the year's holidays are known (from the library or an entered notice); an
    unknown year counts only weekends as days off."""
    return year_calendar(year).known


def unknown_year_warning(year: int) -> str | None:
    """What an admin is told of a year whose holidays nobody knows yet."""
    if year_known(year):
        return None
    return gettext("The holiday arrangements for %(year)s have not been entered yet") % {
        "year": str(year)
    }


def years_to_warn(today: dt.date) -> list[int]:
    """The years an admin should enter now: this year if unknown, and next year from
    November on (the State Council publishes the notice in November or December)."""
    years = [today.year] + ([today.year + 1] if today.month >= 11 else [])
    return [year for year in years if not year_known(year)]


def special(day: dt.date) -> Special | None:
    if isinstance(day, dt.datetime):
        day = day.date()
    return year_calendar(day.year).days.get(day)


def day_kind(day: dt.date) -> tuple[bool, str | None]:
    """(whether one works that day, what it is): (False, "春节") on a holiday, (False, "周末")
    on a plain weekend, (True, "调休上班") on a make-up working day, (True, None) otherwise."""
    if isinstance(day, dt.datetime):
        day = day.date()
    entry = year_calendar(day.year).days.get(day)
    if entry is not None:
        if not entry.is_workday:
            return False, entry.name or gettext("Holiday")
        return True, (gettext("Make-up working day") if entry.is_makeup else None)
    if day.weekday() >= 5:
        return False, gettext("Weekend")
    return True, None


def is_workday(day: dt.date) -> bool:
    return day_kind(day)[0]


def holiday_name(day: dt.date) -> str | None:
    """The holiday the day falls in (春节, 国庆节 …), "周末" for a plain weekend, None for a
    working day."""
    working, label = day_kind(day)
    return None if working else label


# No year has more than a few weeks off in a row: a search longer than this is a calendar
# entered wrong, not a long holiday.
_SEARCH_LIMIT = 400


def workday_on_or_after(day: dt.date) -> dt.date:
    """The day itself if one works on it, else the first working day after it."""
    for offset in range(_SEARCH_LIMIT):
        candidate = day + dt.timedelta(days=offset)
        if is_workday(candidate):
            return candidate
    raise ValueError(f"no working day within {_SEARCH_LIMIT} days of {day}")


def next_workday(day: dt.date) -> dt.date:
    """The first working day after `day`."""
    return workday_on_or_after(day + dt.timedelta(days=1))


def add_workdays(day: dt.date, count: int) -> dt.date:
    """The day `count` working days after `day` (before it, when negative): Friday plus one
    is the next Monday, or the first working day after a holiday."""
    step = dt.timedelta(days=1 if count >= 0 else -1)
    remaining = abs(count)
    current = day
    for _step in range(remaining * 7 + _SEARCH_LIMIT):
        if remaining == 0:
            return current
        current += step
        if is_workday(current):
            remaining -= 1
    if remaining == 0:
        return current
    raise ValueError(f"no {count} working days from {day} within reach")


def workdays_between(start: dt.date, end: dt.date) -> int:
    """How many working days fall after `start` up to and including `end` (0 when `end` is
    not after `start`): a blocker due on Friday and seen on the next Tuesday is 2 working days
    late."""
    count = 0
    current = start + dt.timedelta(days=1)
    while current <= end:
        if is_workday(current):
            count += 1
        current += dt.timedelta(days=1)
    return count
