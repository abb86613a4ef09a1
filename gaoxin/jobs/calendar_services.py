"""Entering a year's holiday notice (国务院办公厅关于…部分节假日安排的通知) where the holiday
library lags, correcting a day it has wrong, and taking entered days away again. Each write is
one transaction; the process's calendar forgets the year when it commits."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core.errors import DomainError
from gaoxin.jobs import workdays
from gaoxin.jobs.models import CalendarDay

if TYPE_CHECKING:
    from gaoxin.accounts.models import User

logger = logging.getLogger(__name__)

LONGEST_PERIOD = 15  # days: the longest holiday of any notice is 春节's 9
MAKEUP_REACH = 31  # days: a 调休 Saturday lies within weeks of its holiday
YEARS_AHEAD = 2  # a notice is published late in the year before


def _check_year(day: dt.date, field: str) -> None:
    last = timezone.localdate().year + YEARS_AHEAD
    if day.year > last:
        raise DomainError(
            _("%(day)s is too far ahead: notices can be entered up to %(year)s.")
            % {"day": day.isoformat(), "year": str(last)},
            field=field,
        )


def _refuse_entered(days: Iterable[dt.date], field: str) -> None:
    """A day entered already is changed by deleting it first, never overwritten unseen."""
    clash = CalendarDay.objects.filter(day__in=list(days)).order_by("day").first()
    if clash is not None:
        raise DomainError(
            _("%(day)s is already entered (%(name)s, %(source)s): delete it first if it is wrong.")
            % {
                "day": clash.day.isoformat(),
                "name": clash.name or _("no name"),
                "source": clash.source or _("no document"),
            },
            field=field,
        )


def _forget_on_commit() -> None:
    workdays.forget()
    transaction.on_commit(workdays.forget)


def calendar_period_enter(
    *,
    name: str,
    first: dt.date,
    last: dt.date,
    makeup_days: Iterable[dt.date],
    source: str,
    by: User,
) -> list[CalendarDay]:
    """A holiday period of a notice: every day from `first` to `last` off, each make-up day
    (a weekend) a working day, all under the holiday's name and the notice's number."""
    name, source = name.strip(), source.strip()
    if not name:
        raise DomainError(_("Give the holiday's name, e.g. 春节."), field="name")
    if not source:
        raise DomainError(
            _("Give the notice the days come from, e.g. 国办发明电〔2025〕7号."), field="source"
        )
    if last < first:
        raise DomainError(_("The last day is before the first day."), field="last")
    length = (last - first).days + 1
    if length > LONGEST_PERIOD:
        raise DomainError(
            _("A holiday lasts at most %(most)s days; %(first)s to %(last)s is %(days)s days.")
            % {
                "most": LONGEST_PERIOD,
                "first": first.isoformat(),
                "last": last.isoformat(),
                "days": length,
            },
            field="last",
        )
    _check_year(last, "last")
    makeups = sorted(set(makeup_days))
    for day in makeups:
        if day.weekday() < 5:
            raise DomainError(
                _(
                    "%(day)s is a weekday: a make-up working day (调休) is a Saturday or a "
                    "Sunday that becomes a working day."
                )
                % {"day": day.isoformat()},
                field="makeup_days",
            )
        if first <= day <= last:
            raise DomainError(
                _("%(day)s is inside the holiday itself: it cannot also be a working day.")
                % {"day": day.isoformat()},
                field="makeup_days",
            )
        if (first - day).days > MAKEUP_REACH or (day - last).days > MAKEUP_REACH:
            raise DomainError(
                _("%(day)s is more than a month away from the holiday.") % {"day": day.isoformat()},
                field="makeup_days",
            )
    holiday = [first + dt.timedelta(days=n) for n in range(length)]
    with transaction.atomic():
        _refuse_entered(holiday, "first")
        _refuse_entered(makeups, "makeup_days")
        rows = [
            CalendarDay(day=day, is_workday=False, name=name, source=source, entered_by=by)
            for day in holiday
        ] + [
            CalendarDay(day=day, is_workday=True, name=name, source=source, entered_by=by)
            for day in makeups
        ]
        created = CalendarDay.objects.bulk_create(rows)
        _forget_on_commit()
    return created


def calendar_day_enter(
    *, day: dt.date, is_workday: bool, name: str, source: str, by: User
) -> CalendarDay:
    """One day corrected: off (a holiday under `name`) or a working day, whatever the library
    or the weekday says."""
    name, source = name.strip(), source.strip()
    if not is_workday and not name:
        raise DomainError(_("Give the holiday's name, e.g. 春节."), field="name")
    if not source:
        raise DomainError(
            _("Give the notice the days come from, e.g. 国办发明电〔2025〕7号."), field="source"
        )
    _check_year(day, "day")
    working, label = workdays.day_kind(day)
    if working == is_workday and (is_workday or label == name):
        raise DomainError(
            _("%(day)s is already a working day: nothing to correct.") % {"day": day.isoformat()}
            if is_workday
            else _("%(day)s is already %(label)s: nothing to correct.")
            % {"day": day.isoformat(), "label": label},
            field="day",
        )
    with transaction.atomic():
        _refuse_entered([day], "day")
        created = CalendarDay.objects.create(
            day=day, is_workday=is_workday, name=name, source=source, entered_by=by
        )
        _forget_on_commit()
    return created


def calendar_period_of(entered: CalendarDay) -> list[CalendarDay]:
    """The entered days that belong with `entered`: the same holiday of the same notice,
    within reach of it (a notice names each holiday once a year)."""
    reach = dt.timedelta(days=LONGEST_PERIOD + MAKEUP_REACH)
    return list(
        CalendarDay.objects.filter(
            name=entered.name,
            source=entered.source,
            day__gte=entered.day - reach,
            day__lte=entered.day + reach,
        ).order_by("day")
    )


def calendar_days_delete(*, entered: CalendarDay, whole_period: bool, by: User) -> int:
    """Take an entered day away (or its whole period): the library's word, or the weekday's,
    holds again. Returns how many days were taken away."""
    with transaction.atomic():
        pks = [row.pk for row in calendar_period_of(entered)] if whole_period else [entered.pk]
        days = sorted(CalendarDay.objects.filter(pk__in=pks).values_list("day", flat=True))
        deleted, _rows = CalendarDay.objects.filter(pk__in=pks).delete()
        _forget_on_commit()
    logger.info(
        "calendar: %s took away %s entered day(s) of %s (%s): %s",
        by.username,
        deleted,
        entered.name,
        entered.source,
        ", ".join(day.isoformat() for day in days),
    )
    return deleted
