"""The working-day calendar: the library's 2026, a notice entered for 2027, a correction of a
2026 day, the weekends-only fallback of a year nobody knows, and the services' refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from gaoxin.core.errors import DomainError
from gaoxin.jobs import calendar_services, workdays
from gaoxin.jobs.models import CalendarDay

D = dt.date
NOTICE = "国办发明电〔2026〕9号"


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def admin(users):
    return users["admin"]


# --- the library's years ---------------------------------------------------------------------


def test_2026_spring_festival_is_a_holiday_and_its_makeup_saturday_a_workday(db):
    assert workdays.day_kind(D(2026, 2, 17)) == (False, "春节")
    assert workdays.holiday_name(D(2026, 2, 17)) == "春节"
    assert not workdays.is_workday(D(2026, 2, 17))
    # 2026-02-14 is a Saturday the notice made a working day (调休).
    assert D(2026, 2, 14).weekday() == 5
    assert workdays.is_workday(D(2026, 2, 14))
    assert workdays.day_kind(D(2026, 2, 14)) == (True, "调休上班")
    assert workdays.holiday_name(D(2026, 2, 14)) is None


def test_2026_national_day_weekends_and_plain_days(db):
    assert workdays.holiday_name(D(2026, 10, 1)) == "国庆节"
    assert workdays.holiday_name(D(2026, 1, 1)) == "元旦"
    assert workdays.holiday_name(D(2026, 11, 28)) == "周末"  # a Saturday
    assert workdays.day_kind(D(2026, 11, 30)) == (True, None)  # a Monday
    assert workdays.year_known(2026)
    assert workdays.unknown_year_warning(2026) is None


def test_every_library_name_is_translated(db):
    import chinese_calendar

    names = {holiday.value for holiday in chinese_calendar.Holiday}
    assert names <= set(workdays.LIBRARY_NAMES)
    translated = {str(label) for label in workdays.LIBRARY_NAMES.values()}
    assert {"元旦", "春节", "清明节", "劳动节", "端午节", "国庆节", "中秋节"} <= translated


def test_next_and_added_workdays_skip_the_holiday(db):
    # 国庆 2026: 10-01 to 10-07 off, 10-10 (a Saturday) worked.
    assert workdays.next_workday(D(2026, 9, 30)) == D(2026, 10, 8)
    assert workdays.workday_on_or_after(D(2026, 10, 3)) == D(2026, 10, 8)
    assert workdays.workday_on_or_after(D(2026, 10, 8)) == D(2026, 10, 8)
    assert workdays.next_workday(D(2026, 10, 9)) == D(2026, 10, 10)
    assert workdays.add_workdays(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert workdays.add_workdays(D(2026, 10, 8), -1) == D(2026, 9, 30)
    assert workdays.add_workdays(D(2026, 10, 8), 0) == D(2026, 10, 8)
    # 09-30 (Wed) to 10-12 (Mon): 10-08, 10-09, 10-10 (调休), 10-12.
    assert workdays.workdays_between(D(2026, 9, 30), D(2026, 10, 12)) == 4
    assert workdays.workdays_between(D(2026, 10, 12), D(2026, 9, 30)) == 0


# --- a year nobody knows ---------------------------------------------------------------------


def test_an_unknown_year_falls_back_to_weekends_and_says_so(db):
    assert not workdays.year_known(2027)
    assert workdays.unknown_year_warning(2027) == "2027年的放假安排尚未录入"
    # 2027-10-01 is a Friday: without a notice it counts as a working day.
    assert workdays.day_kind(D(2027, 10, 1)) == (True, None)
    assert workdays.day_kind(D(2027, 10, 2)) == (False, "周末")
    assert workdays.years_to_warn(D(2026, 11, 30)) == [2027]
    assert workdays.years_to_warn(D(2026, 6, 1)) == []


# --- an entered notice -----------------------------------------------------------------------


def test_an_entered_2027_notice_makes_the_year_known(admin):
    rows = calendar_services.calendar_period_enter(
        name="国庆节",
        first=D(2027, 10, 1),
        last=D(2027, 10, 7),
        makeup_days=[D(2027, 9, 26), D(2027, 10, 9)],
        source=NOTICE,
        by=admin,
    )
    assert len(rows) == 9
    assert workdays.year_known(2027)
    assert workdays.unknown_year_warning(2027) is None
    assert workdays.day_kind(D(2027, 10, 1)) == (False, "国庆节")
    assert workdays.day_kind(D(2027, 10, 3)) == (False, "国庆节")  # a Sunday inside it
    assert workdays.day_kind(D(2027, 10, 9)) == (True, "调休上班")  # a Saturday
    assert workdays.next_workday(D(2027, 9, 30)) == D(2027, 10, 8)
    entered = workdays.special(D(2027, 10, 1))
    assert entered is not None and entered.entered and entered.source == NOTICE
    assert CalendarDay.objects.filter(entered_by=admin).count() == 9


def test_a_correction_overrides_the_library_for_a_2026_day(admin):
    assert workdays.holiday_name(D(2026, 9, 25)) == "中秋节"
    calendar_services.calendar_day_enter(
        day=D(2026, 9, 25), is_workday=True, name="", source=NOTICE, by=admin
    )
    assert workdays.day_kind(D(2026, 9, 25)) == (True, None)
    corrected = workdays.special(D(2026, 9, 25))
    assert corrected is not None
    assert corrected.library_was_workday is False and corrected.library_was_name == "中秋节"
    # ... and taking it away brings the library's word back.
    row = CalendarDay.objects.get(day=D(2026, 9, 25))
    assert calendar_services.calendar_days_delete(entered=row, whole_period=False, by=admin) == 1
    assert workdays.holiday_name(D(2026, 9, 25)) == "中秋节"


def test_taking_a_period_away_takes_its_makeup_days_too(admin):
    rows = calendar_services.calendar_period_enter(
        name="春节",
        first=D(2027, 2, 6),
        last=D(2027, 2, 13),
        makeup_days=[D(2027, 1, 31), D(2027, 2, 20)],
        source=NOTICE,
        by=admin,
    )
    other = calendar_services.calendar_period_enter(
        name="元旦",
        first=D(2027, 1, 1),
        last=D(2027, 1, 1),
        makeup_days=[],
        source=NOTICE,
        by=admin,
    )
    assert workdays.is_workday(D(2027, 2, 20))
    deleted = calendar_services.calendar_days_delete(entered=rows[3], whole_period=True, by=admin)
    assert deleted == 10
    assert list(CalendarDay.objects.values_list("pk", flat=True)) == [other[0].pk]
    assert workdays.day_kind(D(2027, 2, 20)) == (False, "周末")
    assert workdays.day_kind(D(2027, 2, 8)) == (True, None)


def test_the_year_is_read_once_then_from_memory(admin, django_assert_num_queries):
    with django_assert_num_queries(1):
        for day in range(1, 31):
            workdays.is_workday(D(2027, 4, day))
    with django_assert_num_queries(0):
        workdays.holiday_name(D(2027, 5, 1))


def test_another_process_sees_an_entered_day_after_the_cache_lifetime(admin, monkeypatch):
    assert workdays.is_workday(D(2027, 5, 3))
    # Entered by another process: no signal reaches this one.
    CalendarDay.objects.bulk_create(
        [CalendarDay(day=D(2027, 5, 3), is_workday=False, name="劳动节", source=NOTICE)]
    )
    assert workdays.is_workday(D(2027, 5, 3))  # still the remembered year
    monkeypatch.setattr(workdays, "CACHE_SECONDS", 0.0)
    assert workdays.holiday_name(D(2027, 5, 3)) == "劳动节"


# --- refusals --------------------------------------------------------------------------------


def _enter(admin, **fields):
    values = {
        "name": "国庆节",
        "first": D(2027, 10, 1),
        "last": D(2027, 10, 7),
        "makeup_days": [],
        "source": NOTICE,
        "by": admin,
    }
    return calendar_services.calendar_period_enter(**{**values, **fields})


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"last": D(2027, 9, 30)}, "last", "结束日早于开始日"),
        ({"last": D(2027, 10, 16)}, "last", "16"),
        ({"makeup_days": [D(2027, 9, 29)]}, "makeup_days", "2027-09-29"),
        ({"makeup_days": [D(2027, 10, 2)]}, "makeup_days", "2027-10-02"),
        ({"makeup_days": [D(2027, 12, 4)]}, "makeup_days", "2027-12-04"),
        ({"name": "  "}, "name", "春节"),
        ({"source": ""}, "source", "国办发明电"),
        ({"first": D(2099, 10, 1), "last": D(2099, 10, 2)}, "last", "2099-10-02"),
    ],
)
def test_a_bad_period_is_refused_with_what_is_wrong(admin, fields, field, message):
    with pytest.raises(DomainError) as refused:
        _enter(admin, **fields)
    assert refused.value.field == field
    assert message in refused.value.message
    assert not CalendarDay.objects.exists()


def test_a_period_overlapping_an_entered_one_is_refused(admin):
    _enter(admin)
    with pytest.raises(DomainError) as refused:
        _enter(admin, name="中秋节", first=D(2027, 9, 29), last=D(2027, 10, 1))
    assert "2027-10-01" in refused.value.message and "国庆节" in refused.value.message
    # A make-up day already entered (2027-10-02, a Saturday inside 国庆节) is refused too.
    with pytest.raises(DomainError) as refused:
        _enter(
            admin,
            name="中秋节",
            first=D(2027, 9, 15),
            last=D(2027, 9, 16),
            makeup_days=[D(2027, 10, 2)],
        )
    assert refused.value.field == "makeup_days"
    _enter(admin, name="中秋节", first=D(2027, 9, 15), last=D(2027, 9, 16))
    assert CalendarDay.objects.count() == 7 + 2


def test_a_correction_that_changes_nothing_is_refused(admin):
    with pytest.raises(DomainError) as refused:
        calendar_services.calendar_day_enter(
            day=D(2026, 11, 30), is_workday=True, name="", source=NOTICE, by=admin
        )
    assert "已是工作日" in refused.value.message
