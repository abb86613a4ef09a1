"""The 小升规 and 应统尽统 radars, from the figures each test records: the line's two sides,
the rules' change of 2011, the twelve-month window across a year and with 1–2月, the share,
规上 and exited enterprises as of the day, the head-count alternative ("or") and condition
("and"), the radars' records against a count made apart, and the enterprise page's lines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from gaoxin.core.formatting import money
from gaoxin.cultivation import radars, scale
from gaoxin.cultivation.models import Standing
from gaoxin.cultivation.standings import radar_period, standings_for
from gaoxin.cultivation.thresholds import reaches, threshold_of
from gaoxin.economy.models import Indicator, Source
from gaoxin.economy.periods import Period
from gaoxin.economy.services import FigureInput, figures_record
from gaoxin.enterprises.models import EnterpriseExit, ScaleSpell
from gaoxin.industries.models import NationalIndustry
from tests.factories import EnterpriseFactory, ZoneFactory

pytestmark = pytest.mark.django_db

JULY = dt.date(2023, 7, 20)  # the radar reads June 2023


def division(code: str) -> NationalIndustry:
    return NationalIndustry.objects.get(code=code)


def put(zone, enterprise, values: dict[Period, Decimal | str | int]) -> None:
    revenue = Indicator.objects.get(code="revenue").pk
    figures_record(
        zone=zone,
        values=[
            FigureInput(enterprise.pk, revenue, period, Decimal(str(amount)))
            for period, amount in values.items()
        ],
        source=Source.BUREAU,
        by=None,
    )


def months(year: int, first: int, last: int, amount: Decimal | str | int) -> dict[Period, Any]:
    return {Period.of(year, m): amount for m in range(first, last + 1)}


def year_to_june(total: Decimal) -> dict[Period, Decimal]:
    """July 2022 – June 2023 adding up to `total`: eleven equal months and the rest in June."""
    each = (total / 12).quantize(Decimal("0.01"))
    values = months(2022, 7, 12, each) | months(2023, 1, 5, each)
    values[Period.of(2023, 6)] = total - each * 11
    return values


def maker(zone, code: str = "39", **fields):
    return EnterpriseFactory(
        zone=zone, national_industry=division(code), settled_on=dt.date(2005, 1, 1), **fields
    )


def pks(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


@pytest.fixture
def zone():
    return ZoneFactory()


def test_either_side_of_the_line(zone) -> None:
    below, at = maker(zone), maker(zone)
    put(zone, below, year_to_june(Decimal("19999999.99")))
    put(zone, at, year_to_june(Decimal("20000000")))
    line = threshold_of(division("39").pk, dt.date(2023, 6, 30)).min_revenue
    assert pks(scale.unreported([zone.pk], JULY)) == {at.pk}
    assert pks(scale.near_scale([zone.pk], JULY)) == {below.pk}
    row = scale.near_scale([zone.pk], JULY).get()
    assert (row.threshold, row.months_ttm) == (line, 12)
    assert row.revenue_ttm == Decimal("19999999.99")
    assert row.gap == line - Decimal("19999999.99")
    assert row.rule_name == "规模以上工业"


def test_the_rule_in_force_at_the_radar_month(zone) -> None:
    """An industrial enterprise with 1000万 in 2010: over the 500万 line then; in 2011 the line
    is 2000万 and the same twelve months are half of it."""
    factory = maker(zone)
    put(zone, factory, months(2010, 1, 12, "833333.33") | {Period.of(2011, 1): "833333.33"})
    revenue_2010 = Decimal("833333.33") * 12
    old = threshold_of(division("39").pk, dt.date(2010, 12, 31))
    new = threshold_of(division("39").pk, dt.date(2011, 1, 31))
    assert old.min_revenue < revenue_2010 < new.min_revenue  # the case the test is about
    in_2010 = dt.date(2011, 1, 20)  # reads December 2010
    row = scale.unreported([zone.pk], in_2010).get()
    assert (row.pk, row.threshold) == (factory.pk, old.min_revenue)
    in_2011 = dt.date(2011, 2, 20)  # reads January 2011
    assert not scale.unreported([zone.pk], in_2011).exists()
    assert not scale.near_scale([zone.pk], in_2011).exists()
    row = scale.near_scale([zone.pk], in_2011, share=40).get()
    assert row.threshold == new.min_revenue
    assert row.revenue_ttm == revenue_2010  # February 2010 – January 2011


def test_the_window_across_a_year_with_1_2_months(zone) -> None:
    """1–2月 reported together. The window to January 2023 holds half of 1–2月 2022; the one to
    December 2022 all of it; the one to February 2023 the whole 1–2月 2023."""
    firm = maker(zone)
    put(
        zone,
        firm,
        {Period(2022, 2, 1): "4000000"}
        | months(2022, 3, 12, "1500000")
        | {Period.of(2023, 1): "3000000"},
    )
    december, january = dt.date(2023, 1, 10), dt.date(2023, 2, 20)
    assert radar_period([zone.pk], december) == Period.of(2022, 12)
    row = scale.near_scale([zone.pk], december).get()  # 400万 + 10 × 150万 = 1900万
    assert (row.revenue_ttm, row.months_ttm) == (Decimal("19000000"), 12)
    row = scale.unreported([zone.pk], january).get()  # 200万 + 1500万 + 300万 = 2000万
    assert (row.revenue_ttm, row.months_ttm) == (Decimal("20000000"), 12)
    # The page's months: February 2022 (half of 1–2月) … January 2023, adding up to the sum.
    period = Period.of(2023, 1)
    columns = scale.window_columns(period)
    values = scale.window_values([zone.pk], [firm.pk], period)[firm.pk]
    assert [c.label for c in columns][:2] == ["2022年2月", "2022年3月"]
    assert len(columns) == 12 and values[0] == Decimal("2000000")
    assert sum(v for v in values if v) == row.revenue_ttm
    # To February 2023 (1–2月 2023 together): eleven columns, 1–2月 one of them.
    other = maker(zone)
    put(zone, other, months(2022, 3, 12, "1500000") | {Period(2023, 2, 1): "5000000"})
    february = Period.of(2023, 2)
    row = scale.unreported([zone.pk], dt.date(2023, 3, 20)).get(pk=other.pk)
    assert (row.revenue_ttm, row.months_ttm) == (Decimal("20000000"), 12)
    columns = scale.window_columns(february)
    assert [c.label for c in columns][-1] == "2023年1–2月" and len(columns) == 11
    values = scale.window_values([zone.pk], [other.pk], february)[other.pk]
    assert values[-1] == Decimal("5000000") and sum(values) == row.revenue_ttm


def test_the_share(zone) -> None:
    firm = maker(zone)
    put(zone, firm, year_to_june(Decimal("15000000")))  # 75% of 2000万
    assert not scale.near_scale([zone.pk], JULY).exists()
    assert pks(scale.near_scale([zone.pk], JULY, share=75)) == {firm.pk}
    assert not scale.near_scale([zone.pk], JULY, share=76).exists()
    row = scale.near_scale([zone.pk], JULY, share=70).get()
    assert Decimal(str(row.ratio)).quantize(Decimal("0.1")) == Decimal("75.0")


def test_closest_first(zone) -> None:
    made = {amount: maker(zone) for amount in ("16500000", "19000000", "17000000")}
    for amount, firm in made.items():
        put(zone, firm, year_to_june(Decimal(amount)))
    order = list(scale.near_scale([zone.pk], JULY).values_list("pk", flat=True))
    assert order == [made[a].pk for a in sorted(made, key=Decimal, reverse=True)]


def test_above_scale_and_exited_as_of_the_day(zone) -> None:
    counted, gone, back = maker(zone), maker(zone), maker(zone)
    for firm in (counted, gone, back):
        put(zone, firm, year_to_june(Decimal("25000000")))
    ScaleSpell.objects.create(enterprise=counted, entered_on=dt.date(2023, 8, 1))
    EnterpriseExit.objects.create(
        enterprise=gone, kind=EnterpriseExit.Kind.MOVED_OUT, left_on=dt.date(2023, 8, 1)
    )
    EnterpriseExit.objects.create(
        enterprise=back,
        kind=EnterpriseExit.Kind.MOVED_OUT,
        left_on=dt.date(2023, 1, 1),
        returned_on=dt.date(2023, 8, 1),
    )
    assert pks(scale.unreported([zone.pk], JULY)) == {counted.pk, gone.pk}
    august = dt.date(2023, 8, 20)
    assert radar_period([zone.pk], august) == Period.of(2023, 6)
    assert pks(scale.unreported([zone.pk], august)) == {back.pk}


def test_without_a_threshold_on_neither(zone) -> None:
    builder = maker(zone, code="47")  # 建筑业: counted by 资质, not revenue
    nobody = EnterpriseFactory(zone=zone, national_industry=None, settled_on=dt.date(2005, 1, 1))
    for firm in (builder, nobody):
        put(zone, firm, year_to_june(Decimal("90000000")))
    assert not scale.standing_rows([zone.pk], JULY).exists()
    assert scale.scale_line(builder, JULY) is None and scale.unreported_line(nobody, JULY) is None


def test_no_figures_no_radar(zone) -> None:
    maker(zone)
    assert not scale.near_scale([zone.pk], JULY).exists()
    assert not scale.unreported([zone.pk], JULY).exists()


def test_head_count_instead_of_revenue(zone) -> None:
    """规模以上服务业 before 2021: 1000万 or 50 people. 500万 and 60 people qualifies."""
    as_of = dt.date(2020, 7, 20)
    staffed = maker(zone, code="65", employees=60)
    small = maker(zone, code="65", employees=49)
    for firm in (staffed, small):
        put(zone, firm, months(2019, 7, 12, "416666.67") | months(2020, 1, 6, "416666.67"))
    rule = threshold_of(division("65").pk, dt.date(2020, 6, 30))
    assert rule.combine == "or" and rule.min_employees == 50
    assert pks(scale.unreported([zone.pk], as_of)) == {staffed.pk}
    assert not scale.near_scale([zone.pk], as_of).exists()  # 50% of 1000万
    assert scale.unreported_line(staffed, as_of) == "近12个月营业收入已达规上线，尚未入统"


def test_head_count_as_well_as_revenue(zone) -> None:
    """限额以上餐饮业 before 2011: 200万 and 40 people. 300万 with 30 people is not counted."""
    as_of = dt.date(2010, 7, 20)
    crowded = maker(zone, code="62", employees=40)
    few = maker(zone, code="62", employees=30)
    for firm in (crowded, few):
        put(zone, firm, months(2009, 7, 12, "250000") | months(2010, 1, 6, "250000"))
    rule = threshold_of(division("62").pk, dt.date(2010, 6, 30))
    assert rule.combine == "and"
    assert pks(scale.unreported([zone.pk], as_of)) == {crowded.pk}
    assert pks(scale.near_scale([zone.pk], as_of)) == {few.pk}
    assert scale.scale_line(few, as_of) == (
        f"近12个月营业收入 {money(Decimal(3000000))} 已达规上线 {money(rule.min_revenue)}，"
        f"从业人员未达 {rule.min_employees} 人"
    )


def test_the_radars_records_against_a_count_made_apart(zone) -> None:
    """Enterprises spread around the line, some with a part year, a few 规上: the registered
    radars' records are those that the thresholds module's `reaches` picks from the
    standings, and their counts are their records'."""
    amounts = ["5000000", "16000000", "15999999.99", "19999999.99", "20000000", "31000000"]
    for index, amount in enumerate(amounts * 2):
        firm = maker(zone, employees=index)
        values = year_to_june(Decimal(amount))
        if index % 3 == 0:  # a part year: April–June only
            values = {p: v for p, v in values.items() if p.year == 2023 and p.month >= 4}
        put(zone, firm, values)
        if index == 5:
            ScaleSpell.objects.create(enterprise=firm, entered_on=dt.date(2022, 1, 1))
    day = dt.date(2023, 6, 30)
    standings_for([zone.pk], Period.of(2023, 6))
    expected_unreported, expected_scale = set(), set()
    for row in Standing.objects.filter(zone=zone, year=2023, month=6).select_related("enterprise"):
        firm = row.enterprise
        if firm.scale_spells.exists():
            continue
        rule = threshold_of(firm.national_industry_id, day)
        if row.months_ttm == 12 and reaches(rule, row.revenue_ttm, firm.employees):
            expected_unreported.add(firm.pk)
        elif row.revenue_ttm * 100 >= rule.min_revenue * scale.DEFAULT_SHARE:
            expected_scale.add(firm.pk)
    assert expected_unreported and expected_scale  # the data covers both
    on_scale = radars.radar("scale").records([zone.pk], JULY)
    on_unreported = radars.radar("unreported").records([zone.pk], JULY)
    assert pks(on_scale) == expected_scale and on_scale.count() == len(expected_scale)
    assert pks(on_unreported) == expected_unreported
    assert on_unreported.count() == len(expected_unreported)


