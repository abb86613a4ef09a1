"""Writing many new rows fast: COPY on PostgreSQL, one prepared INSERT run over every row
(`executemany`) on SQLite, each new record with the "+" history row django-simple-history
writes when it is saved.

`write_new(objs, by=…)` writes unsaved instances of one model with ids drawn from the table's
own sequence, then their history rows; `write_rows(model, fields, rows)` writes plain rows
(an M2M link table's). Each value goes to the database through its field's own
`get_db_prep_save` (never a conversion written here), asked once per column and kind of
value: a column whose field hands a value of that type back unchanged (a text to a CharField,
an int to a ForeignKey) passes every such value on as it is; any other is converted one value
at a time (Django's fields convert every value of a type the same way). A history row reuses
the values its record was written with.

Ids are reserved before writing, so the instances come back with them, and the table's
sequence stays where ordinary inserts expect it: on PostgreSQL they are `nextval` of the
table's sequence (one query for all); on SQLite they follow the table's AUTOINCREMENT counter
(`sqlite_sequence`), which the inserted ids move on, read inside the transaction that already
holds the write lock (the project opens SQLite transactions IMMEDIATE). Explicit ids given by
the caller are written as they are, and PostgreSQL's sequence is reset past them afterwards.

Unlike `save()`, nothing here sends signals (neither does `bulk_create`), and `clean()` is not
run: the caller checks its rows first, as the enterprise import does with the same checks as
its service. Everything is written inside one transaction (a savepoint when the caller holds
one), so a failure writes nothing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import islice, repeat
from operator import itemgetter
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.conf import settings
from django.core.management.color import no_style
from django.db import connections, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.fields import NOT_PROVIDED, AutoFieldMixin
from django.utils import timezone
from simple_history.utils import get_change_reason_from_object, get_history_model_for_model

from gaoxin.core import figure_cache

M = TypeVar("M", bound=models.Model)

BATCH = 10_000  # rows per COPY / executemany: memory bounded, progress heard per batch
if TYPE_CHECKING:
    Field = models.Field[Any, Any]
else:
    Field = models.Field
# Types whose equal values are written alike, so a value converted once serves every equal
# one (a date column repeats its days); other values are converted one by one.
_SAME_WHEN_EQUAL: frozenset[type] = frozenset({dt.date})


class _Prepare:
    """One column's `get_db_prep_save`, asked once per kind (type) of value the column holds:
    a kind the field hands back unchanged (a text to a CharField, an int to a ForeignKey) is
    written as it is; any other is converted by the field, value by value."""

    __slots__ = ("connection", "field", "passes")

    def __init__(self, field: Field, connection: BaseDatabaseWrapper) -> None:
        self.field = field
        self.connection = connection
        self.passes: dict[type, bool] = {}

    def _passes(self, kind: type, sample: Any) -> bool:
        passes = self.passes.get(kind)
        if passes is None:
            if hasattr(sample, "as_sql"):  # F(), a database default: no value to write
                raise TypeError(f"{self.field}: an expression is not written in bulk: {sample!r}")
            passes = self.passes[kind] = (
                self.field.get_db_prep_save(sample, self.connection) is sample
            )
        return passes

    def column(self, values: list[Any]) -> list[Any]:
        """The column's values as the database takes them."""
        kinds = set(map(type, values))
        converted = {
            kind
            for kind in kinds
            if not self._passes(kind, next(v for v in values if type(v) is kind))
        }
        if not converted:
            return values
        prepare = self.field.get_db_prep_save
        connection = self.connection
        equal: dict[Any, Any] = {}  # value → converted, for the kinds _SAME_WHEN_EQUAL
        same: dict[int, Any] = {}  # id → converted: one object (a time stamped) converted once
        out = []
        for value in values:
            kind = type(value)
            if kind not in converted:
                out.append(value)
            elif kind in _SAME_WHEN_EQUAL:
                if value not in equal:
                    equal[value] = prepare(value, connection)
                out.append(equal[value])
            else:
                key = id(value)  # the values list holds the object: its id stays its own
                if key not in same:
                    same[key] = prepare(value, connection)
                out.append(same[key])
        return out


