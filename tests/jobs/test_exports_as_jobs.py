"""An export of more rows than GAOXIN_EXPORT_JOB_ROWS runs as a background job: the page sends
the user to the job, which replays the export as them (their access, their zone) and leaves
the same workbook as the direct download, to be downloaded by them alone under 我的任务."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from python_calamine import CalamineWorkbook

from gaoxin.core.roles import Role
from gaoxin.jobs.models import Job
from tests.factories import EnterpriseFactory, UserFactory

ENTERPRISES = "/enterprises/?q=%E6%B5%8B%E8%AF%95&export=xlsx"  # q=测试: the factory's names
OFFICERS = "/metrics/accounts.users.officer/?export=xlsx"


def sheet(content: bytes) -> list[list[object]]:
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()


def direct(client: Client, url: str, settings) -> tuple[list[list[object]], str]:
    """The export as the page downloads it when it is small enough."""
    limit = settings.GAOXIN_EXPORT_JOB_ROWS
    settings.GAOXIN_EXPORT_JOB_ROWS = 10_000
    response = client.get(url)
    settings.GAOXIN_EXPORT_JOB_ROWS = limit
    assert response.status_code == 200
    assert response["Content-Type"].endswith("spreadsheetml.sheet")
    return sheet(response.content), response["Content-Disposition"]


def as_job(client: Client, url: str, capture) -> Job:
    """Ask for the export; it becomes a job that runs when the request's transaction commits."""
    with capture(execute=True):
        response = client.get(url)
    assert response.status_code == 302
    job = Job.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/"
    return job


@pytest.fixture
def small_limit(settings):
    settings.GAOXIN_EXPORT_JOB_ROWS = 3
    return settings


