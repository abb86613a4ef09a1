"""A running job's progress and heartbeat, kept in huey's key-value store (the SQLite file
under var/ or Redis), not in the database: the import it reports on writes inside one
transaction, which no other connection sees into (and which, on SQLite, holds the only write
lock). The job's row is brought up to date between the steps and at the end."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from huey.constants import EmptyData

if TYPE_CHECKING:
    from gaoxin.jobs.models import Job

log = logging.getLogger(__name__)

FIELDS = ("rows_total", "rows_read", "rows_checked", "rows_written")

# The phases a runner names in `update(phase=…)`, as the page shows them (in the reader's
# language, not the worker's). A phase not listed here is shown as given.
PHASES: dict[str, Promise] = {
    "reading": _("Reading the file"),
    "checking": _("Checking the rows"),
    "writing": _("Writing the rows"),
    "exporting": _("Building the file"),
}


def phase_label(phase: str) -> str:
    return str(PHASES.get(phase, phase))


def _huey() -> Any:
    from huey.contrib.djhuey import HUEY

    return HUEY


def _key(job_id: int) -> str:
    return f"gaoxin-job-{job_id}"


def stale_after() -> float:
    """After how long without a word a running job is taken as stopped (its worker killed):
    then it may be run again."""
    return float(getattr(settings, "GAOXIN_JOB_STALE_SECONDS", 60))


def worker_name() -> str:
    """Which worker runs the job, as its heartbeat names it: host and process id (the machine
    and process to look at, or to stop, when a job hangs)."""
    return f"{socket.gethostname()}:{os.getpid()}"


def heartbeat_seconds() -> float:
    """How often a running job says it is alive: three times within `stale_after()`, so one
    late beat does not make a live job look stopped."""
    return max(0.5, min(5.0, stale_after() / 3))


class Progress:
    """Given to a job's runner: `update(read=…, checked=…, written=…, total=…, phase=…)` as
    it goes (`phase` one of PHASES' keys, shown in the reader's language); calls closer than
    `every` seconds apart are not stored (the last one always is at `flush`). A thread beats
    while the job runs, so a long single statement (a COPY) does not look like a dead worker."""

    def __init__(self, job: Job, *, every: float = 0.5) -> None:
        self.job_id = job.pk
        self.every = every
        self.state: dict[str, Any] = {name: getattr(job, name) for name in FIELDS}
        self.state["phase"] = ""
        self._stored_at = 0.0
        self._stop = threading.Event()
        self._beat: threading.Thread | None = None

    def update(
        self,
        *,
        read: int | None = None,
        checked: int | None = None,
        written: int | None = None,
        total: int | None = None,
        phase: str | None = None,
    ) -> None:
        for name, value in (
            ("rows_read", read),
            ("rows_checked", checked),
            ("rows_written", written),
            ("rows_total", total),
            ("phase", phase),
        ):
            if value is not None:
                self.state[name] = value
        now = time.monotonic()
        if phase is not None or now - self._stored_at >= self.every:
            self._store(now)

    def flush(self) -> None:
        self._store(time.monotonic())

    def _store(self, now: float) -> None:
        self._stored_at = now
        put(self.job_id, {**self.state, "beat": time.time(), "worker": worker_name()})

    def start(self) -> None:
        self.flush()
        if _huey().immediate:  # tests: the job runs inside the caller, nothing to watch
            return
        self._beat = threading.Thread(target=self._beating, daemon=True, name="job-heartbeat")
        self._beat.start()

    def stop(self) -> None:
        self._stop.set()
        if self._beat is not None:
            self._beat.join(timeout=2)

    def _beating(self) -> None:
        while not self._stop.wait(heartbeat_seconds()):
            try:
                put(self.job_id, {**self.state, "beat": time.time(), "worker": worker_name()})
            except Exception:  # a blip of Redis must not silence the job for good
                log.warning("job %s: its heartbeat was not stored", self.job_id, exc_info=True)


def put(job_id: int, state: dict[str, Any]) -> None:
    huey = _huey()
    huey.storage.put_data(_key(job_id), huey.serializer.serialize(state))


def read(job_id: int) -> dict[str, Any] | None:
    """The running job's last stored progress, or None."""
    huey = _huey()
    data = huey.storage.peek_data(_key(job_id))
    if data is None or data is EmptyData:
        return None
    state: dict[str, Any] = huey.serializer.deserialize(data)
    return state


def forget(job_id: int) -> None:
    huey = _huey()
    huey.storage.pop_data(_key(job_id))


def is_stale(job_id: int, started_at: datetime | None = None) -> bool:
    """A running job whose worker has said nothing for `stale_after()` seconds. A job with no
    word stored at all counts from `started_at` (its worker may be storing its first one)."""
    state = read(job_id)
    if state is not None:
        last = float(state.get("beat", 0))
    elif started_at is not None:
        last = started_at.timestamp()
    else:
        return True
    return time.time() - last > stale_after()
