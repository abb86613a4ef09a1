"""Asking for a job, running it, running it again.

`job_submit` records the job (and its input file) and hands its id to the queue once the
transaction commits; the worker runs `job_run`, which takes the job only while it is queued
(so a job enqueued twice runs once), gives it to its kind's runner and records how it ended.
A runner writes in one transaction: a worker killed half-way leaves nothing, the job shows as
stopped once its heartbeat is old, and its owner may run it again (`job_rerun`). The workers
do so themselves each minute (`job_recover_stopped`, tasks.recover_stopped_jobs): a stopped job
is queued again up to GAOXIN_JOB_RETRIES times, then failed."""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gaoxin.core.errors import DomainError
from gaoxin.jobs import kinds, progress
from gaoxin.jobs.models import Job, JobFile

if TYPE_CHECKING:
    from gaoxin.accounts.models import User, Zone

log = logging.getLogger(__name__)


def dedupe_key(*parts: Any) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()


def job_submit(
    *,
    user: User,
    zone: Zone | None,
    kind: str,
    label: str,
    params: dict[str, Any] | None = None,
    input_file: tuple[str, bytes] | None = None,
    same_as: str = "",
) -> Job:
    """Record a job and queue it. `same_as` names the work (an upload's digest): asked for again
    by the same user while an earlier one has not failed, that earlier job is returned and
    nothing new runs."""
    if kinds.get(kind) is None:
        raise ValueError(f"no job kind {kind!r} is registered")
    key = dedupe_key(user.pk, kind, zone.pk if zone else "", same_as) if same_as else ""
    if key:
        existing = Job.objects.filter(dedupe_key=key).exclude(status=Job.Status.FAILED).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            job = Job.objects.create(
                user=user,
                zone=zone,
                kind=kind,
                label=label[:200],
                params=params or {},
                dedupe_key=key,
            )
            if input_file is not None:
                name, content = input_file
                JobFile.objects.create(
                    job=job,
                    role=JobFile.Role.INPUT,
                    name=name[:255],
                    size=len(content),
                    content=content,
                )
            transaction.on_commit(lambda: enqueue(job.pk))
    except IntegrityError:  # the same work asked for at the same moment: the other one
        existing = Job.objects.filter(dedupe_key=key).exclude(status=Job.Status.FAILED).first()
        if existing is None:
            raise
        return existing
    return job


def enqueue(job_id: int) -> None:
    from gaoxin.jobs.tasks import run_job

    run_job(job_id)


