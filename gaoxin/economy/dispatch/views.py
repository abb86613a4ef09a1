"""项目调度 pages: the projects under way in a month with their reports and sums, and the
form of one project's month."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from gaoxin.core.access import require_roles, role_of, working_zone_ids
from gaoxin.core.errors import DomainError
from gaoxin.core.figures import Figures
from gaoxin.core.forms import save_or_show
from gaoxin.core.http import AuthedRequest
from gaoxin.core.lists import Export, render_list
from gaoxin.core.metrics import Column, Kind, MetricScope
from gaoxin.core.roles import Role
from gaoxin.economy.dispatch import (
    metrics,  # noqa: F401  (registers the figures shown)
    selectors,
)
from gaoxin.economy.dispatch.forms import DispatchFilterForm, DispatchForm
from gaoxin.economy.dispatch.services import dispatch_report
from gaoxin.economy.periods import Period
from gaoxin.economy.reporting.selectors import month_being_reported, month_days
from gaoxin.projects.models import Project

DISPATCH_COLUMNS = (
    Column("项目名称", "name"),
    Column("投资方", "investor_name"),
    Column("当前阶段", "get_stage_display"),
    Column("是否已报", "reported", Kind.SHI_FOU),
    Column("月度完成投资（元）", "month_investment"),
    Column("到位资金（元）", "month_funds"),
    Column("进展情况", "month_progress"),
    Column("本年累计完成投资（元）", "ytd_investment"),
    Column("本年累计到位资金（元）", "ytd_funds"),
    Column("累计完成投资（元）", "total_investment"),
    Column("固定资产投资（元）", "fixed_asset_investment"),
    Column("完成率（%）", "completion", Kind.PERCENT),
)
FIGURES = (
    "economy.dispatch.investment_month",
    "economy.dispatch.investment_ytd",
    "economy.dispatch.funds_month",
    "economy.dispatch.funds_ytd",
    "economy.dispatch.reports",
)


def _month(text: str) -> Period:
    try:
        period = Period.parse(text)
    except DomainError:
        raise Http404 from None
    if period.is_combined:
        raise Http404
    return period


def figures_day(period: Period, today: dt.date) -> dt.date:
    """The day whose figures are the month's: its last day, or today within it."""
    return min(month_days(period)[1], today)


@login_required
@require_GET
def dispatch_list(request: AuthedRequest) -> HttpResponse:
    require_roles(request.user, selectors.DISPATCH.read_roles)
    zone_ids = working_zone_ids(request.user)
    form = DispatchFilterForm(request.GET, zone_ids=zone_ids)
    valid = form.is_valid()
    period = (form.cleaned_data.get("period") if valid else None) or month_being_reported()
    queryset: QuerySet[Any]
    if valid:
        queryset = selectors.dispatch_search(request.user, period, **form.search_arguments())
    else:
        queryset = Project.objects.none()
    staff = role_of(request.user) != Role.ENTERPRISE

    def extra(page: Any) -> dict[str, Any]:
        shown: dict[str, Any] = {
            "period": period,
            "staff": staff,
            "can_report": role_of(request.user) in selectors.DISPATCH.write_roles,
        }
        if staff and not request.htmx:
            day = figures_day(period, timezone.localdate())
            shown["figures"] = Figures(MetricScope.of(zone_ids, day)).many(list(FIGURES))
        return shown

    return render_list(
        request,
        form,
        queryset.select_related("officer", "enterprise"),
        template="economy/dispatch_list.html",
        fragment="economy/dispatch_list_results.html",
        export=Export(DISPATCH_COLUMNS, f"项目调度 {period.label}"),
        default_sort="name",
        extra=extra,
    )


@login_required
@require_http_methods(["GET", "POST"])
def dispatch_fill(request: AuthedRequest, pk: int, period: str) -> HttpResponse:
    project = selectors.project_for_dispatch(request.user, pk, write=True)
    month = _month(period)
    current = selectors.dispatch_month(project, month)
    form = DispatchForm(request.POST or None, current=current)

    def write(data: dict[str, Any]) -> Any:
        return dispatch_report(
            project=project,
            period=month,
            investment_completed=form.in_yuan("investment_completed"),
            funds_in_place=form.in_yuan("funds_in_place"),
            progress=data.get("progress") or "",
            by=request.user,
        )

    if save_or_show(request, form, write) is not None:
        messages.success(
            request,
            _("%(project)s: %(period)s is reported.")
            % {"project": project.name, "period": month.label},
        )
        return redirect(f"{_list_url()}?period={month.key}")
    return render(
        request,
        "economy/dispatch_form.html",
        {
            "project": project,
            "period": month,
            "form": form,
            "current": current,
            "history": selectors.project_history(project)[:24],
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _list_url() -> str:
    from django.urls import reverse

    return reverse("economy:dispatch_list")
