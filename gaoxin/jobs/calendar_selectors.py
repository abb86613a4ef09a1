"""What the working-day calendar page shows of a year: its months day by day, and every
holiday and make-up working day with where it comes from (the library, or an entered notice
and who entered it)."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.http import Http404

from gaoxin.jobs import workdays
from gaoxin.jobs.models import CalendarDay


@dataclass(frozen=True)
class Cell:
    day: dt.date
    kind: str  # "work", "weekend", "off" (a holiday), "makeup" (调休上班)
    label: str  # the holiday's name, 周末, 调休上班, or ""
    entered: bool


@dataclass(frozen=True)
class Month:
    number: int
    weeks: list[list[Cell | None]]


@dataclass(frozen=True)
class Row:
    special: workdays.Special
    entered_by: str

    @property
    def overrides_library(self) -> bool:
        return self.special.entered and self.special.library_was_workday is not None


@dataclass(frozen=True)
class YearPage:
    year: int
    calendar: workdays.Year
    months: list[Month]
    rows: list[Row]
    warning: str | None


def _cell(day: dt.date, year: workdays.Year) -> Cell:
    entry = year.days.get(day)
    working, label = workdays.day_kind(day)
    if not working:
        kind = "weekend" if entry is None else "off"
    else:
        kind = "makeup" if entry is not None and entry.is_makeup else "work"
    return Cell(day=day, kind=kind, label=label or "", entered=bool(entry and entry.entered))


def year_page(year: int) -> YearPage:
    """The page of one year: one query for the entered days (with who entered them), the rest
    from the calendar's memory."""
    known = workdays.year_calendar(year)
    grid = calendar.Calendar(firstweekday=0)
    months = [
        Month(
            number=number,
            weeks=[
                [_cell(day, known) if day.month == number else None for day in week]
                for week in grid.monthdatescalendar(year, number)
            ],
        )
        for number in range(1, 13)
    ]
    who = {
        pk: name or login or ""
        for pk, name, login in CalendarDay.objects.filter(
            day__gte=dt.date(year, 1, 1), day__lte=dt.date(year, 12, 31)
        ).values_list("pk", "entered_by__name", "entered_by__username")
    }
    rows = [
        Row(
            special=special,
            entered_by=who.get(special.entered_pk, "") if special.entered_pk is not None else "",
        )
        for special in known.specials()
    ]
    return YearPage(
        year=year,
        calendar=known,
        months=months,
        rows=rows,
        warning=workdays.unknown_year_warning(year),
    )


def entered_day_get(pk: int) -> CalendarDay:
    try:
        return CalendarDay.objects.select_related("entered_by").get(pk=pk)
    except CalendarDay.DoesNotExist:
        raise Http404 from None
