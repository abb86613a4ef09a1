"""The radars' figures: `radar.<key>` for each registered radar (and for none once it is taken
off), 新增规上企业 in the day's year, the follow-ups open on a day and closed this year because
the enterprise became 规上. Each count equals its records, and the records are the right ones."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from gaoxin.core.metrics import MetricScope, Values, registry
from gaoxin.core.roles import Role
from gaoxin.cultivation.followups import VisitInput, followup_close, followup_start
from gaoxin.cultivation.models import Followup, FollowupReason
from gaoxin.enterprises.services import scale_enter, scale_leave
from tests.cultivation.followup_radars import HEADS, radars_registered
from tests.factories import EnterpriseFactory, UserFactory, ZoneFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def zone():
    return ZoneFactory()


@pytest.fixture
def officer(zone):
    return UserFactory(role=Role.OFFICER, zones=[zone], name="赵专员")


def count_and_records(key: str, scope: MetricScope) -> tuple[int, set[int]]:
    metric = registry.get(key)
    value = Values(scope)(metric)
    return int(value), set(metric.records(scope).values_list("pk", flat=True))


def test_each_registered_radar_is_a_figure_of_its_records(zone, officer) -> None:
    on = [
        EnterpriseFactory(zone=zone, employees=HEADS + n, liaison_officer=officer) for n in range(3)
    ]
    EnterpriseFactory(zone=zone, employees=HEADS - 1)
    EnterpriseFactory(zone=ZoneFactory(), employees=HEADS * 3)  # another zone
    scope = MetricScope.of([zone.pk], TODAY)
    assert registry.find("radar.probe") is None
    with radars_registered("probe"):
        count, records = count_and_records("radar.probe", scope)
        assert count == len(records) == 3
        assert records == {e.pk for e in on}
        metric = registry.get("radar.probe")
        assert str(metric.label) == "测试雷达 probe"
        assert "radar.probe" in {m.key for m in registry.expanded(scope)}
        # The liaison officer is a column of the records, read in the same query.
        (row, *_rest) = metric.records(scope)
        assert row.radar_liaison == "赵专员"
    assert registry.find("radar.probe") is None
    assert "radar.probe" not in {m.key for m in registry.expanded(scope)}


def test_the_radar_records_page_and_its_queries(
    client_as, zone, users, django_assert_max_num_queries
):
    for n in range(25):
        EnterpriseFactory(zone=zone, employees=HEADS + n, liaison_officer=users["officer"])
    with radars_registered("probe"):
        url = reverse("core:metric_detail", args=["radar.probe"])
        client = client_as("leader")
        with django_assert_max_num_queries(12):
            response = client.get(url)
        assert response.status_code == 200
        assert response.context["value"] == 25
        assert users["officer"].display_name in response.content.decode()


def test_new_above_scale_counts_the_year_up_to_the_day(zone, officer) -> None:
    year = TODAY.year
    jan = dt.date(year, 1, 1)
    last_year = EnterpriseFactory(zone=zone)
    scale_enter(enterprise=last_year, on=dt.date(year - 1, 12, 31), by=officer)
    first_day = EnterpriseFactory(zone=zone)
    scale_enter(enterprise=first_day, on=jan, by=officer)
    twice = EnterpriseFactory(zone=zone)  # entered, left and came back within the year
    scale_enter(enterprise=twice, on=jan, by=officer)
    left_on = jan + dt.timedelta(days=1)
    scale_leave(enterprise=twice, on=left_on, by=officer)
    scale_enter(enterprise=twice, on=left_on + dt.timedelta(days=1), by=officer)
    today = EnterpriseFactory(zone=zone)
    scale_enter(enterprise=today, on=TODAY, by=officer)
    elsewhere = EnterpriseFactory(zone=ZoneFactory())
    scale_enter(enterprise=elsewhere, on=TODAY, by=officer)

    count, records = count_and_records("radar.new_above_scale", MetricScope.of([zone.pk], TODAY))
    assert count == len(records) == 3
    assert records == {first_day.pk, twice.pk, today.pk}
    if jan < TODAY:
        day_before = TODAY - dt.timedelta(days=1)
        count, records = count_and_records(
            "radar.new_above_scale", MetricScope.of([zone.pk], day_before)
        )
        assert today.pk not in records and count == len(records)
    # As of last year's last day, that year's entry is the one.
    count, records = count_and_records(
        "radar.new_above_scale", MetricScope.of([zone.pk], dt.date(year - 1, 12, 31))
    )
    assert (count, records) == (1, {last_year.pk})
    # The column of the day it entered is this year's latest entry.
    row = (
        registry.get("radar.new_above_scale")
        .records(MetricScope.of([zone.pk], TODAY))
        .get(pk=twice.pk)
    )
    assert row.entered_on == left_on + dt.timedelta(days=1)


def test_new_above_scale_has_no_twin_in_the_registry() -> None:
    """The registry's 规上 figure counts enterprises in the directory on the day, not those
    that entered it in the year: no existing metric is the same figure."""
    keys = {m.key for m in registry.all()}
    assert "enterprises.above_scale" in keys
    assert not any("new" in key and "scale" in key for key in keys - {"radar.new_above_scale"})


def _follow(enterprise, officer, radar="scale") -> Followup:
    return followup_start(
        enterprise=enterprise,
        radar=radar,
        officer=officer,
        target_on=TODAY + dt.timedelta(days=30),
        visit=VisitInput("visit", TODAY, "走访"),
        by=officer,
    )


def test_followup_figures_as_of_a_day(zone, officer) -> None:
    with radars_registered():
        open_now = _follow(EnterpriseFactory(zone=zone), officer)
        became = _follow(EnterpriseFactory(zone=zone), officer)
        scale_enter(enterprise=became.enterprise, on=TODAY, by=officer)
        by_hand = _follow(EnterpriseFactory(zone=zone), officer, radar="high_tech")
        followup_close(
            followup=by_hand, reason=FollowupReason.OFFICER, note="放弃", on=TODAY, by=officer
        )
        # Started a month ago and closed as 规上 last year (dates set as history would have).
        old = _follow(EnterpriseFactory(zone=zone), officer, radar="unreported")
        last_year = dt.date(TODAY.year - 1, 12, 20)
        Followup.objects.filter(pk=old.pk).update(
            started_on=last_year - dt.timedelta(days=40),
            closed_on=last_year,
            close_reason=FollowupReason.ABOVE_SCALE,
        )
        away = ZoneFactory()
        _follow(EnterpriseFactory(zone=away), UserFactory(role=Role.OFFICER, zones=[away]))

    scope = MetricScope.of([zone.pk], TODAY)
    count, records = count_and_records("radar.followups.open", scope)
    assert (count, records) == (1, {open_now.pk})
    count, records = count_and_records("radar.followups.closed_above_scale", scope)
    assert (count, records) == (1, {became.pk})
    # As of a day last year: the old follow-up was open before it closed, and the ones
    # started today did not exist yet.
    before = MetricScope.of([zone.pk], last_year - dt.timedelta(days=1))
    assert count_and_records("radar.followups.open", before) == (1, {old.pk})
    assert count_and_records("radar.followups.closed_above_scale", before) == (0, set())
    at = MetricScope.of([zone.pk], last_year)
    assert count_and_records("radar.followups.closed_above_scale", at) == (1, {old.pk})
    assert count_and_records("radar.followups.open", at) == (0, set())


def test_the_followup_figures_are_read_together(zone, officer, django_assert_num_queries) -> None:
    with radars_registered():
        _follow(EnterpriseFactory(zone=zone), officer)
    values = Values(MetricScope.of([zone.pk], TODAY))
    with django_assert_num_queries(1):
        values(registry.get("radar.followups.open"))
        values(registry.get("radar.followups.closed_above_scale"))


def test_a_radar_not_registered_keeps_its_key_as_its_label(zone, officer) -> None:
    with radars_registered("gone"):
        followup = _follow(EnterpriseFactory(zone=zone), officer, radar="gone")
    (row,) = registry.get("radar.followups.open").records(MetricScope.of([zone.pk], TODAY))
    assert row.pk == followup.pk and row.radar_label == "gone"
    with radars_registered("gone"):
        (row,) = registry.get("radar.followups.open").records(MetricScope.of([zone.pk], TODAY))
        assert row.radar_label == "测试雷达 gone"
