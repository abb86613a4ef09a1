"""The reporting figures of the economy, registered with the metrics registry.

Each is about the month being reported on the scope's day (the month before it) and counts
the enterprises expected to report it (reporting/selectors.py states the rule) by where their
report stood at the end of that day: a report made later is not yet counted."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gaoxin.core.metrics import Column, MetricScope, Said, Unit, metric, subject
from gaoxin.economy.reporting.selectors import (
    ReportAnnotations,
    ReportStatus,
    month_being_reported,
    report_statuses,
)
from gaoxin.enterprises.models import Enterprise

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

GROUP = _("Economy: self-reporting")
# How reports write these figures (数据核对): 应报企业210家，已报198家，逾期未报5家.
subject("self_reporting", GROUP, "月度填报", "自主填报", "数据填报", "填报", "报送")
ENTERPRISES = ("家",)

COLUMNS = (
    Column(_("Enterprise"), "name"),
    Column(_("Unified social credit code"), "uscc"),
    Column(_("Liaison officer"), "liaison_officer.name"),
    Column(_("Status"), "report_status_label"),
    Column(_("Submitted"), "submitted_at"),
)


def _statuses(scope: MetricScope) -> QuerySet[WithAnnotations[Enterprise, ReportAnnotations]]:
    now = min(scope.end_of_day, timezone.now())
    return report_statuses(scope.zone_ids, month_being_reported(scope.as_of), now=now)


def _with(*statuses: str) -> Callable[[MetricScope], Q]:
    """The condition of a figure on the expected enterprises' statuses: the five figures are
    siblings, read in one query over the expected enterprises (issue 19)."""

    def condition(scope: MetricScope) -> Q:
        return Q(report_status__in=statuses)

    return condition


metric(
    "economy.reporting.expected",
    label=_("Enterprises expected to self-report last month"),
    unit=Unit.ENTERPRISE,
    columns=COLUMNS,
    group=GROUP,
    base=_statuses,
    related=("liaison_officer",),
    order=("name", "pk"),
    description=_(
        "Enterprises in the zone during the month before the day and not 规上 on its last day."
    ),
    said=Said(("应填报企业", "应报企业", "应填报", "应报"), ENTERPRISES, "self_reporting"),
)(_with(*ReportStatus.values))
metric(
    "economy.reporting.reported",
    label=_("Enterprises that self-reported last month"),
    unit=Unit.ENTERPRISE,
    columns=COLUMNS,
    group=GROUP,
    base=_statuses,
    related=("liaison_officer",),
    order=("name", "pk"),
    description=_(
        "Of those expected, the ones whose report was made by the day (已报, late or not)."
    ),
    said=Said(("已报企业", "已报", "已填报"), ENTERPRISES, "self_reporting"),
)(_with(ReportStatus.REPORTED, ReportStatus.LATE))
metric(
    "economy.reporting.late",
    label=_("Enterprises that self-reported last month late"),
    unit=Unit.ENTERPRISE,
    columns=COLUMNS,
    group=GROUP,
    base=_statuses,
    related=("liaison_officer",),
    order=("name", "pk"),
    description=_("Reports made after the zone's deadline day (逾期已报)."),
    said=Said(("逾期已报", "逾期报送", "逾期补报", "补报"), ENTERPRISES, "self_reporting"),
)(_with(ReportStatus.LATE))
metric(
    "economy.reporting.missing",
    label=_("Enterprises not yet self-reported last month"),
    unit=Unit.ENTERPRISE,
    columns=COLUMNS,
    group=GROUP,
    base=_statuses,
    related=("liaison_officer",),
    order=("name", "pk"),
    description=_("Of those expected, the ones with no report by the day (未报 and 逾期未报)."),
    said=Said(
        ("未填报企业", "未报企业", "尚未填报", "未填报", "未报"), ENTERPRISES, "self_reporting"
    ),
)(_with(ReportStatus.PENDING, ReportStatus.OVERDUE))
metric(
    "economy.reporting.overdue",
    label=_("Enterprises overdue with last month's self-report"),
    unit=Unit.ENTERPRISE,
    columns=COLUMNS,
    group=GROUP,
    base=_statuses,
    related=("liaison_officer",),
    order=("name", "pk"),
    description=_("No report, and the zone's deadline day has passed (逾期未报)."),
    said=Said(("逾期未报",), ENTERPRISES, "self_reporting"),
)(_with(ReportStatus.OVERDUE))
