"""Self-reporting (企业填报) pages: an enterprise's months and the form of one month, the
zone's reporting status (已报/未报/逾期) for the staff, and the zone's economy settings."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from gaoxin.core import figure_cache
from gaoxin.core.access import require_roles, role_of, working_zone_ids
from gaoxin.core.errors import DomainError
from gaoxin.core.forms import save_or_show
from gaoxin.core.http import AuthedRequest
from gaoxin.core.lists import Export, render_list
from gaoxin.core.metrics import Column
from gaoxin.core.roles import Role
from gaoxin.core.zones import zone_for_new_record
from gaoxin.economy import services as economy_services
from gaoxin.economy.models import SelfReport
from gaoxin.economy.periods import Period
from gaoxin.economy.reporting import selectors
from gaoxin.economy.reporting.forms import EconomySettingsForm, ReportFilterForm, SelfReportForm
from gaoxin.economy.reporting.services import (
    NeedsConfirmation,
    Outlier,
    indicators_for,
    report_deadline_set,
    reportable,
    self_report_submit,
)
from gaoxin.enterprises.models import Enterprise

REPORT_COLUMNS = (
    Column("企业名称", "name"),
    Column("统一社会信用代码", "uscc"),
    Column("挂点联系人", "liaison_officer.name"),
    Column("填报状态", "report_status_label"),
    Column("提交时间", "submitted_at"),
)


def _period(text: str | None) -> Period:
    """A month from the URL, 404 when it is not one."""
    try:
        period = Period.parse(text or "")
    except DomainError:
        raise Http404 from None
    if period.is_combined:
        raise Http404
    return period


@login_required
@require_GET
def report_mine(request: AuthedRequest) -> HttpResponse:
    """An enterprise user's own months; the staff land on the zone's status list."""
    if role_of(request.user) != Role.ENTERPRISE:
        return redirect("economy:report_list")
    if request.user.enterprise_id is None:
        raise PermissionDenied
    return redirect("economy:report_enterprise", pk=request.user.enterprise_id)


@login_required
@require_GET
def report_enterprise(request: AuthedRequest, pk: int) -> HttpResponse:
    enterprise = selectors.enterprise_for_report(request.user, pk)
    return render(
        request,
        "economy/report_enterprise.html",
        {
            "enterprise": enterprise,
            "months": selectors.own_months(enterprise),
            "can_fill": selectors.can_fill(request.user, enterprise),
            "indicators": indicators_for(enterprise),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_fill(request: AuthedRequest, pk: int, period: str) -> HttpResponse:
    enterprise = selectors.enterprise_for_report(request.user, pk, write=True)
    month = _period(period)
    if not reportable(month):
        messages.error(request, _("%(period)s has not ended yet.") % {"period": month.label})
        return redirect("economy:report_enterprise", pk=enterprise.pk)
    indicators = indicators_for(enterprise)
    form = SelfReportForm(
        request.POST or None,
        indicators=indicators,
        current=selectors.self_reported_values(enterprise, month),
    )
    asked: list[Outlier] = []

    def write(data: dict[str, Any]) -> Any:
        confirmed = request.POST.get("confirm") == form.fingerprint()
        try:
            return self_report_submit(
                enterprise=enterprise,
                period=month,
                values=form.values(),
                by=request.user,
                confirmed=confirmed,
                note=data.get("note") or "",
            )
        except NeedsConfirmation as error:
            asked.extend(error.outliers)
            return None

    if save_or_show(request, form, write) is not None:
        messages.success(
            request,
            _("%(enterprise)s's figures of %(period)s are saved.")
            % {"enterprise": enterprise.name, "period": month.label},
        )
        return redirect("economy:report_enterprise", pk=enterprise.pk)
    return render(
        request,
        "economy/report_form.html",
        {
            "enterprise": enterprise,
            "period": month,
            "form": form,
            "outliers": asked,
            "fingerprint": form.fingerprint() if asked else "",
            "reported": SelfReport.objects.filter(
                enterprise=enterprise, year=month.year, month=month.month
            ).first(),
        },
        status=400 if form.is_bound and (form.errors or asked) else 200,
    )


@login_required
@require_GET
def report_list(request: AuthedRequest) -> HttpResponse:
    require_roles(request.user, selectors.STATUS_READERS)
    zone_ids = working_zone_ids(request.user)
    form = ReportFilterForm(request.GET, zone_ids=zone_ids)
    valid = form.is_valid()
    period = (form.cleaned_data.get("period") if valid else None) or (
        selectors.month_being_reported()
    )
    queryset: QuerySet[Any]
    if valid:
        queryset = selectors.report_search(zone_ids, period, **form.search_arguments())
    else:
        queryset = Enterprise.objects.none()
    days = selectors.deadline_days(zone_ids)

    def extra(page: Any) -> dict[str, Any]:
        if request.htmx:
            return {"period": period}
        # Counted through the figures cache (a report submitted is a write, so the zone's
        # generation moves on; a report turns overdue at the start of a day, hence the day):
        # half a second of a zone of 33,334 enterprises otherwise, at every view.
        summary = figure_cache.cached(
            zone_ids,
            timezone.localdate(),
            f"economy.reporting.summary.{period.key}",
            lambda: selectors.reporting_summary(zone_ids, period),
        )
        return {
            "period": period,
            "summary": summary,
            "deadlines": sorted({selectors.deadline_of(period, d) for d in days.values()}),
            # Each count opens its records: the list itself, filtered to that status.
            "links": {
                name: "?" + urlencode({"period": period.key, "status": status})
                for name, status in (
                    ("expected", ""),
                    ("reported", "submitted"),
                    ("late", "late"),
                    ("missing", "missing"),
                    ("overdue", "overdue"),
                )
            },
            "can_settle": role_of(request.user) == Role.ADMIN,
        }

    return render_list(
        request,
        form,
        queryset.select_related("liaison_officer"),
        template="economy/report_list.html",
        fragment="economy/report_list_results.html",
        export=Export(REPORT_COLUMNS, f"企业填报情况 {period.label}"),
        default_sort="name",
        extra=extra,
    )


@login_required
@require_http_methods(["GET", "POST"])
def economy_settings(request: AuthedRequest) -> HttpResponse:
    require_roles(request.user, {Role.ADMIN})
    zone = zone_for_new_record(request)
    if zone is None:
        return redirect("economy:report_list")
    settings = economy_services.economy_settings(zone)
    form = EconomySettingsForm(
        request.POST or None,
        ranking=settings.ranking(),
        initial={"report_deadline_day": settings.report_deadline_day},
    )

    def write(data: dict[str, Any]) -> Any:
        report_deadline_set(zone_id=zone.pk, day=data["report_deadline_day"], by=request.user)
        if form.ranking() != settings.ranking():
            economy_services.precedence_set(zone=zone, ranking=form.ranking(), by=request.user)
        return zone

    if save_or_show(request, form, write) is not None:
        messages.success(request, _("The zone's economy settings are saved."))
        return redirect("economy:settings")
    return render(
        request,
        "economy/economy_settings.html",
        {
            "form": form,
            "zone": zone,
            "settings": settings,
            "list_url": reverse("economy:report_list"),
        },
        status=400 if form.is_bound and form.errors else 200,
    )
