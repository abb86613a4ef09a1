"""Writes to the economy: figures recorded with their source (revisions close the row they
replace, never overwrite it), which row each figure uses (the zone's precedence of sources),
the zone's settings. Each public service runs in one transaction."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.accounts.models import User, Zone
from gaoxin.core import figure_cache
from gaoxin.core.errors import DomainError
from gaoxin.economy.models import (
    AMOUNT_DIGITS,
    FigureValue,
    ImportBatch,
    Indicator,
    Source,
    ZoneEconomySettings,
)
from gaoxin.economy.periods import Period

BATCH = 1000  # rows per INSERT or UPDATE
KEYS_PER_QUERY = 400  # enterprise ids per lookup, under any database's parameter limit


@dataclass(frozen=True)
class FigureInput:
    """One value to record: whose, which indicator and period, the amount (the period's own
    value) and, for a flow, the cumulative the source gave."""

    enterprise_id: int
    indicator_id: int
    period: Period
    amount: Decimal
    cumulative: Decimal | None = None


@dataclass
class RecordResult:
    created: int = 0  # values new to the record
    revised: int = 0  # values that replaced a different one of the same source
    unchanged: int = 0  # values equal to what the same source had given
    batch: ImportBatch | None = None
    notes: list[str] = field(default_factory=list)


# Called whenever a zone's figures change, with the zone's id and the enterprises whose
# figures changed (None: any of them, as when the precedence changes), inside the writing
# transaction: the cultivation radars refresh the sums they built from them. Apps above the
# economy register here.
ChangeListener = Callable[[int, Collection[int] | None], None]
_CHANGE_LISTENERS: list[ChangeListener] = []


def register_change_listener(listener: ChangeListener) -> None:
    if listener not in _CHANGE_LISTENERS:
        _CHANGE_LISTENERS.append(listener)


def _changed(zone_id: int, enterprise_ids: Collection[int] | None) -> None:
    for listener in _CHANGE_LISTENERS:
        listener(zone_id, enterprise_ids)


def economy_settings(zone: Zone | int) -> ZoneEconomySettings:
    """The zone's settings, created with the defaults the first time they are asked for."""
    zone_id = zone if isinstance(zone, int) else zone.pk
    settings, _created = ZoneEconomySettings.objects.get_or_create(zone_id=zone_id)
    return settings


def _key(enterprise_id: int, indicator_id: int, period: Period) -> tuple[int, int, int, int, int]:
    return (enterprise_id, indicator_id, period.year, period.month, period.first_month)


@transaction.atomic
def figures_record(
    *,
    zone: Zone,
    values: Sequence[FigureInput],
    source: str,
    by: User | None,
    batch: ImportBatch | None = None,
    at: dt.datetime | None = None,
) -> RecordResult:
    """Record one source's values for enterprises of the zone, all or none.

    A value equal to the source's current one is left alone; a different one closes the
    current row (known_until = now) and adds the new one, so the old value stays in the
    history and "as known on a day" still finds it. Then the rows each affected figure uses
    are chosen again by the zone's precedence. The queries grow with the batches, not the
    rows."""
    if source not in Source.values:
        raise DomainError(_("Unknown source of figures: %(source)s.") % {"source": source})
    at = at or timezone.now()
    seen: set[tuple[int, int, int, int, int]] = set()
    for value in values:
        key = _key(value.enterprise_id, value.indicator_id, value.period)
        if key in seen:
            raise DomainError(
                _("The same enterprise, indicator and period are given twice; nothing was saved.")
            )
        seen.add(key)
    enterprise_ids = sorted({v.enterprise_id for v in values})
    _check_zone(zone, enterprise_ids)
    result = RecordResult(batch=batch)
    current = _current_rows(enterprise_ids, source, {v.period for v in values})
    to_close: list[int] = []
    to_add: list[tuple[Any, ...]] = []
    groups: set[tuple[int, int, int]] = set()
    ops = connection.ops
    known_from = ops.adapt_datetimefield_value(at)
    batch_id = batch.pk if batch is not None else None
    by_id = by.pk if by is not None else None

    def decimal(amount: Decimal | None) -> object:
        if amount is None:
            return None
        return ops.adapt_decimalfield_value(amount, AMOUNT_DIGITS, 2)

    for value in values:
        period = value.period
        key = (
            value.enterprise_id,
            value.indicator_id,
            period.year,
            period.month,
            period.first_month,
        )
        old = current.get(key)
        if old is not None and old[1] == value.amount and old[2] == value.cumulative:
            result.unchanged += 1
            continue
        if old is not None:
            to_close.append(old[0])
            result.revised += 1
        else:
            result.created += 1
        groups.add((value.enterprise_id, value.indicator_id, period.year))
        to_add.append(
            (
                zone.pk,
                value.enterprise_id,
                value.indicator_id,
                period.year,
                period.month,
                period.first_month,
                decimal(value.amount),
                decimal(value.cumulative),
                source,
                batch_id,
                by_id,
                known_from,
                None,
                False,
            )
        )
    # The rows are the zone's: its figures alone are read afresh (core/figure_cache.py).
    with figure_cache.covering([FigureValue], [zone.pk]):
        for start in range(0, len(to_close), BATCH):
            FigureValue.objects.filter(pk__in=to_close[start : start + BATCH]).update(
                known_until=at, in_effect=False
            )
    months = _span(v.period for v in values)
    # A figure whose only current row is the new one uses it: such rows are written in
    # effect at once, and only the figures where rows compete are chosen again afterwards.
    new_per_group: dict[tuple[int, int, int], int] = defaultdict(int)
    for row in to_add:
        new_per_group[(row[1], row[2], row[3])] += 1
    contested = _groups_with_rows(groups, months) | {
        group for group, count in new_per_group.items() if count > 1
    }
    with figure_cache.covering([FigureValue], [zone.pk]):
        _insert([(*row[:-1], (row[1], row[2], row[3]) not in contested) for row in to_add])
    effect_refresh(zone_id=zone.pk, groups=contested, months=months)
    if to_add:
        _changed(zone.pk, {row[1] for row in to_add})
    return result


