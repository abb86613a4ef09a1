"""Figures as known on a past day (gaoxin.core.rewind): the records put back as they were known
at the end of the day, read, and left exactly as they were.

"Yesterday" and "today": the world is built, then every history row and figure row is dated
two days ago (as gaoxin/demo/backdate.py dates a load), and today's changes go through the
services, so their history rows carry today's moment."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gaoxin.core import rewind
from gaoxin.core.metrics import MetricScope, Values, registry
from gaoxin.economy.models import FigureValue, Indicator, Source
from gaoxin.economy.periods import Period
from gaoxin.economy.services import FigureInput, figures_record
from gaoxin.projects import services
from gaoxin.projects.models import Project, StageChange
from gaoxin.projects.stages import Stage
from gaoxin.spaces.models import SpaceStatusChange
from tests.factories import (
    EnterpriseFactory,
    ProjectFactory,
    SpaceFactory,
    UserFactory,
    ZoneFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YESTERDAY = TODAY - dt.timedelta(days=1)
LAST_MONTH = TODAY - dt.timedelta(days=30)
INVESTMENT = "projects.signed.fixed_asset_investment"
SIGNED = "projects.reached.signed"
NEGOTIATED = "projects.reached.negotiating"
MONTH_REVENUE = "economy.month.revenue"


def age_everything() -> None:
    """Date every history row and figure row two days ago: all that exists was known then."""
    then = timezone.now() - dt.timedelta(days=2)
    for model in rewind.platform_models():
        history = rewind.history_of(model)
        if history is not None:
            history._default_manager.update(history_date=then)
    FigureValue.objects.update(known_from=then)
    FigureValue.objects.filter(known_until__isnull=False).update(known_until=then)


def known(day: dt.date, zone, keys: list[str], as_of: dt.date = TODAY) -> dict[str, Any]:
    values = rewind.values_as_known_on(day, MetricScope.of([zone.pk], as_of), keys)
    assert values is not None
    return values


def now_value(key: str, zone, as_of: dt.date = TODAY) -> Any:
    return registry.get(key).value(MetricScope.of([zone.pk], as_of))


def revise_investment(project: Project, amount: int) -> None:
    project.refresh_from_db()
    services.project_update(
        project=project, by=project.officer, version=project.version, fixed_asset_investment=amount
    )


@pytest.fixture
def zone():
    return ZoneFactory(code="rw", name="回看园区")


def test_a_revised_investment_reads_old_as_known_yesterday_and_new_as_known_today(zone) -> None:
    project = ProjectFactory(zone=zone, fixed_asset_investment=50_000_000)
    ProjectFactory(zone=zone, fixed_asset_investment=30_000_000)
    age_everything()
    revise_investment(project, 70_000_000)
    assert now_value(INVESTMENT, zone) == 100_000_000
    assert known(YESTERDAY, zone, [INVESTMENT]) == {INVESTMENT: 80_000_000}
    assert known(TODAY, zone, [INVESTMENT]) == {INVESTMENT: 100_000_000}
    # And after the look back, the record is today's again.
    project.refresh_from_db()
    assert project.fixed_asset_investment == 70_000_000


def test_a_stage_change_entered_today_dated_last_month_is_not_known_yesterday(zone) -> None:
    negotiating = ProjectFactory(
        zone=zone, carrier="land", stage="negotiating", stage_on=LAST_MONTH - dt.timedelta(days=30)
    )
    ProjectFactory(zone=zone, stage="signed", stage_on=LAST_MONTH - dt.timedelta(days=60))
    age_everything()
    negotiating.refresh_from_db()
    services.project_advance(
        project=negotiating,
        by=negotiating.officer,
        to_stage=Stage.SIGNED,
        on=LAST_MONTH,
        version=negotiating.version,
    )
    for as_of in (TODAY, LAST_MONTH):
        assert now_value(SIGNED, zone, as_of) == 2
        assert known(YESTERDAY, zone, [SIGNED], as_of) == {SIGNED: 1}
        assert known(TODAY, zone, [SIGNED], as_of) == {SIGNED: 2}
    # The first day at each stage is derived without history (the creation's history row
    # holds none): computed again from the stage changes as known, both still negotiated.
    assert known(YESTERDAY, zone, [NEGOTIATED]) == {NEGOTIATED: 2}
    # The late change and the derived first-signed day are back after the look back.
    assert StageChange.objects.filter(project=negotiating, to_stage=Stage.SIGNED).exists()
    assert Project.objects.get(pk=negotiating.pk).reached_signed_on == LAST_MONTH


def test_a_record_created_today_is_absent_and_one_deleted_today_present(zone) -> None:
    gone = ProjectFactory(zone=zone, fixed_asset_investment=10_000_000)
    ProjectFactory(zone=zone, fixed_asset_investment=20_000_000)
    age_everything()
    gone_pk = gone.pk
    StageChange.objects.filter(project=gone).delete()  # through the ORM: history records it
    gone.delete()
    ProjectFactory(zone=zone, fixed_asset_investment=40_000_000)  # created today
    assert now_value(INVESTMENT, zone) == 60_000_000
    assert now_value(SIGNED, zone) == 2
    assert known(YESTERDAY, zone, [INVESTMENT, SIGNED]) == {
        INVESTMENT: 30_000_000,
        SIGNED: 2,
    }
    assert known(TODAY, zone, [INVESTMENT, SIGNED]) == {INVESTMENT: 60_000_000, SIGNED: 2}
    assert not Project.objects.filter(pk=gone_pk).exists()


def test_an_economy_figure_revised_today_reads_old_as_known_yesterday(zone) -> None:
    revenue = Indicator.objects.get(code="revenue")
    firm, other = EnterpriseFactory(zone=zone), EnterpriseFactory(zone=zone)
    last = TODAY.replace(day=1) - dt.timedelta(days=1)
    month = Period.of(last.year, last.month)

    def record(enterprise, amount: str, at: dt.datetime | None = None) -> None:
        figures_record(
            zone=zone,
            values=[FigureInput(enterprise.pk, revenue.pk, month, Decimal(amount))],
            source=Source.BUREAU,
            by=None,
            at=at,
        )

    record(firm, "1000")
    record(other, "500")
    age_everything()
    record(firm, "1200")  # revised today
    assert now_value(MONTH_REVENUE, zone) == Decimal("1700")
    assert known(YESTERDAY, zone, [MONTH_REVENUE]) == {MONTH_REVENUE: Decimal("1500")}
    assert known(TODAY, zone, [MONTH_REVENUE]) == {MONTH_REVENUE: Decimal("1700")}
    assert now_value(MONTH_REVENUE, zone) == Decimal("1700")
    assert FigureValue.objects.filter(in_effect=True).count() == 2


def snapshot() -> dict[str, Any]:
    """Every platform table's row count, and the values of the rows a rewind touches."""
    counts = {m._meta.label: m._base_manager.count() for m in rewind.platform_models()}
    for model in rewind.platform_models():
        history = rewind.history_of(model)
        if history is not None:
            counts[history._meta.label] = history._default_manager.count()
    return {
        "counts": counts,
        "projects": sorted(
            Project.objects.values_list(
                "pk", "fixed_asset_investment", "stage", "reached_signed_on", "version"
            )
        ),
        "figures": sorted(
            FigureValue.objects.values_list("pk", "amount", "known_until", "in_effect")
        ),
        "changes": sorted(StageChange.objects.values_list("pk", "project_id", "to_stage")),
    }


