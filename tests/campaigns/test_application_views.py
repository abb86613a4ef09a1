"""An application's pages: the enterprise user prepares and submits their own (after a
confirmation), the officers review it, refusals show on the form, nobody reaches another
enterprise's; the inbox and the enterprise page show the applications."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.utils import timezone, translation

from gaoxin.campaigns import award_services, inbox_sections, services
from gaoxin.campaigns.models import Application, ApplicationStatus
from gaoxin.core.inbox import sections_for
from gaoxin.enterprises.models import Designation
from tests.factories import AwardBatchFactory, CampaignFactory, EnterpriseFactory

S = ApplicationStatus


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _inbox() -> None:
    inbox_sections.register_all()


@pytest.fixture
def campaign(zone):
    today = timezone.localdate()
    return CampaignFactory(
        zone=zone,
        name="2023年省级专精特新中小企业申报",
        opens_on=today - dt.timedelta(days=30),
        closes_on=today + dt.timedelta(days=30),
    )


def test_enterprise_user_applies_saves_and_submits_after_confirming(
    campaign, own_enterprise, users, client_as
) -> None:
    client = client_as("enterprise")
    assert client.get(f"/campaigns/{campaign.pk}/apply/").status_code == 200
    response = client.post(
        f"/campaigns/{campaign.pk}/apply/",
        {"contact_person": "赵经理", "contact_phone": "0756-1234567", "statement": ""},
    )
    application = Application.objects.get(enterprise=own_enterprise)
    assert response["Location"] == f"/campaigns/applications/{application.pk}/"
    assert application.status == S.DRAFT and application.contact_person == "赵经理"
    # Applying again goes to the application.
    assert client.get(f"/campaigns/{campaign.pk}/apply/")["Location"] == (
        f"/campaigns/applications/{application.pk}/"
    )
    url = f"/campaigns/applications/{application.pk}/"
    # Submitting without a statement: the page says what is missing.
    response = client.post(url, {"action": "submit", "confirm": "1"})
    assert "Write the application statement before submitting." in response.content.decode()
    client.post(
        url,
        {
            "action": "save",
            "contact_person": "赵经理",
            "contact_phone": "0756-1234567",
            "statement": "近两年研发费用均超过100万元。",
            "version": application.version,
        },
    )
    application.refresh_from_db()
    assert application.statement == "近两年研发费用均超过100万元。"
    # The first submit asks for a confirmation and changes nothing.
    response = client.post(url, {"action": "submit"})
    assert response.status_code == 200 and 'name="confirm" value="1"' in response.content.decode()
    application.refresh_from_db()
    assert application.status == S.DRAFT
    response = client.post(url, {"action": "submit", "confirm": "1"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.status_on) == (S.SUBMITTED, timezone.localdate())
    body = client.get(url).content.decode()
    assert 'name="action" value="save"' not in body and "move-form" not in body
    # The statement can no longer be changed.
    client.post(url, {"action": "save", "statement": "改过的", "version": application.version})
    application.refresh_from_db()
    assert application.statement == "近两年研发费用均超过100万元。"


def test_enterprise_user_reaches_no_other_enterprises_application(
    campaign, own_enterprise, users, client_as
) -> None:
    theirs = services.application_start(
        campaign=campaign, enterprise=EnterpriseFactory(zone=campaign.zone), by=users["officer"]
    )
    mine = services.application_start(
        campaign=campaign, enterprise=own_enterprise, by=users["enterprise"], statement="说明"
    )
    client = client_as("enterprise")
    assert client.get(f"/campaigns/applications/{theirs.pk}/").status_code == 404
    response = client.post(
        f"/campaigns/applications/{theirs.pk}/", {"action": "submit", "confirm": "1"}
    )
    assert response.status_code == 404
    assert (
        client.post(f"/campaigns/applications/{theirs.pk}/change/", {"to_status": "submitted"})
    ).status_code == 404
    # Their own: readable, but the review is not theirs.
    assert client.get(f"/campaigns/applications/{mine.pk}/").status_code == 200
    response = client.post(
        f"/campaigns/applications/{mine.pk}/change/",
        {"to_status": "submitted", "on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 403
    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert theirs.status == mine.status == S.DRAFT


def test_officer_reviews_and_approval_grants_the_designation(
    campaign, own_enterprise, users, client_as
) -> None:
    application = services.application_start(
        campaign=campaign, enterprise=own_enterprise, by=users["enterprise"], statement="说明"
    )
    services.application_submit(application=application, by=users["enterprise"])
    client = client_as("officer")
    url = f"/campaigns/applications/{application.pk}/change/"
    today = timezone.localdate().isoformat()

    def version() -> int:
        application.refresh_from_db()
        return application.version

    response = client.post(
        url,
        {"to_status": "zone_review", "on": today, "from_status": "submitted", "version": version()},
    )
    assert response.status_code == 302
    # 未通过 without a note: the form says why, nothing moves.
    response = client.post(
        url,
        {"to_status": "rejected", "on": today, "from_status": "zone_review", "version": version()},
    )
    assert response.status_code == 200
    assert "Say why the application was not approved." in response.content.decode()
    application.refresh_from_db()
    assert application.status == S.ZONE_REVIEW
    client.post(
        url,
        {
            "to_status": "recommended",
            "on": today,
            "from_status": "zone_review",
            "version": version(),
        },
    )
    # 认定通过 is confirmed first, stating the designation and its validity.
    opened_at = version()
    data = {
        "to_status": "approved",
        "on": today,
        "from_status": "recommended",
        "note": "公示",
        "version": opened_at,
    }
    response = client.post(url, data)
    body = response.content.decode()
    assert response.status_code == 200 and 'name="confirm" value="1"' in body
    assert f'name="version" value="{opened_at}"' in body  # the confirmation keeps the version
    assert "Provincial specialised SME" in body
    assert not Designation.objects.exists()
    response = client.post(url, {**data, "confirm": "1"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.APPROVED
    designation = application.designation
    assert designation.enterprise == own_enterprise
    assert designation.granted_on == timezone.localdate()
    page = client.get(f"/enterprises/{own_enterprise.pk}/").content.decode()
    assert "Provincial specialised SME" in page
    # A stale form is refused, naming who moved the application and when.
    response = client.post(
        f"/campaigns/applications/{application.pk}/change/",
        {
            "to_status": "rejected",
            "on": today,
            "from_status": "recommended",
            "note": "x",
            "version": opened_at,
        },
    )
    assert response.status_code == 200
    assert "was changed by" in response.content.decode()
    assert Designation.objects.count() == 1


def test_inbox_sections(campaign, own_enterprise, users, client_as) -> None:
    application = services.application_start(
        campaign=campaign, enterprise=own_enterprise, by=users["enterprise"], statement="说明"
    )
    titles = {str(s.title): s for s in sections_for(users["enterprise"])}
    section = titles["My applications (申报)"]
    assert section.items[0]["title"] == campaign.name
    assert "not submitted yet" in section.items[0]["note"]
    assert "Applications waiting for zone review (区级审核)" not in {
        str(s.title) for s in sections_for(users["enterprise"])
    }
    officer_section = {str(s.title): s for s in sections_for(users["officer"])}[
        "Applications waiting for zone review (区级审核)"
    ]
    assert officer_section.items == []
    services.application_submit(application=application, by=users["enterprise"])
    officer_section = {str(s.title): s for s in sections_for(users["officer"])}[
        "Applications waiting for zone review (区级审核)"
    ]
    assert officer_section.items[0]["url"] == f"/campaigns/applications/{application.pk}/"
    assert officer_section.more_url == f"/campaigns/{campaign.pk}/?status=submitted"
    # The outsider's zone has nothing waiting.
    outsider = {str(s.title): s for s in sections_for(users["outsider"])}
    assert outsider["Applications waiting for zone review (区级审核)"].items == []
    body = client_as("officer").get("/").content.decode()
    assert own_enterprise.name in body


def test_the_enterprise_page_fragment_is_bounded(
    campaign, own_enterprise, users, django_assert_max_num_queries
) -> None:
    for i in range(25):
        other = CampaignFactory(
            zone=campaign.zone,
            name=f"批次{i:02d}",
            opens_on=campaign.opens_on,
            closes_on=campaign.closes_on,
        )
        services.application_start(campaign=other, enterprise=own_enterprise, by=None)
    batch = AwardBatchFactory(zone=campaign.zone, name="第一批奖励资金")
    for i in range(22):
        award_services.award_add(
            batch=batch, enterprise=own_enterprise, amount=10000 + i, reason=f"事由{i}", by=None
        )
    with django_assert_max_num_queries(2):
        html = render_to_string(
            "campaigns/_enterprise_policy_work.html",
            {
                "enterprise": own_enterprise,
                "my_role": "officer",
                "enterprise_awards": own_enterprise.awards.select_related("batch")[:20],
            },
        )
    assert html.count("/campaigns/applications/") == 20
    assert html.count("事由") == 20
    assert f'href="/awards/{batch.pk}/"' in html
    html = render_to_string(
        "campaigns/_enterprise_policy_work.html",
        {"enterprise": own_enterprise, "my_role": "enterprise"},
    )
    assert f'href="/awards/{batch.pk}/"' not in html
