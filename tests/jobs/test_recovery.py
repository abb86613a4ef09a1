"""The workers' own recovery (services.job_recover_stopped, run each minute by
tasks.recover_stopped_jobs): a job whose worker died is queued again and run whole once, up to
GAOXIN_JOB_RETRIES times, then failed; a live job is left alone; a queued job whose message
was lost is handed on again. In huey's immediate mode: the job queued again runs at once."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from gaoxin.accounts.models import Department
from gaoxin.jobs import progress, services, tasks
from gaoxin.jobs.models import Job

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def departments(job: Job) -> int:
    return Department.objects.filter(name__startswith=f"任务部门 {job.pk}-").count()


def _running(user, zone, *, attempts: int = 1, beat_ago: float | None = None) -> Job:
    """A job its worker was running; its last heartbeat `beat_ago` seconds ago (None: none
    stored, counted from when it started, a minute ago)."""
    job = Job.objects.create(
        user=user,
        zone=zone,
        kind="test-write",
        label="测试写入",
        params={"rows": 3},
        status=Job.Status.RUNNING,
        attempts=attempts,
        started_at=timezone.now() - timedelta(seconds=60),
    )
    if beat_ago is not None:
        progress.put(job.pk, {"rows_written": 2, "beat": time.time() - beat_ago})
    return job


@pytest.fixture
def stale_after_10(settings) -> None:
    settings.GAOXIN_JOB_STALE_SECONDS = 10
    settings.GAOXIN_JOB_RETRIES = 2


@pytest.mark.usefixtures("stale_after_10")
def test_a_job_whose_worker_died_is_queued_again_and_written_whole_once(
    users, zone, job_kind, django_capture_on_commit_callbacks
) -> None:
    dead = _running(users["officer"], zone, beat_ago=30)
    silent = _running(users["leader"], zone)  # no heartbeat at all, started a minute ago
    with django_capture_on_commit_callbacks(execute=True):
        done = services.job_recover_stopped()
    assert sorted(done["requeued"]) == sorted([dead.pk, silent.pk])
    assert done["failed"] == []
    for job in (dead, silent):
        job.refresh_from_db()
        assert job.status == Job.Status.DONE and job.attempts == 2, job.message
        assert departments(job) == 3  # all rows, by the second attempt alone
        assert not Department.objects.filter(name__startswith=f"任务部门 {job.pk}-1-").exists()
    # Recovering again finds nothing to do: the job is not run a third time.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.job_recover_stopped()["requeued"] == []
    dead.refresh_from_db()
    assert dead.attempts == 2 and departments(dead) == 3


@pytest.mark.usefixtures("stale_after_10")
def test_a_live_job_and_jobs_not_running_are_left_alone(
    users, zone, job_kind, django_capture_on_commit_callbacks
) -> None:
    live = _running(users["officer"], zone, beat_ago=3)
    finished = _running(users["officer"], zone, beat_ago=60)
    Job.objects.filter(pk=finished.pk).update(status=Job.Status.DONE)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        done = services.job_recover_stopped()
    assert done == {"requeued": [], "failed": [], "reenqueued": []}
    assert callbacks == []
    live.refresh_from_db()
    assert live.status == Job.Status.RUNNING and live.attempts == 1
    assert Job.objects.get(pk=finished.pk).status == Job.Status.DONE


@pytest.mark.usefixtures("stale_after_10")
def test_after_its_retries_a_stopped_job_fails_and_its_owner_may_still_run_it(
    users, zone, job_kind, django_capture_on_commit_callbacks
) -> None:
    job = _running(users["officer"], zone, attempts=3, beat_ago=30)  # 1 + 2 retries used
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        done = services.job_recover_stopped()
    assert done["failed"] == [job.pk] and done["requeued"] == []
    assert callbacks == []  # nothing queued
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.finished_at is not None
    assert job.message == (
        "The worker running this job stopped 3 times; nothing was written. It can be run again."
    )
    assert departments(job) == 0
    with django_capture_on_commit_callbacks(execute=True):
        services.job_rerun(job=job, by=users["officer"])
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.attempts == 4 and departments(job) == 3


def test_no_retries_leaves_a_stopped_job_to_its_owner(
    users, zone, job_kind, settings, django_capture_on_commit_callbacks
) -> None:
    settings.GAOXIN_JOB_STALE_SECONDS = 10
    settings.GAOXIN_JOB_RETRIES = 0
    job = _running(users["officer"], zone, beat_ago=30)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.job_recover_stopped()["requeued"] == []
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING and services.job_stopped(job)


@pytest.mark.usefixtures("stale_after_10")
def test_a_queued_job_whose_message_was_lost_is_handed_on_when_the_queue_is_empty(
    users, zone, job_kind, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    from huey.contrib.djhuey import HUEY

    lost = Job.objects.create(
        user=users["officer"],
        zone=zone,
        kind="test-write",
        label="测试写入",
        params={"rows": 2},
        created_at=timezone.now() - timedelta(seconds=30),
    )
    fresh = Job.objects.create(
        user=users["officer"], zone=zone, kind="test-write", label="测试写入", params={"rows": 2}
    )
    # While messages wait in the queue, a queued job may just be waiting its turn.
    monkeypatch.setattr(HUEY, "pending_count", lambda: 3)
    assert services.job_recover_stopped()["reenqueued"] == []
    assert Job.objects.get(pk=lost.pk).status == Job.Status.QUEUED
    monkeypatch.setattr(HUEY, "pending_count", lambda: 0)
    assert services.job_recover_stopped()["reenqueued"] == [lost.pk]
    lost.refresh_from_db()
    assert lost.status == Job.Status.DONE and lost.attempts == 1 and departments(lost) == 2
    assert Job.objects.get(pk=fresh.pk).status == Job.Status.QUEUED  # queued only just now


def test_the_workers_recover_each_minute() -> None:
    from huey.contrib.djhuey import HUEY

    task_class = tasks.recover_stopped_jobs.task_class
    for minute in (0, 1, 17, 59):
        due = HUEY.read_periodic(datetime(2026, 11, 30, 9, minute))
        assert any(isinstance(task, task_class) for task in due)


def test_a_heartbeat_names_its_worker(users, zone) -> None:
    import os
    import socket

    job = _running(users["officer"], zone)
    tracker = progress.Progress(job)
    tracker.flush()
    state = progress.read(job.pk)
    assert state is not None and state["worker"] == f"{socket.gethostname()}:{os.getpid()}"
