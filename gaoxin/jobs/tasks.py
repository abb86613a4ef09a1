"""The huey tasks (`gaoxin worker` runs them): a job by its id, the recovery of jobs whose
worker died (each minute), and the reminders each working morning (jobs/reminders.py)."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from gaoxin.jobs import reminders, services, workdays


@db_task(retries=0)  # type: ignore[untyped-decorator]
def run_job(job_id: int) -> None:
    services.job_run(job_id=job_id)


@db_periodic_task(crontab(minute="30", hour="8"), retries=0)  # type: ignore[untyped-decorator]
def morning_reminders() -> None:
    """Each morning at 8:30 local time: the day's reminders, on working days only (weekends
    and public holidays are skipped, make-up working days (调休) are not)."""
    today = timezone.localdate()
    if not workdays.is_workday(today):
        return
    reminders.run_reminders(day=today)


@db_periodic_task(crontab(minute="*"), retries=0)  # type: ignore[untyped-decorator]
def recover_stopped_jobs() -> None:
    """Each minute: a job whose worker died is queued again (or failed after
    GAOXIN_JOB_RETRIES), and a queued job whose message was lost is handed on again
    (services.job_recover_stopped). Every worker's scheduler enqueues it; the jobs' row locks
    make two runs at the same minute recover each job once."""
    services.job_recover_stopped()
