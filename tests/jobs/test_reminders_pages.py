"""The user's side of the reminders: the count in the top bar, 督办提醒 on the home page, the
page of one's own notices (by kind, unread or all, paged) with mark read, and muting kinds
for oneself."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from gaoxin.jobs.models import Notice, ReminderMute

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 30)


def notice(user, zone, key, *, day=DAY, kind="blocker_overdue", read=False, title=None):
    from django.utils import timezone

    return Notice.objects.create(
        user=user,
        zone=zone,
        kind=kind,
        key=key,
        day=day,
        title=title or f"储能电池项目 · {key}",
        detail="逾期3天（应于2026-11-27解决）",
        url="/blockers/1/",
        due_on=dt.date(2026, 11, 27),
        read_at=timezone.now() if read else None,
    )


def test_the_top_bar_counts_the_unread_notices_of_the_latest_day(zone, users, client_as) -> None:
    officer = users["officer"]
    notice(officer, zone, "blocker:1", day=DAY - dt.timedelta(days=1))  # yesterday's
    notice(officer, zone, "blocker:1")
    notice(officer, zone, "blocker:2")
    notice(officer, zone, "blocker:3", read=True)
    notice(users["leader"], zone, "blocker:9")  # someone else's

    page = client_as("officer").get(reverse("jobs:list")).content.decode()

    assert 'aria-label="2条未读提醒">2</span>' in page
    other = client_as("department").get(reverse("jobs:list")).content.decode()
    assert "条未读提醒" not in other
    assert 'href="/jobs/reminders/"' in other


def test_the_count_is_one_query(zone, users, client_as, django_assert_max_num_queries) -> None:
    from django.test import RequestFactory

    from gaoxin.jobs.context_processors import reminders

    for i in range(20):
        notice(users["officer"], zone, f"blocker:{i}")
    request = RequestFactory().get("/")
    request.user = users["officer"]
    count = reminders(request)["unread_reminders"]
    with django_assert_max_num_queries(1):
        assert count() == 20


def test_the_home_page_lists_todays_unread_reminders(zone, users, client_as) -> None:
    notice(users["officer"], zone, "blocker:1", title="储能电池项目 · 供电线路未接入")
    notice(users["officer"], zone, "blocker:2", title="已读的提醒", read=True)

    page = client_as("officer").get("/").content.decode()

    assert "督办提醒" in page
    assert "储能电池项目 · 供电线路未接入" in page
    assert "逾期3天（应于2026-11-27解决）" in page
    assert "已读的提醒" not in page
    # Nothing unread: no section.
    assert "供电线路未接入" not in client_as("leader").get("/").content.decode()


def test_the_page_lists_only_ones_own_notices_unread_first_and_all_on_request(
    zone, users, client_as
) -> None:
    notice(users["officer"], zone, "blocker:1", title="未读的一条")
    notice(users["officer"], zone, "blocker:2", title="已读的一条", read=True)
    notice(users["officer"], zone, "designation:3", kind="designation_expiring", title="资质到期")
    notice(users["leader"], zone, "blocker:4", title="领导的一条")
    client = client_as("officer")

    unread = client.get(reverse("reminders:list")).content.decode()
    assert "未读的一条" in unread and "资质到期" in unread
    assert "已读的一条" not in unread and "领导的一条" not in unread

    everything = client.get(reverse("reminders:list"), {"show": "all"}).content.decode()
    assert "已读的一条" in everything and "领导的一条" not in everything

    one_kind = client.get(
        reverse("reminders:list"), {"kind": "designation_expiring"}
    ).content.decode()
    assert "资质到期" in one_kind and "未读的一条" not in one_kind

    bad = client.get(reverse("reminders:list"), {"kind": "<script>"})
    assert bad.status_code == 200
    assert "未读的一条" not in bad.content.decode()
    assert "&lt;script&gt;" in bad.content.decode()


def test_an_empty_page_says_so(users, client_as) -> None:
    page = client_as("officer").get(reverse("reminders:list")).content.decode()
    assert "没有未读提醒" in page


def test_the_page_is_paged_in_bounded_queries(
    zone, users, client_as, settings, django_assert_max_num_queries
) -> None:
    settings.GAOXIN_PAGE_SIZE = 5
    for i in range(12):
        notice(users["officer"], zone, f"blocker:{i}", title=f"第{i}条提醒")
    client = client_as("officer")
    with django_assert_max_num_queries(12):
        first = client.get(reverse("reminders:list")).content.decode()
    assert first.count(">标为已读</button>") == 5
    assert "page=2" in first
    third = client.get(reverse("reminders:list"), {"page": 3}).content.decode()
    assert third.count(">标为已读</button>") == 2


def test_marking_read_takes_the_same_items_earlier_notices_too(zone, users, client_as) -> None:
    earlier = notice(users["officer"], zone, "blocker:1", day=DAY - dt.timedelta(days=1))
    today = notice(users["officer"], zone, "blocker:1")
    other = notice(users["officer"], zone, "blocker:2")
    client = client_as("officer")

    response = client.post(
        reverse("reminders:read", args=[today.pk]), {"next": "/jobs/reminders/?show=all"}
    )

    assert response.status_code == 302 and response["Location"] == "/jobs/reminders/?show=all"
    earlier.refresh_from_db(), today.refresh_from_db(), other.refresh_from_db()
    assert earlier.read_at and today.read_at and other.read_at is None
    # A link elsewhere is not followed.
    response = client.post(
        reverse("reminders:read", args=[other.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == "/jobs/reminders/"


def test_someone_elses_notice_cannot_be_marked(zone, users, client_as) -> None:
    theirs = notice(users["leader"], zone, "blocker:1")
    response = client_as("officer").post(reverse("reminders:read", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_of_one_kind_or_all(zone, users, client_as) -> None:
    notice(users["officer"], zone, "blocker:1")
    notice(users["officer"], zone, "designation:2", kind="designation_expiring")
    theirs = notice(users["leader"], zone, "blocker:3")
    client = client_as("officer")

    client.post(reverse("reminders:read_all"), {"kind": "designation_expiring"})
    assert list(
        Notice.objects.filter(user=users["officer"], read_at__isnull=True).values_list(
            "kind", flat=True
        )
    ) == ["blocker_overdue"]

    response = client.post(reverse("reminders:read_all"), follow=True)
    assert "已将1条提醒标为已读" in response.content.decode()
    assert not Notice.objects.filter(user=users["officer"], read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_muting_and_unmuting_kinds_for_oneself(users, client_as) -> None:
    client = client_as("officer")
    page = client.get(reverse("reminders:settings")).content.decode()
    assert "难点堵点逾期" in page and "资质即将到期" in page
    assert page.count("checked") >= 8  # every kind on at first

    from gaoxin.jobs.reminders import kinds

    keep = [k.key for k in kinds() if k.key != "blocker_due_soon"]
    response = client.post(reverse("reminders:settings"), {"kinds": keep}, follow=True)
    assert "提醒设置已保存" in response.content.decode()
    assert list(
        ReminderMute.objects.filter(user=users["officer"]).values_list("kind", flat=True)
    ) == ["blocker_due_soon"]
    assert not ReminderMute.objects.exclude(user=users["officer"]).exists()

    client.post(reverse("reminders:settings"), {"kinds": [k.key for k in kinds()]})
    assert not ReminderMute.objects.filter(user=users["officer"]).exists()

    bad = client.post(reverse("reminders:settings"), {"kinds": ["nonsense"]})
    assert bad.status_code == 200
    assert "nonsense" in bad.content.decode()  # the form says which choice is not valid
    assert not ReminderMute.objects.exists()


def test_within_a_day_blockers_come_before_self_reports(zone, users, client_as) -> None:
    notice(
        users["officer"],
        zone,
        "self_report:1:2026-10",
        kind="self_report_missing",
        title="某企业 · 2026年10月数据",
    )
    late = notice(users["officer"], zone, "blocker:1", title="储能电池项目 · 供电线路未接入")
    late.due_on = dt.date(2026, 11, 29)  # due later than the report, listed first all the same
    late.save(update_fields=["due_on"])
    for url in ("/", reverse("reminders:list")):
        page = client_as("officer").get(url).content.decode()
        assert page.index("供电线路未接入") < page.index("2026年10月数据"), url