def _groups_with_rows(
    groups: Iterable[tuple[int, int, int]], months: tuple[int, int]
) -> set[tuple[int, int, int]]:
    """Of these (enterprise, indicator, year) groups, those with a current row overlapping the
    months (widened as effect_refresh widens them)."""
    by_enterprise: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for enterprise_id, indicator_id, year in groups:
        by_enterprise[enterprise_id].add((indicator_id, year))
    enterprise_ids = sorted(by_enterprise)
    found: set[tuple[int, int, int]] = set()
    for start in range(0, len(enterprise_ids), KEYS_PER_QUERY):
        chunk = enterprise_ids[start : start + KEYS_PER_QUERY]
        found |= {g for g, rows in _overlapping_rows(chunk, by_enterprise, months).items() if rows}
    return found


def _check_zone(zone: Zone, enterprise_ids: Sequence[int]) -> None:
    from gaoxin.enterprises.models import Enterprise

    for start in range(0, len(enterprise_ids), KEYS_PER_QUERY):
        chunk = enterprise_ids[start : start + KEYS_PER_QUERY]
        found = Enterprise.objects.filter(pk__in=chunk, zone_id=zone.pk).count()
        if found != len(chunk):
            raise DomainError(_("A figure names an enterprise of another zone; nothing was saved."))


def _current_rows(
    enterprise_ids: Sequence[int], source: str, periods: Iterable[Period]
) -> dict[tuple[int, int, int, int, int], tuple[int, Decimal, Decimal | None]]:
    """The source's current rows for these enterprises and periods: key → (pk, amount,
    cumulative). Read as tuples: a model instance per row would cost more than the rest."""
    periods = set(periods)
    years, months = {p.year for p in periods}, {p.month for p in periods}
    rows: dict[tuple[int, int, int, int, int], tuple[int, Decimal, Decimal | None]] = {}
    for start in range(0, len(enterprise_ids), KEYS_PER_QUERY):
        chunk = enterprise_ids[start : start + KEYS_PER_QUERY]
        for (
            pk,
            enterprise_id,
            indicator_id,
            year,
            month,
            first_month,
            amount,
            cumulative,
        ) in FigureValue.objects.filter(
            enterprise_id__in=chunk,
            source=source,
            year__in=years,
            month__in=months,
            known_until__isnull=True,
        ).values_list(
            "pk",
            "enterprise_id",
            "indicator_id",
            "year",
            "month",
            "first_month",
            "amount",
            "cumulative",
        ):
            rows[(enterprise_id, indicator_id, year, month, first_month)] = (
                pk,
                amount,
                cumulative,
            )
    return rows


_INSERT_FIELDS = (
    "zone",
    "enterprise",
    "indicator",
    "year",
    "month",
    "first_month",
    "amount",
    "cumulative",
    "source",
    "batch",
    "recorded_by",
    "known_from",
    "known_until",
    "in_effect",
)


def _insert(rows: list[tuple[Any, ...]]) -> None:
    """INSERT the rows (values in _INSERT_FIELDS' order, already adapted for the database) in
    batches through the cursor: bulk_create would build and take apart a model instance per
    row, most of an import's time."""
    if not rows:
        return
    meta = FigureValue._meta
    column_of = {f.name: f.column or f.name for f in meta.concrete_fields}
    columns = ", ".join(connection.ops.quote_name(column_of[name]) for name in _INSERT_FIELDS)
    placeholders = ", ".join(["%s"] * len(_INSERT_FIELDS))
    sql = (
        f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({columns}) "
        f"VALUES ({placeholders})"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])


class _Rows(Protocol):
    @property
    def pk(self) -> int | None: ...

    @property
    def source(self) -> str: ...

    @property
    def known_from(self) -> dt.datetime: ...

    @property
    def period(self) -> Period: ...


@dataclass(frozen=True, slots=True)
class _Row:
    """A current row as effect_refresh reads it (a tuple's worth, not a model instance)."""

    pk: int
    source: str
    known_from: dt.datetime
    first_month: int
    month: int
    year: int
    in_effect: bool

    @property
    def period(self) -> Period:
        return Period(self.year, self.month, self.first_month)


