"""The campaign pages as officers, leaders and enterprise users use them: bounded lists,
figures that click through to their records, exports, and what an enterprise user may see."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone, translation
from python_calamine import CalamineWorkbook

from gaoxin.campaigns import services
from gaoxin.campaigns.models import Application, ApplicationStatus, Campaign
from tests.factories import CampaignFactory, EnterpriseFactory, PolicyFactory

S = ApplicationStatus


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _open(zone, **fields):
    today = timezone.localdate()
    return CampaignFactory(
        zone=zone,
        opens_on=today - dt.timedelta(days=30),
        closes_on=today + dt.timedelta(days=30),
        **fields,
    )


def _applications(campaign, n, officer, *, submit_every=2):
    """n applications in the campaign; every `submit_every`-th one submitted."""
    today = timezone.localdate()
    made = []
    for i in range(n):
        application = services.application_start(
            campaign=campaign,
            enterprise=EnterpriseFactory(zone=campaign.zone, name=f"申报企业{i:03d}"),
            by=officer,
            on=today - dt.timedelta(days=20),
            statement="说明",
        )
        if i % submit_every == 0:
            services.application_move(
                application=application,
                by=officer,
                to_status=S.SUBMITTED,
                on=today - dt.timedelta(days=10),
            )
        made.append(application)
    return made


def _rows(response) -> list[list]:
    return (
        CalamineWorkbook.from_filelike(io.BytesIO(response.content))
        .get_sheet_by_index(0)
        .to_python()
    )


def test_list_is_bounded_and_its_figures_click_through(
    zone, users, client_as, django_assert_max_num_queries
) -> None:
    campaigns = [
        CampaignFactory(zone=zone, opens_on=dt.date(2022, 1, 1) + dt.timedelta(days=i))
        for i in range(34)
    ]
    latest = _open(zone, name="最新的申报批次")
    _applications(latest, 5, users["officer"])
    client = client_as("leader")
    # Session, user, zones, the page, the count, the figures of the page.
    with django_assert_max_num_queries(10):
        response = client.get("/campaigns/")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('<td class="name">') == 35
    assert f'href="/metrics/campaigns.applying.{latest.pk}/?zone=home">3</a>' in body
    assert f'href="/metrics/campaigns.total.{latest.pk}/?zone=home">5</a>' in body
    body = client.get("/campaigns/", {"state": "open"}).content.decode()
    assert body.count('<td class="name">') == 1 and "最新的申报批次" in body
    sorted_body = client.get("/campaigns/", {"sort": "opens"}).content.decode()
    assert sorted_body.index(campaigns[0].name) < sorted_body.index(campaigns[1].name)
    partial = client.get("/campaigns/", {"q": "最新"}, headers={"HX-Request": "true"})
    assert b"<html" not in partial.content and "最新的申报批次" in partial.content.decode()


def test_list_export(zone, users, client_as) -> None:
    campaign = _open(zone, name="导出的申报批次", policy=PolicyFactory(zone=zone, title="扶持办法"))
    _applications(campaign, 3, users["officer"])
    _open(zone, name="别的批次")
    response = client_as("officer").get("/campaigns/", {"q": "导出", "export": "xlsx"})
    rows = _rows(response)
    assert rows[1][0] == "申报批次"
    assert rows[2][0] == "导出的申报批次"
    assert rows[2][5] == "扶持办法"
    assert rows[2][6:9] == [3, 2, 0]
    assert len(rows) == 3


def test_detail_counts_by_status_link_to_their_records(
    zone, users, client_as, django_assert_max_num_queries
) -> None:
    campaign = _open(zone)
    _applications(campaign, 35, users["officer"], submit_every=5)
    client = client_as("officer")
    with django_assert_max_num_queries(16):
        response = client.get(f"/campaigns/{campaign.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('<td class="name">') == 35
    counts = {row["status"]: row["count"] for row in response.context["counts"]}
    assert counts[S.DRAFT] == 28 and counts[S.SUBMITTED] == 7
    assert f'href="/metrics/campaigns.status_submitted.{campaign.pk}/?zone=home">7</a>' in body
    assert f'href="/metrics/campaigns.applying.{campaign.pk}/?zone=home">7</a>' in body
    # The figure opens exactly those records.
    records = client.get(f"/metrics/campaigns.applying.{campaign.pk}/", {"zone": "home"})
    assert records.status_code == 200 and records.context["value"] == 7
    # As of a day before any submission.
    early = (timezone.localdate() - dt.timedelta(days=15)).isoformat()
    response = client.get(f"/campaigns/{campaign.pk}/", {"as_of": early})
    counts = {row["status"]: row["count"] for row in response.context["counts"]}
    assert counts[S.DRAFT] == 35 and counts[S.SUBMITTED] == 0
    assert f"campaigns.applying.{campaign.pk}/?as_of={early}&amp;zone=home" in (
        response.content.decode()
    )
    body = client.get(f"/campaigns/{campaign.pk}/", {"status": "submitted"}).content.decode()
    assert body.count('<td class="name">') == 7
    body = client.get(f"/campaigns/{campaign.pk}/", {"q": "申报企业001"}).content.decode()
    assert body.count('<td class="name">') == 1
    future = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    body = client.get(f"/campaigns/{campaign.pk}/", {"as_of": future}).content.decode()
    assert "cannot be asked for a day in the future" in body


def test_detail_export_lists_the_filtered_applications(zone, users, client_as) -> None:
    campaign = _open(zone, name="专精特新申报")
    _applications(campaign, 4, users["officer"])
    response = client_as("leader").get(
        f"/campaigns/{campaign.pk}/", {"status": "submitted", "export": "xlsx"}
    )
    rows = _rows(response)
    assert rows[1][:4] == ["企业名称", "统一社会信用代码", "申报批次", "状态"]
    assert [r[0] for r in rows[2:]] == ["申报企业000", "申报企业002"]
    assert rows[2][2] == "专精特新申报"


def test_enterprise_user_sees_open_campaigns_of_their_zone_and_own_applications(
    zone, other_zone, users, own_enterprise, client_as
) -> None:
    mine = _open(zone, name="本区开放批次")
    _open(other_zone, name="外区开放批次")
    closed = CampaignFactory(zone=zone, name="本区已截止批次")
    services.application_start(
        campaign=closed, enterprise=own_enterprise, by=users["officer"], on=dt.date(2022, 5, 5)
    )
    others = _applications(mine, 2, users["officer"])
    client = client_as("enterprise")
    body = client.get("/campaigns/").content.decode()
    assert "本区开放批次" in body and "外区开放批次" not in body
    assert "本区已截止批次" in body  # their own application there
    assert others[0].enterprise.name not in body
    assert f'href="/campaigns/{mine.pk}/apply/"' in body
    detail = client.get(f"/campaigns/{mine.pk}/").content.decode()
    assert others[0].enterprise.name not in detail and "Apply" in detail
    assert client.get(f"/campaigns/{mine.pk}/", {"export": "xlsx"})["Content-Type"].startswith(
        "text/html"
    )
    assert client.get(f"/campaigns/applications/{others[0].pk}/").status_code == 404


def test_officer_creates_and_edits_a_campaign_with_errors_shown(zone, users, client_as) -> None:
    client = client_as("officer")
    data = {
        "name": "2023年创新型中小企业申报",
        "designation_kind": "innovative_sme",
        "designation_level": "provincial",
        "validity_years": "3",
        "opens_on": "2023-05-01",
        "closes_on": "2023-04-01",
        "eligibility": "",
    }
    response = client.post("/campaigns/new/", data)
    assert response.status_code == 200
    assert "The campaign cannot close before it opens." in response.content.decode()
    assert not Campaign.objects.exists()
    response = client.post("/campaigns/new/", {**data, "closes_on": "2023-06-30"})
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/campaigns/{campaign.pk}/"
    response = client.post(
        f"/campaigns/{campaign.pk}/edit/",
        {**data, "closes_on": "2023-07-31", "name": "改名", "version": campaign.version},
    )
    campaign.refresh_from_db()
    assert (campaign.name, campaign.closes_on) == ("改名", dt.date(2023, 7, 31))
    assert campaign.history.first().history_user == users["officer"]


def test_officer_starts_an_application_from_a_registry_search(zone, users, client_as) -> None:
    campaign = _open(zone)
    target = EnterpriseFactory(zone=zone, name="珠海搜索储能有限公司")
    EnterpriseFactory(zone=zone, name="珠海别的公司")
    client = client_as("officer")
    body = client.get(f"/campaigns/{campaign.pk}/apply/", {"q": "搜索储能"}).content.decode()
    assert "珠海搜索储能有限公司" in body and "珠海别的公司" not in body
    response = client.post(
        f"/campaigns/{campaign.pk}/apply/",
        {"q": "搜索储能", "on": timezone.localdate().isoformat(), "statement": ""},
    )
    assert "Search the registry and pick the enterprise." in response.content.decode()
    response = client.post(
        f"/campaigns/{campaign.pk}/apply/",
        {"q": "搜索储能", "enterprise": target.pk, "on": timezone.localdate().isoformat()},
    )
    application = Application.objects.get(enterprise=target)
    assert response["Location"] == f"/campaigns/applications/{application.pk}/"
    # Already applied: no longer offered, and refused if posted.
    body = client.get(f"/campaigns/{campaign.pk}/apply/", {"q": "搜索储能"}).content.decode()
    assert f'<option value="{target.pk}"' not in body
    response = client.post(
        f"/campaigns/{campaign.pk}/apply/",
        {"enterprise": target.pk, "on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 200
    assert Application.objects.filter(enterprise=target).count() == 1
