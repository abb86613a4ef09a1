"""Chinese working days: weekends and the State Council's public holidays with their make-up
working days (调休), from chinese-calendar, overridden by the days an admin entered from a
year's notice (`CalendarDay`) where the library lags."""

from __future__ import annotations

import datetime as dt


def is_workday(day: dt.date) -> bool:
    raise NotImplementedError  # the calendar work package fills this in


def holiday_name(day: dt.date) -> str | None:
    """The holiday the day falls in (春节, 国庆节 …), "周末" for a plain weekend, None for a
    working day."""
    raise NotImplementedError
