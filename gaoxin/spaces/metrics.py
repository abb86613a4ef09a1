"""Figures of the industrial spaces: how many and how much floor area by status, as of a date
(from the dated status changes), the total, what is leased and the occupancy."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from gaoxin.core.metrics import Column, Kind, MetricScope, Said, Unit, metric, subject
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


# --- how reports write these figures (数据核对) ------------------------------------------------

# The spaces a sentence is about: all of them ("建成后全区产业新空间总建筑面积将达到约325万平方米"),
# or those of one status, which carries to the next clause ("目前在建8个产业新空间项目，总建筑面积约
# 210万平方米": the 210万 are the building ones).
subject(
    "spaces",
    _("Industrial spaces"),
    "全区产业新空间",
    "全区产业空间",
    "产业新空间",
    "产业空间",
    "园区载体",
)
subject("spaces_planned", _("Planned (规划)"), "规划建设", "规划中", "拟建")
subject(
    "spaces_building",
    _("Under construction (在建)"),
    "在建",
    "计划年内建设",
    "年内建设",
    "正在建设",
)
subject("spaces_built", _("Completed (已建成)"), "已建成投用", "已建成", "建成投用")

COUNTED = ("个", "处")
STATUS_WORDS: dict[str, tuple[str, ...]] = {
    Space.Status.PLANNED: ("规划建设", "规划", "拟建"),
    Space.Status.BUILDING: ("在建", "计划年内建设", "正在建设"),
    Space.Status.BUILT: ("已建成", "建成投用", "已投用"),
}
AREA_WORDS = ("总建筑面积", "建筑面积", "面积")


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
        said=Said(STATUS_WORDS[status], COUNTED, f"spaces_{status}"),
    )(records)
    metric(
        f"spaces.area.{status}",
        label=format_lazy(_("Floor area of spaces {status}"), status=label),
        unit=Unit.SQUARE_METRE,
        sum_field="total_floor_area",
        columns=COLUMNS,
        group=GROUP,
        said=Said((*STATUS_WORDS[status], *AREA_WORDS), subject=f"spaces_{status}"),
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
    # 全区产业新空间已经达到11个
    said=Said(
        (
            "共有产业新空间",
            "产业新空间总数",
            "产业空间总数",
            "纳入统计",
            "已经达到",
            "共有",
            "现有",
        ),
        COUNTED,
        "spaces",
    ),
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
    # 建成后全区产业新空间总建筑面积将达到约325万平方米
    said=Said(("总建筑面积将达到", "建成后", "将达到", *AREA_WORDS), subject="spaces"),
)
def area_total(scope: MetricScope) -> QuerySet[Space]:
    return _all(scope)


# The leased area and the occupancy depend on the tenant projects' stages as of the date, so
# they are registered by the projects app, which sits above this one.