def winners(rows: Sequence[_Rows], ranking: Sequence[str]) -> set[int]:
    """Of one enterprise's current rows of one indicator and year, the ids of those its figures
    use: a row is used unless a better row overlaps its months. Better means a source earlier
    in the ranking; between rows of one source, the later recorded. (1–2月 from the bureau
    thus beats an enterprise's own 1月 and 2月.) `selectors.values_known_on` states the same
    rule in SQL; a test holds the two together."""
    rank = {source: index for index, source in enumerate(ranking)}
    if len(rows) == 1:
        return {rows[0].pk} if rows[0].pk is not None else set()

    def better(a: _Rows, b: _Rows) -> bool:
        return (rank[a.source], -a.known_from.timestamp(), -(a.pk or 0)) < (
            rank[b.source],
            -b.known_from.timestamp(),
            -(b.pk or 0),
        )

    return {
        row.pk
        for row in rows
        if row.pk is not None
        and not any(
            other is not row and other.period.overlaps(row.period) and better(other, row)
            for other in rows
        )
    }


def _span(periods: Iterable[Period]) -> tuple[int, int]:
    periods = list(periods)
    if not periods:
        return (1, 12)
    return min(p.first_month for p in periods), max(p.month for p in periods)


def effect_refresh(
    *,
    zone_id: int,
    groups: Iterable[tuple[int, int, int]],
    months: tuple[int, int] = (1, 12),
) -> None:
    """Choose again the rows in effect for these (enterprise, indicator, year) groups, among
    the rows overlapping `months` (first, last): a new June value changes nothing in March,
    so an import of one month reads that month's rows, not the year's."""
    groups = sorted(set(groups))
    if not groups:
        return
    ranking = economy_settings(zone_id).ranking()
    by_enterprise: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for enterprise_id, indicator_id, year in groups:
        by_enterprise[enterprise_id].add((indicator_id, year))
    enterprise_ids = sorted(by_enterprise)
    on: list[int] = []
    off: list[int] = []
    for start in range(0, len(enterprise_ids), KEYS_PER_QUERY):
        chunk = enterprise_ids[start : start + KEYS_PER_QUERY]
        grouped = _overlapping_rows(chunk, by_enterprise, months)
        for rows in grouped.values():
            chosen = winners(rows, ranking)
            for row in rows:
                if (row.pk in chosen) != row.in_effect:
                    (on if row.pk in chosen else off).append(row.pk)
    with figure_cache.covering([FigureValue], [zone_id]):
        for ids, flag in ((on, True), (off, False)):
            for start in range(0, len(ids), BATCH):
                FigureValue.objects.filter(pk__in=ids[start : start + BATCH]).update(in_effect=flag)


def _overlapping_rows(
    chunk: Sequence[int],
    by_enterprise: dict[int, set[tuple[int, int]]],
    months: tuple[int, int],
) -> dict[tuple[int, int, int], list[_Row]]:
    """The current rows of these groups overlapping the months, widened until no row loaded
    reaches outside them (a 1–2月 row loaded for February brings January in)."""
    years = {year for e in chunk for _i, year in by_enterprise[e]}
    indicator_ids = {i for e in chunk for i, _y in by_enterprise[e]}
    first, last = months
    while True:
        grouped: dict[tuple[int, int, int], list[_Row]] = defaultdict(list)
        low, high = first, last
        for (
            pk,
            enterprise_id,
            indicator_id,
            year,
            month,
            first_month,
            source,
            known_from,
            in_effect,
        ) in FigureValue.objects.filter(
            enterprise_id__in=chunk,
            indicator_id__in=indicator_ids,
            year__in=years,
            known_until__isnull=True,
            month__gte=first,
            first_month__lte=last,
        ).values_list(
            "pk",
            "enterprise_id",
            "indicator_id",
            "year",
            "month",
            "first_month",
            "source",
            "known_from",
            "in_effect",
        ):
            if (indicator_id, year) in by_enterprise[enterprise_id]:
                grouped[(enterprise_id, indicator_id, year)].append(
                    _Row(pk, source, known_from, first_month, month, year, in_effect)
                )
                low = min(low, first_month)
                high = max(high, month)
        if (low, high) == (first, last):
            return grouped
        first, last = low, high


@transaction.atomic
def precedence_set(*, zone: Zone, ranking: Sequence[str], by: User | None) -> None:
    """Change which source the zone's figures use first, and choose every figure's row
    again."""
    if sorted(ranking) != sorted(Source.values):
        raise DomainError(_("Name every source once, best first."))
    settings = economy_settings(zone)
    settings.precedence = ",".join(ranking)
    settings._history_user = by
    settings.save()
    groups = (
        FigureValue.objects.filter(zone_id=zone.pk, known_until__isnull=True)
        .values_list("enterprise_id", "indicator_id", "year")
        .distinct()
    )
    effect_refresh(zone_id=zone.pk, groups=list(groups))
    _changed(zone.pk, None)


def indicators() -> list[Indicator]:
    return list(Indicator.objects.filter(is_active=True))
