import datetime as dt

from django.utils import timezone

from gaoxin.core.metrics import MetricScope, registry
from gaoxin.industries import services
from gaoxin.industries.models import ChainSegment, Strength
from tests.factories import ChainSegmentFactory, EnterpriseFactory, IndustryFactory
from tests.industries.factories import MembershipFactory


def _segment_with(zone, industry, count: int, *, settled_on=dt.date(2020, 1, 1)):
    segment = ChainSegmentFactory(industry=industry)
    for enterprise in EnterpriseFactory.create_batch(count, zone=zone, settled_on=settled_on):
        enterprise.segments.add(segment)
    return segment


def test_segment_metrics_count_by_strength_and_equal_their_records(users, zone, other_zone) -> None:
    industry = IndustryFactory(zone=zone, weak_max=1)
    missing = _segment_with(zone, industry, 0)
    weak = _segment_with(zone, industry, 1)
    strong = _segment_with(zone, industry, 2)
    judged = _segment_with(zone, industry, 0)
    services.segment_strength_set(
        segment=judged, strength=Strength.WEAK, reason="规划中", by=users["officer"]
    )
    _segment_with(other_zone, IndustryFactory(zone=other_zone), 0)
    scope = MetricScope.of([zone.pk])
    expected = {"missing": [missing], "weak": [weak, judged], "strong": [strong]}
    for key, segments in expected.items():
        value, records = registry.get(f"industries.segments.{key}").evaluate(scope)
        assert value == len(segments)
        assert {s.pk for s in records} == {s.pk for s in segments}


def test_segment_metrics_honour_the_as_of_date(users, zone) -> None:
    industry = IndustryFactory(zone=zone, weak_max=1)
    segment = _segment_with(zone, industry, 2, settled_on=timezone.localdate())
    _segment_with(zone, industry, 1, settled_on=None)  # no date: always counted
    ChainSegment.objects.update(created_at=timezone.now() - dt.timedelta(days=30))
    late = _segment_with(zone, industry, 0)  # added today: not a segment yesterday
    today = MetricScope.of([zone.pk])
    yesterday = MetricScope.of([zone.pk], timezone.localdate() - dt.timedelta(days=1))
    assert registry.get("industries.segments.strong").value(today) == 1
    assert registry.get("industries.segments.strong").value(yesterday) == 0
    missing_yesterday = registry.get("industries.segments.missing").evaluate(yesterday)[1]
    assert [s.pk for s in missing_yesterday] == [segment.pk]
    missing_today = registry.get("industries.segments.missing").evaluate(today)[1]
    assert [s.pk for s in missing_today] == [late.pk]


def test_alliance_members_counts_open_memberships_on_the_day(zone, other_zone) -> None:
    open_one = MembershipFactory(alliance__zone=zone, joined_on=dt.date(2022, 1, 1))
    MembershipFactory(
        alliance=open_one.alliance, joined_on=dt.date(2022, 1, 1), left_on=dt.date(2023, 1, 1)
    )
    MembershipFactory(alliance=open_one.alliance, joined_on=dt.date(2024, 1, 1))
    MembershipFactory(alliance__zone=other_zone)
    metric = registry.get("industries.alliance_members")
    value, records = metric.evaluate(MetricScope.of([zone.pk], dt.date(2023, 6, 30)))
    assert value == 1 and list(records) == [open_one]
    assert metric.value(MetricScope.of([zone.pk], dt.date(2022, 6, 30))) == 2
    assert metric.value(MetricScope.of([zone.pk])) == 2


def test_segment_metric_page_lists_records(client_as, zone, django_assert_max_num_queries) -> None:
    industry = IndustryFactory(zone=zone, name="传感器")
    for _ in range(5):
        _segment_with(zone, industry, 0)
    client = client_as("leader")
    with django_assert_max_num_queries(12):
        response = client.get("/metrics/industries.segments.missing/")
    assert response.status_code == 200
    assert response.content.decode().count("传感器") >= 5
