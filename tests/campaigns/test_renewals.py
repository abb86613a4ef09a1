"""A designation that has expired or runs out within 90 days shows the open campaign leading to
it again: on the enterprise's page and on the enterprise user's home page; not once renewed,
not when no campaign is open."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from gaoxin.campaigns.selectors import renewals_for
from tests.factories import ApplicationFactory, CampaignFactory, DesignationFactory


def _campaign(zone, **kwargs):
    today = timezone.localdate()
    return CampaignFactory(
        zone=zone,
        name="2026年广东省专精特新中小企业申报",
        designation_kind="specialised_sme",
        designation_level="provincial",
        opens_on=today - dt.timedelta(days=5),
        closes_on=today + dt.timedelta(days=25),
        **kwargs,
    )


def _designation(enterprise, expires_in_days: int):
    today = timezone.localdate()
    return DesignationFactory(
        enterprise=enterprise,
        kind="specialised_sme",
        level="provincial",
        granted_on=today - dt.timedelta(days=1000),
        expires_on=today + dt.timedelta(days=expires_in_days),
    )


def test_an_expiring_designation_finds_the_open_campaign(zone, own_enterprise):
    campaign = _campaign(zone)
    _designation(own_enterprise, 60)
    CampaignFactory(zone=zone, designation_kind="high_tech", designation_level="national")
    [renewal] = renewals_for(own_enterprise)
    assert renewal["campaign"] == campaign and not renewal["expired"]


def test_an_expired_one_too_and_the_started_application_is_named(zone, own_enterprise):
    campaign = _campaign(zone)
    _designation(own_enterprise, -1)
    application = ApplicationFactory(campaign=campaign, enterprise=own_enterprise)
    [renewal] = renewals_for(own_enterprise)
    assert renewal["expired"] and renewal["application"] == application


def test_nothing_when_far_from_expiry_renewed_or_no_campaign_is_open(zone, own_enterprise):
    _designation(own_enterprise, 200)
    assert renewals_for(own_enterprise) == []  # no campaign yet, and far from expiry
    _campaign(zone)
    assert renewals_for(own_enterprise) == []
    _designation(own_enterprise, -400)  # an older one, long renewed
    assert renewals_for(own_enterprise) == []


def test_the_enterprise_user_sees_it_on_their_page_and_home(client_as, zone, own_enterprise):
    campaign = _campaign(zone)
    _designation(own_enterprise, 30)
    client = client_as("enterprise")
    apply_url = reverse("campaigns:apply", args=[campaign.pk])
    page = client.get(reverse("enterprises:detail", args=[own_enterprise.pk])).content.decode()
    assert 'id="renewals"' in page and apply_url in page
    assert 'id="history-title"' not in page  # the officials' change log is not the company's
    home = client.get(reverse("accounts:home")).content.decode()
    assert apply_url in home and campaign.name in home
    # 我的企业 in the navigation leads to it.
    assert f'href="{reverse("enterprises:mine")}"' in home
    response = client.get(reverse("enterprises:mine"))
    assert response["Location"] == reverse("enterprises:detail", args=[own_enterprise.pk])
