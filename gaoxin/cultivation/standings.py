"""`Standing`: each enterprise's sums the radars read, as of a month. Built for a zone and a
month in one grouped pass over its figures in effect, the first time a radar asks for them,
and kept true as figures change: the economy's services call `standings_refresh` in the
writing transaction with the enterprises whose figures changed, whose standings are computed
again for every month built (a self-report: a few milliseconds); a change touching more than
PARTIAL_LIMIT enterprises (a statistics import) or all of them (a change of precedence)
rebuilds the zone's recent months and its new latest month whole, in the same write, and
drops the older ones (built again on the next read of them).

Why a table, not a query per read: the radars filter and sort a zone's enterprises by twelve
months of revenue and by three years of R&D over revenue; summing those rows on every page
read (240,000 rows in a zone of 6,667 enterprises) costs seconds, reading one row per
enterprise a few milliseconds.

The twelve months ending with month M of year Y are (Y−1, M+1) … (Y, M). A figure reported for
several months together (1–2月) that the window's start cuts counts for the share of its months
inside the window: the twelve months to January take half of last year's 1–2月.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import (
    Case,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils import timezone

from gaoxin.core import figure_cache
from gaoxin.core.bounds import MoneyField
from gaoxin.cultivation.models import LandRecord, Standing, StandingBuild
from gaoxin.economy.figures import selectors as fs
from gaoxin.economy.models import Indicator
from gaoxin.economy.periods import Period
from gaoxin.economy.selectors import values_in_effect
from gaoxin.enterprises.selectors import panel_once
from gaoxin.projects.models import Project
from gaoxin.projects.stages import Carrier

CENT = Decimal("0.01")
ZERO = Decimal(0)
# The indicators the standings add up, by catalogue code.
REVENUE, RND, TAX = "revenue", "rnd", "tax"
MONEY = MoneyField(max_digits=24, decimal_places=6)  # written in 万元/亿元 where shown


def month_index(year: int, month: int) -> int:
    return year * 12 + month


def _indicator_ids() -> dict[str, int]:
    return dict(Indicator.objects.filter(code__in=(REVENUE, RND, TAX)).values_list("code", "pk"))


def radar_period(zone_ids: Iterable[int], as_of: Any) -> Period | None:
    """The month a radar as of a day reads: the latest month with revenue figures in the
    zones that ended by the day (figures arrive weeks after their month); None without any.
    Read once for an enterprise page's panels (each radar's line asks for it)."""
    zone_ids = sorted(set(zone_ids))
    return panel_once(
        ("cultivation.radar_period", tuple(zone_ids), as_of),
        lambda: _radar_period(zone_ids, as_of),
    )


def _radar_period(zone_ids: list[int], as_of: Any) -> Period | None:
    ids = _indicator_ids()
    if REVENUE not in ids:
        return None
    return fs.latest_period(values_in_effect(zone_ids), by=as_of, indicator_id=ids[REVENUE])


def standings_for(zone_ids: Iterable[int], period: Period) -> QuerySet[Standing]:
    """The zones' standings as of the period's month, built first where they are not (looked
    at once for an enterprise page's panels)."""
    zone_ids = sorted(set(zone_ids))
    panel_once(
        ("cultivation.standings_built", tuple(zone_ids), period.year, period.month),
        lambda: _build_missing(zone_ids, period),
    )
    return Standing.objects.filter(zone_id__in=zone_ids, year=period.year, month=period.month)


def _build_missing(zone_ids: list[int], period: Period) -> bool:
    built = set(
        StandingBuild.objects.filter(
            zone_id__in=zone_ids, year=period.year, month=period.month
        ).values_list("zone_id", flat=True)
    )
    for zone_id in zone_ids:
        if zone_id not in built:
            build(zone_id, period)
    return True


# Above this many enterprises changed at once, rebuilding the zone's standings in one grouped
# pass per month costs less than recomputing them enterprise by enterprise; REBUILT of the
# months built are rebuilt then, the others dropped.
PARTIAL_LIMIT = 500
REBUILT = 3


def with_standing(zone_ids: Iterable[int], period: Period, **where: Any) -> Q:
    """A filter of enterprises to those with a standing of the month (and `where` on it): a
    radar's query starts from the standings' index (zone, year, month), a third of a large
    zone's enterprises, instead of scanning the zone's enterprises for their standing."""
    standing = Standing.objects.filter(
        zone_id__in=list(zone_ids), year=period.year, month=period.month, **where
    )
    return Q(pk__in=standing.values("enterprise_id"))


def standings_invalidate(zone_id: int) -> None:
    """Drop a zone's standings: its figures changed, so every month's sums may have."""
    StandingBuild.objects.filter(zone_id=zone_id).delete()
    Standing.objects.filter(zone_id=zone_id).delete()


def standings_refresh(zone_id: int, enterprise_ids: Collection[int] | None) -> None:
    """The figures of these enterprises of the zone changed (None: of any): compute their
    standings again for every month built, or drop the zone's (see the module's docstring)."""
    months = list(StandingBuild.objects.filter(zone_id=zone_id).values_list("year", "month"))
    if not months:
        return
    if enterprise_ids is None or len(enterprise_ids) > PARTIAL_LIMIT:
        # The radars are in use in this zone: rebuild, in the write, the months most recently
        # built and the zone's new latest month, so that no reader waits for them after an
        # import (a statistics import is a batch an officer waits for anyway); older months
        # are built again when someone asks for them.
        standings_invalidate(zone_id)
        latest = radar_period([zone_id], timezone.localdate())
        wanted = {Period.of(year, month) for year, month in sorted(months)[-REBUILT:]}
        for period in sorted(wanted | ({latest} if latest is not None else set())):
            build(zone_id, period)
        return
    ids = sorted(set(enterprise_ids))
    Standing.objects.filter(zone_id=zone_id, enterprise_id__in=ids).delete()
    indicator_ids = _indicator_ids()
    for year, month in months:
        period = Period.of(year, month)
        with figure_cache.covering([Standing], [zone_id]):
            Standing.objects.bulk_create(
                _standings(zone_id, period, _sums(zone_id, period, indicator_ids, ids), ids),
                batch_size=2000,
            )


def _sums(
    zone_id: int, period: Period, ids: dict[str, int], enterprise_ids: list[int] | None = None
) -> Any:
    """One row per enterprise of the zone with figures: the sums a `Standing` holds."""
    year, end = period.year, month_index(period.year, period.month)
    start = end - 11
    revenue = Q(indicator_id=ids.get(REVENUE, 0))
    rnd = Q(indicator_id=ids.get(RND, 0))
    tax = Q(indicator_id=ids.get(TAX, 0))
    in_window = revenue & Q(hi__gte=start)
    inside = ExpressionWrapper(F("hi") - Value(start) + 1, output_field=IntegerField())
    share = Case(
        When(lo__gte=start, then=F("amount")),
        default=ExpressionWrapper(F("amount") * inside / F("length"), output_field=MONEY),
        output_field=MONEY,
    )
    months = Case(
        When(lo__gte=start, then=F("length")), default=inside, output_field=IntegerField()
    )

    def year_sum(where: Q, offset: int) -> Sum:
        return Sum("amount", filter=where & Q(year=year - offset))

    rows = values_in_effect([zone_id])
    if enterprise_ids is not None:
        rows = rows.filter(enterprise_id__in=enterprise_ids)
    return (
        rows.filter(
            indicator_id__in=list(ids.values()),
            year__gte=year - 3,
            year__lte=year,
        )
        .filter(Q(year__lt=year) | Q(month__lte=period.month))
        .annotate(
            hi=ExpressionWrapper(F("year") * 12 + F("month"), output_field=IntegerField()),
            lo=ExpressionWrapper(F("year") * 12 + F("first_month"), output_field=IntegerField()),
            length=ExpressionWrapper(
                F("month") - F("first_month") + 1, output_field=IntegerField()
            ),
        )
        .order_by()
        .values("enterprise_id")
        .annotate(
            revenue_ttm=Sum(share, filter=in_window),
            months_ttm=Sum(months, filter=in_window),
            revenue_y1=year_sum(revenue, 1),
            revenue_y2=year_sum(revenue, 2),
            revenue_y3=year_sum(revenue, 3),
            months_y1=Sum("length", filter=revenue & Q(year=year - 1)),
            rnd_y1=year_sum(rnd, 1),
            rnd_y2=year_sum(rnd, 2),
            rnd_y3=year_sum(rnd, 3),
            tax_y1=year_sum(tax, 1),
            tax_y2=year_sum(tax, 2),
        )
    )


AMOUNTS = (
    *("revenue_ttm", "revenue_y1", "revenue_y2", "revenue_y3"),
    *("rnd_y1", "rnd_y2", "rnd_y3", "tax_y1", "tax_y2"),
)


def _money(value: Any) -> Decimal:
    if value is None:
        return ZERO
    return Decimal(str(value)).quantize(CENT)


def _land(
    zone_id: int, year: int, enterprise_ids: list[int] | None = None
) -> dict[int, tuple[Decimal, bool]]:
    """{enterprise id: (its land in m² at the year's end, whether from officers' records)}
    for the zone's enterprises with land then: the LandRecords in force at the year's end;
    for an enterprise with no record begun by then, its projects' land (拿地 by then). An
    enterprise whose records have all ended holds none (the records are the truth once there
    are any). Two grouped queries."""
    end = dt.date(year, 12, 31)
    records = LandRecord.objects.filter(enterprise__zone_id=zone_id, valid_from__lte=end)
    projects = Project.objects.filter(
        zone_id=zone_id,
        enterprise__isnull=False,
        carrier=Carrier.LAND,
        reached_land_acquired_on__lte=end,
        land_area__gt=0,
    )
    if enterprise_ids is not None:
        records = records.filter(enterprise_id__in=enterprise_ids)
        projects = projects.filter(enterprise_id__in=enterprise_ids)
    in_force = Q(valid_until__isnull=True) | Q(valid_until__gt=end)
    recorded = dict(
        records.order_by()
        .values("enterprise_id")
        .annotate(total=Sum("area", filter=in_force))
        .values_list("enterprise_id", "total")
    )
    land = {
        enterprise_id: (Decimal(str(total)), False)
        for enterprise_id, total in projects.order_by()
        .values("enterprise_id")
        .annotate(total=Sum("land_area"))
        .values_list("enterprise_id", "total")
        if enterprise_id not in recorded
    }
    land.update({e: (Decimal(str(total or 0)), True) for e, total in recorded.items()})
    return {e: (area.quantize(CENT), by_records) for e, (area, by_records) in land.items() if area}


def _standings(
    zone_id: int,
    period: Period,
    sums: Iterable[dict[str, Any]],
    enterprise_ids: list[int] | None = None,
) -> list[Standing]:
    """The standings of the month: one per enterprise with figures or land."""
    land_y1 = _land(zone_id, period.year - 1, enterprise_ids)
    land_y2 = _land(zone_id, period.year - 2, enterprise_ids)
    rows = {
        row["enterprise_id"]: Standing(
            zone_id=zone_id,
            enterprise_id=row["enterprise_id"],
            year=period.year,
            month=period.month,
            months_ttm=row["months_ttm"] or 0,
            months_y1=row["months_y1"] or 0,
            **{name: _money(row[name]) for name in AMOUNTS},
        )
        for row in sums
    }
    for enterprise_id in set(land_y1) | set(land_y2):
        rows.setdefault(
            enterprise_id,
            Standing(
                zone_id=zone_id, enterprise_id=enterprise_id, year=period.year, month=period.month
            ),
        )
    for enterprise_id, standing in rows.items():
        if enterprise_id in land_y1:
            standing.land_y1, standing.land_recorded_y1 = land_y1[enterprise_id]
        if enterprise_id in land_y2:
            standing.land_y2 = land_y2[enterprise_id][0]
    return list(rows.values())


def build(zone_id: int, period: Period) -> None:
    """Build the zone's standings of the period's month (see the module's docstring)."""
    rows = _standings(zone_id, period, _sums(zone_id, period, _indicator_ids()))
    try:
        with transaction.atomic():
            StandingBuild.objects.create(zone_id=zone_id, year=period.year, month=period.month)
            Standing.objects.filter(zone_id=zone_id, year=period.year, month=period.month).delete()
            with figure_cache.covering([Standing], [zone_id]):
                Standing.objects.bulk_create(rows, batch_size=2000)
    except IntegrityError:
        # Another request built them at the same moment: theirs stand.
        pass


def drop_all(day: object, moment: object) -> None:
    """Drop every standing and build (a cache of the figures) when gaoxin.core.rewind has put
    the records back as known on a day: they are built again from the rewound figures when a
    radar is read. Raw deletes: no signals, inside the rewind's rolled-back transaction."""
    for model in (StandingBuild, Standing):
        model.objects.all()._raw_delete(model.objects.db)
