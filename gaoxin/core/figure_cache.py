"""Figures without recomputation, never stale.

A figure (a registered metric's value, or anything else computed from a scope's records, such
as a chart's grouped aggregate) is cached under its scope: the zones, the day, and each zone's
*generation*. A generation is a counter per zone kept in the database (`FigureGeneration`),
so every process and every machine reading the same database agrees on it, whatever cache
holds the values (Redis shared by all nodes, or each process's own memory).

Any write bumps the generations of exactly the zones it touches, once its transaction has
committed, so the next read misses the cache and recomputes:

- a model saved, deleted, or a many-to-many link changed, through any code path that sends
  Django's signals, is traced to its zone (its own `zone`, or the zone of the enterprise,
  project, space... it belongs to; `zone_path`);
- a write that sends no signal (`QuerySet.update()`, `bulk_create`, `core.bulk`, raw SQL) is
  seen by a wrapper on every database connection: unless the code said which zones it touches
  (`covering(...)`), it bumps every zone. Never stale; precise wherever the code says so.

A reader inside a transaction that has itself written bypasses the cache (it must see its own
writes, and a rolled-back rewind such as `core.rewind` must never read or fill it).

Records that no figure reads (sessions, jobs, login attempts, the history tables written with
their records) are ignored: `IGNORED_APPS` and `ignore_model`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import connections, models, transaction
from django.db.models.signals import (
    m2m_changed,
    post_init,
    post_migrate,
    post_save,
    pre_delete,
    pre_migrate,
    pre_save,
)
from django.utils import timezone

log = logging.getLogger(__name__)

T = TypeVar("T")

ALL_ZONES = 0  # the generation row that every key also carries: bumped by a write to no zone

# Apps whose records no figure reads.
IGNORED_APPS = frozenset(
    {
        "admin",
        "auth",
        "contenttypes",
        "sessions",
        "axes",
        "otp_totp",
        "otp_static",
        "django_otp",
        "huey",
        "djhuey",
        "jobs",
        "core",
    }
)
_ignored_models: set[str] = set()  # "app_label.ModelName"
# Fields whose change no figure reads (Django writes last_login at every sign-in).
IGNORED_FIELDS = frozenset({"last_login", "updated_at"})

CACHE_ALIAS = "default"
KEY_VERSION = "1"  # bump when the shape of what is cached changes


def ignore_model(label: str) -> None:
    """Declare a model ("app_label.ModelName") whose writes change no figure."""
    _ignored_models.add(label)
    _ignored_tables_cache.clear()


def timeout() -> int:
    return int(getattr(settings, "GAOXIN_FIGURE_CACHE_SECONDS", 600))


def enabled() -> bool:
    return timeout() > 0


# --- which zone a record belongs to ------------------------------------------------------------


@dataclass(frozen=True)
class ZonePath:
    """How to find a record's zone: `attnames` followed from the record, the last one being
    the zone's id ("zone_id"; or "enterprise_id" then "zone_id" on Enterprise). An empty
    path means the record belongs to no zone (a catalogue): its writes touch every zone."""

    hops: tuple[tuple[type[models.Model], str], ...]  # (model the attname is on, attname)
    is_zone: bool = False  # the record is a zone itself

    @property
    def direct(self) -> bool:
        return len(self.hops) == 1

    @property
    def found(self) -> bool:
        return self.is_zone or bool(self.hops)


_paths: dict[type[models.Model], ZonePath] = {}


def _zone_model() -> type[models.Model]:
    return apps.get_model("accounts", "Zone")


def zone_path(model: type[models.Model]) -> ZonePath:
    """The shortest chain of non-null-preferred foreign keys from `model` to a zone (at most
    three hops), found once per model."""
    if model in _paths:
        return _paths[model]
    zone_model = _zone_model()
    if issubclass(model, zone_model):
        path = ZonePath((), is_zone=True)
    else:
        path = ZonePath(_search(model, zone_model, depth=3) or ())
    _paths[model] = path
    return path


def _search(
    model: type[models.Model], zone_model: type[models.Model], depth: int
) -> tuple[tuple[type[models.Model], str], ...] | None:
    if depth == 0:
        return None
    fks = [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and f.related_model is not None
    ]
    # A record's own zone first; then the required links before the optional ones.
    for f in fks:
        if f.related_model is zone_model or (
            isinstance(f.related_model, type) and issubclass(f.related_model, zone_model)
        ):
            return ((model, f.attname),)
    best: tuple[tuple[type[models.Model], str], ...] | None = None
    for f in sorted(fks, key=lambda f: f.null):
        target = f.related_model
        if not isinstance(target, type) or target is model:
            continue
        rest = _search(target, zone_model, depth - 1)
        if rest is not None and (best is None or len(rest) + 1 < len(best)):
            best = ((model, f.attname), *rest)
    return best


def zones_of(instance: models.Model) -> set[int] | None:
    """The zones `instance` belongs to; None when it belongs to none it can be traced to (a
    catalogue, or a link left empty): then a write to it touches every zone."""
    path = zone_path(type(instance))
    if path.is_zone:
        return {instance.pk} if instance.pk is not None else None
    if not path.hops:
        return None
    (_, first), *rest = path.hops
    value = getattr(instance, first, None)
    if value is None:
        return None
    if not rest:
        return {value}
    # Through the related record already loaded on the instance when there is one, else one
    # query along the rest of the path.
    link = type(instance)._meta.get_field(first.removesuffix("_id"))
    related = link.get_cached_value(instance, default=None)  # type: ignore[union-attr]
    if related is not None:
        return zones_of(related)
    lookup = "__".join([*(a.removesuffix("_id") for _, a in rest[:-1]), rest[-1][1]])
    target = link.related_model
    row = target._default_manager.filter(pk=value).values_list(lookup, flat=True).first()  # type: ignore[union-attr]
    return {row} if row is not None else None


# --- the state of a connection's transaction ---------------------------------------------------


@dataclass
class _State:
    zones: set[int] = field(default_factory=set)
    all_zones: bool = False
    expected: set[str] = field(default_factory=set)  # tables a signal or `covering` accounts for
    callback: Callable[[], None] = lambda: None

    @property
    def dirty(self) -> bool:
        return self.all_zones or bool(self.zones)


def _state(using: str = "default") -> _State:
    connection = connections[using]
    state = getattr(connection, "_gaoxin_figures", None)
    if state is None:
        state = _State()
        state.callback = lambda: flush(using)
        connection._gaoxin_figures = state  # type: ignore[attr-defined]
    return state


def changed(zone_ids: Iterable[int] | None, *, using: str = "default") -> None:
    """Record that the current transaction changed these zones' records (None: every zone).
    Their generations are bumped once it commits (at once outside a transaction)."""
    state = _state(using)
    if zone_ids is None:
        state.all_zones = True
    else:
        state.zones.update(int(z) for z in zone_ids)
    connection = connections[using]
    if not connection.in_atomic_block:
        flush(using)
        return
    # One callback per transaction: another is registered only when none of ours encloses
    # this point (a savepoint rolled back drops the callbacks registered inside it).
    current = set(connection.savepoint_ids)
    for sids, func, _robust in connection.run_on_commit:
        if func is state.callback and set(sids) <= current:
            return
    transaction.on_commit(state.callback, using=using)


def flush(using: str = "default") -> None:
    """Bump the generations recorded by the committed transaction. Its own small write,
    idempotent per transaction (the first of the callbacks registered does the work)."""
    state = _state(using)
    state.expected.clear()
    if not state.dirty:
        return
    zone_ids = {ALL_ZONES} if state.all_zones else set(state.zones)
    state.zones.clear()
    state.all_zones = False
    bump(zone_ids, using=using)


def bump(zone_ids: Iterable[int], *, using: str = "default") -> None:
    from gaoxin.core.models import FigureGeneration

    if _migrating:
        return  # the tables may not exist yet; post_migrate bumps every zone
    table = connections[using].ops.quote_name(FigureGeneration._meta.db_table)
    now = timezone.now()
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        for zone_id in sorted(set(zone_ids)):
            cursor.execute(
                f"INSERT INTO {table} (zone_id, generation, changed_at) VALUES (%s, 1, %s) "
                f"ON CONFLICT (zone_id) DO UPDATE SET generation = {table}.generation + 1, "
                "changed_at = excluded.changed_at",
                [zone_id, now],
            )


_migrating = False


def _on_pre_migrate(**kwargs: Any) -> None:
    global _migrating
    _migrating = True


def _on_post_migrate(**kwargs: Any) -> None:
    """Migrations may rewrite any record: every zone's figures are read afresh. post_migrate
    is sent once per app; the last one finds the table there."""
    global _migrating
    _migrating = False
    using = kwargs.get("using") or "default"
    _state(using).zones.clear()
    _state(using).all_zones = False
    from gaoxin.core.models import FigureGeneration

    if FigureGeneration._meta.db_table in connections[using].introspection.table_names():
        bump({ALL_ZONES}, using=using)


def generations(zone_ids: Iterable[int], *, using: str = "default") -> tuple[int, ...]:
    """Each zone's generation, then the all-zones generation: one query."""
    from gaoxin.core.models import FigureGeneration

    wanted = sorted(set(zone_ids))
    rows = dict(
        FigureGeneration.objects.using(using)
        .filter(zone_id__in=[*wanted, ALL_ZONES])
        .values_list("zone_id", "generation")
    )
    return (*(rows.get(z, 0) for z in wanted), rows.get(ALL_ZONES, 0))


