"""Reads of action plans (行动计划): the plans a user may see, one plan for a user, and where
each target stands on a day, read through the figures of the plan's zone (so a target's number
is the metric's and links to its records, as everywhere else)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from gaoxin.core.access import get_for_user, scope
from gaoxin.core.figures import Figures
from gaoxin.core.metrics import MetricScope
from gaoxin.policies import access
from gaoxin.policies.models import ActionPlan, PlanTarget

if TYPE_CHECKING:
    from gaoxin.accounts.models import User

# The targets shown at once (the dashboard's plans together, or one plan's page).
MAX_TARGETS = 20


def action_plans_for_user(user: User) -> QuerySet[ActionPlan]:
    return scope(user, ActionPlan.objects.all(), access.ACTION_PLAN, whole_reach=True)


def action_plan_get_for_user(user: User, pk: Any, *, write: bool = False) -> ActionPlan:
    return get_for_user(
        user, ActionPlan.objects.select_related("zone"), pk, access.ACTION_PLAN, write=write
    )


def action_plans_adopted(metric_scope: MetricScope, *, limit: int) -> list[ActionPlan]:
    """The latest plans of the zones adopted by the scope's day."""
    return list(
        ActionPlan.objects.filter(
            zone_id__in=metric_scope.zone_ids, adopted_on__lte=metric_scope.as_of
        )
        .select_related("zone")
        .order_by("-adopted_on", "-pk")[:limit]
    )


def target_progress(target: PlanTarget, figures: Figures) -> dict[str, Any]:
    """Where a target stands on the figures' day: the metric's value in the plan's zone
    (`figures` reads that zone) against the baseline and the target.
    progress = (current − baseline) / (target − baseline)."""
    row: dict[str, Any] = {"target": target, "metric": None}
    figure = figures.get(target.metric_key)
    if figure is None:
        return row
    metric = figure.metric
    if isinstance(figure.value, Decimal) and figure.value.is_nan():
        # A figure that cannot be computed on the day (a growth on no figures last year).
        row.update(
            {
                "metric": metric,
                "current": figure.value,
                "current_shown": figure.shown,
                "baseline_shown": metric.format(target.baseline_value),
                "target_shown": metric.format(target.target_value),
                "percent": None,
                "bar": Decimal(0),
                "done": False,
                "url": figure.url,
            }
        )
        return row
    span = Decimal(target.target_value) - Decimal(target.baseline_value)
    percent = (Decimal(figure.value) - Decimal(target.baseline_value)) * 100 / span
    percent = percent.quantize(Decimal("0.1"))
    row.update(
        {
            "metric": metric,
            "current": figure.value,
            "current_shown": figure.shown,
            "baseline_shown": metric.format(target.baseline_value),
            "target_shown": metric.format(target.target_value),
            "percent": percent,
            "bar": min(max(percent, Decimal(0)), Decimal(100)),
            "done": percent >= 100,
            "url": figure.url,
        }
    )
    return row


def plan_progress(
    plans: list[ActionPlan],
    *,
    as_of: dt.date,
    allowed_zone_ids: frozenset[int] | None,
    max_targets: int = MAX_TARGETS,
) -> list[dict[str, Any]]:
    """Each plan with its targets' progress as of the day (the first `max_targets` targets of
    the plans together). One reader per zone: several targets measuring one figure (two plans
    counting enterprises) read it once."""
    targets = (
        PlanTarget.objects.filter(plan__in=plans).order_by("plan", "order", "pk")[:max_targets]
        if plans
        else []
    )
    by_pk = {plan.pk: plan for plan in plans}
    rows: dict[int, list[dict[str, Any]]] = {plan.pk: [] for plan in plans}
    readers: dict[int, Figures] = {}
    for target in targets:
        plan = target.plan = by_pk[target.plan_id]
        if plan.zone_id not in readers:
            readers[plan.zone_id] = Figures(
                MetricScope.of([plan.zone_id], as_of),
                zone_code=plan.zone.code,
                allowed_zone_ids=allowed_zone_ids,
            )
        rows[plan.pk].append(target_progress(target, readers[plan.zone_id]))
    return [{"plan": plan, "targets": rows[plan.pk]} for plan in plans]
