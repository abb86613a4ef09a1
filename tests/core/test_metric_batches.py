"""A family reads several members' values in one grouped query (`MetricFamily.batch`), and
the index reads every figure through `Values.prefetch`: each value read that way is the value
the member has on its own, for every family and every metric of a seeded scope, no member
dropped and none given another's value."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gaoxin.accounts.models import Zone
from gaoxin.campaigns import services
from gaoxin.campaigns.models import ApplicationStatus, AwardStatus
from gaoxin.core.metrics import MetricScope, Values, registry
from gaoxin.demo.generate import generate
from gaoxin.enterprises.models import Enterprise
from tests.factories import (
    AwardBatchFactory,
    AwardFactory,
    CampaignFactory,
    EnterpriseFactory,
    IndustryFactory,
)

pytestmark = pytest.mark.django_db

S = ApplicationStatus


@pytest.fixture
def zone_ids() -> list[int]:
    """Two generated zones (one campaign and one award batch each, sharing their codes, so a
    code names a record in each zone), and beside them in the first zone a campaign and a
    batch without a code (named by id) with figures unlike the generated ones, and industries
    of several sizes."""
    generate(enterprises=400, projects=120, zones=2, seed=11, prefix="bat")
    zones = list(Zone.objects.filter(code__startswith="bat").order_by("pk"))
    zone = zones[0]
    today = timezone.localdate()
    opens = today - dt.timedelta(days=60)
    campaign = CampaignFactory(zone=zone, code="", opens_on=opens, closes_on=today)
    paths = [[S.SUBMITTED, S.ZONE_REVIEW, S.RECOMMENDED, S.APPROVED], [S.SUBMITTED], []]
    for path in paths:
        start = today - dt.timedelta(days=50)
        application = services.application_start(
            campaign=campaign,
            enterprise=EnterpriseFactory(zone=zone),
            by=None,
            on=start,
            statement="说明",
        )
        for step, status in enumerate(path, start=1):
            services.application_move(
                application=application,
                by=None,
                to_status=status,
                on=start + dt.timedelta(days=step),
                note="记录",
            )
    batch = AwardBatchFactory(zone=zone, code="")
    for amount, paid in ((Decimal(70_000), True), (Decimal(30_000), False)):
        AwardFactory(
            batch=batch,
            amount=amount,
            status=AwardStatus.PAID if paid else AwardStatus.ANNOUNCED,
            paid_on=today - dt.timedelta(days=5) if paid else None,
        )
    enterprises = list(Enterprise.objects.filter(zone=zone).order_by("pk")[:12])
    for size in (1, 3, 7):
        industry = IndustryFactory(zone=zone)
        industry.enterprises.add(*enterprises[:size])
    return [z.pk for z in zones]


def batched_families() -> list:
    return [family for family in registry.families() if family.batch is not None]


def test_the_listed_families_read_their_members_together() -> None:
    prefixes = {family.prefix for family in batched_families()}
    assert {"campaigns.total", "campaigns.status_draft", "awards.paid_enterprises"} <= prefixes
    assert {"enterprises.industry", "economy.ytd", "economy.rolling12"} <= prefixes


@pytest.mark.parametrize("days_ago", [0, 400])
def test_each_member_read_together_equals_the_member_read_alone(zone_ids, days_ago) -> None:
    scope = MetricScope.of(zone_ids, timezone.localdate() - dt.timedelta(days=days_ago))
    told_apart = 0
    for family in batched_families():
        params = family.params(scope)
        together = family.batch(params, scope)
        alone = {}
        for param in params:
            member = family.member(param)
            assert member is not None, (family.prefix, param)
            alone[param] = member.value(scope)
        # No member dropped nor added: every parameter asked for is answered (the seeded
        # codes name one record in each zone, and each family's figure adds up over them, but
        # for the enterprises of a batch, read alone when a code names several batches).
        if family.prefix.endswith("_enterprises"):
            assert set(together) <= set(params), family.prefix
        else:
            assert set(together) == set(params), family.prefix
        for param, value in together.items():
            assert value == alone[param], (family.prefix, param)
            assert type(value) is type(alone[param]), (family.prefix, param)
        told_apart += len(set(alone.values())) > 1
    if days_ago == 0:
        # Members with unlike values in most families: a grouped query that gave one member
        # another's value would be seen.
        assert told_apart >= 15


@pytest.mark.parametrize("days_ago", [0, 400])
def test_the_index_prefetch_gives_every_metric_its_own_value(zone_ids, days_ago) -> None:
    scope = MetricScope.of(zone_ids, timezone.localdate() - dt.timedelta(days=days_ago))
    metrics = registry.expanded(scope)
    values = Values(scope)
    values.prefetch(metrics)
    # What the prefetch read costs nothing more: every sibling, and every member of a family
    # that reads its members together (when more than one is asked for).
    asked: dict[str, list[str]] = {}
    for metric in metrics:
        found = registry.family_of(metric.key)
        if found is not None and found[0].batch is not None:
            asked.setdefault(found[0].prefix, []).append(found[1])
    answered = {
        f"{family.prefix}.{param}"
        for family in batched_families()
        if len(asked.get(family.prefix, [])) > 1
        for param in family.batch(asked[family.prefix], scope)
    }
    read_together = [m for m in metrics if m.base is not None or m.key in answered]
    assert len(read_together) > len(metrics) // 2
    with CaptureQueriesContext(connection) as reading:
        for metric in read_together:
            values(metric)
    assert reading.captured_queries == []
    for metric in metrics:
        assert values(metric) == metric.value(scope), metric.key


def test_a_family_batch_costs_the_same_queries_for_more_members(zone_ids) -> None:
    scope = MetricScope.of(zone_ids)
    family = next(f for f in registry.families() if f.prefix == "enterprises.industry")
    params = family.params(scope)
    assert len(params) >= 3
    for asked in (params[:2], params):
        with CaptureQueriesContext(connection) as queries:
            family.batch(asked, scope)
        assert len(queries.captured_queries) == 1
