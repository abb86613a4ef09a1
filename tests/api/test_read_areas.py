"""The read-only areas of the API (industries, spaces, campaigns with award batches): each list
and record answers what the page's selector gives the same user, an enterprise user reads only
its own applications and awards, other zones' records are not found, the filters filter, the
cursor walks every row once, and the queries do not grow with the rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gaoxin.campaigns import award_selectors
from gaoxin.campaigns import selectors as campaign_selectors
from gaoxin.campaigns.models import ApplicationChange
from gaoxin.industries import selectors as industry_selectors
from gaoxin.spaces import selectors as space_selectors
from tests.factories import (
    ApplicationFactory,
    AwardBatchFactory,
    AwardFactory,
    CampaignFactory,
    ChainSegmentFactory,
    EnterpriseFactory,
    IndustryFactory,
    ProjectFactory,
    SpaceFactory,
)

pytestmark = pytest.mark.django_db

# Whatever the rows, a list or a record costs at most this many queries (token, user, zones,
# the records and their counts).
QUERY_BOUND = 14


def walk(client: Any, url: str, **params: Any) -> list[dict[str, Any]]:
    """Every row of a list, following `next` two rows at a time."""
    response = client.get(url, page_size=2, **params)
    rows: list[dict[str, Any]] = []
    while True:
        assert response.status_code == 200, response.content[:300]
        body = response.json()
        rows.extend(body["results"])
        if not body["next"]:
            return rows
        response = client.client.get(body["next"], headers=client.headers)


def ids(rows: list[dict[str, Any]]) -> list[int]:
    return [row["id"] for row in rows]


def queries_of(client: Any, url: str, **params: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **params)
    assert response.status_code == 200, response.content[:300]
    return len(captured.captured_queries)


# --- industries ----------------------------------------------------------------------------


def _chain(zone):
    """An industry with a chain: an upstream tree (parent and child), a midstream segment with
    three enterprises, a downstream one set 强 by hand."""
    industry = IndustryFactory(zone=zone, weak_max=2)
    up = ChainSegmentFactory(industry=industry, position="up", name="正极材料", order=1)
    child = ChainSegmentFactory(industry=industry, position="up", name="锂矿", parent=up)
    mid = ChainSegmentFactory(industry=industry, position="mid", name="电芯")
    down = ChainSegmentFactory(
        industry=industry,
        position="down",
        name="储能电站",
        strength_override="strong",
        override_reason="在建项目",
    )
    for _ in range(3):
        EnterpriseFactory(zone=zone).segments.add(mid)
    return industry, {"up": up, "child": child, "mid": mid, "down": down}


def test_industry_list_is_the_overviews(api_as, users, zone, other_zone) -> None:
    IndustryFactory(zone=zone, name="储能")
    IndustryFactory(zone=zone, name="传感器", short_name="传感")
    IndustryFactory(zone=other_zone, name="外区产业")
    rows = walk(api_as("officer"), "/api/v1/industries/")
    overview = industry_selectors.overview_industries(users["officer"])
    assert sorted(ids(rows)) == sorted(i.pk for i in overview)
    assert len(rows) == 2
    by_id = {i.pk: i for i in overview}
    for row in rows:
        industry = by_id[row["id"]]
        assert row["group"] == {"id": industry.group_id, "name": industry.group.name}
        assert (row["name"], row["short_name"]) == (industry.name, industry.short_name)


def test_industry_get_is_the_map(api_as, users, zone) -> None:
    industry, segments = _chain(zone)
    body = api_as("leader").get(f"/api/v1/industries/{industry.pk}").json()
    chain = industry_selectors.industry_map(industry)
    expected = [
        (card.segment.pk, card.segment.position, card.depth, card.strength)
        for _code, _label, column in chain.columns
        for card in column
    ]
    assert [(s["id"], s["position"], s["depth"], s["strength"]) for s in body["segments"]] == (
        expected
    )
    shown = {s["id"]: s for s in body["segments"]}
    # The values themselves: up before mid before down, the child under its parent, the
    # segment with three enterprises strong, the empty one missing, the override kept.
    assert [s["name"] for s in body["segments"]] == ["正极材料", "锂矿", "电芯", "储能电站"]
    assert shown[segments["child"].pk]["parent_id"] == segments["up"].pk
    assert shown[segments["child"].pk]["depth"] == 1
    assert shown[segments["mid"].pk]["enterprise_count"] == 3
    assert shown[segments["mid"].pk]["strength"] == "strong"
    assert shown[segments["up"].pk]["strength"] == "missing"
    down = shown[segments["down"].pk]
    assert (down["strength"], down["computed_strength"], down["strength_override"]) == (
        "strong",
        "missing",
        "strong",
    )
    assert body["group"]["id"] == industry.group_id
    assert body["weak_max"] == 2


def test_segment_list_filters(api_as, zone) -> None:
    industry, segments = _chain(zone)
    client = api_as("officer")
    url = f"/api/v1/industries/{industry.pk}/segments"
    every = walk(client, url)
    assert sorted(ids(every)) == sorted(s.pk for s in segments.values())
    assert ids(walk(client, url, position="up")) == sorted(
        [segments["up"].pk, segments["child"].pk]
    )
    strong = industry_selectors.segments_by_strength(industry.segments.all(), "strong")
    assert sorted(ids(walk(client, url, strength="strong"))) == sorted(s.pk for s in strong)
    assert sorted(ids(walk(client, url, strength="strong"))) == sorted(
        [segments["mid"].pk, segments["down"].pk]
    )
    assert ids(walk(client, url, position="down", strength="missing")) == []


def test_industries_are_the_staffs(api_as, zone, other_zone) -> None:
    industry, _segments = _chain(zone)
    away = IndustryFactory(zone=other_zone)
    enterprise = api_as("enterprise")
    assert enterprise.get("/api/v1/industries/").status_code == 403
    assert enterprise.get(f"/api/v1/industries/{industry.pk}").status_code == 403
    officer = api_as("officer")
    assert officer.get(f"/api/v1/industries/{away.pk}").status_code == 404
    assert officer.get(f"/api/v1/industries/{away.pk}/segments").status_code == 404


def test_industry_queries_do_not_grow(api_as, zone, django_assert_max_num_queries) -> None:
    industry = IndustryFactory(zone=zone)
    for n in range(3):
        ChainSegmentFactory(industry=industry, name=f"环节甲{n}")
        IndustryFactory(zone=zone, name=f"产业甲{n}")
    client = api_as("officer")
    urls = [
        "/api/v1/industries/",
        f"/api/v1/industries/{industry.pk}",
        f"/api/v1/industries/{industry.pk}/segments",
    ]
    client.get(urls[0])  # the token's first use is recorded once
    few = {url: queries_of(client, url) for url in urls}
    assert max(few.values()) <= QUERY_BOUND
    for n in range(27):
        segment = ChainSegmentFactory(industry=industry, name=f"环节乙{n}", position="up")
        EnterpriseFactory(zone=zone).segments.add(segment)
        IndustryFactory(zone=zone, name=f"产业乙{n}")
    for url in urls:
        with django_assert_max_num_queries(few[url]):
            body = client.get(url).json()
        assert len(body["results"] if "results" in body else body["segments"]) >= 30


# --- spaces --------------------------------------------------------------------------------


def test_space_list_is_the_pages_with_its_filters(api_as, users, zone, other_zone) -> None:
    SpaceFactory(zone=zone, name="5.0产业新空间一期", status="built", developer="华发")
    SpaceFactory(zone=zone, name="5.0产业新空间二期", status="building")
    SpaceFactory(zone=zone, name="科创园", status="planned", address="金湾大道")
    SpaceFactory(zone=other_zone, name="外区空间")
    client = api_as("officer")
    officer = users["officer"]
    for params in ({}, {"status": "building"}, {"q": "5.0"}, {"q": "金湾"}, {"q": "华发"}):
        expected = space_selectors.space_search(officer, **params)
        assert sorted(ids(walk(client, "/api/v1/spaces/", **params))) == sorted(
            s.pk for s in expected
        ), params
    assert len(walk(client, "/api/v1/spaces/")) == 3
    assert [r["name"] for r in walk(client, "/api/v1/spaces/", status="building")] == [
        "5.0产业新空间二期"
    ]
    assert len(walk(client, "/api/v1/spaces/", q="5.0")) == 2


def test_space_get_shows_the_pages_occupancy(api_as, users, zone) -> None:
    space = SpaceFactory(zone=zone, total_floor_area=Decimal("30000.00"))
    ProjectFactory(zone=zone, space=space, floor_area=Decimal("8000"), stage="signed")
    ProjectFactory(zone=zone, space=space, floor_area=Decimal("4000"), stage="signed")
    ProjectFactory(zone=zone, space=space, floor_area=Decimal("1000"), stage="negotiating")
    ProjectFactory(zone=zone, space=space, floor_area=Decimal("500"), stage="terminated")
    # The leased area is kept by the project services; the factory writes it as they would.
    type(space).objects.filter(pk=space.pk).update(leased_floor_area=Decimal("12000"))
    body = api_as("department").get(f"/api/v1/spaces/{space.pk}").json()
    shown = space_selectors.space_get_for_user(users["department"], space.pk)
    tenants = space_selectors.space_tenants(shown, 200)
    assert Decimal(body["leased_floor_area"]) == shown.leased_floor_area == Decimal("12000")
    assert Decimal(body["free_floor_area"]) == shown.free_floor_area == Decimal("18000")
    assert Decimal(body["occupancy"]) == shown.occupancy == Decimal(40)
    assert body["tenant_count"] == tenants["tenant_count"] == 3
    assert [(r["stage"], r["n"], Decimal(r["area"])) for r in body["by_stage"]] == [
        (r["stage"], r["n"], r["area"]) for r in tenants["by_stage"]
    ]
    assert {r["stage"]: r["n"] for r in body["by_stage"]} == {"negotiating": 1, "signed": 2}


def test_spaces_are_the_staffs(api_as, zone, other_zone) -> None:
    space = SpaceFactory(zone=zone)
    away = SpaceFactory(zone=other_zone)
    enterprise = api_as("enterprise")
    assert enterprise.get("/api/v1/spaces/").status_code == 403
    assert enterprise.get(f"/api/v1/spaces/{space.pk}").status_code == 404
    assert api_as("officer").get(f"/api/v1/spaces/{away.pk}").status_code == 404
    assert api_as("outsider").get(f"/api/v1/spaces/{away.pk}").status_code == 200


def test_the_cursor_walks_every_space_once(api_as, zone) -> None:
    made = [SpaceFactory(zone=zone).pk for _ in range(7)]
    rows = walk(api_as("officer"), "/api/v1/spaces/")
    assert ids(rows) == sorted(made)  # in id order, each once


def test_space_queries_do_not_grow(api_as, zone, django_assert_max_num_queries) -> None:
    space = SpaceFactory(zone=zone)
    for _ in range(3):
        SpaceFactory(zone=zone)
        ProjectFactory(zone=zone, space=space, floor_area=Decimal(10))
    client = api_as("officer")
    client.get("/api/v1/spaces/")
    few = queries_of(client, "/api/v1/spaces/")
    one = queries_of(client, f"/api/v1/spaces/{space.pk}")
    assert max(few, one) <= QUERY_BOUND
    for n in range(27):
        SpaceFactory(zone=zone)
        ProjectFactory(
            zone=zone, space=space, floor_area=Decimal(10), stage=("signed", "planned")[n % 2]
        )
    with django_assert_max_num_queries(few):
        assert len(client.get("/api/v1/spaces/").json()["results"]) == 31
    with django_assert_max_num_queries(one):
        assert client.get(f"/api/v1/spaces/{space.pk}").json()["tenant_count"] == 30


# --- campaigns and applications ------------------------------------------------------------


def _moved(application, *statuses: str, on: dt.date = dt.date(2022, 5, 10)) -> None:
    """The dated changes that brought the application to its status, as the services write."""
    previous = ""
    for status in statuses:
        ApplicationChange.objects.create(
            application=application, from_status=previous, to_status=status, on=on
        )
        previous = status
    type(application).objects.filter(pk=application.pk).update(status=previous)


def test_campaign_list_is_the_pages_with_its_filters(api_as, users, zone, other_zone) -> None:
    today = timezone.localdate()
    CampaignFactory(zone=zone, designation_kind="specialised_sme")
    CampaignFactory(
        zone=zone,
        designation_kind="high_tech",
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=30),
    )
    CampaignFactory(zone=other_zone)
    for role in ("officer", "enterprise"):
        client = api_as(role)
        for params in ({}, {"state": "open"}, {"state": "closed"}, {"kind": "high_tech"}):
            expected = campaign_selectors.campaign_search(users[role], **params)
            assert sorted(ids(walk(client, "/api/v1/campaigns/", **params))) == sorted(
                c.pk for c in expected
            ), (role, params)
        assert len(walk(client, "/api/v1/campaigns/")) == 2
        assert len(walk(client, "/api/v1/campaigns/", state="open")) == 1
        assert len(walk(client, "/api/v1/campaigns/", kind="high_tech")) == 1


def test_campaign_get_counts_as_the_page(api_as, users, zone, own_enterprise) -> None:
    campaign = CampaignFactory(zone=zone)
    mine = ApplicationFactory(campaign=campaign, enterprise=own_enterprise)
    _moved(mine, "draft", "submitted")
    _moved(ApplicationFactory(campaign=campaign), "draft")
    _moved(ApplicationFactory(campaign=campaign), "draft", "submitted", "zone_review", "approved")
    body = api_as("officer").get(f"/api/v1/campaigns/{campaign.pk}").json()
    today = timezone.localdate()
    assert body["figures"] == campaign_selectors.campaign_figures([campaign.pk], today)[campaign.pk]
    assert body["figures"] == {"total": 3, "applying": 2, "approved": 1}
    counts = {row["status"]: row["count"] for row in body["status_counts"]}
    assert counts == {
        row["status"]: row["count"] for row in campaign_selectors.status_counts(campaign, today)
    }
    assert (counts["draft"], counts["submitted"], counts["approved"]) == (1, 1, 1)
    assert body["own_application_id"] is None
    # The enterprise user's page shows no figures, only its own application.
    own = api_as("enterprise").get(f"/api/v1/campaigns/{campaign.pk}").json()
    assert (own["figures"], own["status_counts"]) == (None, None)
    assert own["own_application_id"] == mine.pk


def test_applications_an_enterprise_user_sees_only_its_own(
    api_as, users, zone, own_enterprise
) -> None:
    campaign = CampaignFactory(zone=zone)
    mine = ApplicationFactory(campaign=campaign, enterprise=own_enterprise, status="submitted")
    others = [
        ApplicationFactory(campaign=campaign, status="draft"),
        ApplicationFactory(campaign=campaign, status="approved"),
    ]
    url = f"/api/v1/campaigns/{campaign.pk}/applications"
    staff = walk(api_as("officer"), url)
    expected = campaign_selectors.application_search(users["officer"], campaign=campaign)
    assert sorted(ids(staff)) == sorted(a.pk for a in expected)
    assert sorted(ids(staff)) == sorted([mine.pk, *(a.pk for a in others)])
    own = walk(api_as("enterprise"), url)
    assert ids(own) == [mine.pk]
    assert own[0]["enterprise"] == {"id": own_enterprise.pk, "name": own_enterprise.name}
    assert sorted(ids(walk(api_as("officer"), url, status="applied"))) == sorted(
        [mine.pk, others[1].pk]
    )
    assert ids(walk(api_as("officer"), url, status="draft")) == [others[0].pk]
    assert ids(walk(api_as("officer"), url, q=others[1].enterprise.name)) == [others[1].pk]


def test_another_zones_campaign_is_not_found(api_as, other_zone) -> None:
    away = CampaignFactory(zone=other_zone)
    for role in ("officer", "enterprise"):
        client = api_as(role)
        assert client.get(f"/api/v1/campaigns/{away.pk}").status_code == 404
        assert client.get(f"/api/v1/campaigns/{away.pk}/applications").status_code == 404


def test_campaign_queries_do_not_grow(api_as, zone, django_assert_max_num_queries) -> None:
    campaign = CampaignFactory(zone=zone)
    for _ in range(3):
        CampaignFactory(zone=zone)
        _moved(ApplicationFactory(campaign=campaign), "draft", "submitted")
    client = api_as("officer")
    urls = [
        "/api/v1/campaigns/",
        f"/api/v1/campaigns/{campaign.pk}",
        f"/api/v1/campaigns/{campaign.pk}/applications",
    ]
    client.get(urls[0])
    few = {url: queries_of(client, url) for url in urls}
    assert max(few.values()) <= QUERY_BOUND
    for _ in range(27):
        CampaignFactory(zone=zone)
        _moved(ApplicationFactory(campaign=campaign), "draft")
    for url in urls:
        with django_assert_max_num_queries(few[url]):
            body = client.get(url).json()
        if "results" in body:
            assert len(body["results"]) >= 30
        else:
            assert body["figures"]["total"] == 30


# --- award batches and awards --------------------------------------------------------------


def _batch(zone, own_enterprise):
    """A batch with the enterprise user's awards (one announced, one only proposed) and
    another enterprise's (paid), and a withdrawn award that counts in no total."""
    batch = AwardBatchFactory(zone=zone)
    awards = {
        "own_announced": AwardFactory(
            batch=batch, enterprise=own_enterprise, amount=Decimal("300000"), status="announced"
        ),
        "own_proposed": AwardFactory(
            batch=batch,
            enterprise=own_enterprise,
            amount=Decimal("100000.50"),
            status="proposed",
            reason="高新技术企业认定奖励",
        ),
        "other_paid": AwardFactory(
            batch=batch, amount=Decimal("500000"), status="paid", paid_on=dt.date(2023, 1, 5)
        ),
        "withdrawn": AwardFactory(batch=batch, amount=Decimal("700000"), status="withdrawn"),
    }
    return batch, awards


