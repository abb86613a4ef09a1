"""A list as an .xlsx sheet: one helper for every export, built on `Column`s.

Each column is a label and a dotted path read on every record (core/metrics.py `Column`), and
its `Kind` says how the value becomes a cell. When every column is a field reached through
foreign keys (or a choice's display, or an annotation), the rows are read as tuples with
`values_list`: at 100,000 rows, model instances took longer than writing the workbook. A
column that is a property or a method reads model instances, their foreign keys selected in
the same query. A many-to-many column (Kind.NAMES) reads the names (or the attribute its
path names after the field) of all rows in one query.

An export of more than GAOXIN_EXPORT_JOB_ROWS rows is not built inside the request when the
jobs app has installed `defer_large` (core knows nothing of jobs, it only asks): the hook
queues a job and answers with its page. The job replays the request in the worker, marked
with `REPLAY` (which also hears how many rows are written), and the export is built there.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from operator import itemgetter
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.functional import Promise

from gaoxin.core.excel import write_workbook, xlsx_response
from gaoxin.core.metrics import Column, Kind

CHUNK = 2000
_DISPLAY = re.compile(r"get_(\w+)_display")
# How often (in rows) a replayed export tells its job how far it has got.
REPORT_EVERY = 1000


class RowCounter(Protocol):
    """What a job's replay of an export puts on its request (jobs/progress.py `Progress`)."""

    def update(self, *, written: int | None = None, total: int | None = None) -> None: ...


# The request attribute that marks a job's replay of an export: the export is built in the
# request whatever its size, and the attribute's RowCounter hears the rows written.
REPLAY = "gaoxin_export_replay"

# Installed by the jobs app (jobs/exports.py): given the request of an export with more rows
# than GAOXIN_EXPORT_JOB_ROWS and the list's name, the response that sends the export to a
# background job, or None to build it here.
defer_large: Callable[[HttpRequest, str], HttpResponse | None] | None = None


def export_response(
    queryset: QuerySet[Any],
    columns: Sequence[Column],
    *,
    name: Promise | str,
    title: str | None = None,
    filename: str | None = None,
    all_rows: bool = False,
    request: HttpRequest | None = None,
    rows: int | None = None,
) -> HttpResponse:
    """The records as a one-sheet workbook: a title row ("<name> <today>" unless given), the
    columns' labels, then one row per record, at most GAOXIN_EXPORT_MAX_ROWS unless
    `all_rows`. The file is "<name>-<YYYYMMDD>.xlsx" unless given.

    Given the `request`, an export of more than GAOXIN_EXPORT_JOB_ROWS records goes to a
    background job (`defer_large`) unless the request is that job's replay. `rows` is the
    number of records when the caller knows it already (a count the page has made)."""
    name = str(name)
    limit = None if all_rows else settings.GAOXIN_EXPORT_MAX_ROWS
    counter: RowCounter | None = getattr(request, REPLAY, None)
    if (
        request is not None
        and counter is None
        and defer_large is not None
        and _more_than(queryset, settings.GAOXIN_EXPORT_JOB_ROWS, rows)
    ):
        deferred = defer_large(request, name)
        if deferred is not None:
            return deferred
    today = timezone.localdate()
    headers = [str(column.label) for column in columns]
    cells: Iterable[list[Any]] = export_rows(queryset, columns, limit=limit)
    if counter is not None:
        total = rows if rows is not None else _unordered(queryset).count()
        counter.update(total=total if limit is None else min(total, limit), written=0)
        cells = _counted(cells, counter)
    content = write_workbook(headers, cells, title=f"{name} {today}" if title is None else title)
    return xlsx_response(content, filename or f"{name}-{today:%Y%m%d}.xlsx")


def _more_than(queryset: QuerySet[Any], limit: int, rows: int | None) -> bool:
    """Whether the queryset has more than `limit` rows, reading at most limit + 1 of them."""
    if rows is not None:
        return rows > limit
    return _unordered(queryset)[: limit + 1].count() > limit


