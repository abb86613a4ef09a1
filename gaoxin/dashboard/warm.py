"""Figures warmed in the background (issue 19): the workers fill the figures cache
(core/figure_cache.py) for the scopes readers open, so that the dashboard, the briefing and
/metrics/ rarely meet a cold cache after a write or at the start of a day.

Each minute (`tasks.warm_figures`, and so in the first minute of a new day, whose figures no
key holds yet) a worker looks at every scope readers use: each active zone alone (a zone picked
in the switcher or by `?zone=`), and the zones of each staff user who reads several without
picking one (`core.access.user_zone_ids`: a leader's zones, an administrator's every zone). A
scope is warm when the figures of today under its zones' current generations were warmed
already; a cold one is computed by the very functions the views call, so their keys are filled:
`dashboard.figures.dashboard` (both pipelines), the briefing's `compose`, and
`core.views.index_rows`.

Never stale: each computation reads its cache key (the zones' generations) before it reads the
records, as every reader does. A write landing during a warm moves the generation on; the
values computed before it stay under the old key, which no reader asks for again, and the
scope is remembered as warmed under the generations read before it began, so the next run
warms it again.

Bounded: a scope is warmed at most once a minute (a lock in the cache, shared by the workers
when the cache is Redis), a run stops taking scopes after `RUN_SECONDS` or `MAX_SCOPES`, most
read first, or as soon as other tasks wait in the queue (after its first scope), and a scope
whose computation fails is logged and left to a later run without stopping the others.
`GAOXIN_FIGURE_WARM` turns it on or off; it is on by default when the figures cache is shared
(`CACHE_URL`): a worker's own memory is read by no web process.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.db import connections
from django.db.models import Q
from django.utils import timezone

from gaoxin.core import figure_cache
from gaoxin.core.access import zone_model
from gaoxin.core.figures import Figures
from gaoxin.core.metrics import MetricScope
from gaoxin.core.roles import STAFF_ROLES, Role
from gaoxin.core.views import index_rows
from gaoxin.dashboard import figures
from gaoxin.dashboard.briefing.compose import compose

log = logging.getLogger(__name__)

Zones = tuple[int, ...]

MAX_SCOPES = 50  # warmed in one run at most; the rest wait for the next minute
RUN_SECONDS = 40.0  # no scope is begun after this long, so a run ends within its minute
LOCK_SECONDS = 55  # a scope is warmed at most once in this long (the task runs each minute)


def enabled() -> bool:
    return bool(getattr(settings, "GAOXIN_FIGURE_WARM", False)) and figure_cache.enabled()


# --- the scopes readers open -------------------------------------------------------------------


def reader_scopes() -> list[Zones]:
    """The zone sets the dashboard, the briefing and /metrics/ are read in
    (`core.forms.scope_from_request` with no zone asked): each active zone, and each staff
    user's active zones when they are several (an administrator's: every active zone). Most
    read first. Three queries, however many users."""
    active = sorted(zone_model().objects.filter(is_active=True).values_list("pk", flat=True))
    if not active:
        return []
    user_model = get_user_model()
    readers = user_model.objects.filter(is_active=True)
    admins = Q(is_superuser=True) | Q(role=Role.ADMIN)
    staff = readers.exclude(admins).filter(role__in=STAFF_ROLES)
    # Each user's zones as core.access.user_zone_ids reads them (its active zones), for every
    # user at once.
    links = user_model.zones.through.objects.filter(
        user__in=staff, zone__is_active=True
    ).values_list("user_id", "zone_id")
    zones_of: dict[int, set[int]] = {}
    for user_id, zone_id in links:
        zones_of.setdefault(user_id, set()).add(zone_id)
    counted: Counter[Zones] = Counter(tuple(sorted(z)) for z in zones_of.values())
    if readers.filter(admins).exists():
        counted[tuple(active)] += 1
    for zone_id in active:
        counted[(zone_id,)] += 0  # every zone alone, read or not by a user of that zone only
    return sorted(counted, key=lambda zones: (-counted[zones], len(zones), zones))


# --- what the views read -----------------------------------------------------------------------


def compute(scope: MetricScope) -> None:
    """What the dashboard, the briefing and /metrics/ read in `scope`, through the same
    functions, so that their cache keys are filled. The reader's own zones only hide figures
    (`allowed_zone_ids`), never change one: all are computed."""
    for pipeline in figures.PIPELINES:
        figures.dashboard(Figures(scope), pipeline)
    compose(scope, zone_label="", zone_code="")
    index_rows(scope)


# --- one run -----------------------------------------------------------------------------------


@dataclass
class Run:
    """What one run did, scope by scope (for the log and the tests)."""

    warmed: list[Zones] = field(default_factory=list)
    already_warm: list[Zones] = field(default_factory=list)
    locked: list[Zones] = field(default_factory=list)  # warmed (or begun) in the last minute
    failed: list[Zones] = field(default_factory=list)
    deferred: list[Zones] = field(default_factory=list)  # left to the next run: out of budget
    seconds: dict[Zones, float] = field(default_factory=dict)


def jobs_waiting() -> bool:
    """Whether other tasks wait in the queue (a user's import, the reminders): a run gives
    way to them after its first scope, so that a job waits for one scope's computation at
    most, even on a worker of one thread."""
    from huey.contrib.djhuey import HUEY

    try:
        return bool(HUEY.pending_count())
    except Exception:  # the queue unreadable: the run's own budget still bounds it
        log.warning("the jobs' queue could not be read", exc_info=True)
        return False


def _key(kind: str, zones: Zones, day: dt.date | None = None) -> str:
    # The database's name, as figure_cache's keys: two sites may share one Redis.
    database = connections["default"].settings_dict["NAME"]
    stamp = ".".join(map(str, zones))
    tail = [day.isoformat()] if day is not None else []
    return figure_cache.cache_key(database, f"warm-{kind}", stamp, *tail)


def _generations(scopes: Iterable[Zones]) -> dict[Zones, tuple[int, ...]]:
    """Each scope's generations as figure_cache keys them, from one query."""
    every = sorted({z for zones in scopes for z in zones})
    *per_zone, all_zones = figure_cache.generations(every)
    of = dict(zip(every, per_zone, strict=True))
    return {zones: (*(of[z] for z in zones), all_zones) for zones in scopes}


def run(
    *,
    day: dt.date | None = None,
    scopes: list[Zones] | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> Run:
    """Warm every cold scope readers use (`reader_scopes`), within the run's budget."""
    done = Run()
    if not enabled():
        return done
    day = day or timezone.localdate()
    scopes = reader_scopes() if scopes is None else scopes
    if not scopes:
        return done
    cache = caches[figure_cache.CACHE_ALIAS]
    current = _generations(scopes)
    warmed_under = cache.get_many([_key("state", zones, day) for zones in scopes])
    began = clock()
    for zones in scopes:
        state = _key("state", zones, day)
        if warmed_under.get(state) == current[zones]:
            done.already_warm.append(zones)
            continue
        begun = len(done.warmed) + len(done.failed)
        if begun >= MAX_SCOPES or clock() - began > RUN_SECONDS or (begun and jobs_waiting()):
            done.deferred.append(zones)
            continue
        # Per day: the first run of a new day is not held back by the last of the day before.
        if not cache.add(_key("lock", zones, day), 1, LOCK_SECONDS):
            done.locked.append(zones)
            continue
        start = clock()
        try:
            compute(MetricScope.of(zones, day))
        except Exception:
            log.exception("warming the figures of zones %s failed", zones)
            done.failed.append(zones)
            continue
        took = clock() - start
        done.seconds[zones] = took
        done.warmed.append(zones)
        # Kept no longer than the values warmed first: the state must never outlive them.
        keep = figure_cache.timeout() - math.ceil(took) - 1
        if keep > 0:
            # The generations read before anything was computed: a write during the warm
            # has moved them on, and the next run warms the scope again.
            cache.set(state, current[zones], keep)
    if done.warmed or done.failed:
        log.info(
            "figures warmed for %d scopes in %.1f s (%d already warm, %d failed, %d deferred)",
            len(done.warmed),
            sum(done.seconds.values()),
            len(done.already_warm),
            len(done.failed),
            len(done.deferred),
        )
    return done
