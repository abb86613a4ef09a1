"""What the figures of the approvals and blockers share (each kind's figures are in its own
metrics module, imported by projects/metrics.py). They read the dated fields, so a month's
figure can be asked again later and comes out the same."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from gaoxin.core.metrics import MetricScope
from gaoxin.projects.models import Project

GROUP = _("Approvals and blockers")


def zone_projects(scope: MetricScope) -> QuerySet[Project, Any]:
    """The zones' project ids, as a subquery: SQLite then reaches blockers and approvals
    through their project index instead of scanning every zone's rows."""
    return Project.objects.filter(zone_id__in=scope.zone_ids).values("pk")
