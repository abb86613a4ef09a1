"""The economy's figures: every one equals a plain Python sum over the rows the test wrote;
the comparable basis leaves out an enterprise missing a year, the total basis does not; the
groups, industries, the lists behind a growth, "as known on a day", and bounded queries."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest

from gaoxin.core.figures import Figures
from gaoxin.core.metrics import MetricScope, registry
from gaoxin.economy.figures import selectors as fs
from gaoxin.economy.models import FigureValue, Indicator, Source
from gaoxin.economy.periods import Period
from gaoxin.economy.selectors import values_in_effect, values_known_on
from gaoxin.economy.services import FigureInput, figures_record
from gaoxin.enterprises.models import ScaleSpell
from tests.factories import EnterpriseFactory, IndustryFactory, ZoneFactory

pytestmark = pytest.mark.django_db

JUNE_END = dt.date(2023, 6, 30)
WRITTEN_AT = dt.datetime(2023, 7, 15, 12, tzinfo=dt.UTC)


def percent(this: Decimal, last: Decimal) -> Decimal:
    return ((this - last) * 100 / last).quantize(Decimal("0.1"))


class Book:
    """The rows a test wrote: {(enterprise pk, indicator code, year, month): amount}."""

    def __init__(self) -> None:
        self.rows: dict[tuple[int, str, int, int], Decimal] = {}

    def add(self, zone, enterprise, indicator, year, month, amount, *, at=WRITTEN_AT):
        self.add_many(zone, [(enterprise, indicator, year, month, amount)], at=at)

    def add_many(self, zone, values, *, at=WRITTEN_AT):
        """Record (enterprise, indicator, year, month, amount) values through the service."""
        figures_record(
            zone=zone,
            values=[
                FigureInput(e.pk, i.pk, Period.of(year, month), amount)
                for e, i, year, month, amount in values
            ],
            source=Source.BUREAU,
            by=None,
            at=at,
        )
        for enterprise, indicator, year, month, amount in values:
            self.rows[(enterprise.pk, indicator.code, year, month)] = amount

    def total(self, code, year, months, enterprises=None) -> Decimal:
        return sum(
            (
                amount
                for (pk, c, y, m), amount in self.rows.items()
                if c == code and y == year and m in months
                and (enterprises is None or pk in enterprises)
            ),
            Decimal(0),
        )  # fmt: skip

    def having(self, code, year, months) -> set[int]:
        return {pk for (pk, c, y, m) in self.rows if c == code and y == year and m in months}


@pytest.fixture
def world():
    """A zone with five enterprises, revenue for 2022 and 2023 (January to June), one that
    reported only in 2023 (new), one only in 2022 (gone), one that fell; two industries;
    规上 spells: two in the directory since 2020, one entered in 2023."""
    zone = ZoneFactory()
    revenue = Indicator.objects.get(code="revenue")
    employees = Indicator.objects.get(code="employees")
    energy, sensors = (
        IndustryFactory(zone=zone, name="储能"),
        IndustryFactory(zone=zone, name="传感器"),
    )
    names = ["甲储能", "乙传感", "丙新设", "丁迁出", "戊下滑"]
    firms = {name: EnterpriseFactory(zone=zone, name=name) for name in names}
    firms["甲储能"].industries.add(energy)
    firms["乙传感"].industries.add(sensors)
    firms["丙新设"].industries.add(sensors)
    firms["戊下滑"].industries.add(energy, sensors)
    ScaleSpell.objects.create(enterprise=firms["甲储能"], entered_on=dt.date(2020, 1, 1))
    ScaleSpell.objects.create(enterprise=firms["乙传感"], entered_on=dt.date(2020, 1, 1))
    ScaleSpell.objects.create(enterprise=firms["丙新设"], entered_on=dt.date(2023, 3, 1))
    book, values = Book(), []
    rng = random.Random(14)
    for name, enterprise in firms.items():
        for year in (2022, 2023):
            if (name, year) in {("丙新设", 2022), ("丁迁出", 2023)}:
                continue
            for month in range(1, 7):
                amount = Decimal(rng.randint(1_000_000, 90_000_000))
                if name == "戊下滑" and year == 2023:
                    amount = Decimal(rng.randint(10_000, 500_000))
                values.append((enterprise, revenue, year, month, amount))
                values.append((enterprise, employees, year, month, Decimal(rng.randint(10, 900))))
    book.add_many(zone, values)
    other = ZoneFactory()  # another zone's figures never count
    book_other = Book()
    book_other.add(other, EnterpriseFactory(zone=other), revenue, 2023, 6, Decimal(7_777_777))
    return {
        "zone": zone,
        "revenue": revenue,
        "employees": employees,
        "firms": firms,
        "book": book,
        "energy": energy,
        "sensors": sensors,
        "scope": MetricScope.of([zone.pk], JUNE_END),
    }


def value(world, key, day=JUNE_END):
    return registry.get(key).value(MetricScope.of([world["zone"].pk], day))


def test_period_of_a_day() -> None:
    assert fs.period_at(dt.date(2023, 6, 30)) == Period.of(2023, 6)
    assert fs.period_at(dt.date(2023, 6, 29)) == Period.of(2023, 5)
    assert fs.period_at(dt.date(2023, 1, 5)) == Period.of(2022, 12)


def test_sums_equal_python_sums(world) -> None:
    book, first_half = world["book"], range(1, 7)
    assert value(world, "economy.ytd.revenue") == book.total("revenue", 2023, first_half)
    assert value(world, "economy.month.revenue") == book.total("revenue", 2023, [6])
    # May's figures as of 31 May, and no June in them.
    assert value(world, "economy.ytd.revenue", dt.date(2023, 5, 31)) == book.total(
        "revenue", 2023, range(1, 6)
    )
    # A stock's year to date is its value at the month.
    assert value(world, "economy.ytd.employees") == book.total("employees", 2023, [6])
    # Twelve months to June 2023: July–December 2022 (none written) and January–June 2023.
    assert value(world, "economy.rolling12.revenue") == book.total("revenue", 2023, first_half)
    # Twelve months to December 2022: the calendar year.
    assert value(world, "economy.rolling12.revenue", dt.date(2022, 12, 31)) == book.total(
        "revenue", 2022, range(1, 13)
    )


def test_growth_comparable_differs_from_total(world) -> None:
    book, months = world["book"], range(1, 7)
    both = book.having("revenue", 2023, months) & book.having("revenue", 2022, months)
    comparable = percent(
        book.total("revenue", 2023, months, both), book.total("revenue", 2022, months, both)
    )
    total = percent(book.total("revenue", 2023, months), book.total("revenue", 2022, months))
    assert value(world, "economy.growth.revenue") == comparable
    assert value(world, "economy.growth_total.revenue") == total
    assert comparable != total  # 丙 (2023 only) and 丁 (2022 only) are left out of one
    records = registry.get("economy.growth.revenue").records(world["scope"])
    names = set(records.values_list("enterprise__name", flat=True))
    assert names == {"甲储能", "乙传感", "戊下滑"}


def test_growth_on_nothing_is_not_a_number(world) -> None:
    figure = Figures(MetricScope.of([world["zone"].pk], dt.date(2022, 6, 30))).get(
        "economy.growth.revenue"
    )
    assert figure is not None and figure.value.is_nan() and figure.shown == "—"


def test_groups_and_industries(world) -> None:
    book, firms, months = world["book"], world["firms"], range(1, 7)
    above = {firms["甲储能"].pk, firms["乙传感"].pk, firms["丙新设"].pk}
    everyone = {f.pk for f in firms.values()}
    new = {firms["丙新设"].pk}
    for group, members in (("above", above), ("below", everyone - above), ("new", new)):
        key = f"economy.ytd.revenue.group.{group}"
        assert value(world, key) == book.total("revenue", 2023, months, members), group
    # 规上 in 2022 was two enterprises; 丙 entered in 2023.
    assert value(world, "economy.ytd.revenue.group.above", dt.date(2022, 6, 30)) == book.total(
        "revenue", 2022, months, {firms["甲储能"].pk, firms["乙传感"].pk}
    )
    sensors = {firms["乙传感"].pk, firms["丙新设"].pk, firms["戊下滑"].pk}
    key = f"economy.ytd.revenue.industry.{world['sensors'].pk}"
    assert value(world, key) == book.total("revenue", 2023, months, sensors)
    comparable_sensors = sensors & book.having("revenue", 2022, months)
    key = f"economy.growth.revenue.industry.{world['sensors'].pk}"
    assert value(world, key) == percent(
        book.total("revenue", 2023, months, comparable_sensors),
        book.total("revenue", 2022, months, comparable_sensors),
    )
    # The page's breakdowns agree with the members, each in one query.
    rows = values_in_effect([world["zone"].pk])
    period = Period.of(2023, 6)
    groups = fs.by_group(rows, world["revenue"], period, fs.Basis.TOTAL)
    assert groups["above"].this == book.total("revenue", 2023, months, above)
    assert groups["new"].last == Decimal(0)
    industries = {r.name: r.growth for r in fs.by_industry(rows, world["revenue"], period, "total")}
    assert industries["传感器"].this == book.total("revenue", 2023, months, sensors)
    monthly = fs.by_month(rows, world["revenue"], period)
    assert monthly[2022][3] == book.total("revenue", 2022, [3])
    assert sum(monthly[2023].values()) == book.total("revenue", 2023, months)


def test_decliners_and_contributors(world) -> None:
    book, firms, months = world["book"], world["firms"], range(1, 7)
    both = book.having("revenue", 2023, months) & book.having("revenue", 2022, months)
    change = {
        pk: book.total("revenue", 2023, months, {pk}) - book.total("revenue", 2022, months, {pk})
        for pk in both
    }
    scope = world["scope"]
    falling = list(registry.get("economy.decliners.revenue").records(scope))
    assert [e.pk for e in falling] == sorted(
        (pk for pk in change if change[pk] < 0), key=lambda pk: change[pk]
    )
    assert firms["戊下滑"].pk in {e.pk for e in falling}
    assert all(e.change == change[e.pk] for e in falling)
    growing = list(registry.get("economy.contributors.revenue").records(scope))
    assert [e.pk for e in growing] == sorted(
        (pk for pk in change if change[pk] > 0), key=lambda pk: -change[pk]
    )
    zone_change = sum(change.values())
    for enterprise in growing:
        if zone_change > 0:
            assert enterprise.share == pytest.approx(
                float(change[enterprise.pk] * 100 / zone_change)
            )
        else:
            assert enterprise.share is None
    assert value(world, "economy.decliners.revenue") == len(falling)


def test_known_on_a_day(world) -> None:
    zone, revenue, firm = world["zone"], world["revenue"], world["firms"]["甲储能"]
    book = world["book"]
    before = book.total("revenue", 2023, range(1, 7))
    old = book.rows[(firm.pk, "revenue", 2023, 6)]
    revised_at = dt.datetime(2023, 8, 10, 12, tzinfo=dt.UTC)
    book.add(zone, firm, revenue, 2023, 6, old + 1000, at=revised_at)
    assert value(world, "economy.ytd.revenue") == before + 1000
    ranking = [s.value for s in Source]
    then = values_known_on([zone.pk], dt.date(2023, 7, 31), ranking)
    assert fs.summary(then, revenue, Period.of(2023, 6)).ytd == before
    now = values_known_on([zone.pk], dt.date(2023, 8, 31), ranking)
    assert fs.summary(now, revenue, Period.of(2023, 6)).ytd == before + 1000


def test_summary_agrees_with_the_metrics(world) -> None:
    rows = values_in_effect([world["zone"].pk])
    line = fs.summary(rows, world["revenue"], Period.of(2023, 6))
    assert line.ytd == value(world, "economy.ytd.revenue")
    assert line.month == value(world, "economy.month.revenue")
    assert line.comparable.percent == value(world, "economy.growth.revenue")
    assert line.total.percent == value(world, "economy.growth_total.revenue")


def test_one_query_a_figure(world, django_assert_num_queries) -> None:
    """One aggregate a figure, after an indexed look-up of its month (the latest month with
    figures by the day; the growth's records and its value each ask)."""
    metric = registry.get("economy.growth.revenue")
    with django_assert_num_queries(3):
        metric.value(world["scope"])
    metric = registry.get("economy.ytd.revenue.group.above")
    with django_assert_num_queries(2):
        metric.value(world["scope"])


def test_unknown_members_are_none() -> None:
    for key in (
        "economy.ytd.nothing",
        "economy.ytd.revenue.group.middle",
        "economy.ytd.revenue.industry.999999",
        "economy.decliners.revenue.group.above",
    ):
        assert registry.find(key) is None
    assert FigureValue.objects.count() == 0


def test_a_day_long_after_the_figures_reads_the_latest_month(world) -> None:
    """Figures arrive weeks after their month, and a dashboard opened today must not read an
    empty month: as of any later day, a figure is of the latest month with figures."""
    zone_ids = world["scope"].zone_ids
    later = MetricScope.of(zone_ids, dt.date(2024, 3, 15))
    for key in ("economy.ytd.revenue", "economy.growth.revenue", "economy.rolling12.revenue"):
        metric = registry.get(key)
        assert metric.value(later) == metric.value(world["scope"]), key
    # As of a day before June ended, May's.
    may = MetricScope.of(zone_ids, dt.date(2023, 6, 29))
    rows = registry.get("economy.month.revenue").records(may)
    assert rows and {r.month for r in rows} == {5}


def test_comparable_and_groups_equal_their_definition_on_every_kind_of_rows(world) -> None:
    """The comparable basis, the groups and the industries are read as SQL the planners can
    answer from the zone's index (issue 19: `year IN (Y, Y-1)` for the two years' months,
    EXISTS for a group, `+enterprise_id IN` on SQLite): each still equals its definition,
    summed here in Python, for a flow and for a stock (whose year to date is one month),
    over the rows in effect and over the rows as known on a day."""
    book, firms, months = world["book"], world["firms"], range(1, 7)
    zone, period = world["zone"], Period.of(2023, 6)
    above = {firms["甲储能"].pk, firms["乙传感"].pk, firms["丙新设"].pk}
    everyone = {f.pk for f in firms.values()}
    ranking = [s.value for s in Source]
    kinds = {
        "in effect": values_in_effect([zone.pk]),
        "known on a day": values_known_on([zone.pk], dt.date(2023, 7, 31), ranking),
    }
    for code, ytd_months in (("revenue", months), ("employees", [6])):
        indicator = world[code]
        both = book.having(code, 2023, ytd_months) & book.having(code, 2022, ytd_months)
        assert both and both != everyone  # 丙 and 丁 are each missing a year

        def pair(members, code=code, ytd_months=ytd_months):
            return (
                book.total(code, 2023, ytd_months, members),
                book.total(code, 2022, ytd_months, members),
            )

        for kind, rows in kinds.items():
            line = fs.summary(rows, indicator, period)
            assert (line.comparable.this, line.comparable.last) == pair(both), (code, kind)
            assert (line.total.this, line.total.last) == pair(None), (code, kind)
            assert line.ytd == book.total(code, 2023, ytd_months), (code, kind)
            growth = fs.growth(fs.both_years(rows, indicator, period, fs.Basis.COMPARABLE), period)
            assert (growth.this, growth.last) == pair(both), (code, kind)
            groups = fs.by_group(rows, indicator, period, fs.Basis.COMPARABLE)
            for group, members in (("above", above), ("below", everyone - above)):
                got = (groups[group].this, groups[group].last)
                assert got == pair(members & both), (code, kind, group)
            industries = fs.by_industry(rows, indicator, period, fs.Basis.COMPARABLE)
            sensors = {firms["乙传感"].pk, firms["丙新设"].pk, firms["戊下滑"].pk}
            got = {r.name: (r.growth.this, r.growth.last) for r in industries}
            assert got["传感器"] == pair(sensors & both), (code, kind)
        comparable = percent(*pair(both))
        assert value(world, f"economy.growth.{code}") == comparable, code
        below = percent(*pair((everyone - above) & both))
        assert value(world, f"economy.growth.{code}.group.below") == below, code
