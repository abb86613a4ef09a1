"""The metrics and the records behind each figure."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise, _lazy_proxy_unpickle  # type: ignore[attr-defined]
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_safe

from gaoxin.core import figure_cache
from gaoxin.core.access import require_roles, user_zone_ids
from gaoxin.core.cells import export_columns, record_columns, record_rows, unit_kind
from gaoxin.core.exports import export_response
from gaoxin.core.forms import scope_from_request
from gaoxin.core.http import AuthedRequest
from gaoxin.core.metrics import Column, MetricScope, Unit, Values, area_of, registry
from gaoxin.core.pagination import paginate, query_without_page
from gaoxin.core.roles import STAFF_ROLES


@dataclass(frozen=True)
class _Lazy:
    """A lazy translation as plain data: its function and arguments, called when read, in
    the reader's language. (Unpickling Django's lazy objects themselves builds a class per
    object: 5 ms each, seconds for the index's thousand labels.)"""

    func: Callable[..., str]
    args: tuple[Any, ...]
    kw: dict[str, Any]


def _portable(label: Any) -> Any:
    """A metric's label to cache: a string as it is, a lazy translation (gettext_lazy,
    format_lazy of lazy parts) as `_Lazy`; None when it is neither (it is read afresh)."""
    if not isinstance(label, Promise):
        return label if isinstance(label, str | int | Decimal) else None
    try:
        unpickle, (func, args, kw, *_classes) = label.__reduce__()  # type: ignore[misc]
    except (TypeError, ValueError):
        return None
    if unpickle is not _lazy_proxy_unpickle or getattr(func, "__qualname__", "<").count("<"):
        return None  # a closure or a lambda would not pickle
    parts = [_portable(arg) for arg in args]
    named = {name: _portable(value) for name, value in kw.items()}
    if any(part is None for part in [*parts, *named.values()]):
        return None
    return _Lazy(func, tuple(parts), named)


def _read(label: Any) -> Any:
    if isinstance(label, _Lazy):
        return label.func(*map(_read, label.args), **{k: _read(v) for k, v in label.kw.items()})
    return label


def index_rows(scope: MetricScope) -> list[tuple[str, Any, Unit, int | Decimal]]:
    """Every metric of the scope (each family's members that exist in it) with its value:
    key, label, unit and value, through the figures cache (core/figure_cache.py), so a second
    view asks neither the families' records nor the values. The labels are cached as what
    makes them (`_Lazy`), not as text, so each reader reads them in his own language."""

    def compute() -> list[tuple[str, Any, str, int | Decimal]]:
        values = Values(scope)
        metrics = registry.expanded(scope)
        # Siblings and each family's members read together, not one query a member (issue 19).
        values.prefetch(metrics)
        # The unit by name: a Unit's value holds a lazy word, which pickles as a new object
        # that is no longer the member's value.
        return [(m.key, _portable(m.label), m.unit.name, values(m)) for m in metrics]

    rows = figure_cache.cached(scope.zone_ids, scope.as_of, "core.metric_index", compute)
    found = []
    for key, label, unit, value in rows:
        if label is None:  # a label the cache could not hold: the metric's own
            metric = registry.find(key)
            label = metric.label if metric is not None else key
        found.append((key, _read(label), Unit[unit], value))
    return found


@login_required
@require_safe  # GET, and HEAD for the uptime monitors that ask that way
def ping(request: AuthedRequest) -> HttpResponse:
    """A signed-in page that renders nothing: the whole request path (middleware, session,
    sign-in, second-factor gate, CSP) and no view work. bench/throughput.py measures it as the
    framework's ceiling on the machine; a monitor may use it to check that sign-in works."""
    response = HttpResponse("ok", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def metric_index(request: AuthedRequest) -> HttpResponse:
    require_roles(request.user, STAFF_ROLES)
    asked = scope_from_request(request)
    form, scope = asked.form, asked.scope
    areas: dict[int, dict[str, Any]] = {}
    if scope is not None:
        # One reverse for the thousand links (a metric key needs no quoting).
        records_url = reverse("core:metric_detail", args=["__key__"])
        query = request.GET.urlencode()
        if query:
            records_url = f"{records_url}?{query}"
        for key, label, unit, value in index_rows(scope):
            index, name = area_of(key)
            area = areas.setdefault(index, {"name": name, "rows": []})
            url = records_url.replace("__key__", key)
            area["rows"].append(
                {
                    "key": key,
                    "label": label,
                    "url": url,
                    "value": value,
                    "shown": unit.format(value),
                }
            )
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
