"""我的任务: the list (own jobs only, filters, sort, pages, bounded queries), a job's page and
its polled progress, the download, running a job again."""

from __future__ import annotations

import time
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gaoxin.jobs import progress
from gaoxin.jobs.models import Job, JobFile

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def make_job(user, zone, **fields) -> Job:
    fields.setdefault("kind", "test-write")
    fields.setdefault("label", "测试写入")
    return Job.objects.create(user=user, zone=zone, **fields)


def rows_of(response) -> list[Job]:
    return [job for job, _label, _state in response.context["rows"]]


def test_the_list_shows_only_my_jobs_with_kind_file_zone_status_counts_and_download(
    users, zone, submit, client_as
) -> None:
    mine = submit(
        users["officer"], zone, params={"rows": 3}, input_file=("名单.xlsx", b"x"), label="导入"
    )
    submit(users["leader"], zone, params={"rows": 1}, input_file=("别人的.xlsx", b"y"))
    response = client_as("officer").get(reverse("jobs:list"))
    assert response.status_code == 200
    assert rows_of(response) == [mine]
    page = response.content.decode()
    assert "测试写入" in page  # the kind's label
    assert "名单.xlsx" in page and zone.name in page
    assert 'class="badge job-done"' in page
    assert "3 / 3 / 3" in page
    assert reverse("jobs:download", args=[mine.pk]) in page
    assert "别人的.xlsx" not in page


def test_an_empty_list_says_so_and_a_filter_that_finds_nothing_says_that(
    users, client_as, job_kind
) -> None:
    client = client_as("officer")
    assert "You have no jobs yet" in client.get(reverse("jobs:list")).content.decode()
    page = client.get(reverse("jobs:list"), {"status": "failed"}).content.decode()
    assert "No job matches" in page


def test_the_list_filters_by_status_stopped_among_them_and_by_kind(
    users, zone, client_as, job_kind, settings
) -> None:
    settings.GAOXIN_JOB_STALE_SECONDS = 10
    officer = users["officer"]
    done = make_job(officer, zone, status=Job.Status.DONE)
    failed = make_job(officer, zone, status=Job.Status.FAILED, message="第 2 行无效")
    running = make_job(officer, zone, status=Job.Status.RUNNING, started_at=timezone.now())
    progress.put(running.pk, {"rows_read": 7, "beat": time.time()})
    stopped = make_job(officer, zone, status=Job.Status.RUNNING, started_at=timezone.now())
    progress.put(stopped.pk, {"beat": time.time() - 60})
    other_kind = make_job(officer, zone, kind="export", status=Job.Status.DONE)
    client = client_as("officer")

    def shown(**query: str) -> set[int]:
        return {j.pk for j in rows_of(client.get(reverse("jobs:list"), query))}

    assert shown() == {done.pk, failed.pk, running.pk, stopped.pk, other_kind.pk}
    assert shown(status="done") == {done.pk, other_kind.pk}
    assert shown(status="failed") == {failed.pk}
    assert shown(status="running") == {running.pk}
    assert shown(status="stopped") == {stopped.pk}
    assert shown(kind="test-write", status="done") == {done.pk}
    page = client.get(reverse("jobs:list")).content.decode()
    assert 'class="badge job-stopped"' in page and 'class="badge job-running"' in page
    assert "第 2 行无效" in page  # a failure says why in the list
    # A status or kind that is not one is refused in words, not with an error.
    assert (
        "The filters are not valid"
        in client.get(reverse("jobs:list"), {"status": "lost"}).content.decode()
    )


def test_the_list_sorts_by_start_and_finish_and_pages_with_bounded_queries(
    users, zone, client_as, job_kind, settings, django_assert_max_num_queries
) -> None:
    settings.GAOXIN_PAGE_SIZE = 5
    officer = users["officer"]
    now = timezone.now()
    jobs = [
        make_job(
            officer,
            zone,
            status=Job.Status.DONE,
            created_at=now - timedelta(hours=i),
            started_at=now - timedelta(hours=i),
            finished_at=now - timedelta(hours=i) + timedelta(minutes=30 * (i % 3)),
        )
        for i in range(12)
    ]
    for job in jobs:
        JobFile.objects.create(job=job, role=JobFile.Role.INPUT, name=f"in{job.pk}.xlsx")
        JobFile.objects.create(job=job, role=JobFile.Role.RESULT, name=f"out{job.pk}.xlsx")
    client = client_as("officer")
    # The session, the user, the page of jobs (their files' names within), the count, the
    # zones of the menu, the session's save: none of it grows with the rows.
    with django_assert_max_num_queries(10):  # with the top bar's unread reminders
        first = client.get(reverse("jobs:list"))
    assert rows_of(first) == jobs[:5]  # newest first
    assert f"in{jobs[0].pk}.xlsx" in first.content.decode()
    with django_assert_max_num_queries(10):  # with the top bar's unread reminders
        third = client.get(reverse("jobs:list"), {"page": 3})
    assert rows_of(third) == jobs[10:]
    oldest = rows_of(client.get(reverse("jobs:list"), {"sort": "started"}))
    assert oldest == jobs[::-1][:5]
    by_finish = rows_of(client.get(reverse("jobs:list"), {"sort": "-finished"}))
    finished = sorted(jobs, key=lambda j: (j.finished_at, j.pk), reverse=True)
    assert by_finish == finished[:5]