def busy_day(zone) -> None:
    """A day of every kind of change after the records were known."""
    revenue = Indicator.objects.get(code="revenue")
    firm = EnterpriseFactory(zone=zone)
    projects = [ProjectFactory(zone=zone) for _ in range(3)]
    figures_record(
        zone=zone,
        values=[FigureInput(firm.pk, revenue.pk, Period.of(2025, 6), Decimal("10"))],
        source=Source.BUREAU,
        by=None,
    )
    age_everything()
    revise_investment(projects[0], 1)
    StageChange.objects.filter(project=projects[1]).delete()
    projects[1].delete()
    ProjectFactory(zone=zone)
    figures_record(
        zone=zone,
        values=[FigureInput(firm.pk, revenue.pk, Period.of(2025, 6), Decimal("11"))],
        source=Source.BUREAU,
        by=None,
    )


def test_nothing_is_changed_afterwards(zone) -> None:
    busy_day(zone)
    before = snapshot()
    values = known(YESTERDAY, zone, [INVESTMENT, SIGNED, MONTH_REVENUE])
    assert values[SIGNED] == 3  # the rewind did happen
    assert snapshot() == before


def test_nothing_is_changed_when_a_metric_raises(zone, monkeypatch) -> None:
    busy_day(zone)
    before = snapshot()

    def boom(scope: MetricScope) -> Any:
        assert Project.objects.count() == 3  # raised inside the rewound records
        raise RuntimeError("a metric failed")

    failing = dataclasses.replace(registry.get(SIGNED), records=boom, base=None, condition=None)
    monkeypatch.setitem(registry._metrics, SIGNED, failing)
    with pytest.raises(RuntimeError, match="a metric failed"):
        rewind.values_as_known_on(YESTERDAY, MetricScope.of([zone.pk]), [SIGNED, INVESTMENT])
    assert snapshot() == before


