"""Sibling metrics (one base, a condition each) are read in one query, and each value read
that way is the value the metric has on its own, and the count of the records it opens."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gaoxin.accounts.models import Zone
from gaoxin.core.metrics import MetricScope, Values, registry
from gaoxin.demo.generate import generate

pytestmark = pytest.mark.django_db


@pytest.fixture
def zone_ids() -> list[int]:
    generate(enterprises=400, projects=120, zones=2, seed=11, prefix="sib")
    return list(Zone.objects.filter(code__startswith="sib").values_list("pk", flat=True))


def groups() -> dict[object, list]:
    found: dict[object, list] = {}
    for metric in registry.all():
        if metric.base is not None:
            found.setdefault(metric.base, []).append(metric)
    return found


def test_the_pipeline_and_registry_figures_are_siblings() -> None:
    keys = {m.key for members in groups().values() for m in members}
    assert {"projects.reached.signed", "projects.current.registered"} <= keys
    assert {"projects.space.signed.fixed_asset_investment", "enterprises.total"} <= keys
    assert {
        "enterprises.designation.specialised_any",
        "projects.land_to_construction.average_days",
    } <= keys


@pytest.mark.parametrize("days_ago", [0, 400])
def test_siblings_read_together_equal_each_read_alone(zone_ids, days_ago) -> None:
    scope = MetricScope.of(zone_ids, timezone.localdate() - dt.timedelta(days=days_ago))
    nonzero = 0
    for members in groups().values():
        together = registry.evaluate_siblings(members[0], scope)
        assert set(together) == {m.key for m in members}
        for metric in members:
            alone = metric.value(scope)
            assert together[metric.key] == alone, metric.key
            if metric.sum_field is None:
                assert metric.records(scope).count() == alone, metric.key
            nonzero += bool(alone)
    assert nonzero > 20  # the generated zones give most figures something to count


def test_values_reads_all_siblings_with_the_first(zone_ids, django_assert_num_queries) -> None:
    values = Values(MetricScope.of(zone_ids))
    pipeline = registry.get("projects.reached.signed")
    siblings = registry.siblings(pipeline)
    assert len(siblings) > 30
    with django_assert_num_queries(1):
        for metric in siblings:
            values(metric)
    with django_assert_num_queries(0):
        assert values(registry.get("projects.current.signed")) >= 0


def test_no_condition_joins_rows_into_the_shared_base(zone_ids) -> None:
    """Siblings share one FROM: a condition through a many-valued relation would repeat base
    rows and inflate every sibling's value. Conditions are column tests or subqueries."""
    scope = MetricScope.of(zone_ids)
    for members in groups().values():
        base = members[0].base(scope)
        tables = set(base.query.alias_map)
        for metric in members:
            condition = metric.condition(scope)
            narrowed = base.filter(condition) if condition else base
            str(narrowed.query)  # resolve the joins
            assert set(narrowed.query.alias_map) == tables, metric.key