def job_run(*, job_id: int) -> None:
    """Run a queued job (the worker's task). A job not queued (done, failed, or taken by
    another worker) is left alone: a job enqueued twice runs once."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != Job.Status.QUEUED:
            return
        job.status = Job.Status.RUNNING
        job.attempts += 1
        job.started_at = timezone.now()
        job.finished_at = None
        job.message = ""
        job.save(update_fields=["status", "attempts", "started_at", "finished_at", "message"])
    kind = kinds.get(job.kind)
    tracker = progress.Progress(job)
    tracker.start()
    try:
        if kind is None:
            raise DomainError(_("This kind of job is no longer known."))
        outcome = kind.run(job, tracker)
    except DomainError as exc:
        _finish(job, tracker, Job.Status.FAILED, exc.message)
    except Exception:
        log.exception("job %s (%s) failed", job.pk, job.kind)
        _finish(
            job,
            tracker,
            Job.Status.FAILED,
            _("The job stopped on an unexpected error; nothing was written. It has been logged."),
        )
    else:
        _finish(job, tracker, Job.Status.DONE, outcome.message, outcome)


def _finish(
    job: Job,
    tracker: progress.Progress,
    status: str,
    message: str,
    outcome: kinds.Outcome | None = None,
) -> None:
    """Record how this attempt ended, unless the job is no longer this attempt's: taken for
    stopped (its heartbeat was late) and queued again by its owner meanwhile, whose new run
    owns the row and the progress now."""
    try:
        with transaction.atomic():
            current = Job.objects.select_for_update().filter(pk=job.pk).first()
            if (
                current is None
                or current.status != Job.Status.RUNNING
                or current.attempts != job.attempts
            ):
                log.warning(
                    "job %s: attempt %s ended (%s) after the job was run again; not recorded",
                    job.pk,
                    job.attempts,
                    status,
                )
                return
            for name in progress.FIELDS:
                setattr(current, name, tracker.state.get(name) or getattr(current, name))
            current.status = status
            current.message = message
            current.finished_at = timezone.now()
            if outcome is not None:
                current.result_url = outcome.url
                for role, kept in (
                    (JobFile.Role.RESULT, outcome.file),
                    (JobFile.Role.DATA, outcome.data),
                ):
                    if kept is not None:
                        name, content = kept
                        JobFile.objects.update_or_create(
                            job=current,
                            role=role,
                            defaults={"name": name[:255], "size": len(content), "content": content},
                        )
            current.save()
            for name in (*progress.FIELDS, "status", "message", "finished_at", "result_url"):
                setattr(job, name, getattr(current, name))
        progress.forget(job.pk)
    finally:
        tracker.stop()


def job_stopped(job: Job) -> bool:
    """A running job whose worker is gone (no heartbeat for `GAOXIN_JOB_STALE_SECONDS`)."""
    return job.status == Job.Status.RUNNING and progress.is_stale(job.pk, job.started_at)


def job_rerun(*, job: Job, by: User) -> Job:
    """Queue a failed job, or one whose worker stopped, again: it starts from nothing (what a
    stopped run was writing was never committed). Checked again under the row's lock, so two
    clicks queue it once."""
    if job.user_id != by.pk:
        raise DomainError(_("Only the user who started a job may run it again."))
    try:
        with transaction.atomic():
            locked = Job.objects.select_for_update().get(pk=job.pk)
            if not (locked.status == Job.Status.FAILED or job_stopped(locked)):
                raise DomainError(_("Only a failed or stopped job can be run again."))
            _requeue(locked, message="")
    except IntegrityError:
        raise DomainError(_("The same work is already queued or done in another job.")) from None
    return locked


def _requeue(locked: Job, *, message: str) -> None:
    """Inside the transaction holding the job's row: queued again from nothing, handed to the
    queue once that transaction commits."""
    locked.status = Job.Status.QUEUED
    locked.message = message
    locked.rows_read = locked.rows_checked = locked.rows_written = 0
    locked.started_at = locked.finished_at = None
    locked.save()
    progress.forget(locked.pk)
    transaction.on_commit(lambda: enqueue(locked.pk))


def job_recover_stopped() -> dict[str, list[int]]:
    """What the workers do each minute (tasks.recover_stopped_jobs), so that no job is left
    behind by a worker that died (killed, its machine gone):

    - a running job whose heartbeat is older than GAOXIN_JOB_STALE_SECONDS is queued again,
      from nothing (its write was one transaction, never committed), while it has been tried
      at most GAOXIN_JOB_RETRIES times more than once; after that it fails, with a message
      saying so, and its owner may still run it again;
    - when the queue is empty, a job still queued since before the stale time lost its message
      (a worker took it and died before starting it) and is handed to the queue once more: a
      job runs only while queued, so a second message for it does nothing.

    Each job is checked again under its row's lock: two workers recovering at the same minute
    queue it once. GAOXIN_JOB_RETRIES=0 turns all this off. Returns the ids queued again,
    failed and handed on."""
    from huey.contrib.djhuey import HUEY

    retries = int(getattr(settings, "GAOXIN_JOB_RETRIES", 2))
    done: dict[str, list[int]] = {"requeued": [], "failed": [], "reenqueued": []}
    if retries <= 0:
        return done
    running = Job.objects.filter(status=Job.Status.RUNNING).only("pk", "attempts", "started_at")
    for job in running:
        if not job_stopped(job):
            continue
        with transaction.atomic():
            locked = Job.objects.select_for_update().filter(pk=job.pk).first()
            if locked is None or locked.attempts != job.attempts or not job_stopped(locked):
                continue  # meanwhile done, failed, or recovered by another worker
            language = str(locked.params.get("language") or "") or None
            if locked.attempts > retries:
                locked.status = Job.Status.FAILED
                with translation.override(language):  # in its owner's words, as the runners
                    locked.message = _(
                        "The worker running this job stopped %(n)d times; nothing was "
                        "written. It can be run again."
                    ) % {"n": locked.attempts}
                locked.finished_at = timezone.now()
                locked.save(update_fields=["status", "message", "finished_at"])
                progress.forget(locked.pk)
                done["failed"].append(locked.pk)
                log.warning("job %s: its worker stopped %s times; failed", job.pk, job.attempts)
            else:
                with translation.override(language):
                    message = _("Its worker stopped; queued again (attempt %(n)d).") % {
                        "n": locked.attempts + 1
                    }
                _requeue(locked, message=message)
                done["requeued"].append(locked.pk)
                log.warning("job %s: its worker stopped; queued again", job.pk)
    if HUEY.pending_count() == 0:
        before = timezone.now() - timedelta(seconds=progress.stale_after())
        for pk in Job.objects.filter(status=Job.Status.QUEUED, created_at__lt=before).values_list(
            "pk", flat=True
        ):
            if pk in done["requeued"]:
                continue
            enqueue(pk)
            done["reenqueued"].append(pk)
            log.warning("job %s: queued with no message in the queue; handed on again", pk)
    return done
