"""Figures of the project pipeline, all read from dated stage changes so that each can be asked
as of any day: projects that reached a stage, projects at a stage, the money and output of the
signed ones, and how fast land becomes a building site."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from gaoxin.core.metrics import (
    Column,
    Kind,
    MetricScope,
    Said,
    Unit,
    breakdown,
    metric,
    subject,
)
from gaoxin.industries.models import Industry
from gaoxin.projects import selectors, stages
from gaoxin.projects.models import Project
from gaoxin.projects.stages import LEASING_STAGES, Stage
from gaoxin.spaces import selectors as space_selectors

GROUP = _("Projects")

PROJECT_COLUMNS = (
    Column(_("Project"), "name"),
    Column(_("Investor"), "investor_name"),
    Column(_("Industry"), "industry.name"),
    Column(_("Carrier"), "get_carrier_display"),
    Column(_("Current stage"), "get_stage_display"),
    Column(_("Fixed-asset investment (yuan)"), "fixed_asset_investment"),
    Column(_("Expected annual output (yuan)"), "expected_annual_output"),
    Column(_("Expected to become 规上"), "expected_above_scale"),
    Column(_("Serving officer"), "officer"),
)


SPACE_GROUP = _("Tenant projects of industrial spaces")

# --- how reports write these figures (数据核对) ------------------------------------------------

# The projects a sentence is about, carried across its clauses: all of them, the tenants of the
# industrial spaces (the article's "5.0产业新空间126个项目…96个项目已签约并将入驻"), or the
# projects on land parcels. The same words (已签约) are a different figure for each.
subject("projects", _("Projects"), "重点项目", "产业项目", "招商项目", "工业投资项目", "项目")
subject(
    "space_projects",
    _("Space tenant projects"),
    "入驻项目",
    "将入驻",
    "入驻",
    "产业新空间",
    "产业空间",
    "园区载体",
)
subject("land_projects", _("Land projects"), "产业用地项目", "产业用地", "用地项目", "拿地")

COUNTED = ("个", "项")  # a count of projects: 96个, 12项
SUBJECT_OF_CARRIER = {None: "projects", "space": "space_projects", "land": "land_projects"}

# Projects that reached a stage: 已签约96个 (signed or further on, as "reached" counts them).
REACHED_WORDS: dict[str, tuple[str, ...]] = {
    # Every project of the pipeline: 加快推进产业新空间126个项目落地投产.
    # 产业新空间126个项目中，已签约96个.
    Stage.PLANNED: ("落地投产", "项目总数", "在库项目", "储备项目", "项目中", "共有"),
    Stage.NEGOTIATING: ("累计洽谈", "已洽谈", "洽谈"),
    Stage.SIGNED: ("已签约", "已经签约", "签约"),
    Stage.REGISTERED: ("已注册", "已经注册", "注册"),
    Stage.FITTING_OUT: ("已进场装修", "进场装修", "已装修"),
    Stage.LAND_ACQUIRED: ("已拿地", "拿地"),
    Stage.CONSTRUCTION: ("已动工", "已开工", "动工", "开工"),
    Stage.COMPLETED: ("已竣工", "竣工"),
    Stage.IN_PRODUCTION: ("已投产", "已经投产", "投产"),
    Stage.FULL_CAPACITY: ("已达产", "已经达产", "达产"),
}
# A space tenant's signing is written with its moving in: 目前，96个项目已签约并将入驻.
SPACE_REACHED_WORDS: dict[str, tuple[str, ...]] = {
    Stage.SIGNED: ("已签约并将入驻", "签约入驻"),
}
# Projects at a stage on the day: 正在装修37个.
CURRENT_WORDS: dict[str, tuple[str, ...]] = {
    Stage.PLANNED: ("正在谋划", "处于谋划阶段", "谋划阶段", "谋划中", "谋划"),
    Stage.NEGOTIATING: ("正在洽谈", "处于洽谈阶段", "洽谈阶段", "洽谈中", "在谈"),
    Stage.SIGNED: ("已签约未注册", "签约未注册", "签约待注册", "处于签约阶段"),
    Stage.REGISTERED: ("已注册待装修", "已注册未开工", "处于注册阶段", "注册阶段"),
    Stage.FITTING_OUT: ("正在装修", "装修中", "装修"),
    Stage.LAND_ACQUIRED: ("已拿地未动工", "拿地未动工", "待开工"),
    Stage.CONSTRUCTION: ("正在建设", "正在施工", "施工中", "在建"),
    Stage.COMPLETED: ("已竣工未投产", "竣工未投产", "竣工待投产"),
    Stage.IN_PRODUCTION: ("已投产未达产", "投产未达产"),
    Stage.FULL_CAPACITY: ("达产运营", "已达产运营"),
    Stage.TERMINATED: ("已终止", "终止", "退出"),
}


def _pipeline(scope: MetricScope) -> QuerySet[Project]:
    """The base of every pipeline figure below: they are siblings, read in one query."""
    return selectors.pipeline(scope.zone_ids, scope.as_of)


def _carrier_q(carrier: str | None) -> Q:
    return Q() if carrier is None else Q(carrier=carrier)


# The project list's sheet (项目清单).
EXPORT_COLUMNS = (
    Column("项目名称", "name"),
    Column("投资方", "investor_name"),
    Column("统一社会信用代码", "enterprise.uscc"),
    Column("所属产业", "industry.name"),
    Column("载体", "get_carrier_display"),
    Column("地块编号", "land_parcel_code"),
    Column("产业空间", "space.name"),
    Column("占用面积（平方米）", "floor_area"),
    Column("当前阶段", "get_stage_display"),
    Column("进入本阶段日期", "stage_on"),
    Column("计划总投资（元）", "planned_investment"),
    Column("固定资产投资（元）", "fixed_asset_investment"),
    Column("预计年产值（元）", "expected_annual_output"),
    Column("预计年税收（元）", "expected_annual_tax"),
    Column("预计上规", "expected_above_scale", Kind.SHI_FOU),
    Column("服务专员", "officer"),
)
RELATED = ("industry", "officer")


def _register_stage_metrics(stage: Stage, carrier: str | None = None) -> None:
    """projects.reached.<stage> and projects.current.<stage>; with a carrier, the same for
    that carrier's projects only (projects.space.…: the tenant projects of the spaces)."""
    prefix = "projects" if carrier is None else f"projects.{carrier}"
    group = SPACE_GROUP if carrier == stages.Carrier.SPACE else GROUP
    about = SUBJECT_OF_CARRIER[carrier]
    who = (
        _("Projects")
        if carrier is None
        else _("Space tenant projects")
        if carrier == stages.Carrier.SPACE
        else _("Land projects")
    )

    def reached(scope: MetricScope, stage: str = stage) -> Q:
        return selectors.reached_q(scope.as_of, stage) & _carrier_q(carrier)

    def current(scope: MetricScope, stage: str = stage) -> Q:
        return selectors.current_q(scope.as_of, stage) & _carrier_q(carrier)

    reached_words = REACHED_WORDS.get(stage, ())
    if carrier == stages.Carrier.SPACE:
        reached_words = (*SPACE_REACHED_WORDS.get(stage, ()), *reached_words)
    if stage != Stage.TERMINATED:
        metric(
            f"{prefix}.reached.{stage}",
            label=format_lazy(_("{who} that reached {stage}"), who=who, stage=stage.label),
            unit=Unit.ITEM,
            columns=PROJECT_COLUMNS,
            group=group,
            description=_(
                "Projects with a stage change into this stage, or a later stage of their path, "
                "on or before the date."
            ),
            base=_pipeline,
            related=RELATED,
            order=("name",),
            said=Said(reached_words, COUNTED, about),
        )(reached)
    metric(
        f"{prefix}.current.{stage}",
        label=format_lazy(_("{who}, current stage: {stage}"), who=who, stage=stage.label),
        unit=Unit.ITEM,
        columns=PROJECT_COLUMNS,
        group=group,
        description=_(
            "Projects whose latest stage change on or before the date is into this stage."
        ),
        base=_pipeline,
        related=RELATED,
        order=("name",),
        said=Said(CURRENT_WORDS[stage], COUNTED, about),
    )(current)


