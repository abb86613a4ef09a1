"""/economy/: the zone's figures for a month — every indicator's 本月, 本年累计 and 同比 on both
bases, this year against last month by month, by industry and by group, the enterprises that
fell and those that grew most — each number a link to its records; the table as .xlsx."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gaoxin.core.access import require_roles, user_zones, zone_ids_for
from gaoxin.core.excel import write_workbook, xlsx_response
from gaoxin.core.http import AuthedRequest
from gaoxin.core.roles import STAFF_ROLES
from gaoxin.economy.figures import page
from gaoxin.economy.figures import selectors as fs
from gaoxin.economy.figures.forms import FiguresForm
from gaoxin.economy.models import DEFAULT_PRECEDENCE, Indicator
from gaoxin.economy.selectors import values_as_of
from gaoxin.economy.services import economy_settings


@login_required
@require_GET
def figures(request: AuthedRequest) -> HttpResponse:
    # Staff read the zone's figures; an enterprise user's own are on its reporting page.
    require_roles(request.user, STAFF_ROLES)
    indicators = list(Indicator.objects.filter(is_active=True))
    form = FiguresForm(request.GET or None, zones=user_zones(request.user), indicators=indicators)
    context: dict[str, Any] = {"form": form}
    if form.is_bound and not form.is_valid():
        return render(request, "economy/figures.html", context, status=400)
    data = form.cleaned_data if form.is_bound else {}
    zone_code = data.get("zone") or ""
    zone_ids = zone_ids_for(request.user, [form.zones[zone_code].pk] if zone_code else None)
    known_on = data.get("known_on")
    # One zone reads by its own precedence of sources; several, by the default one.
    ranking = (
        economy_settings(zone_ids[0]).ranking()
        if len(zone_ids) == 1
        else [s.value for s in DEFAULT_PRECEDENCE]
    )
    rows = values_as_of(zone_ids, known_on, ranking)
    period = data.get("period") or fs.latest_period(rows)
    context.update({"period": period, "known_on": known_on, "zone_code": zone_code})
    if period is None:
        return render(request, "economy/figures.html", context)
    basis = data.get("basis") or fs.Basis.COMPARABLE
    indicator = next(
        (i for i in indicators if i.code == data.get("indicator")),
        indicators[0] if indicators else None,
    )
    links = page.Links(period, zone_code)
    # The sums are read through the figures cache: a warm view computes none of them.
    read = page.cached_reads(zone_ids, period, known_on, ranking)
    lines = page.table(rows, indicators, period, links, read)
    if request.GET.get("export") == "xlsx":
        headers, sheet = page.table_sheet(lines, period)
        title = _("The zone's figures, %(period)s") % {"period": period.label}
        content = write_workbook(headers, sheet, title=title)
        return xlsx_response(content, f"economy-{period.key}.xlsx")
    context.update({"lines": lines, "basis": basis, "indicator": indicator})
    if indicator is not None:
        context.update(
            {
                "months": page.months_chart(
                    rows,
                    indicator,
                    period,
                    links,
                    read(
                        f"by_month.{indicator.code}",
                        lambda: fs.by_month(rows, indicator, period),
                    ),
                ),
                "industries": page.industries(
                    rows,
                    indicator,
                    period,
                    basis,
                    links,
                    read(
                        f"by_industry.{indicator.code}.{basis}",
                        lambda: fs.by_industry(rows, indicator, period, basis),
                    ),
                ),
                "groups": page.groups(rows, indicator, period, basis, links, read),
                "lists": page.enterprise_lists(
                    rows,
                    indicator,
                    period,
                    zone_ids,
                    links,
                    in_effect=known_on is None,
                    read=read,
                ),
            }
        )
    return render(request, "economy/figures.html", context)
