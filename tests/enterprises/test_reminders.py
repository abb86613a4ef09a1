"""Designations expiring within 90 days, to the enterprise's liaison officer: not revoked,
expired, renewed or far-off ones, not other zones', not enterprises that moved out."""

from __future__ import annotations

import datetime as dt

import pytest

from gaoxin.core.roles import Role
from gaoxin.enterprises import reminders as sources
from tests.factories import DesignationFactory, EnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 30)


def test_expiring_designations_go_to_the_liaison_officer(zone, other_zone, users) -> None:
    officer = users["officer"]
    enterprise = EnterpriseFactory(zone=zone, name="珠海储能科技有限公司", liaison_officer=officer)
    expiring = DesignationFactory(
        enterprise=enterprise, granted_on=dt.date(2023, 12, 1), expires_on=dt.date(2027, 2, 1)
    )
    DesignationFactory(  # far off
        enterprise=enterprise,
        kind="tech_sme",
        granted_on=dt.date(2026, 1, 1),
        expires_on=dt.date(2027, 12, 31),
    )
    DesignationFactory(  # revoked
        enterprise=enterprise,
        kind="innovative_sme",
        granted_on=dt.date(2024, 1, 1),
        expires_on=dt.date(2026, 12, 31),
        revoked_on=dt.date(2025, 6, 1),
    )
    DesignationFactory(  # already expired
        enterprise=enterprise,
        kind="specialised_sme",
        granted_on=dt.date(2023, 1, 1),
        expires_on=dt.date(2026, 11, 29),
        level="provincial",
    )
    renewed_enterprise = EnterpriseFactory(zone=zone, liaison_officer=officer)
    DesignationFactory(
        enterprise=renewed_enterprise,
        granted_on=dt.date(2023, 12, 1),
        expires_on=dt.date(2026, 12, 31),
    )
    DesignationFactory(
        enterprise=renewed_enterprise,
        granted_on=dt.date(2026, 11, 1),
        expires_on=dt.date(2029, 10, 31),
    )
    moved = EnterpriseFactory(zone=zone, liaison_officer=officer, status="moved_out")
    DesignationFactory(enterprise=moved, granted_on=dt.date(2024, 1, 1), expires_on=DAY)
    away_officer = UserFactory(role=Role.OFFICER, zones=[other_zone])
    away = EnterpriseFactory(zone=other_zone, liaison_officer=away_officer)
    DesignationFactory(enterprise=away, granted_on=dt.date(2024, 1, 1), expires_on=DAY)

    dues = sources.designations_expiring(zone, DAY)

    assert [due.key for due in dues] == [f"designation:{expiring.pk}"]
    due = dues[0]
    assert due.user_ids == (officer.pk,)
    assert due.detail == "63天后到期（2027-02-01）"
    assert due.title.startswith("珠海储能科技有限公司 · ")
    assert due.url == f"/enterprises/{enterprise.pk}/"
    assert due.due_on == dt.date(2027, 2, 1)


def test_without_a_liaison_officer_nobody_is_told(zone, users) -> None:
    enterprise = EnterpriseFactory(zone=zone)
    DesignationFactory(enterprise=enterprise, granted_on=dt.date(2024, 1, 1), expires_on=DAY)
    dues = sources.designations_expiring(zone, DAY)
    assert [due.user_ids for due in dues] == [()]
    assert dues[0].detail == "今天到期（2026-11-30）"
