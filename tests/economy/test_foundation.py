"""The economy's records: revisions keep the old value, the zone's precedence of sources picks
each figure's row, "as known on a day" finds what was known then, and month values derived
from cumulative ones add back up."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gaoxin.core.errors import DomainError
from gaoxin.economy.models import FigureValue, Indicator, Source
from gaoxin.economy.periods import CumulativeGap, Period, values_from_cumulative
from gaoxin.economy.selectors import values_in_effect, values_known_on
from gaoxin.economy.services import FigureInput, economy_settings, figures_record, precedence_set
from tests.factories import EnterpriseFactory, ZoneFactory

pytestmark = pytest.mark.django_db

JUNE = Period.of(2023, 6)


def at(day: int, month: int = 7) -> dt.datetime:
    return dt.datetime(2023, month, day, 12, tzinfo=dt.UTC)


@pytest.fixture
def revenue() -> Indicator:
    return Indicator.objects.get(code="revenue")


@pytest.fixture
def zone():
    return ZoneFactory()


@pytest.fixture
def enterprise(zone):
    return EnterpriseFactory(zone=zone)


def record(zone, enterprise, indicator, amount, source, when, period=JUNE):
    return figures_record(
        zone=zone,
        values=[FigureInput(enterprise.pk, indicator.pk, period, Decimal(amount))],
        source=source,
        by=None,
        at=when,
    )


def used(zone, indicator) -> dict[tuple[int, int], Decimal]:
    rows = values_in_effect([zone.pk]).filter(indicator=indicator)
    return {(r.first_month, r.month): r.amount for r in rows}


def test_catalogue_is_loaded() -> None:
    codes = set(Indicator.objects.values_list("code", flat=True))
    assert {"revenue", "output", "tax", "profit", "rnd", "employees"} <= codes
    assert Indicator.objects.get(code="employees").nature == Indicator.Nature.STOCK
    assert Indicator.objects.get(code="output").industrial_only


def test_revision_keeps_the_old_value(zone, enterprise, revenue) -> None:
    record(zone, enterprise, revenue, "100", Source.BUREAU, at(5))
    result = record(zone, enterprise, revenue, "120", Source.BUREAU, at(20))
    assert (result.created, result.revised) == (0, 1)
    rows = FigureValue.objects.filter(enterprise=enterprise).order_by("known_from")
    assert [(r.amount, r.known_until is None, r.in_effect) for r in rows] == [
        (Decimal("100"), False, False),
        (Decimal("120"), True, True),
    ]
    again = record(zone, enterprise, revenue, "120", Source.BUREAU, at(25))
    assert again.unchanged == 1 and FigureValue.objects.count() == 2


def test_precedence_and_its_setting(zone, enterprise, revenue) -> None:
    record(zone, enterprise, revenue, "90", Source.SELF, at(3))
    assert used(zone, revenue) == {(6, 6): Decimal("90")}
    record(zone, enterprise, revenue, "95", Source.TAX, at(4))
    assert used(zone, revenue) == {(6, 6): Decimal("95")}
    record(zone, enterprise, revenue, "100", Source.BUREAU, at(5))
    assert used(zone, revenue) == {(6, 6): Decimal("100")}
    # A later self-report does not displace the bureau's figure…
    record(zone, enterprise, revenue, "99", Source.SELF, at(6))
    assert used(zone, revenue) == {(6, 6): Decimal("100")}
    # …unless the zone ranks self-reports first.
    precedence_set(zone=zone, ranking=["self", "bureau", "tax", "import"], by=None)
    assert used(zone, revenue) == {(6, 6): Decimal("99")}
    with pytest.raises(DomainError):
        precedence_set(zone=zone, ranking=["self", "bureau"], by=None)


def test_a_combined_period_beats_its_months_from_a_lower_source(zone, enterprise, revenue) -> None:
    record(zone, enterprise, revenue, "40", Source.SELF, at(3, 3), Period.of(2023, 1))
    record(zone, enterprise, revenue, "50", Source.SELF, at(3, 3), Period.of(2023, 2))
    assert used(zone, revenue) == {(1, 1): Decimal("40"), (2, 2): Decimal("50")}
    record(zone, enterprise, revenue, "95", Source.BUREAU, at(20, 3), Period.of(2023, 2, 1))
    assert used(zone, revenue) == {(1, 2): Decimal("95")}


def test_known_on_a_day(zone, enterprise, revenue) -> None:
    ranking = economy_settings(zone).ranking()
    record(zone, enterprise, revenue, "90", Source.SELF, at(3))
    record(zone, enterprise, revenue, "100", Source.BUREAU, at(15))
    record(zone, enterprise, revenue, "110", Source.BUREAU, at(25))

    def known(day: int) -> list[Decimal]:
        rows = values_known_on([zone.pk], dt.date(2023, 7, day), ranking).filter(indicator=revenue)
        return [r.amount for r in rows]

    assert known(1) == []
    assert known(10) == [Decimal("90")]
    assert known(20) == [Decimal("100")]
    assert known(28) == [Decimal("110")]


def test_sql_and_python_rules_agree(zone, revenue) -> None:
    """`values_known_on` today and the in_effect flags choose the same rows."""
    enterprises = [EnterpriseFactory(zone=zone) for _ in range(3)]
    plan = [
        (0, Period.of(2023, 1), Source.SELF, "1"),
        (0, Period.of(2023, 2, 1), Source.TAX, "2"),
        (0, Period.of(2023, 2), Source.BUREAU, "3"),
        (1, Period.of(2023, 3), Source.IMPORT, "4"),
        (1, Period.of(2023, 3), Source.SELF, "5"),
        (2, Period.of(2023, 2, 1), Source.SELF, "6"),
        (2, Period.of(2023, 1), Source.SELF, "7"),
    ]
    for index, (who, period, source, amount) in enumerate(plan):
        record(zone, enterprises[who], revenue, amount, source, at(1 + index, 4), period)
    ranking = economy_settings(zone).ranking()
    flagged = set(values_in_effect([zone.pk]).values_list("pk", flat=True))
    by_sql = set(
        values_known_on([zone.pk], dt.date(2023, 5, 1), ranking).values_list("pk", flat=True)
    )
    # Enterprise 0: the bureau's February beats the tax office's 1–2月, which beats the
    # self-reported January; enterprise 1: the import beats the self-report; enterprise 2:
    # of one source, the later recorded January beats the earlier 1–2月.
    assert flagged == by_sql and len(flagged) == 3


def test_an_enterprise_of_another_zone_is_refused(zone, revenue) -> None:
    stranger = EnterpriseFactory(zone=ZoneFactory())
    with pytest.raises(DomainError):
        record(zone, stranger, revenue, "1", Source.BUREAU, at(1))
    assert not FigureValue.objects.exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-06", Period(2023, 6, 6)),
        ("2023年6月", Period(2023, 6, 6)),
        ("202306", Period(2023, 6, 6)),
        ("２０２３－０６", None),
        ("2023-01~02", Period(2023, 2, 1)),
        ("2023年1-2月", Period(2023, 2, 1)),
        ("2023年1—2月", Period(2023, 2, 1)),
        ("2023-13", None),
        ("2023-05~02", None),
        ("June", None),
    ],
)
def test_periods_parse(text: str, expected: Period | None) -> None:
    if expected is None:
        with pytest.raises(DomainError):
            Period.parse(text)
    else:
        assert Period.parse(text) == expected


@settings(max_examples=200, deadline=None)
@given(
    start=st.integers(min_value=1, max_value=12),
    combined=st.booleans(),
    amounts=st.lists(
        st.decimals(min_value=-(10**9), max_value=10**10, places=2), min_size=1, max_size=12
    ),
)
def test_month_values_add_back_up_to_the_cumulative(start, combined, amounts) -> None:
    """Whatever the cumulative figures (revised down included), the derived values of a run of
    periods add up to the last cumulative less the one before the run."""
    periods: list[Period] = []
    month = start
    if combined and start == 1 and len(amounts) > 1:
        periods.append(Period(2023, 2, 1))
        month = 3
        amounts = amounts[1:]
    for _amount in amounts[len(periods) :]:
        if month > 12:
            break
        periods.append(Period.of(2023, month))
        month += 1
    cumulatives = list(zip(periods, amounts, strict=False))
    before = Decimal("12345.67") if start > 1 else None
    derived = values_from_cumulative(cumulatives, before=before, before_month=start - 1)
    assert [p for p, _v in derived] == periods
    base = before or Decimal(0)
    for index in range(len(derived)):
        assert sum(v for _p, v in derived[: index + 1]) + base == cumulatives[index][1]


def test_a_gap_in_the_months_is_refused() -> None:
    with pytest.raises(CumulativeGap):
        values_from_cumulative([(Period.of(2023, 1), Decimal(1)), (Period.of(2023, 3), Decimal(3))])
    with pytest.raises(CumulativeGap):
        values_from_cumulative([(Period.of(2023, 6), Decimal(1))], before_month=4)
