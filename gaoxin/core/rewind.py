"""Figures as they were known on a past day: the records rewound to their history, read, and
put back.

A report written on a day is checked against the figures as the records stood that day, and
as they stand now (数据核对, "true then, or true now"). `values_as_known_on` computes metric
values from the records as they were KNOWN at the end of a day, ignoring every change entered
after it: an investment revised later, a stage change entered late with an earlier date, a
record created later; a record deleted since comes back.

How: inside a transaction (a savepoint when one is already open) that is always rolled back,
every record with a django-simple-history history whose history has entries after the day is
put back to its latest version on or before the day, or removed when it did not exist then;
a record deleted since is inserted again from its last version. Each model changed costs
two statements whatever the number of its rows rewound (a DELETE, and an INSERT ... SELECT
from its history table); one query finds which models changed. The raw statements send no
signals and write no history; foreign keys are checked at commit (deferred on SQLite and
PostgreSQL), which never comes. Then the metrics are computed as
usual (`Values`), and everything is rolled back.

Records without such history but with their own "as known on" logic rewind themselves by a
function their app registers (`register`): the economy's figures (rows recorded after the day
removed, rows revised after it reopened, the rows in effect chosen again), the projects'
derived columns written without history (the first day at each stage, a space's leased area),
the radars' standings (a cache of the figures, dropped to be built again from the rewound
ones).

Not rewound (`NOT_REWOUND`; a test checks it is exactly what the code leaves alone, so a new
model without history is noticed): the catalogues edited only by administrators, the logs and
caches listed there with why, the many-to-many links (an enterprise's industries and chain
segments, a user's zones, an event's policies, a service record's attendees and departments:
simple-history does not record them, so they read as they are now), and Django's and other
libraries' own tables (sessions, permissions, login attempts, devices).

Limits: a record whose history begins after the day without a creation entry (rows loaded
before history was kept) cannot be put back and is read as it is now. Fields simple-history
does not keep are not rewound either (`updated_at` reads as the version's moment, a user's
password as empty). While the metrics are computed the rewound rows are locked against other
writers (PostgreSQL: those rows; SQLite: the database), for the second or two a zone's whole
catalogue takes on the demo; readers elsewhere see nothing of it. The radars' standings are
dropped at every call, so a radar figure asked of the rewound records is built again (the
slowest part of a call that asks for one). When more than `LIMIT`
history rows were written after the day, nothing is rewound and the answer is None: the
rewind would take too long for a page, and a wrong answer is never given instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from gaoxin.core import figure_cache
from gaoxin.core.metrics import MetricScope, Values, registry

# More history rows than this written after the day: no answer (see the module's docstring).
LIMIT = 50_000

# A function that rewinds an app's records without simple-history to the end of a day:
# given the day and its last instant (aware, in the zone's time).
Rewinder = Callable[[dt.date, dt.datetime], None]

_REWINDERS: list[tuple[tuple[str, ...], Rewinder]] = []

# Models of the platform neither history nor a registered rewinder puts back, and why.
NOT_REWOUND: dict[str, str] = {
    "accounts.LoginEvent": "a log of sign-ins, behind no figure",
    "accounts.ApiToken": "API credentials, behind no figure",
    "accounts.ApiToken_zones": "the zones of an API token, behind no figure",
    "core.FigureGeneration": "the figures cache's counters (core/figure_cache.py), no record",
    "industries.NationalIndustry": "the national classification (GB/T 4754), a catalogue",
    "economy.Indicator": "the catalogue of indicators, edited by administrators only",
    "cultivation.ScaleThreshold": "the scale thresholds, a catalogue",
    "cultivation.DesignationCriteria": "the designations' criteria, a catalogue",
    "accounts.User_zones": "a many-to-many link: not in simple-history",
    "accounts.User_groups": "Django's permission groups of a user, behind no figure",
    "accounts.User_user_permissions": "Django's permissions of a user, behind no figure",
    "enterprises.Enterprise_industries": "a many-to-many link: not in simple-history",
    "enterprises.Enterprise_segments": "a many-to-many link: not in simple-history",
    "policies.PolicyEvent_policies": "a many-to-many link: not in simple-history",
    "projects.ServiceRecord_attendees": "a many-to-many link: not in simple-history",
    "projects.ServiceRecord_departments": "a many-to-many link: not in simple-history",
    "jobs.Job": "background work a user asked for, behind no figure",
    "jobs.JobFile": "a job's upload or result, behind no figure",
    "jobs.Notice": "a reminder given on a day, behind no figure",
    "jobs.ReminderMute": "a user's choice of reminders, behind no figure",
    "jobs.ReminderRun": "a log of the reminders' runs, behind no figure",
    "jobs.Channel": "where a zone's reminders go, behind no figure",
    "jobs.Delivery": "a log of the reminders sent, behind no figure",
    "jobs.CalendarDay": "the working-day calendar, a catalogue edited by administrators",
}


def register(labels: Iterable[str], rewinder: Rewinder) -> None:
    """Have `rewinder` put back the records of the models `labels` ("economy.FigureValue")
    after the records with history are; called from an app's `ready()`. A model with history
    may be named too when the rewinder mends what its history does not hold (derived columns
    written without a history row)."""
    entry = (tuple(labels), rewinder)
    if entry not in _REWINDERS:
        _REWINDERS.append(entry)


def platform_models() -> list[type[models.Model]]:
    """The platform's own models (and their many-to-many tables), historical ones aside."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model.__module__.startswith("gaoxin") and not _is_historical(model)
    ]