for _stage in (*stages.BOARD_ORDER, Stage.TERMINATED):
    _register_stage_metrics(_stage)
for _stage in (*stages.path_of(stages.Carrier.SPACE), Stage.TERMINATED):
    _register_stage_metrics(_stage, stages.Carrier.SPACE)
# The land path's figures (projects.land.…): the board's columns when it shows that path.
for _stage in (*stages.path_of(stages.Carrier.LAND), Stage.TERMINATED):
    _register_stage_metrics(_stage, stages.Carrier.LAND)


def _signed_metrics(carrier: str | None) -> None:
    """The money, output and expected 规上 of the projects that reached 签约 by the date (their
    current figures); projects.space.signed.… for the space tenants only."""
    prefix = "projects.signed" if carrier is None else f"projects.{carrier}.signed"
    group = GROUP if carrier is None else SPACE_GROUP

    def signed(scope: MetricScope) -> Q:
        return selectors.reached_q(scope.as_of, Stage.SIGNED) & _carrier_q(carrier)

    def signed_above_scale(scope: MetricScope) -> Q:
        return signed(scope) & Q(expected_above_scale=True)

    labels_by_carrier: dict[str | None, tuple[Any, ...]] = {
        None: (
            _("Fixed-asset investment of signed projects"),
            _("Planned total investment of signed projects"),
            _("Expected annual output of signed projects"),
            _("Signed projects expected to become 规上"),
        ),
        stages.Carrier.SPACE: (
            _("Fixed-asset investment of signed space tenant projects"),
            None,
            _("Expected annual output of signed space tenant projects"),
            _("Signed space tenant projects expected to become 规上"),
        ),
    }
    labels = labels_by_carrier[carrier]
    about = SUBJECT_OF_CARRIER[carrier]
    sums = (
        ("fixed_asset_investment", labels[0]),
        ("planned_investment", labels[1]),
        ("expected_output", labels[2]),
    )
    words = {
        # 固定资产投资预计达32.48亿元
        "fixed_asset_investment": ("固定资产投资", "固投", "预计投资"),
        "planned_investment": ("计划总投资", "总投资", "投资总额"),
        # 预计全年产值可达57.33亿元
        # (not 产值 alone: 规上工业总产值 is the economy's)
        "expected_output": ("预计全年产值", "全年产值", "预计年产值", "达产后年产值", "年产值"),
    }
    for name, label in sums:
        if label is None:
            continue
        field = "expected_annual_output" if name == "expected_output" else name
        metric(
            f"{prefix}.{name}",
            label=label,
            unit=Unit.YUAN,
            sum_field=field,
            columns=PROJECT_COLUMNS,
            group=group,
            description=_("The sum over projects that reached 签约 by the date (current figures).")
            if name == "fixed_asset_investment" and carrier is None
            else "",
            base=_pipeline,
            related=RELATED,
            order=(f"-{field}", "name"),
            said=Said(words[name], subject=about),
        )(signed)
    metric(
        f"{prefix}.expected_above_scale",
        label=labels[3],
        unit=Unit.ENTERPRISE,
        columns=PROJECT_COLUMNS,
        group=group,
        base=_pipeline,
        related=RELATED,
        order=("name",),
        # 预计新增上规企业47家
        said=Said(("预计新增上规企业", "新增上规企业", "新增上规", "上规企业"), ("家",), about),
    )(signed_above_scale)


