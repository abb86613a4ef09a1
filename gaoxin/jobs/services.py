"""Asking for a job, running it, running it again.

`job_submit` records the job (and its input file) and hands its id to the queue once the
transaction commits; the worker runs `job_run`, which takes the job only while it is queued
(so a job enqueued twice runs once), gives it to its kind's runner and records how it ended.
A runner writes in one transaction: a worker killed half-way leaves nothing, the job shows as
stopped once its heartbeat is old, and its owner may run it again (`job_rerun`)."""

from __future__ import annotations

import hashlib
import logging
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
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
            locked.status = Job.Status.QUEUED
            locked.message = ""
            locked.rows_read = locked.rows_checked = locked.rows_written = 0
            locked.started_at = locked.finished_at = None
            locked.save()
            progress.forget(locked.pk)
            transaction.on_commit(lambda: enqueue(locked.pk))
    except IntegrityError:
        raise DomainError(_("The same work is already queued or done in another job.")) from None
    return locked
