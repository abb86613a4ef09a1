"""Writes to action plans (行动计划) and their targets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from gaoxin.accounts.models import User, Zone
from gaoxin.core.errors import DomainError
from gaoxin.core.history import save_recorded
from gaoxin.core.metrics import registry
from gaoxin.core.text import clean
from gaoxin.policies.models import ActionPlan, PlanTarget, Policy


@transaction.atomic
def action_plan_create(
    *, zone: Zone, by: User, title: str, adopted_on: dt.date, policy: Policy | None = None
) -> ActionPlan:
    title = clean(title)
    if not title:
        raise DomainError(_("The title is required."), field="title")
    if policy is not None and policy.zone_id != zone.pk:
        raise DomainError(_("A policy of another zone cannot be chosen."), field="policy")
    plan = ActionPlan(zone=zone, title=title, adopted_on=adopted_on, policy=policy)
    save_recorded(plan, by)
    return plan


@transaction.atomic
def plan_target_add(
    *,
    plan: ActionPlan,
    by: User,
    label: str,
    metric_key: str,
    baseline_value: Decimal,
    baseline_on: dt.date,
    target_value: Decimal,
    target_year: int,
    order: int = 0,
) -> PlanTarget:
    """A target measured by a registered figure: where it stood and where it must be."""
    label = clean(label)
    if not label:
        raise DomainError(_("Name the target."), field="label")
    metric_key = metric_key.strip()
    if registry.find(metric_key) is None:
        raise DomainError(
            _("There is no figure with the key %(key)s.") % {"key": metric_key},
            field="metric_key",
        )
    if Decimal(baseline_value) == Decimal(target_value):
        raise DomainError(_("The target must differ from the baseline."), field="target_value")
    if target_year < baseline_on.year:
        raise DomainError(
            _("The target year cannot be before the baseline date."), field="target_year"
        )
    target = PlanTarget(
        plan=plan,
        label=label,
        metric_key=metric_key,
        baseline_value=baseline_value,
        baseline_on=baseline_on,
        target_value=target_value,
        target_year=target_year,
        order=order,
    )
    save_recorded(target, by)
    return target