def _columns(model: type[models.Model]) -> list[Field]:
    if model._meta.parents:
        raise NotImplementedError("multi-table inheritance is not written in bulk")
    fields: list[Field] = []
    for field in model._meta.local_concrete_fields:
        if getattr(field, "generated", False):
            continue  # the database computes it
        if field.db_default is not NOT_PROVIDED:
            raise NotImplementedError(f"{field}: database defaults are not written in bulk")
        fields.append(field)
    return fields


def _name(field: Field) -> str:
    assert field.column is not None  # a concrete field has its column
    return field.column


def _values(objs: Sequence[models.Model], attname: str) -> list[Any]:
    """One attribute of every instance (read from the instances' dicts: a new instance holds
    all its fields there)."""
    try:
        return list(map(itemgetter(attname), [obj.__dict__ for obj in objs]))
    except KeyError:  # a deferred field
        return [getattr(obj, attname) for obj in objs]


def _record(connection: BaseDatabaseWrapper, sql: str, rows: int, start: float) -> None:
    """Counted like any query (CaptureQueriesContext, assertNumQueries) when queries are
    logged: a COPY does not pass through Django's cursor wrapper."""
    if connection.queries_logged:
        took = time.monotonic() - start
        connection.queries_log.append({"sql": f"{rows} rows: {sql}", "time": f"{took:.3f}"})


def _insert(
    connection: BaseDatabaseWrapper, table: str, names: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    if not rows:
        return
    qn = connection.ops.quote_name
    columns = ", ".join(qn(name) for name in names)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = f"COPY {qn(table)} ({columns}) FROM STDIN"
            start = time.monotonic()
            with connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
                write = copy.write_row
                for row in rows:
                    write(row)
            _record(connection, sql, len(rows), start)
        else:
            marks = ", ".join(["%s"] * len(names))
            cursor.executemany(f"INSERT INTO {qn(table)} ({columns}) VALUES ({marks})", rows)


def _reserve_ids(connection: BaseDatabaseWrapper, model: type[models.Model], n: int) -> list[int]:
    """`n` new ids for `model`'s table, taken from where its next ordinary insert would."""
    table = model._meta.db_table
    pk = model._meta.pk
    assert pk is not None
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [qn(table), _name(pk), n],
            )
            return [row[0] for row in cursor.fetchall()]
        if connection.vendor == "sqlite":
            # AUTOINCREMENT never hands out an id twice: the next is past both its counter and
            # the largest id present; the ids written move the counter on.
            cursor.execute(
                f"SELECT max(coalesce(max({qn(_name(pk))}), 0), coalesce("
                "(SELECT seq FROM sqlite_sequence WHERE name = %s), 0)) "
                f"FROM {qn(table)}",
                [table],
            )
            last = int(cursor.fetchone()[0])
            return list(range(last + 1, last + n + 1))
    raise NotImplementedError(f"ids are not reserved on {connection.vendor}")


# SQLite's page cache for a bulk write (KiB; SQLite's own default is 2,000): a table's indexes
# are written at random places (names, codes), and a cache that holds them is not spilled
# half-way through the write.
SQLITE_CACHE_KIB = 65_536


