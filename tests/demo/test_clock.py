"""The demo's clock: events move by whole days so that the scenario's day is the load day and
their order is kept; the statistical calendar moves by whole years up to the last month the
bureau has published."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gaoxin.demo.clock import SCENARIO, SCENARIO_DAY, SCENARIO_PRESENT, Clock, published_month
from gaoxin.economy.periods import Period

load_days = st.dates(min_value=dt.date(2023, 6, 20), max_value=dt.date(2060, 12, 31))
scenario_days = st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2026, 12, 31))


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)  # a shared machine
@given(load_days, scenario_days, scenario_days)
def test_events_keep_their_order_and_gaps_and_the_scenario_day_is_the_load_day(
    today: dt.date, a: dt.date, b: dt.date
) -> None:
    clock = Clock(today)
    assert clock.on(SCENARIO_DAY) == today
    assert (clock.on(a) < clock.on(b)) == (a < b)
    assert clock.on(b) - clock.on(a) == b - a


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(load_days)
def test_the_statistical_present_is_the_last_month_published_by_the_load_day(
    today: dt.date,
) -> None:
    clock = Clock(today)
    present = clock.present
    published = present.next_month()  # its sheet arrives by the 20th of the next month
    assert dt.date(published.year, published.month, 20) <= today
    after = published.next_month()
    assert today < dt.date(after.year, after.month, 20)
    # Whole years only: 1–2月 stays one period and 本年累计 the calendar year's.
    assert clock.period(SCENARIO_PRESENT).month == SCENARIO_PRESENT.month
    assert clock.period(Period(2022, 2, 1)) == Period(2022 + clock.years, 2, 1)
    assert clock.period(SCENARIO_PRESENT).year == present.year
    assert clock.calendar_day(dt.date(2021, 12, 31)) == dt.date(2021 + clock.years, 12, 31)


def test_the_scenario_clock_is_the_identity() -> None:
    assert SCENARIO.days == 0 and SCENARIO.years == 0
    assert SCENARIO.present == SCENARIO_PRESENT == published_month(SCENARIO_DAY)
    assert published_month(dt.date(2023, 6, 19)) == Period.of(2023, 4)
    assert published_month(dt.date(2027, 1, 1)) == Period.of(2026, 11)
    assert published_month(dt.date(2024, 2, 29)) == Period.of(2024, 1)
    assert Clock(dt.date(2028, 3, 1)).calendar_day(dt.date(2020, 2, 29)) == dt.date(2025, 2, 28)