def usable(using: str = "default") -> bool:
    """Whether a read may use the cache: not inside a transaction that has written figures
    (it must see its own writes, which no other reader may see until it commits)."""
    if not enabled():
        return False
    connection = connections[using]
    return not (connection.in_atomic_block and _state(using).dirty)


@contextlib.contextmanager
def covering(
    tables: Iterable[str | type[models.Model]],
    zone_ids: Iterable[int] | None,
    *,
    using: str = "default",
) -> Iterator[None]:
    """Writes to these tables (or models' tables) inside the block touch only these zones
    (None: every zone). For the write paths that send no signals (bulk writes)."""
    state = _state(using)
    names = {t if isinstance(t, str) else t._meta.db_table for t in tables}
    state.expected.update(names)
    changed(zone_ids, using=using)
    yield


# --- reading through the cache -----------------------------------------------------------------


class ScopeCache:
    """The cached figures of one scope (zones and day): a dict of name → value, read with one
    cache get and written back whole when something new was computed."""

    def __init__(self, zone_ids: Iterable[int], as_of: dt.date, *, namespace: str = "v") -> None:
        self.zone_ids = tuple(sorted(set(zone_ids)))
        self.as_of = as_of
        self.namespace = namespace
        self._key: str | None = None
        self._blob: dict[str, Any] | None = None
        self._use = usable()

    @property
    def key(self) -> str:
        if self._key is None:
            gens = generations(self.zone_ids)
            zones = ".".join(map(str, self.zone_ids))
            stamp = ".".join(map(str, gens))
            # The database's name too: two databases (two sites, the test workers) sharing
            # one Redis have the same zone ids and generations.
            database = connections["default"].settings_dict["NAME"]
            self._key = (
                f"gx:{KEY_VERSION}:{database}:{self.namespace}:{zones}:"
                f"{self.as_of.isoformat()}:{stamp}"
            )
        return self._key

    def blob(self) -> dict[str, Any]:
        if self._blob is None:
            self._blob = (caches[CACHE_ALIAS].get(self.key) if self._use else None) or {}
        return self._blob

    def get(self, name: str, default: Any = None) -> Any:
        if not self._use:
            return default
        return self.blob().get(name, default)

    def put(self, values: dict[str, Any]) -> None:
        if not self._use or not values:
            return
        blob = self.blob()
        blob.update(values)
        caches[CACHE_ALIAS].set(self.key, blob, timeout())

    def through(self, name: str, compute: Callable[[], T]) -> T:
        """The cached value of `name`, computing and storing it on a miss."""
        if self._use:
            blob = self.blob()
            if name in blob:
                return blob[name]  # type: ignore[no-any-return]
        value = compute()
        self.put({name: value})
        return value


