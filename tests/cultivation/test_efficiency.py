"""亩均效益: the class on either side of each cut-off (both measures needed), the land rule
(officer records replace the projects' land; records in force at the year's end), no cut-offs
→ not classified, the change from last year's class, the counts per class against their
records, the year evaluated as of a day, and the enterprise page's line."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from gaoxin.core.metrics import MetricScope, registry
from gaoxin.cultivation import efficiency
from gaoxin.cultivation.models import MU, EfficiencyCutoffs, LandRecord
from gaoxin.economy.models import Indicator, Source
from gaoxin.economy.periods import Period
from gaoxin.economy.services import FigureInput, figures_record
from tests.factories import EnterpriseFactory, ProjectFactory, UserFactory, ZoneFactory

pytestmark = pytest.mark.django_db

YEAR = 2024
TEN_MU = Decimal("6666.70")  # 10 亩
# yuan per 亩: A, B, C
CUTS = {
    "tax_a": Decimal(100_000),
    "revenue_a": Decimal(1_000_000),
    "tax_b": Decimal(50_000),
    "revenue_b": Decimal(500_000),
    "tax_c": Decimal(20_000),
    "revenue_c": Decimal(200_000),
}


def put(zone, enterprise, year: int, *, tax: Decimal, revenue: Decimal) -> None:
    """A year's tax and revenue, reported as December's figures."""
    ids = dict(Indicator.objects.filter(code__in=("tax", "revenue")).values_list("code", "pk"))
    figures_record(
        zone=zone,
        values=[
            FigureInput(enterprise.pk, ids["tax"], Period.of(year, 12), tax),
            FigureInput(enterprise.pk, ids["revenue"], Period.of(year, 12), revenue),
        ],
        source=Source.BUREAU,
        by=None,
    )


def set_cutoffs(zone, year: int, **overrides: Decimal) -> EfficiencyCutoffs:
    return EfficiencyCutoffs.objects.create(zone=zone, year=year, **(CUTS | overrides))


@pytest.fixture
def zone():
    return ZoneFactory()


@pytest.fixture
def officer(zone):
    return UserFactory(role="officer", zones=[zone])


def land(enterprise, officer, area: Decimal, start: dt.date, until: dt.date | None = None):
    return LandRecord.objects.create(
        enterprise=enterprise,
        area=area,
        source="粤(2020)珠海市不动产权第0001号",
        valid_from=start,
        valid_until=until,
        recorded_by=officer,
    )


def land_project(zone, enterprise, area: Decimal, on: dt.date):
    return ProjectFactory(
        zone=zone,
        enterprise=enterprise,
        carrier="land",
        land_parcel_code="ZH-01",
        land_area=area,
        stage="land_acquired",
        stage_on=on,
    )


def row(zone, enterprise, year: int = YEAR):
    got = efficiency.evaluation([zone.pk], year).get(pk=enterprise.pk)
    got.change = efficiency.change_of(got.efficiency_class, got.previous_class, got.land_previous)
    return got


# Per 亩 on 10 亩: (tax per 亩, revenue per 亩) → class. Each edge is met exactly and missed by
# one fen per 亩; a class needs both of its cut-offs.
EDGES = [
    ("100000", "1000000", "A"),
    ("99999.99", "1000000", "B"),
    ("100000", "999999.99", "B"),
    ("500000", "500000", "B"),  # tax far above A, revenue only B's
    ("50000", "500000", "B"),
    ("49999.99", "500000", "C"),
    ("50000", "499999.99", "C"),
    ("20000", "200000", "C"),
    ("19999.99", "200000", "D"),
    ("20000", "199999.99", "D"),
    ("0", "0", "D"),
]


@pytest.mark.parametrize(("tax", "revenue", "expected"), EDGES)
def test_class_on_either_side_of_each_cut_off(zone, officer, tax, revenue, expected) -> None:
    enterprise = EnterpriseFactory(zone=zone)
    land(enterprise, officer, TEN_MU, dt.date(2020, 1, 1))
    put(zone, enterprise, YEAR, tax=Decimal(tax) * 10, revenue=Decimal(revenue) * 10)
    set_cutoffs(zone, YEAR)
    got = row(zone, enterprise)
    assert got.tax_per_mu == Decimal(tax) and got.revenue_per_mu == Decimal(revenue)
    assert got.efficiency_class == expected
    # The Python rule (the form's and the line's) agrees with the query's.
    cutoffs = EfficiencyCutoffs.objects.get(zone=zone, year=YEAR)
    assert efficiency.classify(cutoffs, Decimal(tax), Decimal(revenue)) == expected


def test_per_mu_figures_use_the_land_in_mu(zone, officer) -> None:
    enterprise = EnterpriseFactory(zone=zone)
    land(enterprise, officer, Decimal("2000.01"), dt.date(2020, 1, 1))  # 3 亩
    put(zone, enterprise, YEAR, tax=Decimal(300_000), revenue=Decimal(3_000_000))
    got = row(zone, enterprise)
    assert got.land_mu == Decimal("3.00")
    assert got.tax_per_mu == (Decimal(300_000) * Decimal(str(MU)) / Decimal("2000.01")).quantize(
        Decimal("0.01")
    )


def test_officer_records_replace_the_projects_land(zone, officer) -> None:
    enterprise = EnterpriseFactory(zone=zone)
    land_project(zone, enterprise, Decimal(20_000), dt.date(2021, 5, 1))
    put(zone, enterprise, YEAR, tax=Decimal(1), revenue=Decimal(1))
    assert row(zone, enterprise).land_area == Decimal(20_000)
    assert row(zone, enterprise).land_source == efficiency.PROJECTS
    land(enterprise, officer, Decimal("13333.40"), dt.date(2022, 1, 1))
    land(enterprise, officer, Decimal("666.60"), dt.date(2023, 6, 1))
    got = row(zone, enterprise)
    assert got.land_area == Decimal("14000.00") and got.land_source == efficiency.RECORDS


def test_only_records_in_force_at_the_year_end_count(zone, officer) -> None:
    enterprise = EnterpriseFactory(zone=zone)
    put(zone, enterprise, YEAR, tax=Decimal(1), revenue=Decimal(1))
    land(enterprise, officer, Decimal(1000), dt.date(2020, 1, 1), dt.date(2024, 12, 31))  # ends
    land(enterprise, officer, Decimal(2000), dt.date(2020, 1, 1), dt.date(2025, 1, 1))  # holds
    land(enterprise, officer, Decimal(4000), dt.date(2025, 1, 1))  # not yet
    land(enterprise, officer, Decimal(8000), dt.date(2024, 12, 31))  # from the last day
    assert row(zone, enterprise).land_area == Decimal(10_000)


def test_project_land_counts_from_its_acquisition_and_ended_records_mean_no_land(
    zone, officer
) -> None:
    later = EnterpriseFactory(zone=zone)
    land_project(zone, later, Decimal(5000), dt.date(2025, 1, 1))
    gone = EnterpriseFactory(zone=zone)
    land_project(zone, gone, Decimal(5000), dt.date(2020, 1, 1))
    land(gone, officer, Decimal(5000), dt.date(2020, 1, 1), dt.date(2023, 1, 1))
    on_list = set(efficiency.evaluation([zone.pk], YEAR).values_list("pk", flat=True))
    assert later.pk not in on_list and gone.pk not in on_list
    assert later.pk in set(efficiency.evaluation([zone.pk], 2025).values_list("pk", flat=True))


def test_no_cut_offs_leaves_the_year_unclassified(zone, officer) -> None:
    enterprise = EnterpriseFactory(zone=zone)
    land(enterprise, officer, TEN_MU, dt.date(2020, 1, 1))
    put(zone, enterprise, YEAR, tax=Decimal(10**7), revenue=Decimal(10**8))
    set_cutoffs(zone, YEAR - 1)
    got = row(zone, enterprise)
    assert got.efficiency_class == "" and got.change == efficiency.NONE
    # Last year's cut-offs classify last year (no figures then: D).
    assert got.previous_class == "D"
    with translation.override("en"):
        line = efficiency.line(enterprise, dt.date(YEAR + 1, 2, 1))
    assert line is not None and "not classified" in line


@pytest.mark.parametrize(
    ("before", "now", "change"),
    [
        (("0", "0"), ("100000", "1000000"), "up"),  # D → A
        (("100000", "1000000"), ("20000", "200000"), "down"),  # A → C
        (("50000", "600000"), ("60000", "500000"), "same"),  # B → B
    ],
)
def test_change_from_last_years_class(zone, officer, before, now, change) -> None:
    enterprise = EnterpriseFactory(zone=zone)
    land(enterprise, officer, TEN_MU, dt.date(2020, 1, 1))
    put(zone, enterprise, YEAR - 1, tax=Decimal(before[0]) * 10, revenue=Decimal(before[1]) * 10)
    put(zone, enterprise, YEAR, tax=Decimal(now[0]) * 10, revenue=Decimal(now[1]) * 10)
    set_cutoffs(zone, YEAR - 1)
    set_cutoffs(zone, YEAR)
    got = row(zone, enterprise)
    assert (got.previous_class, got.efficiency_class) == (
        efficiency.classify(
            EfficiencyCutoffs.objects.get(year=YEAR - 1), Decimal(before[0]), Decimal(before[1])
        ),
        efficiency.classify(
            EfficiencyCutoffs.objects.get(year=YEAR), Decimal(now[0]), Decimal(now[1])
        ),
    )
    assert got.change == change


def test_last_years_class_uses_last_years_land_and_cut_offs(zone, officer) -> None:
    enterprise = EnterpriseFactory(zone=zone)
    # 20 亩 last year, 10 亩 from this year: the same tax per 亩 doubles.
    land(enterprise, officer, TEN_MU * 2, dt.date(2020, 1, 1), dt.date(2024, 6, 30))
    land(enterprise, officer, TEN_MU, dt.date(2024, 6, 30))
    for year in (YEAR - 1, YEAR):
        put(zone, enterprise, year, tax=Decimal(1_000_000), revenue=Decimal(10_000_000))
    set_cutoffs(zone, YEAR - 1)
    set_cutoffs(zone, YEAR)
    got = row(zone, enterprise)
    assert got.tax_per_mu_previous == Decimal(50_000) and got.previous_class == "B"
    assert got.tax_per_mu == Decimal(100_000) and got.efficiency_class == "A"
    assert got.change == "up"


def test_new_land_this_year_is_new(zone, officer) -> None:
    enterprise = EnterpriseFactory(zone=zone)
    land_project(zone, enterprise, TEN_MU, dt.date(2024, 3, 1))
    put(zone, enterprise, YEAR, tax=Decimal(1), revenue=Decimal(1))
    set_cutoffs(zone, YEAR - 1)
    set_cutoffs(zone, YEAR)
    got = row(zone, enterprise)
    assert got.previous_class == "" and got.change == efficiency.NEW


def test_counts_per_class_equal_their_records(zone, officer) -> None:
    set_cutoffs(zone, YEAR)
    set_cutoffs(zone, YEAR - 1)
    for index, (tax, revenue, _expected) in enumerate(EDGES * 2):
        enterprise = EnterpriseFactory(zone=zone)
        land(enterprise, officer, TEN_MU, dt.date(2020, 1, 1))
        put(zone, enterprise, YEAR, tax=Decimal(tax) * 10, revenue=Decimal(revenue) * 10)
        if index % 3:
            put(zone, enterprise, YEAR - 1, tax=Decimal(tax) * 5, revenue=Decimal(revenue) * 20)
    rows = efficiency.evaluation([zone.pk], YEAR)
    summary = efficiency.distribution(rows)
    assert sum(summary["current"].values()) == rows.count() == len(EDGES) * 2
    # The change's filter and the change of each row agree.
    for change in [*efficiency.CHANGES, efficiency.NONE]:
        expected = {
            e.pk
            for e in rows
            if efficiency.change_of(e.efficiency_class, e.previous_class, e.land_previous) == change
        }
        assert set(rows.filter(efficiency.change_is(change)).values_list("pk", flat=True)) == (
            expected
        )
    day = dt.date(YEAR + 1, 3, 1)
    scope = MetricScope.of([zone.pk], day)
    for name in efficiency.CLASSES:
        records = list(rows.filter(efficiency_class=name).values_list("pk", flat=True))
        assert summary["current"][name] == len(records)
        assert summary["previous"][name] == rows.filter(previous_class=name).count()
        metric = registry.get(f"radar.efficiency.{name}")
        value, queryset = metric.evaluate(scope)
        assert value == len(records)
        assert sorted(queryset.values_list("pk", flat=True)) == sorted(records)


def test_the_year_evaluated_is_the_last_complete_one(zone, officer) -> None:
    enterprise = EnterpriseFactory(zone=zone)
    land(enterprise, officer, TEN_MU, dt.date(2020, 1, 1))
    put(zone, enterprise, YEAR, tax=Decimal(1), revenue=Decimal(1))
    ids = dict(Indicator.objects.filter(code="revenue").values_list("code", "pk"))
    figures_record(
        zone=zone,
        values=[
            FigureInput(enterprise.pk, ids["revenue"], Period.of(month[0], month[1]), Decimal(5))
            for month in ((YEAR, 11), (YEAR + 1, 3))
        ],
        source=Source.BUREAU,
        by=None,
    )
    # As of mid-December the radar's month is November: the year before is the last complete.
    assert efficiency.evaluated_year([zone.pk], dt.date(YEAR, 12, 15)) == YEAR - 1
    # Once December has ended, its year is.
    assert efficiency.evaluated_year([zone.pk], dt.date(YEAR + 1, 1, 5)) == YEAR
    assert efficiency.evaluated_year([zone.pk], dt.date(YEAR + 1, 5, 5)) == YEAR
    assert efficiency.evaluated_year([ZoneFactory().pk], dt.date(YEAR + 1, 5, 5)) is None


def test_line_on_the_enterprise_page(zone, officer) -> None:
    enterprise = EnterpriseFactory(zone=zone)
    land(enterprise, officer, TEN_MU, dt.date(2020, 1, 1))
    put(zone, enterprise, YEAR - 1, tax=Decimal(200_000), revenue=Decimal(2_000_000))
    put(zone, enterprise, YEAR, tax=Decimal(600_000), revenue=Decimal(6_000_000))
    set_cutoffs(zone, YEAR - 1)
    set_cutoffs(zone, YEAR)
    line = efficiency.line(enterprise, dt.date(YEAR + 1, 2, 1))
    assert line is not None
    assert str(YEAR) in line and "B" in line and "C" in line
    assert "6" in line and "60" in line  # 6 万元 tax and 60 万元 revenue per 亩
    bare = EnterpriseFactory(zone=zone)
    assert efficiency.line(bare, dt.date(YEAR + 1, 2, 1)) is None


def test_another_zones_cut_offs_do_not_classify(zone, officer) -> None:
    other = ZoneFactory()
    mine = EnterpriseFactory(zone=zone)
    theirs = EnterpriseFactory(zone=other)
    for enterprise, z in ((mine, zone), (theirs, other)):
        land(enterprise, officer, TEN_MU, dt.date(2020, 1, 1))
        put(z, enterprise, YEAR, tax=Decimal(10**7), revenue=Decimal(10**8))
    set_cutoffs(zone, YEAR)
    rows = {e.pk: e for e in efficiency.evaluation([zone.pk, other.pk], YEAR)}
    assert rows[mine.pk].efficiency_class == "A"
    assert rows[theirs.pk].efficiency_class == ""
