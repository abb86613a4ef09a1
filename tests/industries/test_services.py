import pytest
from hypothesis import given
from hypothesis import strategies as st

from gaoxin.core.errors import DomainError
from gaoxin.enterprises import services as enterprise_services
from gaoxin.industries import services
from gaoxin.industries.models import Position, Strength
from gaoxin.industries.selectors import strength_of
from tests.factories import ChainSegmentFactory, IndustryFactory, IndustryGroupFactory


@given(count=st.integers(min_value=0, max_value=500), weak_max=st.integers(1, 100))
def test_strength_follows_the_thresholds(count: int, weak_max: int) -> None:
    strength = strength_of(count, weak_max)
    if count == 0:
        assert strength == Strength.MISSING
    elif count <= weak_max:
        assert strength == Strength.WEAK
    else:
        assert strength == Strength.STRONG


def test_strength_at_the_edges() -> None:
    assert strength_of(0, 2) == Strength.MISSING
    assert strength_of(1, 2) == Strength.WEAK
    assert strength_of(2, 2) == Strength.WEAK
    assert strength_of(3, 2) == Strength.STRONG


def test_override_requires_a_reason(users, zone) -> None:
    segment = ChainSegmentFactory(industry=IndustryFactory(zone=zone))
    with pytest.raises(DomainError) as refused:
        services.segment_strength_set(
            segment=segment, strength=Strength.STRONG, reason="  ", by=users["officer"]
        )
    assert refused.value.field == "reason"
    segment.refresh_from_db()
    assert segment.strength_override == ""


def test_override_and_clear_are_kept_in_history_with_who_and_why(users, zone) -> None:
    segment = ChainSegmentFactory(industry=IndustryFactory(zone=zone))
    services.segment_strength_set(
        segment=segment, strength=Strength.STRONG, reason="龙头企业覆盖全环节", by=users["officer"]
    )
    segment.refresh_from_db()
    assert segment.strength_override == Strength.STRONG
    assert segment.override_reason == "龙头企业覆盖全环节"
    services.segment_strength_clear(segment=segment, reason="龙头企业迁出", by=users["officer"])
    segment.refresh_from_db()
    assert segment.strength_override == "" and segment.override_reason == ""
    latest, earlier = segment.history.order_by("-history_id")[:2]
    assert latest.history_user == users["officer"]
    assert latest.history_change_reason == "龙头企业迁出"
    assert earlier.history_change_reason == "龙头企业覆盖全环节"


def test_unknown_strength_is_refused(users, zone) -> None:
    segment = ChainSegmentFactory(industry=IndustryFactory(zone=zone))
    with pytest.raises(DomainError):
        services.segment_strength_set(segment=segment, strength="huge", reason="x", by=None)


def test_industry_update_refuses_a_group_of_another_zone(users, zone, other_zone) -> None:
    industry = IndustryFactory(zone=zone)
    away_group = IndustryGroupFactory(zone=other_zone, name="外区主导产业")
    with pytest.raises(DomainError) as refused:
        services.industry_update(
            industry=industry, group=away_group, name=industry.name, by=users["admin"]
        )
    assert refused.value.field == "group"


def test_segment_parent_of_another_industry_is_refused(users, zone, other_zone) -> None:
    industry = IndustryFactory(zone=zone)
    away_parent = ChainSegmentFactory(industry=IndustryFactory(zone=other_zone))
    with pytest.raises(DomainError) as refused:
        services.segment_create(
            industry=industry,
            name="电芯",
            position=Position.MIDSTREAM,
            parent=away_parent,
            by=users["admin"],
        )
    assert refused.value.field == "parent"
    assert not industry.segments.exists()


def test_segment_cannot_sit_under_its_own_child(users, zone) -> None:
    industry = IndustryFactory(zone=zone)
    top = services.segment_create(
        industry=industry, name="储能系统", position=Position.DOWNSTREAM, by=users["admin"]
    )
    child = services.segment_create(
        industry=industry,
        name="储能变流器",
        position=Position.DOWNSTREAM,
        parent=top,
        by=users["admin"],
    )
    with pytest.raises(DomainError):
        services.segment_update(
            segment=top, name=top.name, position=top.position, parent=child, by=users["admin"]
        )


def test_alliance_with_an_industry_of_another_zone_is_refused(users, zone, other_zone) -> None:
    with pytest.raises(DomainError):
        enterprise_services.alliance_create(
            zone=zone, name="联盟", industry=IndustryFactory(zone=other_zone), by=users["admin"]
        )


def test_create_records_the_acting_user_and_duplicates_are_refused(users, zone) -> None:
    group = services.industry_group_create(zone=zone, name="新兴产业", by=users["admin"])
    industry = services.industry_create(
        group=group, name="传感器", weak_max=3, is_key=True, by=users["admin"]
    )
    assert industry.zone_id == zone.pk
    assert industry.history.get().history_user == users["admin"]
    with pytest.raises(DomainError) as refused:
        services.industry_create(group=group, name=" 传感器 ", by=users["admin"])
    assert refused.value.field == "name"
    with pytest.raises(DomainError) as refused:
        services.industry_create(group=group, name="光电", weak_max=0, by=users["admin"])
    assert refused.value.field == "weak_max"
