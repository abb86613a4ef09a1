"""The 高企 and 专精特新 candidate radars: the R&D bands on either side of each band edge and of
the required percent, the rules' dates (the 2016 高企 rule, the 2026 专精特新 row), the
prerequisite, re-application within 365 days, the designation held, the founding date, the
counts against the records, and the enterprise page's lines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from gaoxin.core.metrics import MetricScope, registry
from gaoxin.cultivation import designations
from gaoxin.cultivation.designations import (
    HIGH_TECH,
    NEW,
    RENEWAL,
    SPECIALISED,
    candidates,
    criteria_in_force,
)
from gaoxin.cultivation.models import DesignationCriteria
from gaoxin.cultivation.radars import radar
from gaoxin.economy.models import Indicator, Source
from gaoxin.economy.periods import Period
from gaoxin.economy.services import FigureInput, figures_record
from gaoxin.enterprises.models import DesignationKind, EnterpriseExit
from tests.factories import DesignationFactory, EnterpriseFactory, ZoneFactory

pytestmark = pytest.mark.django_db

WAN = Decimal(10_000)


def code(indicator: str) -> int:
    return Indicator.objects.get(code=indicator).pk


def record(zone, enterprise, indicator: str, values: dict[Period, Decimal]) -> None:
    figures_record(
        zone=zone,
        values=[
            FigureInput(enterprise.pk, code(indicator), period, Decimal(amount))
            for period, amount in values.items()
        ],
        source=Source.BUREAU,
        by=None,
    )


def yearly(
    zone, enterprise, *, revenue: dict[int, Decimal], rnd: dict[int, Decimal], current: int
) -> None:
    """Each year's revenue and R&D as one December figure, and a revenue figure of 0 in
    January of `current` (the radar reads the latest month with figures: its year's previous
    year is 上年度)."""
    record(
        zone,
        enterprise,
        "revenue",
        {Period.of(y, 12): amount for y, amount in revenue.items()}
        | {Period.of(current, 1): Decimal(0)},
    )
    record(zone, enterprise, "rnd", {Period.of(y, 12): amount for y, amount in rnd.items()})


def company(zone, founded: dt.date | None = dt.date(2005, 3, 1), **kwargs):
    return EnterpriseFactory(
        zone=zone, founded_on=founded, settled_on=dt.date(2005, 3, 1), **kwargs
    )


def steady(zone, enterprise, *, revenue: Decimal, percent: Decimal, years, current: int) -> None:
    """The same revenue every year, with R&D at `percent` of it."""
    rnd = (revenue * percent / 100).quantize(Decimal("0.01"))
    yearly(
        zone,
        enterprise,
        revenue={y: revenue for y in years},
        rnd={y: rnd for y in years},
        current=current,
    )


def ids(radar_key: str, zone, day: dt.date) -> set[int]:
    return set(candidates(radar_key, [zone.pk], day).values_list("pk", flat=True))


@pytest.fixture
def zone():
    return ZoneFactory()


DAY = dt.date(2023, 6, 15)  # 上年度 2022; the three years 2020–2022


@pytest.mark.parametrize(
    ("revenue", "percent", "required", "expected"),
    [
        # The first band edge: up to 5000万 (included, "5,000万元（含）") asks 5%, above it 4%.
        (Decimal(49_999_999), Decimal("4.5"), Decimal(5), False),
        (Decimal(50_000_000), Decimal("4.5"), Decimal(5), False),
        (Decimal("50000000.01"), Decimal("4.5"), Decimal(4), True),
        # The second edge: up to 2亿 (included) asks 4%, above it 3%.
        (Decimal(200_000_000), Decimal("3.5"), Decimal(4), False),
        (Decimal("200000000.01"), Decimal("3.5"), Decimal(3), True),
        # Either side of the required percent, inside a band.
        (Decimal(10_000_000), Decimal(5), Decimal(5), True),
        (Decimal(10_000_000), Decimal("4.99"), Decimal(5), False),
        (Decimal(100_000_000), Decimal(4), Decimal(4), True),
        (Decimal(100_000_000), Decimal("3.99"), Decimal(4), False),
        (Decimal(300_000_000), Decimal(3), Decimal(3), True),
        (Decimal(300_000_000), Decimal("2.99"), Decimal(3), False),
    ],
)
def test_high_tech_bands(zone, revenue, percent, required, expected) -> None:
    enterprise = company(zone)
    steady(
        zone, enterprise, revenue=revenue, percent=percent, years=(2020, 2021, 2022), current=2023
    )
    found = candidates(HIGH_TECH, [zone.pk], DAY).filter(pk=enterprise.pk).first()
    assert (found is not None) is expected
    if found is not None:
        assert found.required_percent == required
        assert found.reason == NEW
        assert round(Decimal(str(found.rnd_share)), 2) == percent
        assert found.revenue_y1 == revenue


def test_the_2008_rule_put_the_edge_in_the_upper_band(zone) -> None:
    # 2008: "小于5,000万元 … 6%；在5,000万元至20,000万元 … 4%": 5000万 itself is in the 4% band;
    # from 2016 it is in the 5% band ("小于5,000万元（含）").
    enterprise = company(zone)
    steady(
        zone,
        enterprise,
        revenue=5000 * WAN,
        percent=Decimal("4.5"),
        years=range(2012, 2016),
        current=2015,
    )
    record(zone, enterprise, "revenue", {Period.of(2016, 1): Decimal(0)})
    then = candidates(HIGH_TECH, [zone.pk], dt.date(2015, 6, 15)).get(pk=enterprise.pk)
    assert then.required_percent == 4
    assert enterprise.pk not in ids(HIGH_TECH, zone, dt.date(2016, 6, 15))


def test_the_share_is_summed_over_three_years_and_the_band_chosen_by_last_year(zone) -> None:
    enterprise = company(zone)
    # Last year 6000万 (the 4% band); R&D 300万 of 8000万 over three years is 3.75%.
    yearly(
        zone,
        enterprise,
        revenue={2020: 1000 * WAN, 2021: 1000 * WAN, 2022: 6000 * WAN},
        rnd={2020: 100 * WAN, 2021: 100 * WAN, 2022: 100 * WAN},
        current=2023,
    )
    assert enterprise.pk not in ids(HIGH_TECH, zone, DAY)
    # 20万 more R&D in 2020: 320万 of 8000万 is 4%.
    record(zone, enterprise, "rnd", {Period.of(2020, 12): 120 * WAN})
    row = candidates(HIGH_TECH, [zone.pk], DAY).get(pk=enterprise.pk)
    assert row.required_percent == 4 and round(row.rnd_share, 6) == 4


def test_the_2016_rule_lowered_the_smallest_band(zone) -> None:
    enterprise = company(zone)
    steady(
        zone,
        enterprise,
        revenue=1000 * WAN,
        percent=Decimal("5.5"),
        years=range(2011, 2016),
        current=2015,
    )
    record(zone, enterprise, "revenue", {Period.of(2016, 1): Decimal(0)})
    assert (
        criteria_in_force(DesignationKind.HIGH_TECH, dt.date(2015, 6, 15)).rnd_bands[0]["percent"]
        == 6
    )
    assert enterprise.pk not in ids(HIGH_TECH, zone, dt.date(2015, 6, 15))  # 6% then
    assert enterprise.pk in ids(HIGH_TECH, zone, dt.date(2016, 6, 15))  # 5% since 2016
    assert enterprise.pk in ids(HIGH_TECH, zone, dt.date(2016, 1, 1) + dt.timedelta(days=40))
    assert enterprise.pk not in ids(HIGH_TECH, zone, dt.date(2015, 12, 31))


def innovative(enterprise, granted=dt.date(2024, 1, 1), expires=dt.date(2027, 1, 1)):
    return DesignationFactory(
        enterprise=enterprise,
        kind=DesignationKind.INNOVATIVE_SME,
        level="provincial",
        granted_on=granted,
        expires_on=expires,
    )


def specialised_company(zone, revenue=2000 * WAN, percent=Decimal(5)):
    enterprise = company(zone, founded=dt.date(2018, 5, 1))
    steady(
        zone,
        enterprise,
        revenue=revenue,
        percent=percent,
        years=(2022, 2023, 2024, 2025),
        current=2025,
    )
    record(zone, enterprise, "revenue", {Period.of(2026, 1): Decimal(0)})
    return enterprise


def test_specialised_follows_the_row_in_force_across_2026(zone) -> None:
    enterprise = specialised_company(zone)
    innovative(enterprise)
    before, after = dt.date(2025, 12, 31), dt.date(2026, 3, 1)
    assert criteria_in_force(DesignationKind.SPECIALISED_SME, after).effective_from == dt.date(
        2026, 1, 1
    )
    assert criteria_in_force(DesignationKind.SPECIALISED_SME, before).effective_from == dt.date(
        2022, 6, 1
    )
    assert enterprise.pk in ids(SPECIALISED, zone, before)
    assert enterprise.pk in ids(SPECIALISED, zone, after)
    # The 2026 row changes (say its revenue floor is confirmed at 3000万): from 2026 the
    # enterprise (2000万 last year) is no longer a candidate; before 2026 the 2022 row stands.
    DesignationCriteria.objects.filter(kind="specialised_sme", effective_from="2026-01-01").update(
        min_revenue=3000 * WAN
    )
    assert enterprise.pk not in ids(SPECIALISED, zone, after)
    assert enterprise.pk not in ids(SPECIALISED, zone, dt.date(2026, 1, 1))
    assert enterprise.pk in ids(SPECIALISED, zone, before)
    # ... and its R&D floor instead: 100万 of the 2000万 is 5%, the floor now 101万.
    DesignationCriteria.objects.filter(kind="specialised_sme", effective_from="2026-01-01").update(
        min_revenue=1000 * WAN, min_rnd=101 * WAN
    )
    assert enterprise.pk not in ids(SPECIALISED, zone, after)
    DesignationCriteria.objects.filter(kind="specialised_sme", effective_from="2026-01-01").update(
        min_rnd=100 * WAN
    )
    assert enterprise.pk in ids(SPECIALISED, zone, after)


def test_specialised_revenue_floor_and_ceiling(zone) -> None:
    day = dt.date(2026, 3, 1)
    below = specialised_company(zone, revenue=1000 * WAN - 1, percent=Decimal(12))
    floor = specialised_company(zone, revenue=1000 * WAN, percent=Decimal(12))
    top = specialised_company(zone, revenue=40000 * WAN - 1)
    ceiling = specialised_company(zone, revenue=40000 * WAN)
    for enterprise in (below, floor, top, ceiling):
        innovative(enterprise)
    assert ids(SPECIALISED, zone, day) == {floor.pk, top.pk}


def test_specialised_needs_the_innovative_sme_designation_in_force(zone) -> None:
    day = dt.date(2026, 3, 1)
    enterprise = specialised_company(zone)
    assert enterprise.pk not in ids(SPECIALISED, zone, day)
    innovative(enterprise, granted=dt.date(2022, 1, 1), expires=dt.date(2025, 1, 1))  # expired
    assert enterprise.pk not in ids(SPECIALISED, zone, day)
    innovative(enterprise, granted=dt.date(2026, 2, 1), expires=dt.date(2029, 1, 31))
    assert enterprise.pk in ids(SPECIALISED, zone, day)
    assert enterprise.pk not in ids(SPECIALISED, zone, dt.date(2026, 1, 31))  # not yet granted
    # A national 小巨人 in force does not apply for the provincial designation.
    DesignationFactory(
        enterprise=enterprise,
        kind=DesignationKind.LITTLE_GIANT,
        level="national",
        granted_on=dt.date(2026, 2, 15),
        expires_on=dt.date(2029, 2, 14),
    )
    assert enterprise.pk not in ids(SPECIALISED, zone, day)
    assert enterprise.pk in ids(SPECIALISED, zone, dt.date(2026, 2, 14))  # the day before it
    # A high-tech enterprise needs no prerequisite.
    assert criteria_in_force(DesignationKind.HIGH_TECH, day).requires == ""


def high_tech_company(zone):
    enterprise = company(zone)
    steady(
        zone,
        enterprise,
        revenue=1000 * WAN,
        percent=Decimal(8),
        years=(2020, 2021, 2022),
        current=2023,
    )
    return enterprise


def test_renewal_within_365_days(zone) -> None:
    soon, later = high_tech_company(zone), high_tech_company(zone)
    DesignationFactory(
        enterprise=soon, granted_on=dt.date(2021, 6, 15), expires_on=DAY + dt.timedelta(days=365)
    )
    DesignationFactory(
        enterprise=later, granted_on=dt.date(2021, 6, 15), expires_on=DAY + dt.timedelta(days=366)
    )
    rows = {row.pk: row for row in candidates(HIGH_TECH, [zone.pk], DAY)}
    assert set(rows) == {soon.pk}
    assert rows[soon.pk].reason == RENEWAL
    assert rows[soon.pk].expires_on_held == DAY + dt.timedelta(days=365)
    # A day later the second one is within the year too.
    later_rows = candidates(HIGH_TECH, [zone.pk], DAY + dt.timedelta(days=1))
    assert {row.pk for row in later_rows} == {soon.pk, later.pk}


def test_a_designation_in_force_excludes_a_new_candidate(zone) -> None:
    holder, lapsed, revoked, fresh = (high_tech_company(zone) for _ in range(4))
    DesignationFactory(
        enterprise=holder, granted_on=dt.date(2022, 12, 1), expires_on=dt.date(2025, 11, 30)
    )
    DesignationFactory(
        enterprise=lapsed, granted_on=dt.date(2019, 1, 1), expires_on=dt.date(2021, 12, 31)
    )
    DesignationFactory(
        enterprise=revoked,
        granted_on=dt.date(2022, 12, 1),
        expires_on=dt.date(2025, 11, 30),
        revoked_on=dt.date(2023, 3, 1),
    )
    # A designation of another kind does not count.
    DesignationFactory(enterprise=fresh, kind=DesignationKind.TECH_SME, level="provincial")
    rows = {row.pk: row.reason for row in candidates(HIGH_TECH, [zone.pk], DAY)}
    assert rows == {lapsed.pk: NEW, revoked.pk: NEW, fresh.pk: NEW}


def test_years_in_business_and_unknown_founding_date(zone) -> None:
    day = dt.date(2026, 3, 1)
    enough = specialised_company(zone)
    young = specialised_company(zone)
    unknown = specialised_company(zone)
    young.founded_on = dt.date(2024, 3, 2)  # a day short of two years
    unknown.founded_on = None
    young.save()
    unknown.save()
    two_years = specialised_company(zone)
    two_years.founded_on = dt.date(2024, 3, 1)
    two_years.save()
    for enterprise in (enough, young, unknown, two_years):
        innovative(enterprise)
    assert ids(SPECIALISED, zone, day) == {enough.pk, two_years.pk}


def test_enterprises_out_of_the_zone_or_in_another_zone_are_not_candidates(zone) -> None:
    stays, leaves = high_tech_company(zone), high_tech_company(zone)
    EnterpriseExit.objects.create(enterprise=leaves, kind="moved_out", left_on=dt.date(2023, 5, 1))
    other = ZoneFactory()
    theirs = company(other)
    steady(
        other,
        theirs,
        revenue=1000 * WAN,
        percent=Decimal(8),
        years=(2020, 2021, 2022),
        current=2023,
    )
    assert ids(HIGH_TECH, zone, DAY) == {stays.pk}
    assert ids(HIGH_TECH, other, DAY) == {theirs.pk}


def test_no_figures_no_candidates(zone) -> None:
    company(zone)
    assert candidates(HIGH_TECH, [zone.pk], DAY).count() == 0
    assert candidates(SPECIALISED, [zone.pk], DAY).count() == 0


def test_the_counts_equal_the_records(zone) -> None:
    new = [high_tech_company(zone) for _ in range(3)]
    renewing = high_tech_company(zone)
    DesignationFactory(
        enterprise=renewing, granted_on=dt.date(2020, 9, 1), expires_on=dt.date(2023, 8, 31)
    )
    scope = MetricScope.of([zone.pk], DAY)
    records = radar(HIGH_TECH).records([zone.pk], DAY)
    by_reason = {
        reason: registry.get(f"radar.high_tech.{reason}").evaluate(scope)
        for reason in (NEW, RENEWAL)
    }
    assert by_reason[NEW][0] == records.filter(reason=NEW).count() == len(new)
    assert by_reason[RENEWAL][0] == 1
    assert {e.pk for e in by_reason[RENEWAL][1]} == {renewing.pk}
    assert by_reason[NEW][0] + by_reason[RENEWAL][0] == records.count()
    # The siblings are read in one aggregate.
    values = registry.evaluate_siblings(registry.get("radar.high_tech.new"), scope)
    assert values["radar.high_tech.new"] == by_reason[NEW][0]
    assert values["radar.high_tech.renewal"] == 1


def test_lines(zone) -> None:
    candidate = company(zone)
    yearly(
        zone,
        candidate,
        revenue={2020: 1000 * WAN, 2021: 1000 * WAN, 2022: 1000 * WAN},
        rnd={2020: 62 * WAN, 2021: 62 * WAN, 2022: 62 * WAN},
        current=2023,
    )
    renewing = high_tech_company(zone)
    DesignationFactory(
        enterprise=renewing, granted_on=dt.date(2021, 3, 1), expires_on=dt.date(2024, 3, 1)
    )
    nobody = company(zone)
    with translation.override("zh-hans"):
        line = radar(HIGH_TECH).line(candidate, DAY)
        assert line is not None and "6.2%" in line and "5%" in line and "高新技术企业" in line
        renewal_line = radar(HIGH_TECH).line(renewing, DAY)
        assert renewal_line is not None and "2024-03-01" in renewal_line
        assert radar(HIGH_TECH).line(nobody, DAY) is None
        assert radar(SPECIALISED).line(candidate, DAY) is None  # no 创新型中小企业
    with translation.override("en"):
        assert radar(HIGH_TECH).line(candidate, DAY) == (
            "Meets the checkable criteria of a high-tech enterprise: R&D expense over the last "
            "3 years 6.2% of revenue (required ≥ 5%)"
        )


def test_the_radars_are_registered() -> None:
    assert radar(HIGH_TECH).url_name == "cultivation:high_tech_list"
    assert radar(SPECIALISED).url_name == "cultivation:specialised_list"
    assert (radar(HIGH_TECH).order, radar(SPECIALISED).order) == (30, 40)
    assert designations.RADAR_KINDS == {
        "high_tech": DesignationKind.HIGH_TECH,
        "specialised": DesignationKind.SPECIALISED_SME,
    }