def test_award_batch_total_is_the_pages(api_as, users, zone, own_enterprise) -> None:
    batch, _awards = _batch(zone, own_enterprise)
    body = api_as("leader").get(f"/api/v1/awards/{batch.pk}").json()
    page = award_selectors.batch_figures([batch.pk], timezone.localdate())[batch.pk]
    figures = {k: Decimal(v) if k in {"total", "paid"} else v for k, v in body["figures"].items()}
    assert figures == page
    # 300,000 + 100,000.50 + 500,000 元; the withdrawn 700,000 is not counted.
    assert figures["total"] == Decimal("900000.50")
    assert figures["paid"] == Decimal("500000")
    assert (figures["enterprises"], figures["paid_enterprises"]) == (2, 1)


def test_award_batch_list_with_its_search(api_as, users, zone, other_zone) -> None:
    first = AwardBatchFactory(zone=zone, name="第一批专精特新奖励")
    AwardBatchFactory(zone=zone, name="高企认定奖励")
    AwardBatchFactory(zone=other_zone)
    client = api_as("officer")
    for params in ({}, {"q": "专精特新"}):
        expected = award_selectors.batch_search(users["officer"], **params)
        assert sorted(ids(walk(client, "/api/v1/awards/", **params))) == sorted(
            b.pk for b in expected
        )
    assert len(walk(client, "/api/v1/awards/")) == 2
    assert ids(walk(client, "/api/v1/awards/", q="专精特新")) == [first.pk]
    assert api_as("enterprise").get("/api/v1/awards/").status_code == 403


