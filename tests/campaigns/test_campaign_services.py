"""Creating and changing campaigns: each refusal names its field and writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils.translation import override

from gaoxin.campaigns import services
from gaoxin.campaigns.models import ApplicationStatus, Campaign
from gaoxin.core.errors import DomainError
from tests.factories import EnterpriseFactory, PolicyFactory


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with override("en"):
        yield


def _fields(**overrides):
    fields = {
        "name": " 2022年广东省专精特新中小企业申报 ",
        "designation_kind": "specialised_sme",
        "designation_level": "provincial",
        "validity_years": 3,
        "opens_on": dt.date(2022, 5, 1),
        "closes_on": dt.date(2022, 6, 30),
        "eligibility": "近两年研发费用总额均不低于100万元。",
    }
    return {**fields, **overrides}


def test_create_keeps_the_campaign_and_who_made_it(zone, users) -> None:
    policy = PolicyFactory(zone=zone)
    campaign = services.campaign_create(zone=zone, by=users["officer"], policy=policy, **_fields())
    assert campaign.name == "2022年广东省专精特新中小企业申报"
    assert campaign.policy == policy
    assert campaign.history.first().history_user == users["officer"]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": "  "}, "name", "needs a name"),
        ({"closes_on": dt.date(2022, 4, 30)}, "closes_on", "cannot close before it opens"),
        ({"designation_level": ""}, "designation_level", "Give the level"),
        ({"validity_years": 0}, "validity_years", "at least one year"),
    ],
)
def test_a_bad_campaign_is_refused_and_nothing_written(
    zone, users, overrides, field, message
) -> None:
    with pytest.raises(DomainError, match=message) as info:
        services.campaign_create(zone=zone, by=users["officer"], **_fields(**overrides))
    assert info.value.field == field
    assert not Campaign.objects.exists()


def test_a_policy_of_another_zone_is_refused(zone, other_zone, users) -> None:
    with pytest.raises(DomainError, match="another zone") as info:
        services.campaign_create(
            zone=zone, by=users["officer"], policy=PolicyFactory(zone=other_zone), **_fields()
        )
    assert info.value.field == "policy"
    assert not Campaign.objects.exists()


def test_without_a_designation_there_is_no_level(zone, users) -> None:
    campaign = services.campaign_create(
        zone=zone,
        by=users["officer"],
        **_fields(designation_kind="", designation_level="provincial", name="区级研发补助申报"),
    )
    assert campaign.designation_level == ""


def test_update_cannot_leave_a_submission_outside_the_campaign(zone, users) -> None:
    campaign = services.campaign_create(zone=zone, by=users["officer"], **_fields())
    application = services.application_start(
        campaign=campaign,
        enterprise=EnterpriseFactory(zone=zone),
        by=users["officer"],
        on=dt.date(2022, 5, 10),
        statement="说明",
    )
    services.application_move(
        application=application,
        by=users["officer"],
        to_status=ApplicationStatus.SUBMITTED,
        on=dt.date(2022, 6, 20),
    )
    with pytest.raises(DomainError, match="cannot close before it") as info:
        services.campaign_update(
            campaign=campaign, by=users["admin"], closes_on=dt.date(2022, 6, 10)
        )
    assert info.value.field == "closes_on"
    with pytest.raises(DomainError, match="must open by then"):
        services.campaign_update(
            campaign=campaign, by=users["admin"], opens_on=dt.date(2022, 6, 21)
        )
    campaign.refresh_from_db()
    assert campaign.closes_on == dt.date(2022, 6, 30)
    updated = services.campaign_update(
        campaign=campaign, by=users["admin"], closes_on=dt.date(2022, 7, 15), eligibility=" 新 "
    )
    assert (updated.closes_on, updated.eligibility) == (dt.date(2022, 7, 15), "新")
    assert updated.history.first().history_user == users["admin"]
