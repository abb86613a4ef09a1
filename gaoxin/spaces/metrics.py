"""Figures of the industrial spaces: how many and how much floor area by status, as of a date
(from the dated status changes), the total, what is leased and the occupancy."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from gaoxin.core.metrics import Column, Kind, MetricScope, Unit, metric
from gaoxin.spaces import selectors
from gaoxin.spaces.models import Space

GROUP = _("Industrial spaces")
COLUMNS = (
    Column(_("Space"), "name"),
    Column(_("Developer"), "developer"),
    Column(_("Status"), "get_status_display"),
    Column(_("Total floor area (m²)"), "total_floor_area"),
    Column(_("Leased floor area (m²)"), "leased_floor_area"),
    Column(_("Planned completion"), "planned_completion_on"),
)

EXPORT_COLUMNS = (
    Column("空间名称", "name"),
    Column("开发主体", "developer"),
    Column("地址", "address"),
    Column("状态", "get_status_display"),
    Column("状态起始日期", "status_on"),
    Column("总建筑面积（平方米）", "total_floor_area"),
    Column("已出租面积（平方米）", "leased_floor_area"),
    Column("出租率（%）", "occupancy", Kind.PERCENT),
    Column("计划竣工日期", "planned_completion_on"),
    Column("实际竣工日期", "completed_on"),
)


def _at(scope: MetricScope, status: str) -> QuerySet[Space]:
    spaces = selectors.recorded_by(scope.zone_ids, scope.as_of)
    return selectors.with_status_as_of(spaces, scope.as_of).filter(status_as_of=status)


def _register(status: str, label: str | Promise) -> None:
    def records(scope: MetricScope, status: str = status) -> QuerySet[Space]:
        return _at(scope, status).order_by("name")

    metric(
        f"spaces.count.{status}",
        label=format_lazy(_("Spaces {status}"), status=label),
        unit=Unit.ITEM,
        columns=COLUMNS,
        group=GROUP,
    )(records)
    metric(
        f"spaces.area.{status}",
        label=format_lazy(_("Floor area of spaces {status}"), status=label),
        unit=Unit.SQUARE_METRE,
        sum_field="total_floor_area",
        columns=COLUMNS,
        group=GROUP,
    )(records)


for _status in Space.Status:
    _register(_status.value, _status.label)


def _all(scope: MetricScope) -> QuerySet[Space]:
    return selectors.recorded_by(scope.zone_ids, scope.as_of).order_by("name")


@metric(
    "spaces.count",
    label=_("Industrial spaces"),
    unit=Unit.ITEM,
    columns=COLUMNS,
    group=GROUP,
)
def count(scope: MetricScope) -> QuerySet[Space]:
    return _all(scope)


@metric(
    "spaces.area.total",
    label=_("Total floor area of industrial spaces"),
    unit=Unit.SQUARE_METRE,
    sum_field="total_floor_area",
    columns=COLUMNS,
    group=GROUP,
)
def area_total(scope: MetricScope) -> QuerySet[Space]:
    return _all(scope)


# The leased area and the occupancy depend on the tenant projects' stages as of the date, so
# they are registered by the projects app, which sits above this one.
