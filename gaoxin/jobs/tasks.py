"""The huey tasks (`gaoxin worker` runs them): a job by its id, and the reminders each
working morning (jobs/reminders.py)."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from gaoxin.jobs import services


@db_task(retries=0)  # type: ignore[untyped-decorator]
def run_job(job_id: int) -> None:
    services.job_run(job_id=job_id)
