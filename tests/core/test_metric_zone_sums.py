"""Over several zones, `Values` reads a metric that adds up over zones as the sum of each
zone's own value, each through that zone's cache (issue 19). Never stale and the same values:
for every registered metric and family member of a seeded set of zones, the value read that
way is the value computed over all the zones' records at once, of the same type; and after a
write in one zone, the scope's value shows it while the other zones' cached values are reused.

The seeded records are made inside `committed` blocks (as in tests/core/test_figure_cache.py),
so that the test's transaction holds no uncommitted write and the reads use the cache."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gaoxin.accounts.models import Zone
from gaoxin.core import figure_cache
from gaoxin.core.metrics import Metric, MetricScope, Values, registry
from gaoxin.demo.generate import generate
from gaoxin.economy.models import FigureValue
from gaoxin.enterprises.models import Enterprise
from gaoxin.policies.models import EventAttendance
from tests.factories import EnterpriseFactory, PolicyEventFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    @contextmanager
    def block() -> Iterator[None]:
        with django_capture_on_commit_callbacks(execute=True):
            yield

    return block


@pytest.fixture
def zone_ids(committed) -> list[int]:
    """Three generated zones, and records that one zone's figures and another's both count:
    a user linked to two zones, an enterprise at briefings of two zones (figures that must
    not be summed)."""
    with committed():
        generate(enterprises=360, projects=120, zones=3, seed=23, prefix="sum")
    zones = list(Zone.objects.filter(code__startswith="sum").order_by("pk"))
    with committed():
        user = UserFactory(role="officer")
        user.zones.set(zones[:2])
        enterprise = Enterprise.objects.filter(zone=zones[0]).order_by("pk").first()
        for zone in zones[:2]:
            # Held before both days read (today and 400 days ago).
            event = PolicyEventFactory(zone=zone, held_on=timezone.localdate().replace(day=1))
            event.held_on -= dt.timedelta(days=800)
            event.save()
            EventAttendance.objects.create(event=event, enterprise=enterprise)
        # The third zone's figures of the latest month are not in yet (zones report at
        # different times): a figure of "the latest month" is then not the same month in every
        # zone, and may not be summed.
        latest = (
            FigureValue.objects.filter(zone=zones[2])
            .order_by("-year", "-month")
            .values_list("year", "month")
            .first()
        )
        assert latest is not None
        FigureValue.objects.filter(zone=zones[2], year=latest[0], month=latest[1]).delete()
        # Some figures build their tables on first read (the radars' standings): built
        # here, committed, so that reading the figures writes nothing and uses the cache.
        for days_ago in (0, 400):
            as_of = timezone.localdate() - dt.timedelta(days=days_ago)
            for zone_ids in [[z.pk] for z in zones] + [[z.pk for z in zones]]:
                scope = MetricScope.of(zone_ids, as_of)
                for metric in registry.expanded(scope):
                    metric.value(scope)
    return [z.pk for z in zones]


def summed(metrics: list[Metric]) -> list[Metric]:
    return [m for m in metrics if m.sums_over_zones]


@pytest.mark.parametrize("days_ago", [0, 400])
@pytest.mark.parametrize("prefetch", [False, True])
def test_every_metric_over_the_zones_is_its_value_over_all_their_records(
    zone_ids, days_ago, prefetch
) -> None:
    scope = MetricScope.of(zone_ids, timezone.localdate() - dt.timedelta(days=days_ago))
    assert figure_cache.usable()
    metrics = registry.expanded(scope)
    values = Values(scope)
    if prefetch:
        values.prefetch(metrics)
    read = {m.key: values(m) for m in metrics}
    direct = {m.key: m.value(scope) for m in metrics}
    # Every figure whose read differs from its direct value, or whose type does, named.
    differ = [k for k in direct if read[k] != direct[k]]
    assert not differ, " ".join(differ)
    typed = [k for k in direct if type(read[k]) is not type(direct[k])]
    assert not typed, " ".join(typed)
    told = sum(bool(value) for value in direct.values())
    assert told > len(metrics) // 2  # mostly figures that are not zero: a wrong sum shows
    # Most figures were read per zone, each zone's value now cached under the zone's key.
    added = summed(metrics)
    assert len(added) > len(metrics) // 2
    for zone_id in zone_ids:
        own = figure_cache.ScopeCache([zone_id], scope.as_of)
        assert [m.key for m in added if own.get(m.key) is None] == []
    assert figure_cache.usable()
    # And a second reader of the scope gets them all from the scope's own cached sums.
    again = Values(scope)
    with CaptureQueriesContext(connection) as reading:
        assert {m.key: again(m) for m in metrics} == read
    assert len(reading.captured_queries) == 1  # the zones' generations


def test_a_write_in_one_zone_recomputes_that_zone_only(zone_ids, committed, monkeypatch) -> None:
    scope = MetricScope.of(zone_ids)
    metrics = registry.expanded(scope)
    with CaptureQueriesContext(connection) as cold:
        Values(scope).prefetch(metrics)
    before = {m.key: Values(scope)(m) for m in metrics}
    first = Zone.objects.get(pk=zone_ids[0])
    with committed():
        EnterpriseFactory(zone=first)

    computed: list[tuple[int, ...]] = []
    evaluate = Metric.evaluate
    evaluate_siblings = registry.evaluate_siblings

    def spy(self, scope):
        computed.append(scope.zone_ids)
        return evaluate(self, scope)

    def spy_siblings(metric, scope):
        computed.append(scope.zone_ids)
        return evaluate_siblings(metric, scope)

    monkeypatch.setattr(Metric, "evaluate", spy)
    monkeypatch.setattr(registry, "evaluate_siblings", spy_siblings)
    values = Values(scope)
    with CaptureQueriesContext(connection) as after:
        values.prefetch(metrics)
        read = {m.key: values(m) for m in metrics}
    monkeypatch.undo()
    assert read["enterprises.total"] == before["enterprises.total"] + 1
    for metric in metrics:
        assert read[metric.key] == metric.value(scope), metric.key
    # The summed figures were computed in the written zone alone; only those that do not add
    # up were computed over all the zones.
    whole = tuple(sorted(zone_ids))
    assert set(computed) <= {(zone_ids[0],), whole}
    assert (zone_ids[0],) in computed
    not_summed = [m for m in metrics if not m.sums_over_zones]
    assert computed.count(whole) <= len(not_summed)
    # The other zones' cached values were reused: far fewer queries than the cold read.
    assert len(after.captured_queries) < len(cold.captured_queries) * 2 // 3


def test_a_figure_over_a_zone_with_nothing_keeps_its_type() -> None:
    """A sum over no rows is Decimal(0) whatever the field: it adds nothing to an integer sum."""
    from gaoxin.core.metrics import _add

    assert type(_add([3, Decimal(0), 4])) is int
    assert _add([3, Decimal(0), 4]) == 7
    assert type(_add([Decimal(0), Decimal(0)])) is Decimal
    assert _add([Decimal("1.50"), Decimal("2.25")]) == Decimal("3.75")
