"""The dispatch figures of the economy, registered with the metrics registry.

Each is about the month holding the scope's day (a project reports its month while it runs)
and sums the zone's dispatch reports (项目调度) as they stand: 固定资产投资完成额 (the
investment completed) and 到位资金 (the funds in place), for the month and the year to date."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from gaoxin.core.metrics import Column, MetricScope, Unit, metric
from gaoxin.economy.dispatch.selectors import dispatches_in, month_where, today_month, ytd_where
from gaoxin.economy.models import ProjectDispatch

GROUP = _("Economy: project dispatch")
COLUMNS = (
    Column(_("Project"), "project.name"),
    Column(_("Year"), "year"),
    Column(_("Month"), "month"),
    Column(_("Investment completed (yuan)"), "investment_completed"),
    Column(_("Funds in place (yuan)"), "funds_in_place"),
    Column(_("Progress"), "progress"),
    Column(_("Reported at"), "reported_at"),
)


def _month(scope: MetricScope) -> QuerySet[ProjectDispatch]:
    return dispatches_in(scope.zone_ids, month_where(today_month(scope.as_of)))


def _ytd(scope: MetricScope) -> QuerySet[ProjectDispatch]:
    return dispatches_in(scope.zone_ids, ytd_where(today_month(scope.as_of)))


metric(
    "economy.dispatch.investment_month",
    label=_("Fixed-asset investment completed in the month (项目调度)"),
    unit=Unit.YUAN,
    sum_field="investment_completed",
    columns=COLUMNS,
    group=GROUP,
    description=_("The month's 月度完成投资 reported by the zone's projects, summed."),
)(_month)
metric(
    "economy.dispatch.investment_ytd",
    label=_("Fixed-asset investment completed this year (项目调度)"),
    unit=Unit.YUAN,
    sum_field="investment_completed",
    columns=COLUMNS,
    group=GROUP,
    description=_(
        "The 月度完成投资 of January to the day's month, summed: 固定资产投资完成额 (本年累计)."
    ),
)(_ytd)
metric(
    "economy.dispatch.funds_month",
    label=_("Funds in place in the month (到位资金)"),
    unit=Unit.YUAN,
    sum_field="funds_in_place",
    columns=COLUMNS,
    group=GROUP,
    description=_("The month's 到位资金 reported by the zone's projects, summed."),
)(_month)
metric(
    "economy.dispatch.funds_ytd",
    label=_("Funds in place this year (到位资金)"),
    unit=Unit.YUAN,
    sum_field="funds_in_place",
    columns=COLUMNS,
    group=GROUP,
    description=_("The 到位资金 of January to the day's month, summed."),
)(_ytd)
metric(
    "economy.dispatch.reports",
    label=_("Project dispatch reports of the month"),
    unit=Unit.ITEM,
    columns=COLUMNS,
    group=GROUP,
    description=_("The projects that reported the day's month."),
)(_month)
