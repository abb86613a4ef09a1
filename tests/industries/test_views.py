import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from gaoxin.enterprises.models import DesignationKind, Enterprise
from gaoxin.industries.models import ChainSegment, Industry, Position, Strength
from tests.factories import (
    ChainSegmentFactory,
    DesignationFactory,
    EnterpriseFactory,
    IndustryFactory,
)


def _chain(zone, *, per_segment: list[int], weak_max: int = 2) -> tuple[Industry, list]:
    industry = IndustryFactory(zone=zone, name="储能", weak_max=weak_max)
    positions = list(Position)
    segments = []
    for index, count in enumerate(per_segment):
        segment = ChainSegmentFactory(
            industry=industry, name=f"环节{index}", position=positions[index % 3]
        )
        for n in range(count):
            enterprise = EnterpriseFactory(
                zone=zone, name=f"企业{index}-{n}", registered_capital=Decimal(n * 1000)
            )
            enterprise.segments.add(segment)
            enterprise.industries.add(industry)
        segments.append(segment)
    return industry, segments


def test_map_shows_three_columns_counts_and_strength(client_as, zone) -> None:
    industry, segments = _chain(zone, per_segment=[0, 2, 3])
    body = client_as("leader").get(f"/industries/{industry.pk}/").content.decode()
    assert body.count('class="chain-column"') == 3
    cards = {
        s.pk: re.search(rf'data-segment="{s.pk}">(.*?)</article>', body, re.S).group(1)
        for s in segments
    }
    assert "badge strength-missing" in cards[segments[0].pk]
    assert "badge strength-weak" in cards[segments[1].pk]
    assert "badge strength-strong" in cards[segments[2].pk]
    assert f'href="/enterprises/?segment={segments[2].pk}"' in cards[segments[2].pk]
    targets = body.split('id="targets-title"')[1]
    assert "环节0" in targets and "环节1" in targets and "环节2" not in targets


def test_map_names_the_top_three_key_enterprises(client_as, zone) -> None:
    industry, (segment,) = _chain(zone, per_segment=[5])
    above = Enterprise.objects.get(name="企业0-0")  # the smallest capital, but 规上
    above.is_above_scale = True
    above.save()
    body = client_as("leader").get(f"/industries/{industry.pk}/").content.decode()
    card = body.split(f'data-segment="{segment.pk}"')[1].split("</article>")[0]
    named = re.findall(r'<li title="([^"]+)"', card)
    assert named == ["企业0-0", "企业0-4", "企业0-3"]


def test_map_counts_operating_enterprises_only(client_as, zone) -> None:
    industry, (segment,) = _chain(zone, per_segment=[1])
    Enterprise.objects.filter(segments=segment).update(status=Enterprise.Status.CLOSED)
    body = client_as("leader").get(f"/industries/{industry.pk}/").content.decode()
    assert "badge strength-missing" in body.split(f'data-segment="{segment.pk}"')[1]


def test_map_query_count_does_not_grow_with_the_chain(
    client_as, zone, django_assert_max_num_queries
) -> None:
    industry, _ = _chain(zone, per_segment=[1, 2])
    client = client_as("leader")
    client.get(f"/industries/{industry.pk}/")
    with django_assert_max_num_queries(12) as small:
        client.get(f"/industries/{industry.pk}/")
    for index in range(2, 12):
        segment = ChainSegmentFactory(industry=industry, position=list(Position)[index % 3])
        for enterprise in EnterpriseFactory.create_batch(4, zone=zone):
            enterprise.segments.add(segment)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(f"/industries/{industry.pk}/")
    assert response.status_code == 200


def test_overview_counts_link_to_their_records(client_as, zone) -> None:
    industry, _segments = _chain(zone, per_segment=[0, 1, 3])
    enterprises = list(Enterprise.objects.filter(industries=industry).order_by("pk"))
    enterprises[0].is_above_scale = True
    enterprises[0].save()
    today = timezone.localdate()
    DesignationFactory(
        enterprise=enterprises[1],
        kind=DesignationKind.LITTLE_GIANT,
        granted_on=today - dt.timedelta(days=10),
        expires_on=None,
    )
    DesignationFactory(
        enterprise=enterprises[2],
        kind=DesignationKind.SPECIALISED_SME,
        granted_on=today - dt.timedelta(days=800),
        expires_on=today - dt.timedelta(days=1),
    )  # expired
    DesignationFactory(
        enterprise=enterprises[3],
        kind=DesignationKind.HIGH_TECH,
        granted_on=today - dt.timedelta(days=10),
        expires_on=None,
    )  # not 专精特新
    body = client_as("leader").get("/industries/").content.decode()
    assert f'<a href="/enterprises/?industry={industry.pk}">4</a>' in body
    assert f'<a href="/enterprises/?industry={industry.pk}&amp;above_scale=1">1</a>' in body
    assert (
        f'<a href="/enterprises/?industry={industry.pk}&amp;designation=specialised">1</a>' in body
    )
    assert "强 1" in body and "弱 1" in body and "缺 1" in body
    assert "/static/vendor/plotly.min." in body and "gaoxin/charts.js" in body
    assert 'data-figure="industry-chart-data"' in body and 'id="industry-chart-data"' in body