_signed_metrics(None)
_signed_metrics(stages.Carrier.SPACE)


# --- the spaces' leased area, from their tenants' stages as of the date --------------------------

TENANT_COLUMNS = (
    Column(_("Project"), "name"),
    Column(_("Industrial space"), "space.name"),
    Column(_("Floor area (m²)"), "floor_area"),
    Column(_("Current stage"), "get_stage_display"),
    Column(_("Serving officer"), "officer"),
)


def _leasing(scope: MetricScope) -> QuerySet[Project]:
    """Space tenants holding their floor area on the date: signed (签约) or later on their path,
    and not terminated, as their stage changes stood then."""
    tenants = Project.objects.filter(
        zone_id__in=scope.zone_ids,
        carrier=stages.Carrier.SPACE,
        space__isnull=False,
        floor_area__isnull=False,
    )
    return selectors.with_stage_as_of(tenants, scope.as_of).filter(stage_as_of__in=LEASING_STAGES)


@metric(
    "spaces.area.leased",
    label=_("Floor area leased to tenant projects"),
    unit=Unit.SQUARE_METRE,
    sum_field="floor_area",
    columns=TENANT_COLUMNS,
    group=SPACE_GROUP,
    description=_("Floor area of space tenants that had signed and were not terminated."),
    # 入驻项目已租用面积86.3万平方米: the tenants' area.
    said=Said(
        ("已租用面积", "已出租面积", "租用面积", "出租面积", "已租面积"), subject="space_projects"
    ),
)
def spaces_area_leased(scope: MetricScope) -> QuerySet[Project]:
    return _leasing(scope).select_related("space", "officer").order_by("space__name", "name")


