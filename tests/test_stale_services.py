"""Under the lock, the services themselves refuse a version older than the stored record:
two requests that both passed their forms' check cannot both write (the forms compare the
version the request read; the services compare the row they lock)."""

from __future__ import annotations

import pytest
from django.utils import translation

from gaoxin.campaigns import award_services
from gaoxin.campaigns import services as campaign_services
from gaoxin.core.errors import DomainError
from gaoxin.enterprises import services as enterprise_services
from gaoxin.investment import services as lead_services
from gaoxin.policies import services as policy_services
from gaoxin.spaces import services as space_services
from tests.factories import (
    AwardFactory,
    CampaignFactory,
    EnterpriseFactory,
    LeadFactory,
    PolicyFactory,
    SpaceFactory,
)


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


CASES = {
    "enterprise": (
        lambda zone: EnterpriseFactory(zone=zone),
        lambda record, **kw: enterprise_services.enterprise_update(enterprise=record, **kw),
        {"address": "甲地址"},
        {"address": "乙地址"},
        lambda r: r.address,
    ),
    "lead": (
        lambda zone: LeadFactory(zone=zone),
        lambda record, **kw: lead_services.lead_update(lead=record, **kw),
        {"contact_person": "甲"},
        {"contact_person": "乙"},
        lambda r: r.contact_person,
    ),
    "space": (
        lambda zone: SpaceFactory(zone=zone),
        lambda record, **kw: space_services.space_update(space=record, **kw),
        {"developer": "甲"},
        {"developer": "乙"},
        lambda r: r.developer,
    ),
    "policy": (
        lambda zone: PolicyFactory(zone=zone),
        lambda record, **kw: policy_services.policy_update(policy=record, **kw),
        {"issuer": "甲"},
        {"issuer": "乙"},
        lambda r: r.issuer,
    ),
    "campaign": (
        lambda zone: CampaignFactory(zone=zone),
        lambda record, **kw: campaign_services.campaign_update(campaign=record, **kw),
        {"eligibility": "甲"},
        {"eligibility": "乙"},
        lambda r: r.eligibility,
    ),
    "award": (
        lambda zone: AwardFactory(batch__zone=zone),
        lambda record, **kw: award_services.award_correct(award=record, amount=1000, **kw),
        {"reason": "甲"},
        {"reason": "乙"},
        lambda r: r.reason,
    ),
}


@pytest.mark.parametrize("kind", list(CASES))
def test_the_service_refuses_a_stale_version(kind, zone, users) -> None:
    make, update, first, second, read = CASES[kind]
    record = make(zone)
    opened_at = record.version
    update(record, by=users["admin"], version=opened_at, **first)
    with pytest.raises(DomainError, match="was changed by"):
        update(record, by=users["officer"], version=opened_at, **second)
    stored = type(record).objects.get(pk=record.pk)
    assert read(stored) == next(iter(first.values()))
    assert stored.version == opened_at + 1


@pytest.mark.parametrize("kind", list(CASES))
def test_a_write_from_no_form_still_bumps_the_version(kind, zone, users) -> None:
    make, update, first, _second, read = CASES[kind]
    record = make(zone)
    update(record, by=users["admin"], **first)
    stored = type(record).objects.get(pk=record.pk)
    assert (read(stored), stored.version) == (next(iter(first.values())), record.version + 1)