@contextmanager
def roomy_cache(using: str = "default") -> Iterator[None]:
    """On SQLite, a page cache large enough for a bulk write while it runs (then as it was);
    elsewhere nothing."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        was = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    try:
        yield
    finally:  # on the driver's connection: after an error Django refuses queries till rollback
        connection.connection.execute(f"PRAGMA cache_size = {int(was)}")


def _reset_sequence(connection: BaseDatabaseWrapper, model: type[models.Model]) -> None:
    """Past the largest id, so that ordinary inserts go on after ids written explicitly
    (SQLite's AUTOINCREMENT moves on by itself)."""
    statements = connection.ops.sequence_reset_sql(no_style(), [model])
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _stamp(objs: Sequence[models.Model], fields: list[Field]) -> None:
    """The values made when a row is saved, by the fields' own `pre_save` as `save()` and
    `bulk_create()` make them; a time stamped (auto_now, auto_now_add) is taken once, so the
    rows of one write share the moment of their write."""
    if not objs:
        return
    for field in fields:
        if type(field).pre_save is models.Field.pre_save:
            continue  # the attribute as it is
        if isinstance(field, models.DateField):
            if field.auto_now or field.auto_now_add:
                moment = field.pre_save(objs[0], True)
                for obj in objs:
                    setattr(obj, field.attname, moment)
            continue  # a date not stamped: DateField.pre_save reads the attribute
        for obj in objs:
            field.pre_save(obj, True)


def _relate(objs: Sequence[models.Model], fields: list[Field]) -> None:
    """A foreign key given as an instance saved since (enterprise=… before the enterprise had
    its id) takes its id, and one still unsaved is refused, as `bulk_create` does."""
    for field in fields:
        if not field.is_relation or field.many_to_many:
            continue
        for obj in objs:
            if obj.__dict__.get(field.attname) is None and cast(Any, field).is_cached(obj):
                cast(Any, obj)._prepare_related_fields_for_save(operation_name="bulk_create")


def write_new(
    objs: Sequence[M],
    *,
    by: models.Model | None = None,
    using: str = "default",
    batch_size: int = BATCH,
    progress: Callable[[int], object] | None = None,
) -> Sequence[M]:
    """Write unsaved instances of one model and, when it keeps a history, one "+" history row
    for each, as `save_recorded(obj, by)` would: the same columns, the same user (`by`, else
    the instance's `_history_user`), the instance's `_change_reason` (None when it has none,
    as simple-history writes it). The instances get their ids and count as saved;
    `progress(n)` hears how many are written so far, after each batch."""
    if not objs:
        return objs
    model = type(objs[0])
    if any(type(obj) is not model for obj in objs):
        raise TypeError("write_new writes instances of one model at a time")
    connection = connections[using]
    opts = model._meta
    pk = opts.pk
    assert pk is not None
    fields = _columns(model)
    prepares = [_Prepare(f, connection) for f in fields]
    history = _History(model, fields, connection) if _keeps_history(model) else None
    # No signal is sent: the records' zones are said, so that their figures alone are read
    # afresh (core/figure_cache.py; PostgreSQL's COPY is not seen by any execute wrapper).
    # (Not when the caller's `covering` block has said them already.)
    tables = [opts.db_table, *([history.table] if history is not None else [])]
    covering = (
        contextlib.nullcontext()
        if figure_cache.is_covered(opts.db_table, using=using)
        else figure_cache.covering(tables, figure_cache.zones_of_records(objs), using=using)
    )
    with transaction.atomic(using=using, savepoint=False), covering:
        missing = [obj for obj in objs if obj.pk is None]
        if missing:
            if not isinstance(pk, AutoFieldMixin):
                raise ValueError(f"{model.__name__}: instances without a primary key")
            new_ids = _reserve_ids(connection, model, len(missing))
            for obj, new_id in zip(missing, new_ids, strict=True):
                setattr(obj, pk.attname, new_id)
        _stamp(objs, fields)
        done = 0
        for start in range(0, len(objs), batch_size):
            batch = objs[start : start + batch_size]
            _relate(batch, fields)
            columns = [
                p.column(_values(batch, f.attname)) for p, f in zip(prepares, fields, strict=True)
            ]
            rows = list(zip(*columns, strict=True))
            _insert(connection, opts.db_table, [_name(f) for f in fields], rows)
            if history is not None:
                history_rows = history.rows(batch, columns, by)
                _insert(connection, history.table, history.names, history_rows)
            for obj in batch:
                obj._state.adding = False
                obj._state.db = using
            done += len(batch)
            if progress is not None:
                progress(done)
        if len(missing) < len(objs) and isinstance(pk, AutoFieldMixin):
            _reset_sequence(connection, model)
    return objs


def write_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    using: str = "default",
    batch_size: int = BATCH,
) -> int:
    """Write plain rows of the named fields (no instances, no history: an M2M link table's),
    the table's own id left to the database. Returns how many were written."""
    connection = connections[using]
    opts = model._meta
    chosen = [cast(Field, opts.get_field(name)) for name in fields]
    prepares = [_Prepare(f, connection) for f in chosen]
    names = [_name(f) for f in chosen]
    count = 0
    # The rows' zones, when one of the fields is the first link of the way to them; else
    # every zone (core/figure_cache.py; PostgreSQL's COPY is seen by no execute wrapper).
    path = figure_cache.zone_path(model)
    link = path.hops[0][1] if path.hops else None
    position = next((i for i, f in enumerate(chosen) if f.attname == link), None)
    covered = figure_cache.is_covered(opts.db_table, using=using)
    if covered:
        position = None
    links: set[Any] = set()
    with (
        transaction.atomic(using=using, savepoint=False),
        figure_cache.expecting([opts.db_table], using=using),
    ):
        iterator = iter(rows)
        while batch := list(islice(iterator, batch_size)):
            if position is not None:
                links.update(row[position] for row in batch)
            columns = [
                p.column(list(c)) for p, c in zip(prepares, zip(*batch, strict=True), strict=True)
            ]
            _insert(connection, opts.db_table, names, list(zip(*columns, strict=True)))
            count += len(batch)
        if count and not covered:
            zones = (
                figure_cache.zones_of_links(model, link, links)
                if position is not None and link is not None
                else None
            )
            figure_cache.changed(zones, using=using)
    return count