def test_a_large_list_export_runs_as_a_job_with_the_same_rows(
    client_as, users, zone, small_limit, django_capture_on_commit_callbacks
) -> None:
    EnterpriseFactory.create_batch(5, zone=zone)
    client = client_as("officer")
    rows, disposition = direct(client, ENTERPRISES, small_limit)
    assert len(rows) == 2 + 5  # title, header, the five enterprises (not 珠海自家科技)

    job = as_job(client, ENTERPRISES, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.kind == "export" and job.user == users["officer"]
    assert job.label == "导出：企业名录"
    assert job.status == Job.Status.DONE, job.message
    assert (job.rows_total, job.rows_written) == (5, 5)
    assert job.message == "已导出 5 行。"

    page = client.get(f"/jobs/{job.pk}/")
    body = page.content.decode()
    assert "导出较大（超过 3 行），已转为后台任务" in body
    assert f"/jobs/{job.pk}/download/" in body

    download = client.get(f"/jobs/{job.pk}/download/")
    assert download.status_code == 200
    assert sheet(download.content) == rows
    assert (
        download["Content-Disposition"].split("filename*=")[1] == disposition.split("filename*=")[1]
    )


def test_a_large_metric_records_export_runs_as_a_job_with_the_same_rows(
    client_as, users, zone, small_limit, django_capture_on_commit_callbacks
) -> None:
    UserFactory.create_batch(4, role=Role.OFFICER, zones=[zone])
    client = client_as("leader")
    rows, _ = direct(client, OFFICERS, small_limit)
    assert len(rows) == 2 + 5  # title, header, t-officer and the four

    job = as_job(client, OFFICERS, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.message
    assert job.label.startswith("导出：")
    assert (job.rows_total, job.rows_written) == (5, 5)
    assert sheet(client.get(f"/jobs/{job.pk}/download/").content) == rows


def test_a_small_export_is_still_a_direct_download(
    client_as, users, zone, small_limit, django_capture_on_commit_callbacks
) -> None:
    EnterpriseFactory.create_batch(3, zone=zone)  # exactly the limit
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("officer").get(ENTERPRISES)
    assert response.status_code == 200
    assert len(sheet(response.content)) == 2 + 3
    assert not Job.objects.exists()


def test_a_user_without_access_gets_no_job(
    client_as, users, zone, small_limit, django_capture_on_commit_callbacks
) -> None:
    UserFactory.create_batch(4, role=Role.OFFICER, zones=[zone])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("enterprise").get(OFFICERS)
    assert response.status_code == 403
    assert not Job.objects.exists()


def test_access_is_checked_again_when_the_job_runs(
    client_as, users, zone, own_enterprise, small_limit, django_capture_on_commit_callbacks
) -> None:
    """The leader asks; before the worker takes the job, they become an enterprise user, who
    may not see the figures' records: the job fails, and leaves no file."""
    UserFactory.create_batch(4, role=Role.OFFICER, zones=[zone])
    client = client_as("leader")
    with django_capture_on_commit_callbacks() as queued:
        assert client.get(OFFICERS).status_code == 302
    leader = users["leader"]
    leader.role, leader.enterprise = Role.ENTERPRISE, own_enterprise
    leader.save()
    for run in queued:
        run()
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert job.message == "您已无权导出此列表，未导出任何内容。"
    assert not job.files.exists()
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "您已无权导出此列表" in page and "/download/" not in page


def test_a_page_that_no_longer_gives_a_workbook_fails_the_job(
    client_as, users, zone, own_enterprise, small_limit, django_capture_on_commit_callbacks
) -> None:
    """The enterprise list sends an enterprise user to their own enterprise: a redirect is not
    a workbook."""
    EnterpriseFactory.create_batch(5, zone=zone)
    client = client_as("officer")
    with django_capture_on_commit_callbacks() as queued:
        assert client.get(ENTERPRISES).status_code == 302
    officer = users["officer"]
    officer.role, officer.enterprise = Role.ENTERPRISE, own_enterprise
    officer.save()
    for run in queued:
        run()
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert job.message == "列表未生成工作簿（返回 302），未导出任何内容。"


def test_another_user_cannot_see_or_download_the_export(
    client_as, users, zone, small_limit, django_capture_on_commit_callbacks
) -> None:
    EnterpriseFactory.create_batch(5, zone=zone)
    job = as_job(client_as("officer"), ENTERPRISES, django_capture_on_commit_callbacks)
    assert Job.objects.get(pk=job.pk).status == Job.Status.DONE
    for role in ("leader", "admin", "outsider"):
        other = client_as(role)
        assert other.get(f"/jobs/{job.pk}/download/").status_code == 404
        assert other.get(f"/jobs/{job.pk}/").status_code == 404


def test_the_zone_picked_in_the_switcher_is_honoured(
    zone, other_zone, small_limit, django_capture_on_commit_callbacks
) -> None:
    both = UserFactory(username="t-both", role=Role.OFFICER, zones=[zone, other_zone])
    home = EnterpriseFactory.create_batch(4, zone=zone)
    EnterpriseFactory.create_batch(4, zone=other_zone)
    client = Client()
    client.force_login(both)
    session = client.session
    session["zone_id"] = zone.pk
    session.save()
    rows, _ = direct(client, ENTERPRISES, small_limit)

    job = as_job(client, ENTERPRISES, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.zone == zone and job.status == Job.Status.DONE, job.message
    exported = sheet(client.get(f"/jobs/{job.pk}/download/").content)
    assert exported == rows
    names = {row[0] for row in exported[2:]}
    assert names == {enterprise.name for enterprise in home}


def test_asking_for_a_large_export_reads_few_rows_and_a_bounded_number_of_queries(
    client_as,
    users,
    zone,
    small_limit,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
) -> None:
    client = client_as("officer")
    client.get("/enterprises/")
    for batch in (5, 50):
        EnterpriseFactory.create_batch(batch, zone=zone)
        Job.objects.all().delete()
        with django_capture_on_commit_callbacks(), django_assert_max_num_queries(16) as queries:
            assert client.get(ENTERPRISES).status_code == 302
        counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
        assert len(counts) == 1 and "LIMIT 4" in counts[0]
    with django_assert_max_num_queries(16):
        assert client.get("/enterprises/?q=%E6%B5%8B%E8%AF%95").status_code == 200


def test_the_replay_mark_cannot_be_sent_from_the_browser(
    client_as, users, zone, small_limit, django_capture_on_commit_callbacks
) -> None:
    """Only the worker marks a request as a job's replay: a parameter of that name changes
    nothing, the large export still becomes a job."""
    EnterpriseFactory.create_batch(5, zone=zone)
    with django_capture_on_commit_callbacks():
        response = client_as("officer").get(ENTERPRISES + "&gaoxin_export_replay=1")
    assert response.status_code == 302
    assert Job.objects.count() == 1
