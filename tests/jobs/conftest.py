"""Job kinds of the tests, registered for the test that asks for them; the channels' local HTTP
receiver and SMTP sink (tests/jobs/channel_fixtures.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from gaoxin.accounts.models import Department
from gaoxin.core.errors import DomainError
from gaoxin.jobs import kinds
from gaoxin.jobs.kinds import JobKind, Outcome
from gaoxin.jobs.models import Job
from gaoxin.jobs.progress import Progress
from tests.jobs.channel_fixtures import http_receiver, smtp_sink

__all__ = ["http_receiver", "smtp_sink"]


def write_departments(job: Job, progress: Progress) -> Outcome:
    """Writes `rows` departments (a real business model) in one transaction, then a result
    file; `refuse` fails it with that message, `crash` with an unexpected error, `fail_first`
    fails its first attempt only."""
    from django.db import transaction

    params: dict[str, Any] = job.params
    if params.get("refuse"):
        raise DomainError(params["refuse"])
    if params.get("fail_first") and job.attempts == 1:
        raise DomainError("第一次失败")
    rows = int(params.get("rows", 3))
    progress.update(total=rows, read=rows, phase="reading")
    progress.update(checked=rows, phase="checking")
    assert job.zone is not None
    with transaction.atomic():
        for i in range(rows):
            Department.objects.create(zone=job.zone, name=f"任务部门 {job.pk}-{job.attempts}-{i}")
            if params.get("crash") and i == 1:
                raise RuntimeError("disk on fire")
            progress.update(written=i + 1, phase="writing")
    return Outcome(
        message=f"已写入 {rows} 行。",
        url=params.get("url", ""),
        file=("导出 结果.xlsx", b"PK-fake-workbook") if params.get("file", True) else None,
    )


@pytest.fixture
def job_kind() -> Iterator[JobKind]:
    kind = kinds.register(JobKind(name="test-write", label="测试写入", run=write_departments))
    yield kind
    kinds._KINDS.pop(kind.name, None)


@pytest.fixture
def submit(job_kind: JobKind, django_capture_on_commit_callbacks: Any) -> Callable[..., Job]:
    """Submits a job of the test kind and runs it (huey's immediate mode runs the task when
    the submitting transaction's on-commit callbacks run)."""
    from gaoxin.jobs import services

    def go(user: Any, zone: Any, **kwargs: Any) -> Job:
        kwargs.setdefault("label", "测试写入")
        with django_capture_on_commit_callbacks(execute=True):
            job = services.job_submit(user=user, zone=zone, kind=job_kind.name, **kwargs)
        job.refresh_from_db()
        return job

    return go


@pytest.fixture
def english(settings: Any) -> Iterator[None]:
    """The pages' messages asserted in English (the job pages' tests ask for it)."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(scope="session")
def schema(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The database file the tests of real processes copy (tests/jobs/processes.py)."""
    from tests.jobs.processes import make_schema

    return make_schema(tmp_path_factory.mktemp("worker-schema"))