def test_an_unknown_key_raises_before_anything(zone) -> None:
    with pytest.raises(KeyError):
        rewind.values_as_known_on(YESTERDAY, MetricScope.of([zone.pk]), ["no.such.metric"])


def test_too_many_changes_since_give_no_answer(zone, monkeypatch) -> None:
    project = ProjectFactory(zone=zone)
    age_everything()
    revise_investment(project, 1)
    monkeypatch.setattr(rewind, "LIMIT", 0)
    before = snapshot()
    assert rewind.values_as_known_on(YESTERDAY, MetricScope.of([zone.pk]), [INVESTMENT]) is None
    assert snapshot() == before


def test_the_queries_do_not_grow_with_the_rows_rewound(zone) -> None:
    officer = UserFactory(zones=[zone])
    projects = [ProjectFactory(zone=zone, officer=officer) for _ in range(30)]
    age_everything()
    keys = [INVESTMENT, SIGNED]
    scope = MetricScope.of([zone.pk])

    def queries_after_revising(some: list[Project]) -> int:
        for project in some:
            revise_investment(project, 1)
        with CaptureQueriesContext(connection) as captured:
            values = rewind.values_as_known_on(YESTERDAY, scope, keys)
        assert values is not None and values[INVESTMENT] == 30 * 50_000_000
        return len(captured)

    three = queries_after_revising(projects[:3])
    thirty = queries_after_revising(projects[3:])
    assert three == thirty
    assert thirty <= 40


def test_every_model_is_rewound_or_listed_as_not() -> None:
    """A new model without history must be given a rewinder or listed, with why."""
    assert rewind.left_alone() == set(rewind.NOT_REWOUND)
    assert rewind.rewound_by_rewinders() >= {"economy.FigureValue", "cultivation.Standing"}


def test_a_space_leased_today_has_its_leased_area_put_back(zone, monkeypatch) -> None:
    """A space's leased area is derived without a history row: computed again from its
    tenants as known (read here through a metric summing it)."""
    space = SpaceFactory(zone=zone)
    SpaceStatusChange.objects.create(space=space, status=space.status, on=LAST_MONTH)
    tenant = ProjectFactory(zone=zone, carrier="space", stage="negotiating", stage_on=LAST_MONTH)
    age_everything()
    tenant.refresh_from_db()
    services.project_advance(
        project=tenant,
        by=tenant.officer,
        to_stage=Stage.SIGNED,
        on=TODAY,
        version=tenant.version,
        space=space,
        floor_area=3000,
    )
    leased = dataclasses.replace(
        registry.get("spaces.area.total"), key="test.leased", sum_field="leased_floor_area"
    )
    monkeypatch.setitem(registry._metrics, leased.key, leased)
    assert now_value(leased.key, zone) == 3000
    assert known(YESTERDAY, zone, [leased.key]) == {leased.key: 0}
    assert known(TODAY, zone, [leased.key]) == {leased.key: 3000}


def test_known_today_every_figure_is_todays(zone) -> None:
    """Rewound to the end of today nothing moves, the hooks included: every figure of the
    zone reads as it does now."""
    busy_day(zone)
    scope = MetricScope.of([zone.pk])
    keys = [m.key for m in registry.expanded(scope)]
    values = Values(scope)
    assert known(TODAY, zone, keys) == {key: values(registry.get(key)) for key in keys}
