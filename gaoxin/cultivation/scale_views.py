"""/cultivation/scale/: the 小升规 list and /cultivation/scale/unreported/: the 应统尽统 list —
the working zones' enterprises on the radar, with the months that put each there, who follows
it, filters, sort, and the list as .xlsx with the window's months as columns."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gaoxin.core.access import require_roles, working_zone_ids
from gaoxin.core.excel import write_workbook, xlsx_response
from gaoxin.core.http import AuthedRequest
from gaoxin.core.lists import filtered, render_list
from gaoxin.core.pagination import LookaheadPage
from gaoxin.core.roles import STAFF_ROLES
from gaoxin.cultivation import scale
from gaoxin.cultivation.followups import open_followups
from gaoxin.cultivation.scale_forms import ScaleFilterForm
from gaoxin.cultivation.standings import radar_period
from gaoxin.economy.periods import Period
from gaoxin.enterprises.models import Enterprise

EXPORT_CHUNK = 2000
RELATED = ("national_industry__parent", "liaison_officer")


@login_required
@require_GET
def scale_list(request: AuthedRequest) -> HttpResponse:
    return _radar_list(request, scale.SCALE)


@login_required
@require_GET
def unreported_list(request: AuthedRequest) -> HttpResponse:
    return _radar_list(request, scale.UNREPORTED)


def _radar_list(request: AuthedRequest, radar: str) -> HttpResponse:
    require_roles(request.user, STAFF_ROLES)
    zone_ids = working_zone_ids(request.user)
    today = timezone.localdate()
    period = radar_period(zone_ids, today)
    form = ScaleFilterForm(request.GET, zone_ids=zone_ids, with_share=radar == scale.SCALE)
    search = partial(
        scale.radar_search,
        request.user,
        radar=radar,
        zone_ids=zone_ids,
        as_of=today,
        period=period,
    )
    queryset = filtered(form, search, Enterprise)
    if period is not None and request.GET.get("export") == "xlsx":
        return _export(queryset, radar, zone_ids, period)
    share = (form.cleaned_data.get("share") if form.is_valid() else None) or scale.DEFAULT_SHARE

    def extra(page: LookaheadPage) -> dict[str, Any]:
        ids = [row.pk for row in page.object_list]
        return {
            "radar": radar,
            "period": period,
            "share": share,
            "columns": scale.window_columns(period) if period else [],
            "strips": _strips(zone_ids, ids, period) if period else {},
            "followups": open_followups(ids, radar),
        }

    return render_list(
        request,
        form,
        queryset,
        template=f"cultivation/scale/{radar}_list.html",
        fragment="cultivation/scale/_results.html",
        default_sort=scale.DEFAULT_SORT,
        page_rows=lambda rows: rows.select_related(*RELATED),
        extra=extra,
    )


def _strips(zone_ids: list[int], ids: list[int], period: Period) -> dict[int, list[dict[str, Any]]]:
    """Each row's window as cells for the page: the column, the value in 万元 and its bar's
    height in tenths (a class: CSP allows no inline style), by the column's monthly mean
    against the row's best month, so that 1–2月 does not stand twice as tall."""
    columns = scale.window_columns(period)
    strips: dict[int, list[dict[str, Any]]] = {}
    for pk, values in scale.window_values(zone_ids, ids, period).items():
        means = [
            value / len(column.indices) if value is not None and value > 0 else None
            for column, value in zip(columns, values, strict=True)
        ]
        top = max((m for m in means if m is not None), default=None)
        strips[pk] = [
            {
                "column": column,
                "wan": scale.as_wan(value),
                "step": round(mean * 10 / top) if mean is not None and top else 0,
            }
            for column, value, mean in zip(columns, values, means, strict=True)
        ]
    return strips


def _export(
    queryset: QuerySet[Any], radar: str, zone_ids: list[int], period: Period
) -> HttpResponse:
    columns = scale.window_columns(period)
    headers = [
        _("Enterprise"),
        _("Unified social credit code"),
        _("Section (门类)"),
        _("Division (大类)"),
        _("规上 rule"),
        _("Threshold (yuan)"),
        _("Revenue, last 12 months (yuan)"),
        _("Months with figures"),
        _("Share of the threshold (%)"),
        _("Gap (yuan)"),
        *(_("Revenue %(month)s (yuan)") % {"month": column.label} for column in columns),
        _("Liaison officer"),
        _("Follow-up officer"),
        _("Followed since"),
    ]
    title = _("%(radar)s, figures to %(period)s") % {
        "radar": scale.radar_label(radar),
        "period": period.label,
    }
    content = write_workbook(headers, _export_rows(queryset, radar, zone_ids, period), title=title)
    return xlsx_response(content, f"{radar}-{period.key}.xlsx")


def _person(user: Any) -> str:
    if user is None:
        return ""
    return str(user.display_name)


def _export_rows(
    queryset: QuerySet[Any], radar: str, zone_ids: list[int], period: Period
) -> Iterator[list[Any]]:
    limit = settings.GAOXIN_EXPORT_MAX_ROWS
    rows = queryset.select_related(*RELATED)
    for offset in range(0, limit, EXPORT_CHUNK):
        chunk: list[Any] = list(rows[offset : min(offset + EXPORT_CHUNK, limit)])
        if not chunk:
            return
        ids = [row.pk for row in chunk]
        months = scale.window_values(zone_ids, ids, period)
        followups = open_followups(ids, radar)
        for row in chunk:
            division = row.national_industry
            section = division.parent if division is not None else None
            followup = followups.get(row.pk)
            yield [
                row.name,
                row.uscc,
                f"{section.code} {section.name}" if section else "",
                f"{division.code} {division.name}" if division else "",
                row.rule_name,
                row.threshold,
                row.revenue_ttm,
                row.months_ttm,
                _percent(row.ratio),
                row.gap,
                *months.get(row.pk, [None] * len(scale.window_columns(period))),
                _person(row.liaison_officer),
                _person(followup.officer) if followup else "",
                followup.started_on if followup else None,
            ]


def _percent(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.1"))
