"""The metrics and the records behind each figure."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gaoxin.core import figure_cache
from gaoxin.core.access import require_roles, user_zone_ids
from gaoxin.core.cells import export_columns, record_columns, record_rows, unit_kind
from gaoxin.core.exports import export_response
from gaoxin.core.forms import scope_from_request
from gaoxin.core.http import AuthedRequest
from gaoxin.core.metrics import Column, MetricScope, Unit, Values, area_of, registry
from gaoxin.core.pagination import paginate, query_without_page
from gaoxin.core.roles import STAFF_ROLES


def index_rows(scope: MetricScope) -> list[tuple[str, Promise | str, Unit, int | Decimal]]:
    """Every metric of the scope (each family's members that exist in it) with its value:
    key, label, unit and value, through the figures cache (core/figure_cache.py), so a second
    view asks neither the families' records nor the values. The labels stay lazy (a family
    member's label is a `format_lazy` of the record's name), so a reader in either language
    reads them in his own; the unit says how a value is shown when it is read."""

    def compute() -> list[tuple[str, Promise | str, Unit, int | Decimal]]:
        values = Values(scope)
        return [(m.key, m.label, m.unit, values(m)) for m in registry.expanded(scope)]

    return figure_cache.cached(scope.zone_ids, scope.as_of, "core.metric_index", compute)


@login_required
@require_GET
def metric_index(request: AuthedRequest) -> HttpResponse:
    require_roles(request.user, STAFF_ROLES)
    asked = scope_from_request(request)
    form, scope = asked.form, asked.scope
    areas: dict[int, dict[str, Any]] = {}
    if scope is not None:
        for key, label, unit, value in index_rows(scope):
            index, name = area_of(key)
            area = areas.setdefault(index, {"name": name, "rows": []})
            metric = {"key": key, "label": label}
            area["rows"].append({"metric": metric, "value": value, "shown": unit.format(value)})
    return render(
        request,
        "core/metric_index.html",
        {
            "form": form,
            "scope": scope,
            "areas": [areas[index] for index in sorted(areas)],
            "query": request.GET.urlencode(),
        },
        status=asked.status,
    )


@login_required
@require_GET
def metric_detail(request: AuthedRequest, key: str) -> HttpResponse:
    require_roles(request.user, STAFF_ROLES)
    metric = registry.find(key)
    if metric is None or (
        metric.zone_id is not None and metric.zone_id not in user_zone_ids(request.user)
    ):
        raise Http404
    asked = scope_from_request(request)
    scope = asked.scope
    context = {"metric": metric, "form": asked.form, "scope": scope}
    if scope is None:
        return render(request, "core/metric_detail.html", context, status=asked.status)
    value, records = metric.evaluate(scope)
    count = int(value) if metric.sum_field is None and metric.compute is None else None
    if request.GET.get("export") == "xlsx":
        return export_response(
            records,
            export_columns(records, metric.columns, unit_kind(metric.unit))
            or [Column(_("Record"), "__str__")],
            name=metric.label,
            title=f"{metric.label} · {scope.as_of:%Y-%m-%d}",
            filename=f"{metric.key}-{scope.as_of:%Y%m%d}.xlsx",
            all_rows=True,
            request=request,
            rows=count,
        )
    page = paginate(request, records, count=count)
    columns = record_columns(records, metric.columns, unit_kind(metric.unit))
    context.update(
        {
            "value": value,
            "shown": metric.format(value),
            "page": page,
            "columns": columns,
            "rows": record_rows(columns, page),
            "query": query_without_page(request),
        }
    )
    template = "core/_metric_records.html" if request.htmx else "core/metric_detail.html"
    return render(request, template, context)