def _unordered(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """The queryset without its ordering, for a count (a sliced one cannot be reordered)."""
    return queryset if queryset.query.is_sliced else queryset.order_by()


def _counted(rows: Iterable[list[Any]], counter: RowCounter) -> Iterator[list[Any]]:
    """The rows as they come, telling `counter` every REPORT_EVERY rows and at the end."""
    written = 0
    for written, row in enumerate(rows, 1):
        yield row
        if written % REPORT_EVERY == 0:
            counter.update(written=written)
    counter.update(written=written, total=written)


def export_rows(
    queryset: QuerySet[Any], columns: Sequence[Column], *, limit: int | None = None
) -> Iterator[list[Any]]:
    """Each record's cells, in the queryset's order."""
    model = queryset.model
    names = {
        index: _names_of(queryset, model._meta.get_field(field), *attribute)
        for index, column in enumerate(columns)
        if column.kind is Kind.NAMES
        for field, *attribute in [column.path.split(".", 1)]
    }
    limited = queryset[:limit] if limit is not None else queryset
    readers = [
        None if column.kind is Kind.NAMES else _value_reader(queryset, column) for column in columns
    ]
    if all(reader is not None for index, reader in enumerate(readers) if index not in names):
        yield from _rows_from_values(limited, columns, readers, names)
    else:
        yield from _rows_from_instances(limited, columns, names)


def _rows_from_values(
    queryset: QuerySet[Any],
    columns: Sequence[Column],
    readers: list[tuple[str, Callable[[Any], Any]] | None],
    names: dict[int, dict[Any, list[str]]],
) -> Iterator[list[Any]]:
    lookups = ["pk"] + [reader[0] for reader in readers if reader is not None]
    # One getter per column, from the row's tuple (pk first); a plain field's is an
    # itemgetter, so most cells of a 100,000-row export cost no Python function call.
    getters: list[Callable[[tuple[Any, ...]], Any]] = []
    position = 0
    for index, (column, reader) in enumerate(zip(columns, readers, strict=True)):
        if reader is None:
            getters.append(partial(_names_cell, names[index], column.kind))
            continue
        position += 1
        getters.append(_getter(position, reader[1], column.kind))
    for row in queryset.values_list(*lookups).iterator(chunk_size=CHUNK):
        yield [get(row) for get in getters]


def _names_cell(names: dict[Any, list[str]], kind: Kind, row: tuple[Any, ...]) -> Any:
    return kind.cell(names.get(row[0], ()))


def _getter(
    position: int, convert: Callable[[Any], Any], kind: Kind
) -> Callable[[tuple[Any, ...]], Any]:
    if convert is _same and kind is Kind.VALUE:
        return itemgetter(position)
    if kind is Kind.VALUE:
        return lambda row: convert(row[position])
    if convert is _same:
        return lambda row: kind.cell(row[position])
    return lambda row: kind.cell(convert(row[position]))


def _rows_from_instances(
    queryset: QuerySet[Any], columns: Sequence[Column], names: dict[int, dict[Any, list[str]]]
) -> Iterator[list[Any]]:
    related = {
        chain for column in columns for chain in _foreign_key_chains(queryset.model, column.path)
    }
    if related:
        queryset = queryset.select_related(*sorted(related))
    for obj in queryset.iterator(chunk_size=CHUNK):
        yield [
            column.kind.cell(names[index].get(obj.pk, ()) if index in names else column.value(obj))
            for index, column in enumerate(columns)
        ]


def _value_reader(
    queryset: QuerySet[Any], column: Column
) -> tuple[str, Callable[[Any], Any]] | None:
    """The `values_list` lookup giving the column's value and how to turn it into the value
    the path gives on an instance; None when the path is not a stored field."""
    *hops, last = column.path.split(".")
    model = queryset.model
    if not hops and last in queryset.query.annotations:
        return last, _same
    for hop in hops:
        field = _field(model, hop)
        if field is None or not (field.many_to_one or field.one_to_one) or not field.concrete:
            return None
        model = field.related_model
    display = _DISPLAY.fullmatch(last)
    field = _field(model, display.group(1) if display else last)
    if field is None or field.is_relation or not field.concrete:
        return None
    lookup = "__".join([*hops, field.name])
    if display is None:
        return lookup, _same
    if not field.choices:
        return None
    shown = {value: str(label) for value, label in field.flatchoices}
    return lookup, lambda value: shown.get(value, value)


def _foreign_key_chains(model: type[Model], path: str) -> list[str]:
    """The foreign keys the path follows, as select_related takes them ("space",
    "enterprise__zone"), the last part included when it is a foreign key itself."""
    chains, hops = [], []
    for part in path.split("."):
        field = _field(model, part)
        if field is None or not (field.many_to_one or field.one_to_one) or not field.concrete:
            break
        hops.append(part)
        chains.append("__".join(hops))
        model = field.related_model
    return chains


def _names_of(queryset: QuerySet[Any], field: Any, attribute: str = "name") -> dict[Any, list[str]]:
    """For a many-to-many field: each record's related records' `attribute` ("name", or the
    one the column's path names after the field: "policies.title"), in the related model's
    order, read in one query for every record of the queryset."""
    through = field.remote_field.through
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    ordering = [
        f"-{target}__{key[1:]}" if key.startswith("-") else f"{target}__{key}"
        for key in field.related_model._meta.ordering
    ]
    names: dict[Any, list[str]] = defaultdict(list)
    for record, name in (
        through.objects.filter(**{f"{source}__in": queryset.order_by().values("pk")})
        .order_by(*ordering)
        .values_list(f"{source}_id", f"{target}__{attribute}")
        .iterator(chunk_size=5 * CHUNK)
    ):
        names[record].append(name)
    return names


def _field(model: type[Model], name: str) -> Any:
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _same(value: Any) -> Any:
    return value
