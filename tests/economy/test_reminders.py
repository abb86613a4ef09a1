"""Monthly self-reports not in: last month's, from three days before the zone's deadline day,
to the enterprise's users and its liaison officer; not those reported, not 规上 enterprises
(they report to the bureau), not other zones'."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gaoxin.core.roles import Role
from gaoxin.economy.models import SelfReport
from gaoxin.economy.reporting import reminders as sources
from gaoxin.enterprises.models import ScaleSpell
from tests.factories import EnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def enterprises(zone, other_zone, users, own_enterprise):
    officer = users["officer"]
    own_enterprise.liaison_officer = officer
    own_enterprise.save(update_fields=["liaison_officer"])
    reported = EnterpriseFactory(zone=zone, liaison_officer=officer)
    SelfReport.objects.create(enterprise=reported, year=2026, month=11, submitted_at=timezone.now())
    above = EnterpriseFactory(zone=zone, liaison_officer=officer)
    ScaleSpell.objects.create(enterprise=above, entered_on=dt.date(2022, 1, 1))
    away = EnterpriseFactory(zone=other_zone)
    UserFactory(role=Role.ENTERPRISE, enterprise=away, zones=[other_zone])
    return {"own": own_enterprise, "reported": reported, "above": above}


def test_nothing_before_three_days_ahead_of_the_deadline(zone, enterprises) -> None:
    # The deadline is the 10th by default: from the 7th on.
    assert sources.self_reports_missing(zone, dt.date(2026, 12, 6)) == []
    assert sources.self_reports_missing(zone, dt.date(2026, 12, 7)) != []


def test_missing_reports_go_to_the_enterprise_users_and_the_liaison_officer(
    zone, users, enterprises
) -> None:
    dues = sources.self_reports_missing(zone, dt.date(2026, 12, 14))

    assert [due.key for due in dues] == [f"self_report:{enterprises['own'].pk}:2026-11"]
    due = dues[0]
    assert set(due.user_ids) == {users["enterprise"].pk, users["officer"].pk}
    assert due.title == "珠海自家科技有限公司 · 2026年11月数据"
    assert due.detail == "逾期4天未报（应于2026-12-10前填报）"
    assert due.url == f"/economy/reports/enterprise/{enterprises['own'].pk}/2026-11/"
    assert due.due_on == dt.date(2026, 12, 10)


def test_before_the_deadline_it_is_due_soon(zone, enterprises) -> None:
    (due,) = sources.self_reports_missing(zone, dt.date(2026, 12, 8))
    assert due.detail == "2天后到期（2026-12-10）"
