"""The slow kind: writes `rows` departments of the job's zone (a real business model's rows),
`batch` at a time with a pause between the batches, all in one transaction, telling its
progress as it goes. Each row's name carries the job and its attempt, so rows written twice
(by two attempts) would show."""

from __future__ import annotations

import time

from django.db import transaction

from gaoxin.accounts.models import Department
from gaoxin.core.errors import DomainError
from gaoxin.jobs.kinds import JobKind, Outcome
from gaoxin.jobs.models import Job
from gaoxin.jobs.progress import Progress

PREFIX = "慢任务"


def name_prefix(job_id: int) -> str:
    return f"{PREFIX} {job_id}-"


def run_slow(job: Job, progress: Progress) -> Outcome:
    rows = int(job.params.get("rows", 100))
    batch = int(job.params.get("batch", 10))
    pause = float(job.params.get("pause", 0.1))
    if job.params.get("refuse"):
        raise DomainError(str(job.params["refuse"]))
    if job.params.get("crash"):
        raise RuntimeError(str(job.params["crash"]))
    assert job.zone is not None
    progress.update(total=rows, read=rows, checked=rows, phase="writing")
    written = 0
    with transaction.atomic():
        while written < rows:
            count = min(batch, rows - written)
            Department.objects.bulk_create(
                Department(zone=job.zone, name=f"{name_prefix(job.pk)}{job.attempts}-{written + i}")
                for i in range(count)
            )
            written += count
            progress.update(written=written)
            if written < rows:
                time.sleep(pause)
    body = f"{written} rows\n".encode()
    return Outcome(message=f"{written} rows written.", file=("结果 result.txt", body))


SLOW = JobKind(name="test-slow", label="慢任务 (test)", run=run_slow)
