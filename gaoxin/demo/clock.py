"""The demo's clock: the scenario is written in its own calendar, the article's day
(SCENARIO_DAY, 2023-06-20) its present; the loader maps its dates to real ones so that the
scenario's day becomes the day the demo is loaded.

Two mappings, because the figures depend on two kinds of date:

- Events (a signing, a meeting, a blocker's due day, a certificate's grant) move by whole days,
  `load day − SCENARIO_DAY`: their order and the gaps between them stay as written, and the
  scenario's day lands on the load day.
- The statistical calendar (the economy's monthly periods, 1–2月 as one, 本年累计 by calendar
  year, the year an enterprise reached 规上, 亩均效益's years, the action plan's baseline year)
  moves by whole years only — a shift by months that are not a multiple of twelve would break
  the year-to-date sums and 1–2月. Its present is the last month the statistics bureau has
  published by the load day (it publishes around the 15th–20th of the next month: on the 20th
  or later the month before, else the one before that), and `years` is that month's year minus
  the scenario's (2023): the economy's series is generated up to that month, however many
  months of the year that is.

Real-world dates (the thresholds of 2011, the criteria of 2016 in gaoxin/cultivation/rules.py,
founding dates of enterprises) are not the scenario's and are not mapped.

The loader sets the clock once (`running`), and the data modules read it through `now()`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from gaoxin.economy.periods import Period

SCENARIO_DAY = dt.date(2023, 6, 20)  # the article's day: the scenario's present
SCENARIO_PRESENT = Period(2023, 5, 5)  # the last month published on SCENARIO_DAY
PUBLISHED_BY_DAY = 20  # the bureau's sheet of a month has arrived by the 20th of the next


def published_month(day: dt.date) -> Period:
    """The last month whose statistics are published on `day`."""
    back = 1 if day.day >= PUBLISHED_BY_DAY else 2
    index = day.year * 12 + day.month - 1 - back
    year, month = divmod(index, 12)
    return Period(year, month + 1, month + 1)


@dataclass(frozen=True)
class Clock:
    """Maps the scenario's dates onto the days around `today`, the load day."""

    today: dt.date

    @property
    def days(self) -> int:
        return (self.today - SCENARIO_DAY).days

    @property
    def present(self) -> Period:
        """The economy's last month: the last one published on the load day."""
        return published_month(self.today)

    @property
    def years(self) -> int:
        return self.present.year - SCENARIO_PRESENT.year

    def on(self, day: dt.date) -> dt.date:
        """An event's scenario day as a real day."""
        return day + dt.timedelta(days=self.days)

    def at(self, moment: dt.datetime) -> dt.datetime:
        return moment + dt.timedelta(days=self.days)

    def year(self, year: int) -> int:
        """A statistical year of the scenario as a real one."""
        return year + self.years

    def period(self, period: Period) -> Period:
        return Period(period.year + self.years, period.month, period.first_month)

    def calendar_day(self, day: dt.date) -> dt.date:
        """A day tied to the statistical calendar (a year's end, 1 January) as a real day."""
        year = day.year + self.years
        if day.month == 2 and day.day == 29 and not _leap(year):
            return dt.date(year, 2, 28)
        return day.replace(year=year)


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


SCENARIO = Clock(SCENARIO_DAY)
_current: Clock = SCENARIO


def now() -> Clock:
    """The clock the loader runs with (the scenario's own outside a load)."""
    return _current


@contextlib.contextmanager
def running(clock: Clock) -> Iterator[Clock]:
    global _current
    previous, _current = _current, clock
    try:
        yield clock
    finally:
        _current = previous


def on(day: dt.date) -> dt.date:
    """An event's scenario day as a real day, on the running clock."""
    return _current.on(day)