# --- history ----------------------------------------------------------------------------------


def _keeps_history(model: type[models.Model]) -> bool:
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return False
    try:
        get_history_model_for_model(model)
    except AttributeError:
        return False
    return True


_HISTORY_OWN = {
    "history_date",
    "history_type",
    "history_user_id",
    "history_change_reason",
    "history_relation_id",
}


class _History:
    """The history table's columns: each either a column of the record, with the value the
    record was written with, or one of simple-history's own."""

    def __init__(
        self, model: type[models.Model], fields: list[Field], connection: BaseDatabaseWrapper
    ) -> None:
        history_model = get_history_model_for_model(model)
        self.table: str = history_model._meta.db_table
        position = {f.attname: i for i, f in enumerate(fields)}
        pk = model._meta.pk
        assert pk is not None
        self.pk_position = position[pk.attname]
        self.names: list[str] = []
        self.sources: list[int | str] = []  # the record's column, or a history attribute
        self.constants: dict[str, Any] = {"history_type": "+"}
        for field in _columns(history_model):
            if field.primary_key:  # history_id: the database's
                continue
            self.names.append(_name(field))
            if field.attname in _HISTORY_OWN:
                self.sources.append(field.attname)
            elif field.attname in position:
                self.sources.append(position[field.attname])
            else:  # another column of the history model (custom_historical_attrs): its default
                self.sources.append(field.attname)
                self.constants[field.attname] = field.get_db_prep_save(
                    field.get_default(), connection
                )
        date_field = cast(Field, history_model._meta.get_field("history_date"))
        # simple-history stamps each row when it writes it; these are written together.
        self.constants["history_date"] = date_field.get_db_prep_save(timezone.now(), connection)

    def rows(
        self, objs: Sequence[models.Model], columns: list[list[Any]], by: models.Model | None
    ) -> list[tuple[Any, ...]]:
        n = len(objs)
        users: Iterable[Any]
        if by is not None:
            users = repeat(by.pk, n)
        else:
            users = [
                None if (user := getattr(obj, "_history_user", None)) is None else user.pk
                for obj in objs
            ]
        varying: dict[str, Iterable[Any]] = {
            "history_user_id": users,
            "history_change_reason": [get_change_reason_from_object(obj) for obj in objs],
            "history_relation_id": columns[self.pk_position],
        }
        out: list[Iterable[Any]] = []
        for source in self.sources:
            if isinstance(source, int):
                out.append(columns[source])
            elif source in varying:
                out.append(varying[source])
            else:
                out.append(repeat(self.constants[source], n))
        return list(zip(*out, strict=True))