def _occupancy(tenants: QuerySet[Project], scope: MetricScope) -> Decimal:
    leased: Decimal = tenants.aggregate(total=Sum("floor_area"))["total"] or Decimal(0)
    total: Decimal | None = space_selectors.recorded_by(scope.zone_ids, scope.as_of).aggregate(
        total=Sum("total_floor_area")
    )["total"]
    if not total:
        return Decimal(0)
    return (leased * 100 / total).quantize(Decimal("0.1"))


@metric(
    "spaces.occupancy",
    label=_("Occupancy of industrial spaces"),
    unit=Unit.PERCENT,
    columns=TENANT_COLUMNS,
    group=SPACE_GROUP,
    compute=_occupancy,
    description=_(
        "Floor area leased to tenant projects over the total floor area of the spaces "
        "recorded by the date."
    ),
    said=Said(("出租率", "入驻率", "使用率"), subject="spaces"),
)
def spaces_occupancy(scope: MetricScope) -> QuerySet[Project]:
    return spaces_area_leased.records(scope)


LAND_COLUMNS = (
    Column(_("Project"), "name"),
    Column(_("Land parcel code"), "land_parcel_code"),
    Column(_("Days from land to construction"), "land_to_construction_days"),
    Column(_("Current stage"), "get_stage_display"),
    Column(_("Serving officer"), "officer"),
)


def _started_construction(scope: MetricScope) -> Q:
    """Land projects that had reached 动工 by the day, with their days from 拿地 recorded."""
    return selectors.reached_q(scope.as_of, Stage.CONSTRUCTION) & Q(
        carrier=stages.Carrier.LAND, land_to_construction_days__isnull=False
    )


@metric(
    "projects.land_to_construction.average_days",
    label=_("Average days from land acquired to construction started"),
    unit=Unit.DAY,
    sum_field="land_to_construction_days",
    aggregate="avg",
    columns=LAND_COLUMNS,
    group=GROUP,
    description=_("Over land projects that started construction by the date; 拿地即开工 is 0."),
    base=_pipeline,
    related=("officer",),
    order=("land_to_construction_days", "name"),
    # 产业用地项目从拿地到动工平均用时12.5天
    said=Said(("从拿地到动工平均用时", "平均用时", "平均"), subject="land_projects"),
)
def land_to_construction_days(scope: MetricScope) -> Q:
    return _started_construction(scope)


@metric(
    "projects.land_to_construction.same_day",
    label=_("Projects that started construction the day they got the land (拿地即开工)"),
    unit=Unit.ITEM,
    columns=LAND_COLUMNS,
    group=GROUP,
    base=_pipeline,
    related=("officer",),
    order=("name",),
    # 推动…等2个项目实现从拿地到动工的“无缝衔接”（拿地即开工）
    said=Said(("拿地即开工", "无缝衔接"), COUNTED, "land_projects"),
)
def same_day_construction(scope: MetricScope) -> Q:
    return _started_construction(scope) & Q(land_to_construction_days=0)


# The blockers and approvals figures live beside their services; importing them registers them
# (blockers first: the figures are listed in the order they were registered).
from gaoxin.projects.work.blockers import metrics as blocker_metrics  # noqa: E402, F401, I001
from gaoxin.projects.work.approvals import metrics as approval_metrics  # noqa: E402, F401

# Breakdowns the dashboard links to: one industry's share of the signed projects' figures. A
# report writes an industry's share of all projects ("储能产业项目固定资产投资…亿元"); the space
# tenants' shares would read the same, so they say nothing (数据核对 takes the all-projects one).
for _base in ("projects.signed.fixed_asset_investment", "projects.signed.expected_output"):
    breakdown(_base, "industry", "industry_id", Industry, subject="industry")
for _base in (
    "projects.space.signed.fixed_asset_investment",
    "projects.space.signed.expected_output",
):
    breakdown(_base, "industry", "industry_id", Industry)
