"""The radars' foundation: the standings' twelve-month window (across a year boundary, with a
1–2月 figure cut by the window's start), the yearly sums, the rebuild after the figures change,
and the 规上 threshold in force for an enterprise on either side of a change of the rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gaoxin.cultivation import standings
from gaoxin.cultivation.models import ScaleThreshold, Standing, StandingBuild
from gaoxin.cultivation.standings import radar_period, standings_for
from gaoxin.cultivation.thresholds import reaches, rule_case, rules_in_force, threshold_of
from gaoxin.economy.models import Indicator, Source
from gaoxin.economy.periods import Period
from gaoxin.economy.services import FigureInput, figures_record, precedence_set
from gaoxin.enterprises.models import Enterprise
from gaoxin.industries.models import NationalIndustry
from tests.factories import EnterpriseFactory, ZoneFactory

pytestmark = pytest.mark.django_db


def code(indicator: str) -> int:
    return Indicator.objects.get(code=indicator).pk


def put(zone, enterprise, values: dict[Period, str], indicator="revenue", source=Source.BUREAU):
    figures_record(
        zone=zone,
        values=[
            FigureInput(enterprise.pk, code(indicator), period, Decimal(amount))
            for period, amount in values.items()
        ],
        source=source,
        by=None,
    )


def months(year: int, first: int, last: int, amount: str) -> dict[Period, str]:
    return {Period.of(year, m): amount for m in range(first, last + 1)}


@pytest.fixture
def zone():
    return ZoneFactory()


@pytest.fixture
def enterprise(zone):
    return EnterpriseFactory(zone=zone)


def standing(zone, enterprise, period: Period) -> Standing:
    return standings_for([zone.pk], period).get(enterprise=enterprise)


def test_window_crosses_the_year_boundary(zone, enterprise) -> None:
    put(zone, enterprise, months(2022, 1, 12, "10") | months(2023, 1, 6, "20"))
    row = standing(zone, enterprise, Period.of(2023, 6))
    # July–December 2022 (6 × 10) and January–June 2023 (6 × 20)
    assert row.revenue_ttm == Decimal("180.00") and row.months_ttm == 12
    assert row.revenue_y1 == Decimal("120.00") and row.months_y1 == 12
    # A month more: the window moves on, dropping July 2022.
    put(zone, enterprise, {Period.of(2023, 7): "20"})
    assert standing(zone, enterprise, Period.of(2023, 7)).revenue_ttm == Decimal("190.00")


def test_a_two_month_figure_cut_by_the_window_counts_its_share(zone, enterprise) -> None:
    # 1–2月 2022 reported together (300), then monthly.
    put(zone, enterprise, {Period(2022, 2, 1): "300"} | months(2022, 3, 12, "100"))
    put(zone, enterprise, {Period.of(2023, 1): "100"})
    january = standing(zone, enterprise, Period.of(2023, 1))
    # February 2022 … January 2023: half of 1–2月 (150), March–December (1,000), January (100)
    assert january.revenue_ttm == Decimal("1250.00") and january.months_ttm == 12
    december = standing(zone, enterprise, Period.of(2022, 12))
    assert december.revenue_ttm == Decimal("1300.00") and december.months_ttm == 12
    # Another enterprise reports 1–2月 2023 together: the window to February holds it whole.
    other = EnterpriseFactory(zone=zone)
    put(zone, other, months(2022, 3, 12, "100") | {Period(2023, 2, 1): "250"})
    february = standing(zone, other, Period.of(2023, 2))
    assert (february.revenue_ttm, february.months_ttm) == (Decimal("1250.00"), 12)


def test_partial_year_and_other_indicators(zone, enterprise) -> None:
    put(zone, enterprise, months(2023, 4, 6, "50"))
    put(zone, enterprise, months(2022, 1, 12, "2") | months(2021, 1, 12, "1"), indicator="rnd")
    put(zone, enterprise, months(2022, 1, 12, "3"), indicator="tax")
    row = standing(zone, enterprise, Period.of(2023, 6))
    assert (row.revenue_ttm, row.months_ttm) == (Decimal("150.00"), 3)
    assert (row.rnd_y1, row.rnd_y2, row.rnd_y3) == (Decimal("24.00"), Decimal("12.00"), 0)
    assert row.tax_y1 == Decimal("36.00") and row.revenue_y1 == 0


def test_standings_follow_the_figures(zone, enterprise) -> None:
    june = Period.of(2023, 6)
    neighbour = EnterpriseFactory(zone=zone)
    put(zone, enterprise, months(2023, 1, 6, "10"))
    put(zone, neighbour, months(2023, 1, 6, "1"))
    assert standing(zone, enterprise, june).revenue_ttm == Decimal("60.00")
    may = standing(zone, enterprise, Period.of(2023, 5))
    assert may.revenue_ttm == Decimal("50.00")
    kept = standing(zone, neighbour, june).pk
    put(zone, enterprise, {june: "40"})  # a revision: the enterprise's months are recomputed
    assert StandingBuild.objects.filter(zone=zone).count() == 2
    assert standing(zone, enterprise, june).revenue_ttm == Decimal("90.00")
    assert standing(zone, enterprise, Period.of(2023, 5)).revenue_ttm == Decimal("50.00")
    assert standing(zone, neighbour, june).pk == kept  # the others' rows are left alone
    # A self-report that loses to the bureau changes nothing in effect; a change of
    # precedence re-chooses every figure and rebuilds the zone's standings in the write.
    put(zone, enterprise, {june: "1000"}, source=Source.SELF)
    assert standing(zone, enterprise, june).revenue_ttm == Decimal("90.00")
    precedence_set(zone=zone, ranking=["self", "bureau", "tax", "import"], by=None)
    built = Standing.objects.get(zone=zone, enterprise=enterprise, year=2023, month=6)
    assert built.revenue_ttm == Decimal("1050.00")


def test_a_large_change_rebuilds_the_zone_standings(zone, enterprise, monkeypatch) -> None:
    june, july = Period.of(2023, 6), Period.of(2023, 7)
    others = [EnterpriseFactory(zone=zone) for _ in range(3)]
    put(zone, enterprise, {june: "5"})
    for month in (1, 2, 3, 4, 5):  # months viewed before: the three latest are kept
        standings_for([zone.pk], Period.of(2023, month))
    standings_for([zone.pk], june)
    monkeypatch.setattr(standings, "PARTIAL_LIMIT", 2)
    figures_record(  # an import of July for more enterprises than PARTIAL_LIMIT
        zone=zone,
        values=[FigureInput(e.pk, code("revenue"), july, Decimal("7")) for e in others],
        source=Source.BUREAU,
        by=None,
        at=dt.datetime(2023, 8, 10, tzinfo=dt.UTC),
    )
    built = set(StandingBuild.objects.filter(zone=zone).values_list("month", flat=True))
    assert built == {4, 5, 6, 7}  # the three latest built, and the new latest month
    rows = Standing.objects.filter(zone=zone, year=2023, month=7)
    assert {r.enterprise_id: r.revenue_ttm for r in rows} == {
        enterprise.pk: Decimal("5.00"),
        **{e.pk: Decimal("7.00") for e in others},
    }
    precedence_set(zone=zone, ranking=["self", "bureau", "tax", "import"], by=None)
    assert set(StandingBuild.objects.filter(zone=zone).values_list("month", flat=True)) == {
        5,
        6,
        7,
    }


def test_a_new_enterprise_gets_its_standing_in_the_built_months(zone, enterprise) -> None:
    june = Period.of(2023, 6)
    put(zone, enterprise, {june: "5"})
    standings_for([zone.pk], june)
    newcomer = EnterpriseFactory(zone=zone)
    put(zone, newcomer, {Period.of(2023, 4): "8"})
    assert standings_for([zone.pk], june).get(enterprise=newcomer).revenue_ttm == Decimal("8.00")


def test_other_zones_keep_their_standings(zone, enterprise) -> None:
    other = ZoneFactory()
    theirs = EnterpriseFactory(zone=other)
    june = Period.of(2023, 6)
    put(other, theirs, {june: "5"})
    standings_for([other.pk], june)
    put(zone, enterprise, {june: "7"})
    assert StandingBuild.objects.filter(zone=other).exists()


def test_radar_period_is_the_latest_month_with_revenue(zone, enterprise) -> None:
    assert radar_period([zone.pk], dt.date(2023, 7, 20)) is None
    put(zone, enterprise, months(2023, 1, 6, "10"))
    assert radar_period([zone.pk], dt.date(2023, 7, 20)) == Period.of(2023, 6)
    assert radar_period([zone.pk], dt.date(2023, 6, 29)) == Period.of(2023, 5)


def division(code_: str) -> NationalIndustry:
    return NationalIndustry.objects.get(code=code_)


@pytest.mark.parametrize(
    ("division_code", "day", "amount", "combine"),
    [
        ("39", dt.date(2010, 12, 31), 5_000_000, ""),  # 工业 before 2011
        ("39", dt.date(2011, 1, 1), 20_000_000, ""),  # ... and from 2011
        ("52", dt.date(2026, 6, 1), 5_000_000, ""),  # 零售业
        ("51", dt.date(2026, 6, 1), 20_000_000, ""),  # 批发业
        ("62", dt.date(2026, 6, 1), 2_000_000, ""),  # 餐饮业
        ("62", dt.date(2010, 6, 1), 2_000_000, "and"),  # ... with 40 people before 2011
        ("65", dt.date(2020, 6, 1), 10_000_000, "or"),  # 软件: 1000万 or 50 people
        ("65", dt.date(2021, 6, 1), 20_000_000, ""),  # ... now 2000万
        ("84", dt.date(2026, 6, 1), 20_000_000, ""),  # 卫生, a division's own row
        ("85", dt.date(2026, 6, 1), 5_000_000, ""),  # 社会工作
        ("85", dt.date(2015, 6, 1), 10_000_000, "or"),  # ... the section's row before
    ],
)
def test_threshold_in_force(division_code, day, amount, combine) -> None:
    rule = threshold_of(division(division_code).pk, day)
    assert rule is not None
    assert (rule.min_revenue, rule.combine) == (Decimal(amount), combine)
    assert rule.document


def test_no_threshold_where_the_bureau_counts_otherwise() -> None:
    day = dt.date(2026, 6, 1)
    for code_ in ("47", "70", "01"):  # 建筑业 (房屋建筑), 房地产业, 农业
        assert threshold_of(division(code_).pk, day) is None
    assert threshold_of(None, day) is None
    assert threshold_of(division("39").pk, dt.date(2006, 12, 31)) is None


def test_either_side_of_the_line() -> None:
    rule = threshold_of(division("39").pk, dt.date(2026, 6, 1))
    assert rule is not None
    assert reaches(rule, Decimal("20000000.00"), None)
    assert not reaches(rule, Decimal("19999999.99"), 5000)
    software = threshold_of(division("65").pk, dt.date(2020, 6, 1))
    assert software is not None
    assert reaches(software, Decimal("1"), 50) and not reaches(software, Decimal("1"), 49)
    trade = threshold_of(division("51").pk, dt.date(2010, 6, 1))
    assert trade is not None
    assert not reaches(trade, Decimal("30000000"), 19) and reaches(trade, Decimal("30000000"), 20)


def test_a_new_rule_row_takes_over_from_its_date() -> None:
    ScaleThreshold.objects.create(
        section="C",
        name="规模以上工业",
        effective_from=dt.date(2030, 1, 1),
        min_revenue=Decimal("30000000"),
        document="test",
    )
    assert threshold_of(division("39").pk, dt.date(2029, 12, 31)).min_revenue == 20_000_000
    assert threshold_of(division("39").pk, dt.date(2030, 1, 1)).min_revenue == 30_000_000


def test_rule_case_annotates_each_enterprise(zone) -> None:
    made = EnterpriseFactory(zone=zone, national_industry=division("39"))
    shop = EnterpriseFactory(zone=zone, national_industry=division("52"))
    none = EnterpriseFactory(zone=zone, national_industry=None)
    day = dt.date(2026, 6, 1)
    rows = dict(
        Enterprise.objects.filter(pk__in=[made.pk, shop.pk, none.pk])
        .annotate(line=rule_case(day))
        .values_list("pk", "line")
    )
    assert rows == {made.pk: Decimal("20000000"), shop.pk: Decimal("5000000"), none.pk: None}
    assert len(rules_in_force(day)) > 60