def test_overview_query_count_does_not_grow(client_as, zone, django_assert_max_num_queries) -> None:
    _chain(zone, per_segment=[1])
    client = client_as("leader")
    with django_assert_max_num_queries(12) as small:
        client.get("/industries/")
    for n in range(5):
        industry = IndustryFactory(zone=zone, name=f"产业{n}x")
        for segment in ChainSegmentFactory.create_batch(3, industry=industry):
            EnterpriseFactory(zone=zone).segments.add(segment)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get("/industries/").status_code == 200


def test_overview_shows_only_the_users_zone(client_as, zone, other_zone) -> None:
    IndustryFactory(zone=zone, name="传感器")
    IndustryFactory(zone=other_zone, name="外区产业")
    body = client_as("leader").get("/industries/").content.decode()
    assert "传感器" in body and "外区产业" not in body


def test_outsider_gets_404_for_a_map_of_another_zone(client_as, zone) -> None:
    industry = IndustryFactory(zone=zone)
    assert client_as("outsider").get(f"/industries/{industry.pk}/").status_code == 404


def test_leader_cannot_edit_the_system(client_as, zone) -> None:
    industry = IndustryFactory(zone=zone)
    response = client_as("leader").post(
        f"/industries/{industry.pk}/edit/",
        {"group": industry.group_id, "name": "改名", "weak_max": 2, "order": 0},
    )
    assert response.status_code == 403
    industry.refresh_from_db()
    assert industry.name != "改名"


def test_officer_overrides_strength_but_cannot_edit_the_system(client_as, zone) -> None:
    segment = ChainSegmentFactory(industry=IndustryFactory(zone=zone))
    client = client_as("officer")
    response = client.post(
        f"/industries/segments/{segment.pk}/edit/",
        {"name": "改名", "position": Position.UPSTREAM, "order": 0},
    )
    assert response.status_code == 403
    response = client.post(
        f"/industries/segments/{segment.pk}/strength/",
        {"strength": "strong", "reason": "", "version": segment.version},
    )
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    response = client.post(
        f"/industries/segments/{segment.pk}/strength/",
        {"strength": "strong", "reason": "龙头企业一家即覆盖", "version": segment.version},
    )
    assert response.status_code == 302
    segment.refresh_from_db()
    assert segment.strength_override == Strength.STRONG
    body = client.get(f"/industries/{segment.industry_id}/").content.decode()
    assert "龙头企业一家即覆盖" in body
    assert "badge strength-strong" in body.split(f'data-segment="{segment.pk}"')[1]


def test_admin_builds_a_system_in_pages(client_as, zone) -> None:
    client = client_as("admin")
    response = client.post(
        "/industries/groups/new/", {"zone": zone.pk, "name": "主导产业", "order": 1}
    )
    assert response.status_code == 302
    group = zone.industry_groups.get(name="主导产业")
    response = client.post(
        "/industries/new/",
        {"group": group.pk, "name": "医疗器械", "weak_max": 3, "is_key": "on", "order": 0},
    )
    assert response.status_code == 302
    industry = Industry.objects.get(name="医疗器械")
    assert industry.weak_max == 3 and industry.is_key and industry.zone_id == zone.pk
    response = client.post(
        f"/industries/{industry.pk}/segments/new/",
        {"name": "医学影像", "position": Position.DOWNSTREAM, "order": 0},
    )
    assert response.status_code == 302
    parent = ChainSegment.objects.get(name="医学影像")
    response = client.post(
        f"/industries/{industry.pk}/segments/new/",
        {"name": "CT", "position": Position.DOWNSTREAM, "parent": parent.pk, "order": 0},
    )
    assert ChainSegment.objects.get(name="CT").parent == parent
    # a duplicate name is shown on the form, not a crash
    response = client.post(
        f"/industries/{industry.pk}/segments/new/",
        {"name": "CT", "position": Position.DOWNSTREAM, "order": 0},
    )
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    edit = client.get(f"/industries/segments/{parent.pk}/edit/").content.decode()
    assert "history" in edit


@pytest.mark.parametrize("url", ["/industries/", "/industries/alliances/", "/industries/new/"])
def test_enterprise_users_never_see_the_industry_system(client_as, url) -> None:
    assert client_as("enterprise").get(url).status_code == 403
