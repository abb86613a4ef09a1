"""Asking for a job, running it, running it again (gaoxin/jobs/services.py), in huey's
immediate mode (the real worker is tests/jobs/test_worker.py's)."""

from __future__ import annotations

import logging
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from gaoxin.accounts.models import Department
from gaoxin.core.errors import DomainError
from gaoxin.jobs import progress, services
from gaoxin.jobs.models import Job, JobFile

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def departments(job: Job) -> int:
    return Department.objects.filter(name__startswith=f"任务部门 {job.pk}-").count()


def test_a_submitted_job_runs_and_keeps_its_counts_input_and_result(users, zone, submit) -> None:
    job = submit(
        users["officer"], zone, params={"rows": 4}, input_file=("企业名单.xlsx", b"input-bytes")
    )
    assert job.status == Job.Status.DONE
    assert job.attempts == 1
    assert (job.rows_read, job.rows_checked, job.rows_written) == (4, 4, 4)
    assert job.message == "已写入 4 行。"
    assert job.started_at is not None and job.finished_at is not None
    assert departments(job) == 4
    files = {f.role: f for f in JobFile.objects.filter(job=job)}
    assert (
        files["input"].name == "企业名单.xlsx" and bytes(files["input"].content) == b"input-bytes"
    )
    assert files["result"].name == "导出 结果.xlsx" and files["result"].size == 16
    assert progress.read(job.pk) is None  # its live progress is dropped once it has ended


def test_an_unknown_kind_is_refused_before_anything_is_recorded(users, zone) -> None:
    with pytest.raises(ValueError, match="no job kind"):
        services.job_submit(user=users["officer"], zone=zone, kind="no-such", label="x")
    assert not Job.objects.exists()


def test_the_same_work_asked_twice_is_one_job_run_once_even_if_enqueued_twice(
    users, zone, submit, django_capture_on_commit_callbacks
) -> None:
    first = submit(users["officer"], zone, params={"rows": 2}, same_as="digest-1")
    again = submit(users["officer"], zone, params={"rows": 2}, same_as="digest-1")
    assert again.pk == first.pk
    services.enqueue(first.pk)  # a second message for the same job
    first.refresh_from_db()
    assert Job.objects.count() == 1
    assert first.attempts == 1 and first.status == Job.Status.DONE
    assert departments(first) == 2
    # Another user's same work, and other work, are jobs of their own.
    other = submit(users["leader"], zone, params={"rows": 1}, same_as="digest-1")
    different = submit(users["officer"], zone, params={"rows": 1}, same_as="digest-2")
    assert len({first.pk, other.pk, different.pk}) == 3


def test_a_domain_error_fails_the_job_with_its_message_and_writes_nothing(
    users, zone, submit
) -> None:
    job = submit(users["officer"], zone, params={"refuse": "第 3 行的统一社会信用代码无效"})
    assert job.status == Job.Status.FAILED
    assert job.message == "第 3 行的统一社会信用代码无效"
    assert job.finished_at is not None
    assert departments(job) == 0


def test_an_unexpected_error_is_logged_and_shown_in_general_words(
    users, zone, submit, caplog
) -> None:
    with caplog.at_level(logging.ERROR, logger="gaoxin.jobs.services"):
        job = submit(users["officer"], zone, params={"rows": 5, "crash": True})
    assert job.status == Job.Status.FAILED
    assert "unexpected error" in job.message and "disk on fire" not in job.message
    assert departments(job) == 0  # the rows written before the error are rolled back
    [record] = [r for r in caplog.records if r.exc_info]
    assert "disk on fire" in str(record.exc_info[1])


def test_a_failed_job_runs_again_from_nothing_for_its_owner(
    users, zone, submit, django_capture_on_commit_callbacks
) -> None:
    job = submit(users["officer"], zone, params={"rows": 3, "fail_first": True})
    assert job.status == Job.Status.FAILED and job.message == "第一次失败"
    with django_capture_on_commit_callbacks(execute=True):
        services.job_rerun(job=job, by=users["officer"])
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.attempts == 2 and job.message == "已写入 3 行。"
    assert departments(job) == 3


def test_a_failed_job_is_not_run_again_when_the_same_work_went_on_in_another(
    users, zone, submit, django_capture_on_commit_callbacks
) -> None:
    failed = submit(users["officer"], zone, params={"refuse": "不行"}, same_as="digest-9")
    done = submit(users["officer"], zone, params={"rows": 1}, same_as="digest-9")
    assert done.pk != failed.pk and done.status == Job.Status.DONE
    with pytest.raises(DomainError, match="already queued or done"):
        services.job_rerun(job=failed, by=users["officer"])


def test_rerun_is_refused_for_a_done_job_and_for_another_user(
    users, zone, submit, django_capture_on_commit_callbacks
) -> None:
    done = submit(users["officer"], zone, params={"rows": 1})
    with pytest.raises(DomainError, match="Only a failed or stopped job"):
        services.job_rerun(job=done, by=users["officer"])
    failed = submit(users["officer"], zone, params={"refuse": "不行"})
    with pytest.raises(DomainError, match="Only the user who started"):
        services.job_rerun(job=failed, by=users["leader"])
    failed.refresh_from_db()
    assert failed.status == Job.Status.FAILED and failed.attempts == 1


def _running(user, zone, started_ago: float) -> Job:
    return Job.objects.create(
        user=user,
        zone=zone,
        kind="test-write",
        label="测试写入",
        status=Job.Status.RUNNING,
        attempts=1,
        started_at=timezone.now() - timedelta(seconds=started_ago),
    )


def test_a_running_job_is_stopped_once_its_heartbeat_is_older_than_the_stale_time(
    users, zone, settings
) -> None:
    settings.GAOXIN_JOB_STALE_SECONDS = 10
    job = _running(users["officer"], zone, started_ago=60)
    progress.put(job.pk, {"rows_written": 5, "beat": time.time() - 3})
    assert services.job_stopped(job) is False
    progress.put(job.pk, {"rows_written": 5, "beat": time.time() - 11})
    assert services.job_stopped(job) is True
    # No word stored yet: counted from when it started.
    progress.forget(job.pk)
    assert services.job_stopped(_running(users["officer"], zone, started_ago=2)) is False
    assert services.job_stopped(job) is True
    # A job not running is never stopped.
    job.status = Job.Status.DONE
    assert services.job_stopped(job) is False


def test_a_stopped_job_runs_again_and_its_late_worker_records_nothing_over_it(
    users, zone, job_kind, settings, django_capture_on_commit_callbacks
) -> None:
    settings.GAOXIN_JOB_STALE_SECONDS = 10
    job = _running(users["officer"], zone, started_ago=60)
    job.params = {"rows": 2}
    job.save()
    with pytest.raises(DomainError):  # its worker is still heard from
        progress.put(job.pk, {"beat": time.time()})
        services.job_rerun(job=job, by=users["officer"])
    progress.put(job.pk, {"beat": time.time() - 30})
    late_attempt = Job.objects.get(pk=job.pk)  # what the stopped worker holds
    with django_capture_on_commit_callbacks(execute=True):
        assert services.job_rerun(job=job, by=users["officer"]).status == Job.Status.QUEUED
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.attempts == 2 and departments(job) == 2
    # The stopped worker comes back and ends: the job is no longer its own, nothing changes.
    services._finish(late_attempt, progress.Progress(late_attempt), Job.Status.FAILED, "迟到")
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.message == "已写入 2 行。"
