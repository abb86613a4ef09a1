"""Every record the demo loads dated in the scenario's time.

The services stamp what they create with the moment they run (`created_at`, a user's
`date_joined`, a history row's `history_date`); loaded today, the zone's industries, chain
segments and users would not exist as of the article's day. After the load, every record it
created is given the day it came about in the scenario: the first of its own event dates
(a meeting's, a lead's finding, a stage change's, a designation's grant…), a project's first
stage change, or else the day the zone set up its system (`SETUP_DAY`, before anything
else in the scenario). A history row takes the latest date of the version it records (a
blocker's closing, an approval's finish, a project's stage) up to the load day, so a record's
past as of a day is what the scenario says. Records created before the load (a
database that already held other work) are not touched.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Min
from django.utils import timezone

from gaoxin.demo.clock import Clock

# The scenario's day the zone set up its industry system, departments and users: before any
# of its records (its first space was under construction from 2017).
SETUP_DAY = dt.date(2017, 1, 3)
# A record's own event dates, the first one it has wins.
EVENT_FIELDS = (
    "on",
    "held_on",
    "found_on",
    "raised_on",
    "started_on",
    "opens_on",
    "issued_on",
    "adopted_on",
    "granted_on",
    "joined_on",
    "founded_on",
    "valid_from",
    "settled_on",
    "status_on",
    "stage_on",
    "entered_on",
)
# Dates a later version of a record adds (a history row is dated by the latest it has).
LATER_FIELDS = (
    "closed_on",
    "done_on",
    "paid_on",
    "announced_on",
    "returned_on",
    "revoked_on",
    "left_on",
    "completed_on",
    "last_activity_on",
)
STAMPS = ("created_at", "updated_at", "date_joined", "history_date")
WORKDAY_HOUR = 9


def _moment(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(WORKDAY_HOUR)))


def _gaoxin_models() -> list[type[models.Model]]:
    return [
        m
        for m in apps.get_models()
        if m.__module__.startswith("gaoxin.") or m._meta.app_label == "accounts"
    ]


def records_since(started: dt.datetime, clock: Clock) -> dict[str, int]:
    """Date the records created since `started` in the scenario's time; how many of each."""
    setup = _moment(clock.on(SETUP_DAY))
    firsts = _project_firsts()
    counts: dict[str, int] = {}
    for model in _gaoxin_models():
        names = {f.name for f in model._meta.concrete_fields}
        stamps = [s for s in STAMPS if s in names]
        if not stamps:
            continue
        key = stamps[0] if stamps[0] != "updated_at" else stamps[-1]
        fresh = model._default_manager.filter(**{f"{key}__gte": started})
        is_history = "history_date" in names
        events = [f for f in EVENT_FIELDS + (LATER_FIELDS if is_history else ()) if f in names]
        is_project = model._meta.label == "projects.Project"
        if not events and not is_project:
            counts[model._meta.label] = fresh.update(**dict.fromkeys(stamps, setup))
            continue
        by_day: dict[dt.datetime, list[Any]] = defaultdict(list)
        pk = model._meta.pk.attname
        for row in fresh.values(pk, "id" if is_project else pk, *events):
            day = firsts.get(row["id"]) if is_project else None
            if is_history:  # the version's latest day, not after the load day
                day = max(
                    (row[f] for f in events if row[f] and row[f] <= clock.today), default=None
                )
            day = day or next((row[f] for f in events if row[f] is not None), None)
            by_day[_moment(day) if day else setup].append(row[pk])
        for moment, pks in by_day.items():
            for chunk in range(0, len(pks), 500):
                model._default_manager.filter(pk__in=pks[chunk : chunk + 500]).update(
                    **dict.fromkeys(stamps, moment)
                )
        counts[model._meta.label] = sum(len(p) for p in by_day.values())
    return counts


def _project_firsts() -> dict[int, dt.date]:
    """Each project's first stage change (its creation in the scenario)."""
    from gaoxin.projects.models import StageChange

    return dict(
        StageChange.objects.values("project_id")
        .annotate(first=Min("on"))
        .values_list("project_id", "first")
    )
