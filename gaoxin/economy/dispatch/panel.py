"""The 项目调度 panel of a project's page: its recent monthly reports and its sums, read
through the projects app's panel hook (projects may not import economy)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from gaoxin.core.access import role_of
from gaoxin.economy.dispatch.selectors import DISPATCH, can_report, project_history
from gaoxin.economy.reporting.selectors import month_being_reported

if TYPE_CHECKING:
    from gaoxin.accounts.models import User
    from gaoxin.projects.models import Project

SHOWN = 12


def dispatch_panel(project: Project, user: User) -> dict[str, Any] | None:
    """Nothing for a project that never signed, or for a user who does not read dispatch."""
    if project.reached_signed_on is None or role_of(user) not in DISPATCH.read_roles:
        return None
    today = timezone.localdate()
    totals = project.dispatches.aggregate(
        total=Sum("investment_completed"),
        funds=Sum("funds_in_place"),
    )
    total = totals["total"]
    fai = project.fixed_asset_investment
    month = month_being_reported(today)
    return {
        "template": "economy/_project_dispatch.html",
        "dispatches": list(project_history(project)[:SHOWN]),
        "total": total,
        "funds": totals["funds"],
        "completion": float(total) * 100 / float(fai) if total is not None and fai else None,
        "fill_url": (
            reverse("economy:dispatch_fill", args=[project.pk, month.key])
            if can_report(user, project)
            else ""
        ),
        "fill_month": month,
    }
