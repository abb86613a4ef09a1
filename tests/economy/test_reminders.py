"""Monthly self-reports not in: last month's, from three days before the zone's deadline day;
each liaison officer gets one item a month for the enterprises they look after (their count,
linking to the status list of those not in), each enterprise's users one for their own; not
those reported, not 规上 enterprises (they report to the bureau), not other zones'."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gaoxin.core.roles import Role
from gaoxin.economy.models import SelfReport
from gaoxin.economy.reporting import reminders as sources
from gaoxin.enterprises.models import ScaleSpell
from gaoxin.jobs import channels, reminders
from gaoxin.jobs.models import Notice
from tests.factories import EnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def enterprises(zone, other_zone, users, own_enterprise):
    officer = users["officer"]
    own_enterprise.liaison_officer = officer
    own_enterprise.save(update_fields=["liaison_officer"])
    reported = EnterpriseFactory(zone=zone, liaison_officer=officer, name="珠海已报科技有限公司")
    SelfReport.objects.create(enterprise=reported, year=2026, month=11, submitted_at=timezone.now())
    above = EnterpriseFactory(zone=zone, liaison_officer=officer, name="珠海规上制造有限公司")
    ScaleSpell.objects.create(enterprise=above, entered_on=dt.date(2022, 1, 1))
    quiet = EnterpriseFactory(zone=zone, liaison_officer=officer, name="珠海未报材料有限公司")
    away = EnterpriseFactory(zone=other_zone)
    UserFactory(role=Role.ENTERPRISE, enterprise=away, zones=[other_zone])
    return {"own": own_enterprise, "reported": reported, "above": above, "quiet": quiet}


def by_key(dues):
    return {due.key: due for due in dues}


def test_nothing_before_three_days_ahead_of_the_deadline(zone, enterprises) -> None:
    # The deadline is the 10th by default: from the 7th on.
    assert sources.self_reports_missing(zone, dt.date(2026, 12, 6)) == []
    assert sources.self_reports_missing(zone, dt.date(2026, 12, 7)) != []


def test_the_liaison_officer_gets_one_item_for_the_month_with_the_count(
    zone, users, enterprises
) -> None:
    officer = users["officer"]
    dues = by_key(sources.self_reports_missing(zone, dt.date(2026, 12, 14)))

    due = dues.pop(f"self_report:officer:{officer.pk}:2026-11")
    assert due.user_ids == (officer.pk,)
    assert due.title == "11月企业填报：2家未报（应于2026-12-10前填报，已逾期4天）"
    assert due.detail == f"{officer.name}挂点：珠海未报材料有限公司、珠海自家科技有限公司"
    assert due.url == (f"/economy/reports/?period=2026-11&status=missing&officer={officer.pk}")
    assert due.due_on == dt.date(2026, 12, 10)
    # What is left: the enterprise user's own item; the enterprise without users has none.
    assert list(dues) == [f"self_report:{enterprises['own'].pk}:2026-11"]


def test_the_enterprise_users_get_their_own_enterprise_alone(zone, users, enterprises) -> None:
    dues = by_key(sources.self_reports_missing(zone, dt.date(2026, 12, 14)))
    due = dues[f"self_report:{enterprises['own'].pk}:2026-11"]
    assert due.user_ids == (users["enterprise"].pk,)
    assert due.title == "珠海自家科技有限公司 · 2026年11月数据"
    assert due.detail == "逾期4天未报（应于2026-12-10前填报）"
    assert due.url == f"/economy/reports/enterprise/{enterprises['own'].pk}/2026-11/"


def test_many_enterprises_are_named_three_and_counted(zone, users, enterprises) -> None:
    for n in range(5):
        EnterpriseFactory(zone=zone, liaison_officer=users["officer"], name=f"珠海{n}号有限公司")
    dues = by_key(sources.self_reports_missing(zone, dt.date(2026, 12, 14)))
    due = dues[f"self_report:officer:{users['officer'].pk}:2026-11"]
    assert due.title.startswith("11月企业填报：7家未报")
    assert due.detail.endswith("珠海0号有限公司、珠海1号有限公司、珠海2号有限公司等，另有4家")


def test_each_officer_counts_their_own_enterprises(zone, users, enterprises) -> None:
    second = UserFactory(role=Role.OFFICER, zones=[zone], username="second")
    EnterpriseFactory(zone=zone, liaison_officer=second, name="珠海另管有限公司")
    dues = by_key(sources.self_reports_missing(zone, dt.date(2026, 12, 14)))
    assert dues[f"self_report:officer:{second.pk}:2026-11"].title.startswith(
        "11月企业填报：1家未报"
    )
    assert dues[f"self_report:officer:{users['officer'].pk}:2026-11"].title.startswith(
        "11月企业填报：2家未报"
    )


def test_before_the_deadline_it_is_due_soon(zone, users, enterprises) -> None:
    dues = by_key(sources.self_reports_missing(zone, dt.date(2026, 12, 8)))
    officer = dues[f"self_report:officer:{users['officer'].pk}:2026-11"]
    assert officer.title == "11月企业填报：2家未报（应于2026-12-10前填报）"
    own = dues[f"self_report:{enterprises['own'].pk}:2026-11"]
    assert own.detail == "2天后到期（2026-12-10）"


def test_the_link_lists_the_officers_enterprises_not_in(zone, users, enterprises, client_as):
    dues = by_key(sources.self_reports_missing(zone, dt.date(2026, 12, 14)))
    due = dues[f"self_report:officer:{users['officer'].pk}:2026-11"]
    page = client_as("officer").get(due.url).content.decode()
    assert "珠海未报材料有限公司" in page and "珠海自家科技有限公司" in page
    assert "珠海已报科技有限公司" not in page  # reported
    assert "珠海规上制造有限公司" not in page  # reports to the bureau


def test_run_twice_on_a_day_the_officer_has_one_notice(
    zone, users, enterprises, monkeypatch
) -> None:
    monkeypatch.setattr(channels, "send_digest", lambda **kwargs: [])
    day = dt.date(2026, 12, 14)
    reminders.run_reminders(day=day, zones=[zone])
    # A report comes in between the runs: the day's notice stays as it was.
    SelfReport.objects.create(
        enterprise=enterprises["quiet"], year=2026, month=11, submitted_at=timezone.now()
    )
    reminders.run_reminders(day=day, zones=[zone])

    notices = Notice.objects.filter(user=users["officer"], kind="self_report_missing")
    assert list(notices.values_list("title", flat=True)) == [
        "11月企业填报：2家未报（应于2026-12-10前填报，已逾期4天）"
    ]
    assert Notice.objects.filter(user=users["enterprise"], kind="self_report_missing").count() == 1

    reminders.run_reminders(day=day + dt.timedelta(days=1), zones=[zone])
    latest = notices.get(day=day + dt.timedelta(days=1))
    assert latest.title == "11月企业填报：1家未报（应于2026-12-10前填报，已逾期5天）"


def test_queries_do_not_grow_with_the_enterprises(
    zone, users, enterprises, django_assert_num_queries
) -> None:
    with django_assert_num_queries(4):  # deadline, enterprises, their users, the officers
        sources.self_reports_missing(zone, dt.date(2026, 12, 14))
    for _n in range(30):
        EnterpriseFactory(zone=zone, liaison_officer=users["officer"])
    with django_assert_num_queries(4):
        sources.self_reports_missing(zone, dt.date(2026, 12, 14))
