"""The statistics sheet's import runs as a background job: confirm queues it with the period,
the source and the choice about revisions, its page shows the progress and links to the
import's page; the same confirmation twice is one job and one write; a failure half-way writes
nothing and the rerun writes the whole sheet once; only its user sees it."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import translation

from gaoxin.core.formatting import WAN
from gaoxin.economy.models import FigureValue, ImportBatch
from gaoxin.jobs import progress as job_progress
from gaoxin.jobs.models import Job
from gaoxin.jobs.services import job_rerun
from tests.economy.test_imports_views import sheet, upload
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path: Path) -> Path:
    settings.VAR_DIR = tmp_path
    return tmp_path


@pytest.fixture
def enterprises(zone):
    return [EnterpriseFactory(zone=zone) for _ in range(4)]


def preview(client, content: bytes) -> str:
    response = client.post(
        "/economy/import/", {"period": "2023-01~02", "source": "bureau", "file": upload(content)}
    )
    assert response.status_code == 200
    token: str = response.context["token"]
    assert token, "the preview offers the confirmation"
    return token


def amounts() -> list[object]:
    return sorted(FigureValue.objects.values_list("amount", flat=True))


EXPECTED = [100 * WAN, 200 * WAN, 300 * WAN, 400 * WAN]


def test_confirm_queues_a_job_that_records_every_row(
    client_as, users, zone, enterprises, django_capture_on_commit_callbacks
) -> None:
    client = client_as("officer")
    token = preview(client, sheet(enterprises))
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post("/economy/import/confirm/", {"token": token})
    job = Job.objects.get()
    assert done["Location"] == f"/jobs/{job.pk}/"
    assert job.kind == "statistics_import" and job.zone == zone
    assert (job.params["period"], job.params["source"]) == ("2023-01~02", "bureau")
    assert job.params["accept_revisions"] is False
    assert job.status == "done", job.message
    assert (job.rows_total, job.rows_read, job.rows_checked, job.rows_written) == (4, 4, 4, 4)
    batch = ImportBatch.objects.get()
    assert job.result_url == f"/economy/import/{batch.pk}/"
    assert job.message == "4 rows imported: 4 figures new, 0 revised, 0 unchanged."
    assert amounts() == EXPECTED
    assert batch.created_by == users["officer"] and batch.rows == 4
    assert set(FigureValue.objects.values_list("recorded_by", flat=True)) == {users["officer"].pk}


def test_the_same_confirmation_twice_is_one_job_and_one_write(
    client_as, enterprises, django_capture_on_commit_callbacks
) -> None:
    client = client_as("officer")
    content = sheet(enterprises)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        token = preview(client, content)
        first = client.post("/economy/import/confirm/", {"token": token})
        again = client.post("/economy/import/confirm/", {"token": token})  # a double click
        # The same file checked and confirmed once more before the worker got to it.
        other = client.post("/economy/import/confirm/", {"token": preview(client, content)})
    assert first["Location"] == again["Location"] == other["Location"]
    assert Job.objects.count() == 1 and not FigureValue.objects.exists()
    for callback in queued:
        callback()
    assert Job.objects.get().status == "done"
    assert ImportBatch.objects.count() == 1 and amounts() == EXPECTED


def test_another_period_or_choice_is_another_job(
    client_as, enterprises, django_capture_on_commit_callbacks
) -> None:
    client = client_as("officer")
    content = sheet(enterprises)
    with django_capture_on_commit_callbacks(execute=False):
        client.post("/economy/import/confirm/", {"token": preview(client, content)})
        client.post(
            "/economy/import/confirm/",
            {"token": preview(client, content), "accept_revisions": "on"},
        )
    assert sorted(Job.objects.values_list("params__accept_revisions", flat=True)) == [False, True]


def test_a_failure_half_way_writes_nothing_and_the_rerun_writes_the_whole_sheet(
    client_as, users, enterprises, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    client = client_as("officer")
    token = preview(client, sheet(enterprises))
    real_update = job_progress.Progress.update

    def dies_once_written(self, **kwargs):  # the write breaks once the figures are in
        if kwargs.get("written"):
            raise RuntimeError("the worker was killed")
        return real_update(self, **kwargs)

    monkeypatch.setattr(job_progress.Progress, "update", dies_once_written)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/economy/import/confirm/", {"token": token})
    job = Job.objects.get()
    assert job.status == "failed" and "nothing was written" in job.message
    assert not FigureValue.objects.exists() and not ImportBatch.objects.exists()

    monkeypatch.setattr(job_progress.Progress, "update", real_update)
    with django_capture_on_commit_callbacks(execute=True):
        job_rerun(job=job, by=users["officer"])
    job.refresh_from_db()
    assert job.status == "done" and job.rows_written == 4
    assert ImportBatch.objects.count() == 1 and amounts() == EXPECTED


def test_a_row_gone_bad_since_the_preview_fails_the_job_with_its_reason(
    client_as, enterprises, django_capture_on_commit_callbacks
) -> None:
    client = client_as("officer")
    token = preview(client, sheet(enterprises))
    enterprises[1].delete()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/economy/import/confirm/", {"token": token})
    job = Job.objects.get()
    assert job.status == "failed"
    assert job.message.startswith("Nothing was imported: checked again, the file has 1 problems")
    assert "Row " in job.message
    assert not FigureValue.objects.exists() and not ImportBatch.objects.exists()


def test_only_its_user_sees_the_job(
    client_as, enterprises, django_capture_on_commit_callbacks
) -> None:
    client = client_as("officer")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/economy/import/confirm/", {"token": preview(client, sheet(enterprises))})
    job = Job.objects.get()
    assert client.get(f"/jobs/{job.pk}/").status_code == 200
    for other in ("admin", "outsider"):
        assert client_as(other).get(f"/jobs/{job.pk}/").status_code == 404


# --- a large sheet is checked by a job too -------------------------------------------------


def test_a_large_sheet_is_checked_by_a_job_then_confirmed_from_its_preview(
    client_as, enterprises, settings, django_capture_on_commit_callbacks
) -> None:
    settings.GAOXIN_IMPORT_JOB_ROWS = 3  # the four rows (under a title and a header) are many
    client = client_as("officer")
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            "/economy/import/",
            {"period": "2023-01~02", "source": "bureau", "file": upload(sheet(enterprises))},
        )
    check = Job.objects.get()
    assert sent.status_code == 302 and sent["Location"] == f"/jobs/{check.pk}/"
    assert check.kind == "statistics_import_check" and check.status == "done", check.message
    assert (check.rows_read, check.rows_checked, check.rows_written) == (4, 4, 0)
    assert "4 rows: 4 fine, 0 with problems." in check.message
    assert check.result_url == f"/economy/import/checked/{check.pk}/"
    assert not FigureValue.objects.exists(), "checking writes nothing"

    page = client.get(check.result_url)
    html = page.content.decode()
    assert page.status_code == 200
    assert enterprises[0].name in html and "2023年1–2月" in html
    assert "4 rows: 4 fine, 0 with problems; 4 figures to record." in html
    assert f'name="checked" value="{check.pk}"' in html
    assert client_as("admin").get(check.result_url).status_code == 404, "only its user"

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post("/economy/import/confirm/", {"checked": check.pk})
    job = Job.objects.exclude(pk=check.pk).get()
    assert done["Location"] == f"/jobs/{job.pk}/"
    assert job.kind == "statistics_import" and job.status == "done", job.message
    assert job.params["period"] == "2023-01~02" and job.rows_written == 4
    assert amounts() == EXPECTED and ImportBatch.objects.count() == 1
    again = client.post("/economy/import/confirm/", {"checked": check.pk})
    assert again["Location"] == done["Location"] and ImportBatch.objects.count() == 1


def test_a_large_sheet_with_problems_lists_them_and_cannot_be_confirmed(
    client_as, enterprises, settings, django_capture_on_commit_callbacks
) -> None:
    settings.GAOXIN_IMPORT_JOB_ROWS = 3
    client = client_as("officer")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/economy/import/",
            {
                "period": "2023-01~02",
                "source": "bureau",
                "file": upload(sheet(enterprises, bad=True)),
            },
        )
    check = Job.objects.get()
    assert check.status == "done" and "5 rows: 4 fine, 1 with problems." in check.message
    html = client.get(check.result_url).content.decode()
    assert "Row 9 · 统一社会信用代码" in html and "Nothing can be imported" in html
    assert 'name="checked"' not in html
    refused = client.post("/economy/import/confirm/", {"checked": check.pk})
    assert refused["Location"] == "/economy/import/"
    assert Job.objects.count() == 1 and not FigureValue.objects.exists()
