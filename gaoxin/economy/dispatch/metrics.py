"""The dispatch figures of the economy, registered with the metrics registry.

Each is about the month holding the scope's day (a project reports its month while it runs)
and sums the zone's dispatch reports (项目调度) as they stand: 固定资产投资完成额 (the
investment completed) and 到位资金 (the funds in place), for the month and the year to date."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from gaoxin.core.metrics import Column, MetricScope, Said, Unit, metric, subject
from gaoxin.economy.dispatch.selectors import dispatches_in, month_where, today_month, ytd_where
from gaoxin.economy.models import ProjectDispatch

GROUP = _("Economy: project dispatch")
# How reports write these figures (数据核对): 1-6月完成固定资产投资12.3亿元，到位资金8.1亿元.
# 纳入调度的重点项目1-5月累计完成固定资产投资52.8亿元: 重点项目 may be the dispatch's projects.
subject(
    "economy",
    _("Economic operation"),
    "经济运行",
    "纳入调度",
    "项目调度",
    "工业投资",
    "重点项目",
)

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
    said=Said(
        (
            "当月完成投资",
            "月度完成投资",
            "本月完成投资",
            "当月完成固定资产投资",
            "本月完成固定资产投资",
        ),
        subject="economy",
    ),
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
    said=Said(
        ("固定资产投资完成额", "完成固定资产投资", "累计完成投资", "累计完成", "完成投资"),
        subject="economy",
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
    said=Said(("当月到位资金", "本月到位资金"), subject="economy"),
)(_month)
metric(
    "economy.dispatch.funds_ytd",
    label=_("Funds in place this year (到位资金)"),
    unit=Unit.YUAN,
    sum_field="funds_in_place",
    columns=COLUMNS,
    group=GROUP,
    description=_("The 到位资金 of January to the day's month, summed."),
    said=Said(("累计到位资金", "到位资金", "资金到位"), subject="economy"),
)(_ytd)
metric(
    "economy.dispatch.reports",
    label=_("Project dispatch reports of the month"),
    unit=Unit.ITEM,
    columns=COLUMNS,
    group=GROUP,
    description=_("The projects that reported the day's month."),
    # 10月份共收到项目调度表46份: one 调度表 a project a month (a monthly figure: 月度调度).
    said=Said(
        ("调度项目", "报送调度", "纳入调度", "项目调度表", "调度表", "月度调度"),
        ("个", "项", "份"),
        "economy",
    ),
)(_month)
