"""Who may open each page of the leaders' dashboard (see tests/test_permission_matrix.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.test_permission_matrix import Rule


def answers(**expected: int) -> dict[str, int]:
    return {"anonymous": 302, **expected}


def _plan(ctx: dict[str, Any]) -> Any:
    """An action plan in the standing users' zone (the matrix's objects have none)."""
    from gaoxin.policies.models import ActionPlan

    plan, _ = ActionPlan.objects.get_or_create(
        zone=ctx["zone"],
        title="行动计划",
        defaults={"adopted_on": dt.date(2023, 1, 1)},
    )
    return plan


RULES = {
    # Leaders read the dashboard; so do admins and officers. Department and enterprise users
    # do not; the outsider (an officer elsewhere) sees their own zone's.
    "dashboard:index": Rule(
        expect=answers(
            admin=200, leader=200, officer=200, department=403, enterprise=403, outsider=200
        )
    ),
    "dashboard:plan_create": Rule(
        expect=answers(
            admin=200, leader=403, officer=200, department=403, enterprise=403, outsider=200
        )
    ),
    "dashboard:target_add": Rule(
        kwargs=lambda ctx: {"pk": _plan(ctx).pk},
        expect=answers(
            admin=200, leader=403, officer=200, department=403, enterprise=403, outsider=404
        ),
    ),
}
