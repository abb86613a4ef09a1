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
  a record moved to another zone, or under a parent of another zone, touches both; a user
  counts in the zones it is linked to (`resolve_zones`); a link added or removed touches the
  zones of both sides;
- a write that sends no signal (`QuerySet.update()`, `bulk_create`, raw SQL) is seen by a
  wrapper on every database connection: unless the code said which zones it touches
  (`covering(...)`), it bumps every zone. Never stale; precise wherever the code says so.
  `core.bulk` says its rows' zones itself (PostgreSQL's COPY passes no wrapper). A save's own
  statements are expected only while the save runs (pre_save to post_save), so a bulk write
  to the same table later in the transaction is still seen. Outside a transaction the bump
  follows the statement, never precedes it (a reader in between would cache the old records
  under the new generation).

A reader inside a transaction that has itself written bypasses the cache (it must see its own
writes); so does any read inside `bypass()` (`core.rewind` computes figures from records put
back, then rolled back). A value is stored only under the key read before it was computed.

Tests: a `db` test's transaction never commits; `django_capture_on_commit_callbacks(
execute=True)` runs the bump, but only when the block's first write registers it: records made
before the block, outside one, leave the transaction written, and every read in it bypasses
the cache (tests/core/test_figure_cache.py makes its records inside such blocks).

Records that no figure reads (sessions, jobs, login attempts, the history tables written with
their records) are ignored: `IGNORED_APPS` and `ignore_model`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import connections, models, transaction
from django.db.models.signals import (
    m2m_changed,
    post_delete,
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
_ignored_models: set[str] = {
    "accounts.LoginEvent",  # a log of sign-ins, written at every one
    "accounts.ApiToken",  # API credentials: no figure counts them
    "accounts.User_groups",  # Django's groups and permissions: no figure reads them
    "accounts.User_user_permissions",
}  # "app_label.ModelName"
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


_zone_models: list[type[models.Model]] = []


def zones_are(model: type[models.Model]) -> None:
    """Declare the zone model (accounts does, from its AppConfig.ready: core sits below it)."""
    _zone_models[:] = [model]
    _paths.clear()
    # Records remember the first link of their way to a zone when loaded, so a record moved
    # to another zone (or under a parent in another zone) touches both.
    for each in apps.get_models():
        if not _is_ignored(each) and zone_path(each).hops:
            post_init.connect(_on_post_init, sender=each, weak=False)


def _zone_model() -> type[models.Model]:
    if not _zone_models:
        raise LookupError("no zone model declared: accounts declares it with zones_are()")
    return _zone_models[0]


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
        related: Any = f.related_model  # a class once the apps are ready
        if isinstance(related, type) and issubclass(related, zone_model):
            return ((model, f.attname),)
    best: tuple[tuple[type[models.Model], str], ...] | None = None
    for f in sorted(fks, key=lambda f: f.null):
        target: Any = f.related_model
        if not isinstance(target, type) or target is model:
            continue
        rest = _search(target, zone_model, depth - 1)
        if rest is not None and (best is None or len(rest) + 1 < len(best)):
            best = ((model, f.attname), *rest)
    return best


# Models whose zones no chain of foreign keys gives: a user counts in the figures of the zones
# it belongs to (a many-to-many link), whatever its department.
_resolvers: dict[str, Callable[[Any], set[int] | None]] = {}


def resolve_zones(label: str) -> Callable[[Callable[[Any], set[int] | None]], Any]:
    """Declare how the zones of a model's record are found ("app_label.ModelName")."""

    def register(func: Callable[[Any], set[int] | None]) -> Callable[[Any], set[int] | None]:
        _resolvers[label] = func
        return func

    return register


def zones_of(instance: models.Model) -> set[int] | None:
    """The zones `instance` belongs to; None when it belongs to none it can be traced to (a
    catalogue, or a link left empty): then a write to it touches every zone."""
    resolver = _resolvers.get(instance._meta.label)
    if resolver is not None:
        return resolver(instance)
    path = zone_path(instance.__class__)  # a lazy object (request.user) hides its type
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
    link = instance.__class__._meta.get_field(first.removesuffix("_id"))
    related = link.get_cached_value(instance, default=None)  # type: ignore[union-attr]
    if related is not None:
        return zones_of(related)
    return zones_of_pks(link.related_model, [value])  # type: ignore[arg-type]


def zones_of_links(
    model: type[models.Model], attname: str, values: Iterable[Any]
) -> set[int] | None:
    """The zones of records of `model` whose field `attname` holds these values (an import's
    rows before they are written): their zones when `attname` is the first link of the
    model's way to its zone, else None (every zone)."""
    path = zone_path(model)
    if not path.hops or path.hops[0][1] != attname or model._meta.label in _resolvers:
        return None
    values = set(values)
    if None in values:
        return None
    if path.direct:
        return {int(v) for v in values}
    related = model._meta.get_field(attname.removesuffix("_id")).related_model
    return zones_of_pks(related, values)  # type: ignore[arg-type]


def zones_of_records(records: Iterable[models.Model]) -> set[int] | None:
    """The zones of these records of one model, in one query at most (None: every zone)."""
    records = list(records)
    if not records:
        return set()
    model = type(records[0])
    path = zone_path(model)
    if path.hops and model._meta.label not in _resolvers:
        attname = path.hops[0][1]
        return zones_of_links(model, attname, (getattr(r, attname) for r in records))
    zones: set[int] = set()
    for record in records:
        found = zones_of(record)
        if found is None:
            return None
        zones |= found
    return zones


def zones_of_pks(model: type[models.Model], pks: Iterable[Any]) -> set[int] | None:
    """The zones of these records of `model` (one query at most); None when one of them can
    be traced to none."""
    pks = list(pks)
    if not pks:
        return set()
    path = zone_path(model)
    if path.is_zone:
        return {int(pk) for pk in pks}
    resolver = _resolvers.get(model._meta.label)
    if resolver is not None:
        zones: set[int] = set()
        for record in model._base_manager.filter(pk__in=pks):
            found = resolver(record)
            if found is None:
                return None
            zones |= found
        return zones
    if not path.hops:
        return None
    lookup = "__".join([*(a.removesuffix("_id") for _, a in path.hops[:-1]), path.hops[-1][1]])
    rows = set(model._base_manager.filter(pk__in=pks).values_list(lookup, flat=True))
    if None in rows or not rows:
        return None
    return {int(z) for z in rows}


# --- the state of a connection's transaction ---------------------------------------------------


@dataclass
class _State:
    zones: set[int] = field(default_factory=set)
    all_zones: bool = False
    # Tables whose writes a signal or `covering` accounts for, while it does: counted, since
    # a save (pre_save ... post_save) may nest in another's receivers or in a `covering` block.
    expected: Counter[str] = field(default_factory=Counter)
    cleared: dict[int, set[int] | None] = field(default_factory=dict)  # pre_clear's zones
    bypassed: int = 0  # `bypass()` blocks entered
    covered: Counter[str] = field(default_factory=Counter)  # tables of `covering()` blocks
    callback: Callable[[], None] = lambda: None

    @property
    def dirty(self) -> bool:
        return self.all_zones or bool(self.zones)

    def expect(self, table: str) -> None:
        self.expected[table] += 1

    def done(self, table: str) -> None:
        if self.expected[table] <= 1:
            del self.expected[table]
        else:
            self.expected[table] -= 1


def _state(using: str = "default") -> _State:
    connection = connections[using]
    state = getattr(connection, "_gaoxin_figures", None)
    if state is None:
        state = _State()
        state.callback = lambda: flush(using)
        connection._gaoxin_figures = state  # type: ignore[attr-defined]
    return state


def _pending(connection: Any, state: _State) -> bool:
    """Whether one of our callbacks is registered and enclosing this point (a savepoint
    rolled back drops the callbacks registered inside it)."""
    current = set(connection.savepoint_ids)
    return any(
        func is state.callback and set(sids) <= current
        for sids, func, _robust in connection.run_on_commit
    )


def _registered(connection: Any, state: _State) -> bool:
    """Whether one of our callbacks is registered at all in the current transaction (one
    registered inside a savepoint released since stands with it)."""
    return any(func is state.callback for _sids, func, _robust in connection.run_on_commit)


def changed(zone_ids: Iterable[int] | None, *, using: str = "default") -> None:
    """Record that the current transaction changed these zones' records (None: every zone).
    Their generations are bumped once it commits (at once outside a transaction)."""
    state = _state(using)
    connection = connections[using]
    if connection.in_atomic_block and state.dirty and not _registered(connection, state):
        # What was recorded belongs to a transaction rolled back (which drops its callbacks
        # without a word): it wrote nothing that stands.
        state.zones.clear()
        state.all_zones = False
    if zone_ids is None:
        state.all_zones = True
    else:
        state.zones.update(int(z) for z in zone_ids)
    if not connection.in_atomic_block:
        flush(using)
        return
    # One callback per transaction: another is registered only when none of ours encloses
    # this point.
    if not _pending(connection, state):
        transaction.on_commit(state.callback, using=using)


def flush(using: str = "default") -> None:
    """Bump the generations recorded by the committed transaction. Its own small write,
    idempotent per transaction (the first of the callbacks registered does the work)."""
    state = _state(using)
    connection = connections[using]
    if connection.in_atomic_block:
        # Run by the tests' capture of on-commit callbacks, which leaves them registered: the
        # transaction's next write registers another, for the next capture to run.
        connection.run_on_commit = [
            c for c in connection.run_on_commit if c[1] is not state.callback
        ]
    else:
        # No write is under way: a count a failed save left behind is forgotten (at worst a
        # later write is taken for one to every zone).
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
    connection = connections[using]
    table = connection.ops.quote_name(FigureGeneration._meta.db_table)
    now = timezone.now()
    # A generation moves on to at least the clock's microseconds, not just by one: a database
    # restored from a backup, or emptied and filled again, never hands out a generation that a
    # figure cached before (under the same zone ids) already carries.
    stamp = _clock_stamp(now)
    larger = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for zone_id in sorted(set(zone_ids)):
            cursor.execute(
                f"INSERT INTO {table} (zone_id, generation, changed_at) VALUES (%s, %s, %s) "
                f"ON CONFLICT (zone_id) DO UPDATE SET generation = "
                f"{larger}({table}.generation + 1, excluded.generation), "
                "changed_at = excluded.changed_at",
                [zone_id, stamp, now],
            )


def _clock_stamp(now: dt.datetime) -> int:
    return int(now.timestamp() * 1_000_000)


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
    state = _state(using)
    if state.bypassed:
        return False
    connection = connections[using]
    if not connection.in_atomic_block:
        return True
    if state.expected:
        # A save's receivers, or a bulk write's block: written, not yet traced to its zones.
        return False
    # A transaction rolled back leaves what it recorded with no callback to flush it.
    return not (state.dirty and _registered(connection, state))


@contextlib.contextmanager
def bypass(using: str = "default") -> Iterator[None]:
    """Reads inside the block neither read nor fill the cache (figures computed from records
    as they are not: `core.rewind` computes them from records put back, then rolled back)."""
    state = _state(using)
    state.bypassed += 1
    try:
        yield
    finally:
        state.bypassed -= 1


@contextlib.contextmanager
def expecting(tables: Iterable[str], *, using: str = "default") -> Iterator[None]:
    """Writes to these tables inside the block are accounted for by the caller, which calls
    `changed()` with their zones (known only once written) before the transaction ends."""
    state = _state(using)
    names = set(tables)
    for name in names:
        state.expect(name)
    try:
        yield
    finally:
        for name in names:
            state.done(name)


@contextlib.contextmanager
def covering(
    tables: Iterable[str | type[models.Model]],
    zone_ids: Iterable[int] | None,
    *,
    using: str = "default",
) -> Iterator[None]:
    """Writes to these tables (or models' tables) inside the block touch only these zones
    (None: every zone). For the write paths that send no signals (bulk writes).

    Inside a transaction the zones are recorded at once (a reader in it then bypasses the
    cache) and bumped when it commits; outside one, after the block's writes, so that no
    reader caches the records as they were under the generation that follows them."""
    state = _state(using)
    names = {t if isinstance(t, str) else t._meta.db_table for t in tables}
    zones = None if zone_ids is None else {int(z) for z in zone_ids}
    for name in names:
        state.expect(name)
        state.covered[name] += 1
    try:
        if connections[using].in_atomic_block:
            changed(zones, using=using)
        yield
    finally:
        for name in names:
            state.done(name)
            state.covered[name] -= 1
            if state.covered[name] <= 0:
                del state.covered[name]
        changed(zones, using=using)


def is_covered(table: str, *, using: str = "default") -> bool:
    """Whether a `covering()` block around this point has said the table's zones."""
    return _state(using).covered.get(table, 0) > 0


# --- reading through the cache -----------------------------------------------------------------


# Memcached refuses keys over 250 characters and Django warns of them (CacheKeyWarning); a
# province leader's 30 zones and their generations, with a SQLite file's path, come to 600.
MAX_KEY_LENGTH = 200


def cache_key(*parts: object) -> str:
    """A figures cache key from its parts, prefixed with the key version; one too long for
    every cache backend keeps its first part readable and stands for the rest by its hash."""
    key = ":".join(["gx", KEY_VERSION, *map(str, parts)])
    if len(key) <= MAX_KEY_LENGTH:
        return key
    digest = hashlib.sha256(key.encode()).hexdigest()
    return f"gx:{KEY_VERSION}:{str(parts[0])[:40]}:#{digest}"


class ScopeCache:
    """The cached figures of one scope (zones and day): a dict of name → value, read with one
    cache get and written back whole when something new was computed."""

    def __init__(self, zone_ids: Iterable[int], as_of: dt.date, *, namespace: str = "v") -> None:
        self.zone_ids = tuple(sorted(set(zone_ids)))
        self.as_of = as_of
        self.namespace = namespace
        self._key: str | None = None
        self._blob: dict[str, Any] | None = None

    @property
    def _use(self) -> bool:
        # Asked at every read and write, not once: a transaction may write between two.
        return usable()

    @property
    def key(self) -> str:
        if self._key is None:
            gens = generations(self.zone_ids)
            zones = ".".join(map(str, self.zone_ids))
            stamp = ".".join(map(str, gens))
            # The database's name too: two databases (two sites, the test workers) sharing
            # one Redis have the same zone ids and generations.
            database = connections["default"].settings_dict["NAME"]
            self._key = cache_key(database, self.namespace, zones, self.as_of.isoformat(), stamp)
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
        # Only under a key taken before the values were computed: a key taken after might
        # carry a generation bumped by a write the values do not include.
        if self._key is None or not self._use or not values:
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
    if _migrating or _is_ignored(sender):
        return
    # The save's own statements (an UPDATE, an INSERT after it, a parent's table) are
    # accounted for by post_save; a raw save (loaddata) sends no zone and bumps every zone.
    if not kwargs.get("raw"):
        state = _state(kwargs.get("using") or "default")
        for table in _tables_of(sender):
            state.expect(table)


def _tables_of(model: type[models.Model]) -> list[str]:
    """The tables a save of `model` writes: its own and its concrete parents'."""
    return [model._meta.db_table, *(p._meta.db_table for p in model._meta.get_parent_list())]


def _on_post_save(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if _migrating or _is_ignored(sender):
        return
    using = kwargs.get("using") or "default"
    if not kwargs.get("raw"):
        state = _state(using)
        for table in _tables_of(sender):
            state.done(table)
    fields = kwargs.get("update_fields")
    if fields is not None and set(fields) <= IGNORED_FIELDS:
        return
    zones = zones_of(instance)
    before = instance.__dict__.get("_gaoxin_link_loaded", _NOT_LOADED)
    path = zone_path(sender)
    if path.hops:
        attname = path.hops[0][1]
        now = getattr(instance, attname, None)
        # A record moved to another zone (or under another parent) touches both zones.
        if zones is not None and before is not _NOT_LOADED and before != now:
            old = (
                {before}
                if path.direct
                else zones_of_pks(path.hops[0][0]._meta.get_field(attname).related_model, [before])  # type: ignore[arg-type]
                if before is not None
                else set()
            )
            zones = None if old is None else {*zones, *old}
        instance._gaoxin_link_loaded = now  # type: ignore[attr-defined]
    changed(zones, using=using)


_NOT_LOADED = object()


def _on_post_init(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    path = _paths.get(sender)
    if path is not None and path.hops:
        attname = path.hops[0][1]
        if attname in instance.__dict__:
            instance._gaoxin_link_loaded = instance.__dict__[attname]  # type: ignore[attr-defined]


def _on_pre_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if _migrating or _is_ignored(sender):
        return
    using = kwargs.get("using") or "default"
    for table in _tables_of(sender):
        _state(using).expect(table)
    # Traced before the record (or the parent it is traced through) is gone; bumped only once
    # the transaction commits (a deletion always runs in one).
    changed(zones_of(instance), using=using)


def _on_post_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if _migrating or _is_ignored(sender):
        return
    state = _state(kwargs.get("using") or "default")
    for table in _tables_of(sender):
        state.done(table)


def _on_m2m(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if _migrating:
        return
    action = kwargs.get("action", "")
    if _is_ignored(instance.__class__) or _is_ignored(sender):
        return
    using = kwargs.get("using") or "default"
    state = _state(using)
    table = sender._meta.db_table
    if action == "pre_clear":
        # The links about to go, read while they are there.
        state.cleared[id(instance)] = _m2m_zones(
            instance, {**kwargs, "sender": sender}, cleared=True
        )
    if action.startswith("pre_"):
        state.expect(table)
        return
    state.done(table)
    if action == "post_clear":
        zones = state.cleared.pop(id(instance), None)
    else:
        zones = _m2m_zones(instance, kwargs)
    changed(zones, using=using)


def _m2m_zones(
    instance: models.Model, kwargs: dict[str, Any], *, cleared: bool = False
) -> set[int] | None:
    """The zones of a record whose links changed, and of the records linked or unlinked when
    they can be traced (a user added to a zone counts in that zone's figures)."""
    zones = zones_of(instance)
    if zones is None:
        return None
    model = kwargs.get("model")
    if cleared:
        accessor = _m2m_accessor(instance, kwargs)
        pks = list(accessor.values_list("pk", flat=True)) if accessor is not None else []
    else:
        pks = list(kwargs.get("pk_set") or ())
    if model is not None and pks and (zone_path(model).found or model._meta.label in _resolvers):
        related = zones_of_pks(model, pks)
        if related is None:
            return None
        zones |= related
    return zones


def _m2m_accessor(instance: models.Model, kwargs: dict[str, Any]) -> Any:
    """The related manager that is being cleared, found by the through model."""
    through = kwargs["sender"]
    for f in instance.__class__._meta.get_fields():
        remote = getattr(f, "remote_field", None)
        if f.many_to_many and getattr(remote, "through", None) is through:
            name = f.name if f.concrete else f.get_accessor_name()  # type: ignore[union-attr]
            return getattr(instance, str(name))
    return None


_WRITE = re.compile(
    r"""^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+["`]?(\w+)""",
    re.IGNORECASE,
)


def _wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
    if _migrating:
        return execute(sql, params, many, context)
    head = sql[:7] if sql[:1].isalpha() else sql.lstrip()[:7]
    if not head.upper().startswith(("INSERT", "UPDATE", "DELETE", "REPLACE")):
        return execute(sql, params, many, context)
    match = _WRITE.match(sql)
    if match is None:
        return execute(sql, params, many, context)
    table = match.group(1)
    connection = context["connection"]
    state = _state(connection.alias)
    if state.expected.get(table) or _table_ignored(table):
        return execute(sql, params, many, context)
    log.debug("a write to %s without a zone: every zone's figures are refreshed", table)
    if not connection.in_atomic_block:
        # In autocommit, bumped once the statement has committed: a bump before it would let
        # a reader cache the old records under the new generation.
        result = execute(sql, params, many, context)
        changed(None, using=connection.alias)
        return result
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
    post_delete.connect(_on_post_delete, dispatch_uid="gaoxin.figure_cache.post_delete")
    m2m_changed.connect(_on_m2m, dispatch_uid="gaoxin.figure_cache.m2m")
    connection_created.connect(_install, dispatch_uid="gaoxin.figure_cache.install")
    pre_migrate.connect(_on_pre_migrate, dispatch_uid="gaoxin.figure_cache.pre_migrate")
    post_migrate.connect(_on_post_migrate, dispatch_uid="gaoxin.figure_cache.post_migrate")
    for connection in connections.all(initialized_only=True):
        _install(None, connection)
