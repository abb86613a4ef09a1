"""The browser's enterprise import runs as a background job: confirm queues it, its page shows
the progress, the same confirmation twice is one job and one write, a failure half-way writes
nothing and the job run again writes the whole file once, and only its user sees it."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import translation

from gaoxin.enterprises.models import Enterprise, ScaleSpell
from gaoxin.jobs import progress as job_progress
from gaoxin.jobs.models import Job, JobFile
from gaoxin.jobs.services import job_rerun
from tests.enterprises.test_import import messy_workbook
from tests.enterprises.test_import_views import upload_file
from tests.factories import EnterpriseFactory, make_uscc

HEADERS = ["企业名称", "统一社会信用代码", "注册资本", "是否规上", "规上年份"]
CODES = [make_uscc(930000 + n) for n in range(1, 6)]


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path: Path) -> Path:
    settings.VAR_DIR = tmp_path
    return tmp_path


def five_rows() -> bytes:
    return messy_workbook(
        [
            [
                f"珠海{n}号科技有限公司",
                code,
                f"{n * 100}万",
                "是" if n % 2 else "",
                2022 if n % 2 else "",
            ]
            for n, code in enumerate(CODES, start=1)
        ],
        headers=HEADERS,
    )


def preview(client, content: bytes) -> str:
    response = client.post("/enterprises/import/", {"file": upload_file(content)})
    assert response.status_code == 200
    token: str = response.context["token"]
    assert token, "the preview offers the confirmation"
    return token


def imported() -> list[tuple[str, str, object]]:
    return sorted(
        Enterprise.objects.filter(uscc__in=CODES).values_list("uscc", "name", "registered_capital")
    )


def test_confirm_queues_a_job_that_writes_every_row(
    client_as, users, zone, django_capture_on_commit_callbacks
) -> None:
    client = client_as("officer")
    token = preview(client, five_rows())
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post("/enterprises/import/confirm/", {"token": token})
    job = Job.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/jobs/{job.pk}/"
    assert job.kind == "enterprise_import" and job.user == users["officer"]
    assert job.zone == zone and job.params["zone_id"] == zone.pk
    assert JobFile.objects.get(job=job, role="input").name == "名录.xlsx"
    job.refresh_from_db()
    assert job.status == "done", job.message
    assert job.message == "5 enterprises were imported into 主园区."
    assert job.result_url == "/enterprises/"
    # The progress counts at the end are the sheet's rows.
    assert (job.rows_total, job.rows_read, job.rows_checked, job.rows_written) == (5, 5, 5, 5)
    # The records are those the import wrote before it ran as a job.
    assert [(code, name) for code, name, _c in imported()] == [
        (code, f"珠海{n}号科技有限公司") for n, code in enumerate(CODES, start=1)
    ]
    assert imported()[0][2] == 100 * 10_000
    assert all(e.zone_id == zone.pk for e in Enterprise.objects.filter(uscc__in=CODES))
    assert ScaleSpell.objects.filter(enterprise__uscc__in=CODES).count() == 3
    assert {h.history_user_id for h in Enterprise.history.filter(uscc__in=CODES)} == {
        users["officer"].pk
    }
    # The job's page says what happened and links to the result.
    page = client.get(done["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "5 enterprises were imported into 主园区." in html
    assert 'href="/enterprises/"' in html
    assert "The import runs in the background" in html


def test_the_same_confirmation_twice_is_one_job_and_one_write(
    client_as, django_capture_on_commit_callbacks
) -> None:
    client = client_as("officer")
    token = preview(client, five_rows())
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post("/enterprises/import/confirm/", {"token": token})
        second = client.post("/enterprises/import/confirm/", {"token": token})
    assert first["Location"] == second["Location"]
    assert Job.objects.count() == 1
    assert len(imported()) == 5


def test_the_same_file_checked_again_while_queued_is_the_same_job(
    client_as, django_capture_on_commit_callbacks
) -> None:
    """Uploaded, checked and confirmed again before the worker got to it: still one job."""
    client = client_as("officer")
    content = five_rows()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        first = client.post("/enterprises/import/confirm/", {"token": preview(client, content)})
        second = client.post("/enterprises/import/confirm/", {"token": preview(client, content)})
    assert first["Location"] == second["Location"]
    job = Job.objects.get()
    assert job.status == "queued" and not imported()
    for callback in queued:
        callback()
    job.refresh_from_db()
    assert job.status == "done" and job.rows_written == 5
    assert len(imported()) == 5


def test_a_failure_half_way_writes_nothing_and_the_rerun_writes_the_whole_file(
    client_as, users, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    client = client_as("officer")
    token = preview(client, five_rows())
    real_update = job_progress.Progress.update

    def dies_once_written(self, **kwargs):  # the worker's write breaks after the first batch
        if kwargs.get("written"):
            raise RuntimeError("the database went away")
        return real_update(self, **kwargs)

    monkeypatch.setattr(job_progress.Progress, "update", dies_once_written)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/enterprises/import/confirm/", {"token": token})
    job = Job.objects.get()
    assert job.status == "failed"
    assert "nothing was written" in job.message
    assert not imported(), "nothing is half-written"
    assert not Enterprise.history.filter(uscc__in=CODES).exists()
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "nothing was written" in page and "Run again" in page

    monkeypatch.setattr(job_progress.Progress, "update", real_update)
    with django_capture_on_commit_callbacks(execute=True):
        job_rerun(job=job, by=users["officer"])
    job.refresh_from_db()
    assert job.status == "done" and job.attempts == 2
    assert job.rows_written == 5
    assert len(imported()) == 5
    assert Enterprise.history.filter(uscc__in=CODES).count() == 5


def test_a_code_taken_since_the_preview_fails_the_job_with_its_reason(
    client_as, zone, django_capture_on_commit_callbacks
) -> None:
    client = client_as("officer")
    token = preview(client, five_rows())
    EnterpriseFactory(zone=zone, uscc=CODES[2], name="珠海先到科技有限公司")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/enterprises/import/confirm/", {"token": token})
    job = Job.objects.get()
    assert job.status == "failed"
    assert "Nothing was imported" in job.message
    assert f"The code {CODES[2]} already belongs to 珠海先到科技有限公司" in job.message
    assert list(Enterprise.objects.filter(uscc__in=CODES).values_list("name", flat=True)) == [
        "珠海先到科技有限公司"
    ]


def test_only_its_user_sees_the_job(client_as, django_capture_on_commit_callbacks) -> None:
    client = client_as("officer")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/enterprises/import/confirm/", {"token": preview(client, five_rows())})
    job = Job.objects.get()
    assert client.get(f"/jobs/{job.pk}/").status_code == 200
    for other in ("admin", "outsider"):
        assert client_as(other).get(f"/jobs/{job.pk}/").status_code == 404
        assert "名录.xlsx" not in client_as(other).get("/jobs/").content.decode()


def test_a_user_no_longer_of_the_zone_imports_nothing(
    client_as, users, zone, django_capture_on_commit_callbacks
) -> None:
    client = client_as("officer")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        client.post("/enterprises/import/confirm/", {"token": preview(client, five_rows())})
    users["officer"].zones.remove(zone)
    for callback in queued:
        callback()
    job = Job.objects.get()
    assert job.status == "failed" and "no longer import" in job.message
    assert not imported()


# --- a large sheet is checked by a job too -------------------------------------------------


def test_a_large_sheet_is_checked_by_a_job_then_confirmed_from_its_preview(
    client_as, users, zone, settings, django_capture_on_commit_callbacks
) -> None:
    settings.GAOXIN_IMPORT_JOB_ROWS = 3  # the five rows (under a title and a header) are many
    client = client_as("officer")
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post("/enterprises/import/", {"file": upload_file(five_rows())})
    check = Job.objects.get()
    assert sent.status_code == 302 and sent["Location"] == f"/jobs/{check.pk}/"
    assert check.kind == "enterprise_import_check" and check.status == "done", check.message
    assert (check.rows_read, check.rows_checked, check.rows_written) == (5, 5, 0)
    assert "5 rows: 5 fine, 0 with problems." in check.message
    assert check.result_url == f"/enterprises/import/checked/{check.pk}/"
    assert not imported(), "checking writes nothing"

    preview_page = client.get(check.result_url)
    html = preview_page.content.decode()
    assert preview_page.status_code == 200
    assert "珠海1号科技有限公司" in html and "5 rows: 5 fine, 0 with problems." in html
    assert f'name="checked" value="{check.pk}"' in html
    assert client_as("admin").get(check.result_url).status_code == 404, "only its user"

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post("/enterprises/import/confirm/", {"checked": check.pk})
    job = Job.objects.exclude(pk=check.pk).get()
    assert done["Location"] == f"/jobs/{job.pk}/"
    assert job.kind == "enterprise_import" and job.status == "done", job.message
    assert job.rows_written == 5 and len(imported()) == 5
    # Confirmed again: the same job, nothing written twice.
    again = client.post("/enterprises/import/confirm/", {"checked": check.pk})
    assert again["Location"] == done["Location"] and len(imported()) == 5


def test_a_large_sheet_with_problems_lists_them_and_cannot_be_confirmed(
    client_as, settings, django_capture_on_commit_callbacks
) -> None:
    settings.GAOXIN_IMPORT_JOB_ROWS = 3
    bad = messy_workbook(
        [["甲", CODES[0], "很多钱", "", ""], ["乙", "91440400ABC", "", "", ""], ["丙", CODES[1]]],
        headers=HEADERS,
    )
    client = client_as("officer")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/enterprises/import/", {"file": upload_file(bad)})
    check = Job.objects.get()
    assert check.status == "done"
    assert "3 rows: 1 fine, 2 with problems." in check.message
    html = client.get(check.result_url).content.decode()
    assert "Row 5 · 注册资本" in html and "import-bad-cell" in html
    assert 'name="checked"' not in html
    refused = client.post("/enterprises/import/confirm/", {"checked": check.pk})
    assert refused["Location"] == "/enterprises/import/"
    assert Job.objects.count() == 1 and not imported()
    # The same file uploaded again is checked afresh (the registry may have changed).
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post("/enterprises/import/", {"file": upload_file(bad)})
    assert again["Location"] != f"/jobs/{check.pk}/"
    assert Job.objects.filter(kind="enterprise_import_check").count() == 2