def _is_historical(model: type[models.Model]) -> bool:
    return hasattr(model, "instance_type")  # simple-history's historical models have it


def history_of(model: type[models.Model]) -> type[models.Model] | None:
    """The simple-history model recording `model`'s versions, or None."""
    manager = getattr(model._meta, "simple_history_manager_attribute", None)
    if manager is None:
        return None
    history: type[models.Model] = getattr(model, manager).model
    return history


def rewound_by_rewinders() -> set[str]:
    return {label for labels, _ in _REWINDERS for label in labels}


def left_alone() -> set[str]:
    """The platform's models nothing here puts back (what NOT_REWOUND must list)."""
    handled = rewound_by_rewinders()
    return {
        m._meta.label
        for m in platform_models()
        if history_of(m) is None and m._meta.label not in handled
    }


def end_of(day: dt.date) -> dt.datetime:
    """The last instant of `day` in the zone's time (as MetricScope.end_of_day)."""
    start_next = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min)
    return timezone.make_aware(start_next) - dt.timedelta(microseconds=1)


def values_as_known_on(
    known_on: dt.date, scope: MetricScope, keys: list[str]
) -> dict[str, int | Decimal] | None:
    """The values of the metrics `keys` in `scope`, computed from the records as they were
    known at the end of `known_on`; None when more than LIMIT history rows were written
    since. Leaves no trace: the rewind is rolled back, even when a metric raises (the error
    is raised on). An unknown key raises KeyError before anything is rewound."""
    metrics = [registry.get(key) for key in keys]
    using = DEFAULT_DB_ALIAS
    moment = end_of(known_on)
    # The records put back are no one's figures: the cache is neither read nor filled.
    with transaction.atomic(using=using), figure_cache.bypass(using):
        try:
            changed = _changed_models(moment, using)
            if sum(changed.values()) > LIMIT:
                return None
            for model in changed:
                _rewind_model(model, moment, using)
            for _labels, rewinder in _REWINDERS:
                rewinder(known_on, moment)
            values = Values(scope)
            return {metric.key: values(metric) for metric in metrics}
        finally:
            transaction.set_rollback(True, using=using)


def _changed_models(moment: dt.datetime, using: str) -> dict[type[models.Model], int]:
    """The models with history rows after `moment`, and how many: one query for all."""
    recorded = [(m, h) for m in platform_models() if (h := history_of(m)) is not None]
    connection = connections[using]
    quote = connection.ops.quote_name
    when = connection.ops.adapt_datetimefield_value(moment)
    parts = [
        f"SELECT {index} AS model, COUNT(*) AS n FROM {quote(history._meta.db_table)} "
        f"WHERE {quote('history_date')} > %s"
        for index, (_model, history) in enumerate(recorded)
    ]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), [when] * len(parts))
        counts = cursor.fetchall()
    return {recorded[index][0]: n for index, n in counts if n}


def _rewind_model(model: type[models.Model], moment: dt.datetime, using: str) -> None:
    """Put `model`'s records changed after `moment` back as they were then: remove them all,
    then copy in, from the history table, the versions that existed at `moment` (one INSERT
    ... SELECT, whatever their number)."""
    history = history_of(model)
    assert history is not None
    pk = model._meta.pk
    assert not model._meta.parents, "multi-table models are not rewound"
    versions = history._default_manager.using(using)
    changed = versions.filter(history_date__gt=moment).values(pk.attname)
    before = versions.filter(history_date__lte=moment)
    latest = (
        before.filter(**{pk.attname: OuterRef(pk.attname)})
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    then = (
        before.filter(**{f"{pk.attname}__in": changed})
        .filter(history_id=Subquery(latest))
        .exclude(history_type="-")
        .order_by()
        .values("history_id")
    )
    # A record is removed when its past is known: it has a version by then, or its
    # creation was recorded (after the day, then: it did not exist).
    known = Q(pk__in=before.values(pk.attname)) | Q(
        pk__in=versions.filter(history_type="+").values(pk.attname)
    )
    model._base_manager.using(using).filter(pk__in=changed).filter(known)._raw_delete(using)
    connection = connections[using]
    quote = connection.ops.quote_name
    kept = {f.column for f in history._meta.concrete_fields}
    columns: list[str] = []
    values: list[str] = []
    params: list[Any] = []
    for model_field in model._meta.concrete_fields:
        column = str(model_field.column)
        columns.append(quote(column))
        if column in kept:
            values.append(quote(column))
        elif isinstance(model_field, models.DateTimeField) and not model_field.null:
            values.append(quote("history_date"))  # updated_at: the version's moment
        elif model_field.null and not model_field.has_default():
            values.append("NULL")
        else:  # a field history does not keep (a user's password): its default
            values.append("%s")
            params.append(model_field.get_db_prep_save(model_field.get_default(), connection))
    chosen, chosen_params = then.query.sql_with_params()
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(columns)}) "
        f"SELECT {', '.join(values)} FROM {quote(history._meta.db_table)} "
        f"WHERE {quote('history_id')} IN ({chosen})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *chosen_params])


__all__ = [
    "LIMIT",
    "NOT_REWOUND",
    "end_of",
    "history_of",
    "left_alone",
    "register",
    "values_as_known_on",
]
