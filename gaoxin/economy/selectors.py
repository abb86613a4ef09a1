"""Reads of the economy's records: the rows a figure uses now, and the rows it used as known on
a past day (the same precedence rule as `services.winners`, stated in SQL)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from gaoxin.economy.models import DEFAULT_PRECEDENCE, FigureValue, Indicator
from gaoxin.economy.periods import Period


def indicator_by_code(code: str) -> Indicator:
    return Indicator.objects.get(code=code)


def values_in_effect(zone_ids: Iterable[int]) -> QuerySet[FigureValue]:
    """The rows the zones' figures use now: one per enterprise, indicator and month."""
    return FigureValue.objects.filter(zone_id__in=list(zone_ids), in_effect=True)


def within(queryset: QuerySet[FigureValue], period: Period) -> QuerySet[FigureValue]:
    """Rows whose period lies inside `period` (a month, 1–2月, or a year to date 1–N月)."""
    return queryset.filter(
        year=period.year, first_month__gte=period.first_month, month__lte=period.month
    )


def year_to_date(queryset: QuerySet[FigureValue], period: Period) -> QuerySet[FigureValue]:
    """Rows of the year of `period` up to its month: what 本年累计 adds up."""
    return within(queryset, Period(period.year, period.month, 1))


def _end_of(day: dt.date) -> dt.datetime:
    start_next = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min)
    return timezone.make_aware(start_next) - dt.timedelta(microseconds=1)


def _rank(ranking: Sequence[str], field: str = "source") -> Case:
    return Case(
        *(When(**{field: source}, then=Value(index)) for index, source in enumerate(ranking)),
        default=Value(len(ranking)),
        output_field=IntegerField(),
    )


def values_known_on(
    zone_ids: Iterable[int], day: dt.date, ranking: Sequence[str]
) -> QuerySet[FigureValue]:
    """The rows the zones' figures used as known at the end of `day`: rows recorded by then
    and not yet revised, of which, where periods overlap, the best source (then the later
    recorded) — `services.winners`' rule."""
    moment = _end_of(day)
    known = Q(known_from__lte=moment) & (Q(known_until__isnull=True) | Q(known_until__gt=moment))
    rows = FigureValue.objects.filter(known, zone_id__in=list(zone_ids)).annotate(
        rank=_rank(ranking)
    )
    better = (
        FigureValue.objects.filter(known)
        .annotate(rank=_rank(ranking))
        .filter(
            enterprise_id=OuterRef("enterprise_id"),
            indicator_id=OuterRef("indicator_id"),
            year=OuterRef("year"),
            first_month__lte=OuterRef("month"),
            month__gte=OuterRef("first_month"),
        )
        .exclude(pk=OuterRef("pk"))
        .filter(
            Q(rank__lt=OuterRef("rank"))
            | Q(rank=OuterRef("rank"), known_from__gt=OuterRef("known_from"))
            | Q(rank=OuterRef("rank"), known_from=OuterRef("known_from"), pk__gt=OuterRef("pk"))
        )
    )
    return rows.filter(~Exists(better))


def values_as_of(
    zone_ids: Iterable[int], day: dt.date | None, ranking: Sequence[str]
) -> QuerySet[FigureValue]:
    """The rows in effect now (no day, or today or later), else as known on the day."""
    if day is None or day >= timezone.localdate():
        return values_in_effect(zone_ids)
    return values_known_on(zone_ids, day, ranking)


def rewind_to(day: dt.date, moment: dt.datetime) -> None:
    """Put the figures back as they were known at `moment`, the end of `day`, for
    gaoxin.core.rewind (inside a transaction it rolls back): rows recorded after it removed
    (and the imports that brought them), rows revised after it current again, and in the
    zones concerned the rows in effect chosen again by the precedence as it stood (the
    settings, which have history, are already put back). A fixed number of statements."""
    from gaoxin.economy.models import ImportBatch, ZoneEconomySettings

    later = Q(known_from__gt=moment)
    revised = Q(known_from__lte=moment, known_until__gt=moment)
    zone_ids = set(
        FigureValue.objects.filter(later | revised).values_list("zone_id", flat=True).distinct()
    ) | set(
        ZoneEconomySettings.history.filter(history_date__gt=moment)
        .values_list("zone_id", flat=True)
        .distinct()
    )
    using = FigureValue.objects.db
    FigureValue.objects.filter(later)._raw_delete(using)
    ImportBatch.objects.filter(created_at__gt=moment)._raw_delete(using)
    if not zone_ids:
        return
    FigureValue.objects.filter(zone_id__in=zone_ids, in_effect=True).update(in_effect=False)
    FigureValue.objects.filter(revised).update(known_until=None)
    rankings = {
        s.zone_id: tuple(s.ranking())
        for s in ZoneEconomySettings.objects.filter(zone_id__in=zone_ids)
    }
    by_ranking: dict[tuple[str, ...], list[int]] = {}
    for zone_id in sorted(zone_ids):
        default = tuple(s.value for s in DEFAULT_PRECEDENCE)
        by_ranking.setdefault(rankings.get(zone_id, default), []).append(zone_id)
    for ranking, zones in by_ranking.items():
        chosen = values_known_on(zones, day, ranking).values("pk")
        FigureValue.objects.filter(pk__in=chosen).update(in_effect=True)


def value_history(enterprise_id: int, indicator_id: int, period: Period) -> QuerySet[FigureValue]:
    """Every row ever recorded for one figure of one enterprise, newest first: each source's
    values and their revisions."""
    return (
        FigureValue.objects.filter(
            enterprise_id=enterprise_id,
            indicator_id=indicator_id,
            year=period.year,
            month=period.month,
            first_month=period.first_month,
        )
        .select_related("recorded_by", "batch")
        .order_by("-known_from", "-pk")
    )


__all__ = [
    "indicator_by_code",
    "rewind_to",
    "value_history",
    "values_as_of",
    "values_in_effect",
    "values_known_on",
    "within",
    "year_to_date",
]
