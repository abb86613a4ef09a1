"""Metrics: the registered figures, and one figure in a scope (zones and day) with the records
behind it, as the page /metrics/<key>/ shows them.

The value is read through `core.metrics.Values` (the figures cache, as the dashboard reads
it), the records are the metric's own records function of the scope and each row's cells are
the page's (`core.cells`): the API cannot say another number, or other records, than the
pages."""

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import ValidationError
from pydantic import ValidationError as PydanticError

from gaoxin.api.auth import TokenAuth
from gaoxin.api.errors import COMMON_ERRORS
from gaoxin.api.pagination import IdCursor
from gaoxin.core.access import require_roles, user_zone_ids, user_zones, zone_ids_for
from gaoxin.core.cells import RecordColumn, record_columns, unit_kind
from gaoxin.core.forms import ScopeForm
from gaoxin.core.metrics import Metric, MetricScope, Values, registry
from gaoxin.core.roles import STAFF_ROLES

router = Router(auth=TokenAuth("metrics"), tags=["metrics"])

# A metric key: dotted words, a family's member ending in its parameter
# ("enterprises.industry.12", "radar.efficiency.A").
MetricKey = Annotated[str, Path(max_length=200, pattern=r"^[A-Za-z0-9_.\-]+$")]


class MetricOut(Schema):
    key: str
    label: str = Field(description="in the caller's language")
    unit: str = Field(description="the unit's symbol: 个, 家, 人, 元, 平方米, 天, %")
    description: str | None


class ColumnOut(Schema):
    key: str = Field(description="the key of the column's values in each record's `fields`")
    label: str


class RecordOut(Schema):
    id: int
    name: str = Field(description="the record as the pages name it")
    url: str | None = Field(description="the record's page, if it has one")
    fields: dict[str, str] = Field(description="each column's cell as the page shows it")


class RecordPage(Schema):
    results: list[RecordOut]
    next: str | None
    previous: str | None


class FigureOut(Schema):
    key: str
    label: str
    unit: str
    description: str | None
    as_of: dt.date
    zones: list[int] = Field(description="the ids of the zones the figure covers")
    value: int | Decimal | None = Field(
        description="a count as a whole number, a sum or a ratio as a decimal (exact, in "
        "the unit: yuan, m², days, per cent); null when it cannot be computed (a growth on "
        "nothing)"
    )
    shown: str = Field(description="the value as the page shows it")
    count: int | None = Field(description="how many records make it, for a count")
    columns: list[ColumnOut]
    records: RecordPage


class FigureQuery(Schema):
    zone: str = Field(
        "",
        max_length=32,
        description="a zone's id or code among the token's zones; empty: all of them",
    )
    as_of: str = Field(
        "",
        max_length=10,
        pattern=r"^(\d{4}-\d{2}-\d{2})?$",
        description="YYYY-MM-DD, not in the future; empty: today",
    )
    cursor: str | None = Field(None, max_length=200)
    page_size: int | None = Field(None, ge=1, le=200)


def _description(metric: Metric) -> str | None:
    return str(metric.description) if metric.description else None


@router.get("/", response={200: list[MetricOut], **COMMON_ERRORS}, operation_id="metric_list")
def metric_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Every registered metric (a bounded list: the registry is code, not data). A family's
    members ("enterprises.industry.<id>") are read by their keys with `metric_get`, as the
    pages link them."""
    require_roles(request.user, STAFF_ROLES)  # type: ignore[arg-type]
    return [
        {
            "key": m.key,
            "label": str(m.label),
            "unit": m.unit.symbol,
            "description": _description(m),
        }
        for m in registry.all()
    ]


def _refused(field: str, message: str) -> ValidationError:
    return ValidationError([{"loc": ("query", field), "msg": message, "type": "refused"}])


def _scope(request: HttpRequest, query: FigureQuery) -> MetricScope:
    """The page's reading of `?zone=&as_of=` (core.forms.scope_from_request: its form, its
    messages), a zone also named by its id."""
    user: Any = request.user
    zones = user_zones(user)
    code = query.zone
    if code.isascii() and code.isdigit():
        code = next((z.code for z in zones if str(z.pk) == code), code)
    form = ScopeForm({"zone": code, "as_of": query.as_of}, zones=zones)
    if not form.is_valid():
        field, messages = next(iter(form.errors.items()))
        raise _refused(field, str(messages[0]))
    picked = form.cleaned_data.get("zone") or ""
    requested = [form.zones[picked].pk] if picked else None
    return MetricScope.of(zone_ids_for(user, requested), form.cleaned_data.get("as_of"))


def _record(obj: Any, columns: list[RecordColumn]) -> dict[str, Any]:
    get_url = getattr(obj, "get_absolute_url", None)
    return {
        "id": obj.pk,
        "name": str(obj),
        "url": get_url() if callable(get_url) else None,
        "fields": {column.path: column.cell(obj).text for column in columns},
    }


def _page(request: HttpRequest, records: QuerySet[Any], query: FigureQuery) -> dict[str, Any]:
    paginator = IdCursor()
    try:
        return paginator.paginate_queryset(  # type: ignore[no-any-return]
            records,
            IdCursor.Input(page_size=query.page_size, cursor=query.cursor),
            request,
        )
    except PydanticError as error:  # a cursor that decodes to nonsense
        raise _refused("cursor", "Invalid cursor") from error


@router.get("/{key}", response={200: FigureOut, **COMMON_ERRORS}, operation_id="metric_get")
def metric_get(request: HttpRequest, key: MetricKey, query: Query[FigureQuery]) -> dict[str, Any]:
    """One figure in a scope and the records behind it (a page of them, by cursor), as the
    page /metrics/<key>/ shows it."""
    user: Any = request.user
    require_roles(user, STAFF_ROLES)
    metric = registry.find(key)
    if metric is None or (metric.zone_id is not None and metric.zone_id not in user_zone_ids(user)):
        raise Http404
    scope = _scope(request, query)
    value = Values(scope)(metric)
    records = metric.records(scope)
    columns = record_columns(records, metric.columns, unit_kind(metric.unit))
    # The cells' text only: the record's own link is its `url`, reversed once.
    cells = [dataclasses.replace(column, link=False) for column in columns]
    page = _page(request, records, query)
    page["results"] = [_record(obj, cells) for obj in page["results"]]
    computable = not (isinstance(value, Decimal) and value.is_nan())
    return {
        "key": metric.key,
        "label": str(metric.label),
        "unit": metric.unit.symbol,
        "description": _description(metric),
        "as_of": scope.as_of,
        "zones": list(scope.zone_ids),
        "value": value if computable else None,
        "shown": metric.format(value),
        "count": int(value) if metric.sum_field is None and metric.compute is None else None,
        "columns": [{"key": c.path, "label": c.label} for c in columns],
        "records": page,
    }
