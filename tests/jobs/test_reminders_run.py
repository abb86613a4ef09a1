"""The reminders' run (jobs/reminders.py run_reminders), its morning task and `gaoxin remind`:
notices once per user, item and day, the zone's digest once a day, muted kinds left out for
the user who muted them alone, nothing on a non-working day, and a bounded number of queries
however many items are due."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from gaoxin.core.roles import Role
from gaoxin.jobs import channels, reminders, tasks, workdays
from gaoxin.jobs.models import Notice, ReminderMute, ReminderRun
from gaoxin.projects.models import Blocker
from tests.factories import ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 30)


class Sent:
    """send_digest, recorded instead of sent."""

    def __init__(self) -> None:
        self.calls: list[dict] = []

    def __call__(self, *, zone, day, title, body):
        self.calls.append({"zone": zone, "day": day, "title": title, "body": body})
        return []


@pytest.fixture
def sent(monkeypatch) -> Sent:
    recorder = Sent()
    monkeypatch.setattr(channels, "send_digest", recorder)
    return recorder


def add_blocker(project, department, due_on, owner=None, description="供电线路未接入"):
    return Blocker.objects.create(
        project=project,
        stage=project.stage,
        description=description,
        department=department,
        owner=owner,
        raised_on=dt.date(2026, 1, 1),
        due_on=due_on,
    )


@pytest.fixture(autouse=True)
def _reported(own_enterprise) -> None:
    """The standing enterprise has made its monthly reports: only the blockers are due."""
    from django.utils import timezone

    from gaoxin.economy.models import SelfReport

    for month in (10, 11):
        SelfReport.objects.create(
            enterprise=own_enterprise, year=2026, month=month, submitted_at=timezone.now()
        )


@pytest.fixture
def work(zone, other_zone, users):
    """Two overdue blockers in the zone (owner: a second officer), one in the other zone."""
    department = users["department"].department
    owner = UserFactory(role=Role.OFFICER, zones=[zone], username="owner")
    project = ProjectFactory(zone=zone, officer=users["officer"], name="储能电池项目")
    first = add_blocker(project, department, dt.date(2026, 11, 27), owner=owner)
    second = add_blocker(
        project, department, dt.date(2026, 11, 20), owner=owner, description="排水许可"
    )
    away = ProjectFactory(zone=other_zone, officer=users["outsider"])
    add_blocker(away, department, dt.date(2026, 11, 1), owner=users["outsider"])
    return {"owner": owner, "first": first, "second": second}


def test_a_second_run_on_the_same_day_adds_nothing_and_sends_nothing(
    zone, users, work, sent
) -> None:
    runs = reminders.run_reminders(day=DAY, zones=[zone])

    officer, owner = users["officer"], work["owner"]
    notices = Notice.objects.filter(zone=zone, day=DAY)
    assert sorted(notices.values_list("user__username", "key")) == sorted(
        [
            (officer.username, f"blocker:{work['first'].pk}"),
            (officer.username, f"blocker:{work['second'].pk}"),
            (owner.username, f"blocker:{work['first'].pk}"),
            (owner.username, f"blocker:{work['second'].pk}"),
        ]
    )
    first = notices.get(user=owner, key=f"blocker:{work['first'].pk}")
    assert first.detail == "逾期3天（应于2026-11-27解决）"
    assert first.kind == "blocker_overdue"
    assert len(sent.calls) == 1
    (run,) = runs
    assert (run.items, run.notices, run.finished_at is not None) == (2, 4, True)

    again = reminders.run_reminders(day=DAY, zones=[zone])

    assert Notice.objects.filter(zone=zone, day=DAY).count() == 4
    assert len(sent.calls) == 1  # the digest went out with the first run
    assert again[0].pk == run.pk
    assert ReminderRun.objects.filter(zone=zone, day=DAY).count() == 1

    # The next day is a new day: new notices, a new digest.
    reminders.run_reminders(day=DAY + dt.timedelta(days=1), zones=[zone])
    assert Notice.objects.filter(zone=zone).count() == 8
    assert len(sent.calls) == 2


def test_the_digest_groups_by_kind_with_counts_and_absolute_links(
    zone, users, work, sent, settings
) -> None:
    settings.GAOXIN_SITE_URL = "https://gx.example.cn/"
    reminders.run_reminders(day=DAY, zones=[zone])

    (call,) = sent.calls
    assert call["zone"] == zone and call["day"] == DAY
    assert call["title"] == "主园区 2026-11-30 督办提醒：共2项"
    body = call["body"]
    assert "【难点堵点逾期】2项" in body
    assert "· 储能电池项目 · 排水许可: 逾期10天（应于2026-11-20解决）" in body
    assert f"https://gx.example.cn/blockers/{work['first'].pk}/" in body
    assert "https://gx.example.cn/jobs/reminders/" in body
    # The most overdue first.
    assert body.index("排水许可") < body.index("供电线路未接入")


def test_the_digest_shows_the_top_items_and_counts_the_rest(zone, users, sent) -> None:
    department = users["department"].department
    project = ProjectFactory(zone=zone, officer=users["officer"])
    for days in range(reminders.DIGEST_TOP + 3):
        add_blocker(project, department, DAY - dt.timedelta(days=days + 1))
    reminders.run_reminders(day=DAY, zones=[zone])
    body = sent.calls[0]["body"]
    assert f"【难点堵点逾期】{reminders.DIGEST_TOP + 3}项" in body
    assert body.count("/blockers/") == reminders.DIGEST_TOP
    assert "……另有3项" in body


def test_nothing_due_sends_no_digest_but_records_the_run(zone, users, sent) -> None:
    (run,) = reminders.run_reminders(day=DAY, zones=[zone])
    assert sent.calls == []
    assert run.items == 0 and run.finished_at is not None


def test_a_muted_kind_gives_no_notice_to_that_user_but_still_to_others(
    zone, users, work, sent
) -> None:
    ReminderMute.objects.create(user=work["owner"], kind="blocker_overdue")
    reminders.run_reminders(day=DAY, zones=[zone])
    assert not Notice.objects.filter(user=work["owner"]).exists()
    assert Notice.objects.filter(user=users["officer"]).count() == 2
    assert "【难点堵点逾期】2项" in sent.calls[0]["body"]  # the zone's digest is unchanged


def test_inactive_users_get_no_notice(zone, users, work, sent) -> None:
    work["owner"].is_active = False
    work["owner"].save(update_fields=["is_active"])
    reminders.run_reminders(day=DAY, zones=[zone])
    assert set(Notice.objects.values_list("user_id", flat=True)) == {users["officer"].pk}


def test_each_active_zone_runs_and_keeps_its_own_items(zone, other_zone, users, work, sent) -> None:
    runs = reminders.run_reminders(day=DAY)
    assert {run.zone_id for run in runs} == {zone.pk, other_zone.pk}
    assert set(Notice.objects.filter(zone=other_zone).values_list("user_id", flat=True)) == {
        users["outsider"].pk
    }
    assert not Notice.objects.filter(zone=zone, user=users["outsider"]).exists()
    assert len(sent.calls) == 2


def test_a_failed_digest_leaves_the_run_open_and_the_next_run_sends_it(
    zone, users, work, monkeypatch
) -> None:
    def broken(**kwargs):
        raise RuntimeError("network down")

    monkeypatch.setattr(channels, "send_digest", broken)
    (run,) = reminders.run_reminders(day=DAY, zones=[zone])
    assert run.finished_at is None
    assert Notice.objects.filter(zone=zone).count() == 4  # the notices are in all the same

    recorder = Sent()
    monkeypatch.setattr(channels, "send_digest", recorder)
    (run,) = reminders.run_reminders(day=DAY, zones=[zone])
    assert run.finished_at is not None
    assert len(recorder.calls) == 1
    assert Notice.objects.filter(zone=zone).count() == 4


def test_queries_do_not_grow_with_the_items(
    zone, users, sent, django_assert_max_num_queries
) -> None:
    department = users["department"].department
    project = ProjectFactory(zone=zone, officer=users["officer"])
    for days in range(3):
        add_blocker(project, department, DAY - dt.timedelta(days=days + 1))
    with django_assert_max_num_queries(40) as few:
        reminders.run_reminders(day=DAY, zones=[zone])
    for days in range(3, 60):
        add_blocker(project, department, DAY - dt.timedelta(days=days + 1))
    with django_assert_max_num_queries(len(few.captured_queries) + 2):
        reminders.run_reminders(day=DAY + dt.timedelta(days=1), zones=[zone])
    assert Notice.objects.filter(day=DAY + dt.timedelta(days=1)).count() == 120


def test_the_morning_task_runs_on_working_days_only(zone, users, work, sent, monkeypatch) -> None:
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: DAY)
    monkeypatch.setattr(workdays, "is_workday", lambda day: False)
    tasks.morning_reminders.call_local()
    assert not Notice.objects.exists() and sent.calls == []
    assert not ReminderRun.objects.exists()

    monkeypatch.setattr(workdays, "is_workday", lambda day: day == DAY)
    tasks.morning_reminders.call_local()
    assert Notice.objects.filter(zone=zone, day=DAY).count() == 4
    assert len(sent.calls) == 2  # the zone's digest and the other zone's


def test_the_task_is_scheduled_at_half_past_eight() -> None:
    import datetime as d

    validate = tasks.morning_reminders.task_class().validate_datetime
    assert validate(d.datetime(2026, 11, 30, 8, 30))
    assert not validate(d.datetime(2026, 11, 30, 9, 30))


def test_the_command_runs_says_what_it_did_and_refuses_bad_input(zone, users, work, sent) -> None:
    out = io.StringIO()
    call_command("remind", "--day", "2026-11-30", "--zone", "home", stdout=out)
    assert (
        "主园区 (home) 2026-11-30: 2 items due, 4 new notices (4 today); digest to 0 channels"
        in out.getvalue()
    )

    out = io.StringIO()
    call_command("remind", "--day", "2026-11-30", "--zone", "home", stdout=out)
    assert "0 new notices (4 today); the digest of the day was already sent" in out.getvalue()
    assert len(sent.calls) == 1

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("remind", "--day", "2026-13-01")
    with pytest.raises(CommandError, match="no zone with the code 'nowhere'"):
        call_command("remind", "--zone", "nowhere")


def test_a_dry_run_writes_and_sends_nothing(zone, users, work, sent) -> None:
    out = io.StringIO()
    call_command("remind", "--day", "2026-11-30", "--zone", "home", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "2 items due, 4 notices (4 new) [dry run" in text
    assert "【难点堵点逾期】2项" in text
    assert not Notice.objects.exists() and not ReminderRun.objects.exists()
    assert sent.calls == []


def test_an_inactive_zone_is_not_run_and_the_command_says_so(
    zone, other_zone, users, work, sent
) -> None:
    other_zone.is_active = False
    other_zone.save(update_fields=["is_active"])
    runs = reminders.run_reminders(day=DAY)
    assert [run.zone_id for run in runs] == [zone.pk]
    assert not Notice.objects.filter(zone=other_zone).exists()
    with pytest.raises(CommandError, match="the zone 'away' is not active"):
        call_command("remind", "--zone", "away")
