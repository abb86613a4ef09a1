"""A sign-in sheet without problems is recorded by a background job: the page goes to the job,
whose progress counts the sheet's rows and which links to the briefing's attendance; the same
sheet sent twice is one job and one write; a failure half-way records nothing and the rerun
records the whole sheet once; only its user sees it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from gaoxin.jobs import progress as job_progress
from gaoxin.jobs.models import Job
from gaoxin.jobs.services import job_rerun
from gaoxin.policies import services
from gaoxin.policies.models import EventAttendance
from tests.policies.test_events import briefing, firms, sheet  # noqa: F401  (fixtures)

ROWS = [["珠海甲科技有限公司", "", 1], ["", "{b}", 4], ["珠海丙储能有限公司", "", ""]]


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def content(firms) -> bytes:  # noqa: F811
    code = firms["b"].uscc
    return sheet([[code if cell == "{b}" else cell for cell in row] for row in ROWS])


def send(client, briefing, content: bytes):  # noqa: F811
    return client.post(
        f"/policies/events/{briefing.pk}/attendances/import/",
        {"file": SimpleUploadedFile("签到表.xlsx", content)},
    )


def attendance(briefing) -> list[tuple[str, int]]:  # noqa: F811
    return sorted(briefing.attendances.values_list("enterprise__name", "people"))


EXPECTED = [("珠海丙储能有限公司", 1), ("珠海乙软件有限公司", 4), ("珠海甲科技有限公司", 1)]


def test_a_good_sheet_is_recorded_by_a_job(
    client_as,
    users,
    briefing,  # noqa: F811
    content,
    django_capture_on_commit_callbacks,
) -> None:
    client = client_as("officer")
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, briefing, content)
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert job.kind == "attendance_import" and job.params["event_id"] == briefing.pk
    assert job.status == "done", job.message
    assert (job.rows_total, job.rows_read, job.rows_checked, job.rows_written) == (3, 3, 3, 3)
    assert job.message == "3 enterprises were recorded as attending."
    assert job.result_url == f"/policies/events/{briefing.pk}/#attendance"
    assert attendance(briefing) == EXPECTED
    assert {h.history_user for h in EventAttendance.history.all()} == {users["officer"]}
    page = client.get(response["Location"]).content.decode()
    assert "3 enterprises were recorded as attending." in page
    assert f'href="/policies/events/{briefing.pk}/#attendance"' in page


def test_the_same_sheet_sent_twice_is_one_job_and_one_write(
    client_as,
    briefing,  # noqa: F811
    content,
    django_capture_on_commit_callbacks,
) -> None:
    client = client_as("officer")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        first = send(client, briefing, content)
        second = send(client, briefing, content)
    assert first["Location"] == second["Location"]
    assert Job.objects.count() == 1 and not briefing.attendances.exists()
    for callback in queued:
        callback()
    assert attendance(briefing) == EXPECTED


def test_a_failure_half_way_records_nothing_and_the_rerun_records_the_whole_sheet(
    client_as,
    users,
    briefing,  # noqa: F811
    content,
    monkeypatch,
    django_capture_on_commit_callbacks,
) -> None:
    real_update = job_progress.Progress.update

    def dies_after_the_first_row(self, **kwargs):
        if kwargs.get("written"):
            raise RuntimeError("the worker was killed")
        return real_update(self, **kwargs)

    monkeypatch.setattr(job_progress.Progress, "update", dies_after_the_first_row)
    with django_capture_on_commit_callbacks(execute=True):
        send(client_as("officer"), briefing, content)
    job = Job.objects.get()
    assert job.status == "failed" and "nothing was written" in job.message
    assert not briefing.attendances.exists()
    assert not EventAttendance.history.exists()

    monkeypatch.setattr(job_progress.Progress, "update", real_update)
    with django_capture_on_commit_callbacks(execute=True):
        job_rerun(job=job, by=users["officer"])
    job.refresh_from_db()
    assert job.status == "done" and job.rows_written == 3
    assert attendance(briefing) == EXPECTED


def test_an_enterprise_recorded_meanwhile_fails_the_job_with_its_reason(
    client_as,
    users,
    briefing,  # noqa: F811
    firms,  # noqa: F811
    content,
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as queued:
        send(client_as("officer"), briefing, content)
    services.attendance_add(event=briefing, enterprise=firms["a"], people=2, by=users["admin"])
    for callback in queued:
        callback()
    job = Job.objects.get()
    assert job.status == "failed"
    assert "Nothing was recorded: checked again" in job.message
    assert "珠海甲科技有限公司 is already recorded as attending this briefing." in job.message
    assert attendance(briefing) == [("珠海甲科技有限公司", 2)]


def test_only_its_user_sees_the_job(
    client_as,
    briefing,  # noqa: F811
    content,
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        send(client_as("officer"), briefing, content)
    job = Job.objects.get()
    for other in ("admin", "outsider"):
        assert client_as(other).get(f"/jobs/{job.pk}/").status_code == 404