def test_awards_as_the_page_and_an_enterprise_users_own(
    api_as, users, zone, own_enterprise
) -> None:
    batch, awards = _batch(zone, own_enterprise)
    url = f"/api/v1/awards/{batch.pk}/awards"
    staff = walk(api_as("officer"), url)
    assert sorted(ids(staff)) == sorted(a.pk for a in award_selectors.award_search(batch))
    assert len(staff) == 4
    amounts = {row["id"]: Decimal(row["amount"]) for row in staff}
    assert amounts[awards["own_proposed"].pk] == Decimal("100000.50")
    assert sorted(ids(walk(api_as("officer"), url, status="public"))) == sorted(
        [awards["own_announced"].pk, awards["other_paid"].pk]
    )
    assert ids(walk(api_as("officer"), url, status="withdrawn")) == [awards["withdrawn"].pk]
    # The enterprise user: its own award once announced, as its /awards/ page lists it; not
    # its proposed one, nor another enterprise's.
    own = walk(api_as("enterprise"), url)
    page = award_selectors.own_awards(users["enterprise"]).filter(batch=batch)
    assert ids(own) == [a.pk for a in page] == [awards["own_announced"].pk]
    assert (own[0]["status"], Decimal(own[0]["amount"])) == ("announced", Decimal("300000"))
    assert api_as("enterprise").get(f"/api/v1/awards/{batch.pk}").status_code == 404


