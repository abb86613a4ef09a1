"""The dashboard's huey task (`gaoxin worker` runs it; huey finds each app's `tasks` module):
the figures warmed each minute (warm.py)."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from gaoxin.dashboard import warm

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*"), retries=0)  # type: ignore[untyped-decorator]
def warm_figures() -> None:
    """Each minute, local time (so in the first minute of each day too, whose figures no key
    holds yet): the figures of the scopes readers open, where a write or the new day has left
    them cold. Every worker's scheduler enqueues it; a lock per scope in the shared cache makes
    one of them warm each scope. Whatever fails is logged here, never raised into the worker."""
    if not warm.enabled():
        return
    try:
        warm.run()
    except Exception:
        log.exception("warming the figures failed")