def test_a_job_page_shows_progress_phase_and_polls_while_it_runs(
    users, zone, client_as, job_kind, settings
) -> None:
    settings.GAOXIN_JOB_STALE_SECONDS = 10
    job = make_job(users["officer"], zone, status=Job.Status.RUNNING, started_at=timezone.now())
    progress.put(
        job.pk,
        {
            "rows_total": 200,
            "rows_read": 200,
            "rows_checked": 200,
            "rows_written": 50,
            "phase": "writing",
            "beat": time.time(),
        },
    )
    client = client_as("officer")
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert 'value="25"' in page  # the bar: 50 of 200 written
    assert "Writing the rows" in page
    assert reverse("jobs:detail", args=[job.pk]) in page  # the refresh link without JS
    # The polling request gets the panel alone.
    fragment = client.get(reverse("jobs:detail", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert fragment.content.decode().lstrip().startswith("<section")
    assert "<html" not in fragment.content.decode()
    assert 'hx-trigger="every 1s"' in fragment.content.decode()


def test_the_bar_is_the_current_steps_not_the_furthest_count(users, zone, job_kind, settings):
    """Every row checked and none written yet is the write's start (0%), not the end (100%)."""
    from gaoxin.jobs.selectors import job_state

    settings.GAOXIN_JOB_STALE_SECONDS = 10
    job = make_job(users["officer"], zone, status=Job.Status.RUNNING, started_at=timezone.now())
    live = {"rows_total": 200, "rows_read": 200, "rows_checked": 200, "beat": time.time()}
    progress.put(job.pk, {**live, "rows_written": 0, "phase": "writing"})
    assert job_state(job)["percent"] == 0
    progress.put(job.pk, {**live, "rows_checked": 80, "phase": "checking"})
    assert job_state(job)["percent"] == 40
    job.status, job.rows_total, job.rows_written = Job.Status.DONE, 200, 200
    job.rows_read = job.rows_checked = 200
    assert job_state(job)["percent"] == 100


def test_a_finished_or_stopped_job_stops_polling(
    users, zone, client_as, job_kind, settings
) -> None:
    settings.GAOXIN_JOB_STALE_SECONDS = 10
    done = make_job(users["officer"], zone, status=Job.Status.DONE, message="已写入 3 行。")
    stopped = make_job(users["officer"], zone, status=Job.Status.RUNNING, started_at=timezone.now())
    progress.put(stopped.pk, {"beat": time.time() - 60})
    client = client_as("officer")
    done_page = client.get(reverse("jobs:detail", args=[done.pk]), HTTP_HX_REQUEST="true")
    assert "hx-trigger" not in done_page.content.decode()
    assert "已写入 3 行。" in done_page.content.decode()
    assert "Run again" not in done_page.content.decode()
    stopped_page = client.get(reverse("jobs:detail", args=[stopped.pk])).content.decode()
    assert "hx-trigger" not in stopped_page
    assert "job-stopped" in stopped_page and "Run again" in stopped_page


def test_a_failed_job_page_says_why_and_offers_to_run_it_again(
    users, zone, submit, client_as, django_capture_on_commit_callbacks
) -> None:
    job = submit(users["officer"], zone, params={"rows": 2, "fail_first": True})
    client = client_as("officer")
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "第一次失败" in page
    assert "Yes, run it again" in page  # behind the confirmation
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("jobs:rerun", args=[job.pk]))
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.attempts == 2
    page = client.get(response["Location"]).content.decode()
    assert "The job is queued again" in page
    assert reverse("jobs:download", args=[job.pk]) in page
    # Done now: asked again, it is refused in words.
    response = client.post(reverse("jobs:rerun", args=[job.pk]), follow=True)
    assert "Only a failed or stopped job can be run again." in response.content.decode()


def test_the_download_is_the_result_with_its_name(users, zone, submit, client_as) -> None:
    job = submit(users["officer"], zone, params={"rows": 1})
    response = client_as("officer").get(reverse("jobs:download", args=[job.pk]))
    assert response.status_code == 200
    assert response.content == b"PK-fake-workbook"
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert f"filename*=UTF-8''{quote('导出 结果.xlsx')}" in response["Content-Disposition"]


def test_a_job_without_a_result_has_no_download(users, zone, client_as) -> None:
    job = make_job(users["officer"], zone, status=Job.Status.FAILED)
    assert client_as("officer").get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_another_users_job_is_not_found_on_any_of_its_pages(users, zone, submit, client_as) -> None:
    job = submit(users["officer"], zone, params={"rows": 1, "refuse": "不行"})
    client: Client = client_as("leader")
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
    assert client.post(reverse("jobs:rerun", args=[job.pk])).status_code == 404
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.attempts == 1