def test_an_enterprise_user_with_nothing_announced_finds_no_batch(
    api_as, zone, own_enterprise
) -> None:
    batch = AwardBatchFactory(zone=zone)
    AwardFactory(batch=batch, enterprise=own_enterprise, status="proposed")
    AwardFactory(batch=batch, status="announced")
    assert api_as("enterprise").get(f"/api/v1/awards/{batch.pk}/awards").status_code == 404


def test_another_zones_batch_is_not_found(api_as, other_zone) -> None:
    away = AwardBatchFactory(zone=other_zone)
    AwardFactory(batch=away, status="announced")
    for url in (f"/api/v1/awards/{away.pk}", f"/api/v1/awards/{away.pk}/awards"):
        assert api_as("officer").get(url).status_code == 404
        assert api_as("outsider").get(url).status_code == 200


def test_award_queries_do_not_grow(
    api_as, zone, own_enterprise, django_assert_max_num_queries
) -> None:
    batch = AwardBatchFactory(zone=zone)
    for _ in range(3):
        AwardBatchFactory(zone=zone)
        AwardFactory(batch=batch, status="announced")
    AwardFactory(batch=batch, enterprise=own_enterprise, status="announced")
    officer, enterprise = api_as("officer"), api_as("enterprise")
    urls = ["/api/v1/awards/", f"/api/v1/awards/{batch.pk}", f"/api/v1/awards/{batch.pk}/awards"]
    officer.get(urls[0])
    enterprise.get(urls[2])
    few = {url: queries_of(officer, url) for url in urls}
    own_few = queries_of(enterprise, urls[2])
    assert max(*few.values(), own_few) <= QUERY_BOUND
    for n in range(27):
        AwardBatchFactory(zone=zone)
        AwardFactory(batch=batch, status="announced")
        AwardFactory(
            batch=batch,
            enterprise=own_enterprise,
            status="paid",
            paid_on=dt.date(2023, 1, 5),
            reason=f"第{n}项奖励",
        )
    for url in urls:
        with django_assert_max_num_queries(few[url]):
            body = officer.get(url).json()
        if "results" in body:
            assert len(body["results"]) >= 30
        else:  # the 30 enterprises awarded by the officer and the enterprise user's own
            assert body["figures"]["enterprises"] == 31
    with django_assert_max_num_queries(own_few):
        assert len(enterprise.get(urls[2]).json()["results"]) == 28