def test_the_enterprise_lines(zone) -> None:
    near, far, over, counted = maker(zone), maker(zone), maker(zone), maker(zone)
    put(zone, near, year_to_june(Decimal("16795000")))
    put(zone, far, year_to_june(Decimal("3000000")))
    put(zone, over, year_to_june(Decimal("20500000")))
    put(zone, counted, year_to_june(Decimal("16795000")))
    ScaleSpell.objects.create(enterprise=counted, entered_on=dt.date(2020, 1, 1))
    line = Decimal(20_000_000)
    assert scale.scale_line(near, JULY) == (
        f"距规上线还差 {money(line - Decimal('16795000'))}"
        f"（近12个月营业收入 {money(Decimal('16795000'))}，规上线 {money(line)}）"
    )
    assert "320.5万元" in scale.scale_line(near, JULY)  # the way the app writes money
    assert scale.scale_line(far, JULY).startswith(f"距规上线还差 {money(line - 3000000)}")
    assert scale.unreported_line(near, JULY) is None
    assert scale.scale_line(over, JULY) is None
    assert scale.unreported_line(over, JULY) == "近12个月营业收入已达规上线，尚未入统"
    assert scale.scale_line(counted, JULY) is None and scale.unreported_line(counted, JULY) is None


def test_a_part_year_over_the_line_is_on_scale_not_unreported(zone) -> None:
    firm = maker(zone)
    put(zone, firm, months(2023, 1, 6, "4000000"))  # 2400万 in six months
    assert pks(scale.near_scale([zone.pk], JULY)) == {firm.pk}
    assert not scale.unreported([zone.pk], JULY).exists()
    assert "尚不满12个月" in scale.scale_line(firm, JULY)