def cached(zone_ids: Iterable[int], as_of: dt.date, name: str, compute: Callable[[], T]) -> T:
    """One computed value of a scope through the cache (a chart's grouped counts, a section's
    rows): `name` must say everything the value depends on beyond the zones and the day."""
    return ScopeCache(zone_ids, as_of, namespace="c").through(name, compute)


# --- wiring: signals and the connection wrapper ------------------------------------------------


def _is_ignored(model: type[models.Model]) -> bool:
    meta = model._meta
    if meta.app_label in IGNORED_APPS or meta.label in _ignored_models:
        return True
    from simple_history.models import HistoricalChanges

    return issubclass(model, HistoricalChanges)


_ignored_tables_cache: dict[str, bool] = {}


def _table_ignored(table: str) -> bool:
    if table not in _ignored_tables_cache:
        ignored = table in ("django_migrations", "django_cache")
        for model in apps.get_models(include_auto_created=True):
            if model._meta.db_table == table:
                owner = model._meta.auto_created  # the model of an automatic m2m table
                ignored = _is_ignored(model) or (isinstance(owner, type) and _is_ignored(owner))
                break
        _ignored_tables_cache[table] = ignored
    return _ignored_tables_cache[table]


def _on_pre_save(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if _migrating:
        return
    if kwargs.get("raw") or _is_ignored(sender):
        return
    _state(kwargs.get("using") or "default").expected.add(sender._meta.db_table)


def _on_post_save(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if _migrating:
        return
    if _is_ignored(sender):
        return
    fields = kwargs.get("update_fields")
    if fields is not None and set(fields) <= IGNORED_FIELDS:
        return
    using = kwargs.get("using") or "default"
    zones = zones_of(instance)
    before = getattr(instance, "_gaoxin_zone_loaded", None)
    if zones is not None and before is not None:
        zones = {*zones, before}
    changed(zones, using=using)
    if zone_path(sender).direct:
        instance._gaoxin_zone_loaded = getattr(instance, zone_path(sender).hops[0][1])  # type: ignore[attr-defined]


def _on_post_init(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    path = _paths.get(sender)
    if path is not None and path.direct:
        attname = path.hops[0][1]
        if attname in instance.__dict__:
            instance._gaoxin_zone_loaded = instance.__dict__[attname]  # type: ignore[attr-defined]


def _on_pre_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if _migrating:
        return
    if _is_ignored(sender):
        return
    using = kwargs.get("using") or "default"
    _state(using).expected.add(sender._meta.db_table)
    changed(zones_of(instance), using=using)


def _on_m2m(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if _migrating:
        return
    action = kwargs.get("action", "")
    if _is_ignored(type(instance)) or _is_ignored(sender):
        return
    using = kwargs.get("using") or "default"
    if action.startswith("pre_"):
        _state(using).expected.add(sender._meta.db_table)
    else:
        changed(zones_of(instance), using=using)


_WRITE = re.compile(
    r"""^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+["`]?(\w+)""",
    re.IGNORECASE,
)


def _wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
    if _migrating:
        return execute(sql, params, many, context)
    head = sql[:7].lstrip().upper()
    if head.startswith(("INSERT", "UPDATE", "DELETE", "REPLACE")):
        match = _WRITE.match(sql)
        if match is not None:
            table = match.group(1)
            connection = context["connection"]
            state = _state(connection.alias)
            if table not in state.expected and not _table_ignored(table):
                log.debug("a write to %s without a zone: every zone's figures are refreshed", table)
                changed(None, using=connection.alias)
    return execute(sql, params, many, context)


def _install(sender: Any, connection: Any, **kwargs: Any) -> None:
    if _wrapper not in connection.execute_wrappers:
        connection.execute_wrappers.append(_wrapper)


def connect() -> None:
    """Called once from CoreConfig.ready()."""
    from django.db.backends.signals import connection_created

    post_save.connect(_on_post_save, dispatch_uid="gaoxin.figure_cache.post_save")
    pre_save.connect(_on_pre_save, dispatch_uid="gaoxin.figure_cache.pre_save")
    pre_delete.connect(_on_pre_delete, dispatch_uid="gaoxin.figure_cache.pre_delete")
    m2m_changed.connect(_on_m2m, dispatch_uid="gaoxin.figure_cache.m2m")
    connection_created.connect(_install, dispatch_uid="gaoxin.figure_cache.install")
    pre_migrate.connect(_on_pre_migrate, dispatch_uid="gaoxin.figure_cache.pre_migrate")
    post_migrate.connect(_on_post_migrate, dispatch_uid="gaoxin.figure_cache.post_migrate")
    # Models whose zone is their own field remember it when loaded, so a record moved to
    # another zone touches both.
    for model in apps.get_models():
        if not _is_ignored(model) and zone_path(model).direct:
            post_init.connect(_on_post_init, sender=model, weak=False)
    for connection in connections.all(initialized_only=True):
        _install(None, connection)
