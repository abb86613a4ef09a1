"""Figures of the enterprise registry. As-of dates are honoured through settled_on (the day an
enterprise joined the registry), its dated exits and returns (EnterpriseExit), its 规上 spells
(ScaleSpell) and designations' dates: a figure as of a past day never reads today's status."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from gaoxin.core.metrics import (
    Column,
    Kind,
    Metric,
    MetricFamily,
    MetricScope,
    Said,
    Unit,
    metric,
    registry,
    subject,
)
from gaoxin.core.periods import in_force_on
from gaoxin.enterprises.models import (
    AllianceMembership,
    Designation,
    DesignationKind,
    Enterprise,
    EnterpriseExit,
    ScaleSpell,
)
from gaoxin.industries.models import Industry

EXPIRING_DAYS = 90
GROUP = _("Enterprises")

ENTERPRISE_COLUMNS = (
    Column(_("Enterprise name"), "name"),
    Column(_("Unified social credit code"), "uscc"),
    Column(_("Settled in the zone on"), "settled_on"),
    Column(_("Above designated size (规上)"), "is_above_scale"),
    Column(_("Employees"), "employees"),
)
DESIGNATION_COLUMNS = (
    Column(_("Enterprise"), "enterprise.name"),
    Column(_("Designation"), "get_kind_display"),
    Column(_("Level"), "get_level_display"),
    Column(_("Certificate number"), "certificate_no"),
    Column(_("Granted on"), "granted_on"),
    Column(_("Expires on"), "expires_on"),
)

# The registry's sheet (企业名录): its headers are the enterprise import's, so an export can be
# edited and imported back.
EXPORT_COLUMNS = (
    Column("企业名称", "name"),
    Column("简称", "short_name"),
    Column("统一社会信用代码", "uscc"),
    Column("所属产业", "industries", Kind.NAMES),
    Column("法定代表人", "legal_representative"),
    Column("成立日期", "founded_on"),
    Column("入区日期", "settled_on"),
    Column("注册资本（元）", "registered_capital"),
    Column("从业人员", "employees"),
    Column("是否规上", "is_above_scale", Kind.SHI_FOU),
    Column("规上年份", "above_scale_year"),
    Column("地址", "address"),
    Column("联系人", "contact_person"),
    Column("联系电话", "contact_phone"),
    Column("状态", "get_status_display"),
    Column("国民经济行业分类", "national_industry.code"),
    Column("挂点联系人", "liaison_officer.username"),
)


# Both conditions are uncorrelated subqueries (`pk IN (…)`): the database reads the exits or
# spells of the day once, and probes them per enterprise (correlated EXISTS subqueries were three
# times slower on SQLite).


def away_on(day: dt.date) -> Q:
    """Enterprises out of the zone on the day: an exit left on or before it, not returned
    from by then (a return on the day itself counts it back in)."""
    gone = EnterpriseExit.objects.filter(left_on__lte=day).filter(
        Q(returned_on__isnull=True) | Q(returned_on__gt=day)
    )
    return Q(pk__in=gone.values("enterprise_id"))


def above_scale_on(day: dt.date) -> Q:
    """Enterprises in the 规上 directory on the day: a spell entered on or before it and not
    left by then (退库 on the day itself takes it out)."""
    spells = ScaleSpell.objects.filter(entered_on__lte=day).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=day)
    )
    return Q(pk__in=spells.values("enterprise_id"))


def registered(scope: MetricScope) -> QuerySet[Enterprise]:
    """Enterprises of the zones in the zone on the day: they had joined the registry by then
    and had not left it (or had come back)."""
    return (
        Enterprise.objects.filter(zone_id__in=scope.zone_ids)
        .filter(
            Q(settled_on__lte=scope.as_of)
            | Q(settled_on__isnull=True, created_at__lte=scope.end_of_day)
        )
        .exclude(away_on(scope.as_of))
    )


# --- how reports write these figures (数据核对) ------------------------------------------------

# The zone's enterprises: 全区在库企业292家，其中规上企业…家、高新技术企业…家.
subject("enterprises", _("Enterprises"), "在库企业", "全区企业", "企业总数", "企业名录", "区内企业")

ENTERPRISES = ("家",)
DESIGNATION_WORDS: dict[str, tuple[str, ...]] = {
    DesignationKind.HIGH_TECH: ("高新技术企业", "国家高新技术企业", "国家级高新技术企业", "高企"),
    DesignationKind.TECH_SME: ("科技型中小企业", "科小企业"),
    DesignationKind.INNOVATIVE_SME: ("创新型中小企业",),
    DesignationKind.SPECIALISED_SME: ("省级专精特新中小企业", "专精特新中小企业"),
    DesignationKind.LITTLE_GIANT: (
        "国家级专精特新“小巨人”企业",
        "专精特新“小巨人”企业",
        "小巨人企业",
        "小巨人",
    ),
}


# The registry's counts are siblings over `registered`: read together, in one query.


@metric(
    "enterprises.total",
    label=_("Enterprises in the registry"),
    unit=Unit.ENTERPRISE,
    columns=ENTERPRISE_COLUMNS,
    group=GROUP,
    base=registered,
    order=("name",),
    said=Said(("在库企业", "企业总数", "入库企业", "全区企业"), ENTERPRISES, "enterprises"),
)
def total(scope: MetricScope) -> Q:
    return Q()


@metric(
    "enterprises.above_scale",
    label=_("Enterprises above designated size (规上)"),
    unit=Unit.ENTERPRISE,
    columns=ENTERPRISE_COLUMNS,
    group=GROUP,
    base=registered,
    order=("name",),
    said=Said(
        ("规上企业", "规模以上工业企业", "规上工业企业", "规模以上企业"), ENTERPRISES, "enterprises"
    ),
)
def above_scale(scope: MetricScope) -> Q:
    return above_scale_on(scope.as_of)


def designated(scope: MetricScope) -> QuerySet[Enterprise]:
    """Registered enterprises holding any designation in force on the day: the base of the
    designation counts (a few thousand holders to test each kind on, not the whole registry)."""
    holders = Designation.objects.filter(in_force_on(scope.as_of)).values("enterprise_id")
    return registered(scope).filter(pk__in=holders)


def _holding(kinds: list[str]) -> Callable[[MetricScope], Q]:
    def condition(scope: MetricScope) -> Q:
        holders = Designation.objects.filter(in_force_on(scope.as_of), kind__in=kinds).values(
            "enterprise_id"
        )
        return Q(pk__in=holders)

    return condition


for _kind in DesignationKind:
    metric(
        f"enterprises.designation.{_kind.value}",
        label=format_lazy(_("Enterprises holding: {kind}"), kind=_kind.label),
        unit=Unit.ENTERPRISE,
        columns=ENTERPRISE_COLUMNS,
        group=GROUP,
        base=designated,
        order=("name",),
        said=Said(DESIGNATION_WORDS[_kind], ENTERPRISES, "enterprises"),
    )(_holding([_kind.value]))

metric(
    "enterprises.designation.specialised_any",
    label=_("专精特新 enterprises (provincial or national)"),
    unit=Unit.ENTERPRISE,
    columns=ENTERPRISE_COLUMNS,
    group=GROUP,
    base=designated,
    order=("name",),
    said=Said(("专精特新企业", "专精特新"), ENTERPRISES, "enterprises"),
)(_holding([DesignationKind.SPECIALISED_SME, DesignationKind.LITTLE_GIANT]))


@metric(
    "enterprises.designations.expiring",
    label=_("Designations expiring within 90 days"),
    unit=Unit.ITEM,
    columns=DESIGNATION_COLUMNS,
    group=GROUP,
    said=Said(("资质即将到期", "即将到期"), ("个", "项"), "enterprises"),
)
def expiring(scope: MetricScope) -> QuerySet[Designation]:
    return (
        Designation.objects.filter(enterprise__zone_id__in=scope.zone_ids)
        .filter(in_force_on(scope.as_of))
        .filter(expires_on__lte=scope.as_of + dt.timedelta(days=EXPIRING_DAYS))
        .select_related("enterprise")
        .order_by("expires_on", "enterprise__name")
    )


def _industry_metric(param: str) -> Metric | None:
    if not param.isdigit():
        return None
    industry = Industry.objects.filter(pk=int(param)).only("name", "zone_id").first()
    if industry is None:
        return None

    def records(scope: MetricScope) -> QuerySet[Enterprise]:
        return registered(scope).filter(industries=industry.pk).order_by("name")

    return Metric(
        key=f"enterprises.industry.{industry.pk}",
        label=format_lazy(_("Enterprises in {industry}"), industry=industry.name),
        unit=Unit.ENTERPRISE,
        records=records,
        columns=ENTERPRISE_COLUMNS,
        group=GROUP,
        zone_id=industry.zone_id,
        said=INDUSTRY_SAID,
    )


def _industry_params(scope: MetricScope) -> list[str]:
    ids = Industry.objects.filter(zone_id__in=scope.zone_ids).values_list("pk", flat=True)
    return [str(pk) for pk in ids]


def _industry_batch(params: list[str], scope: MetricScope) -> dict[str, int | Decimal]:
    """The members' counts in one query: the registered enterprises of those industries,
    counted by industry (an enterprise is in an industry once, so in each of its groups once)."""
    ids = {int(param): param for param in params if param.isdigit()}
    rows = (
        registered(scope)
        .filter(industries__in=list(ids))
        .order_by()
        .values("industries")
        .annotate(n=Count("pk"))
        .values_list("industries", "n")
    )
    counts: dict[str, int | Decimal] = dict.fromkeys(ids.values(), 0)
    counts.update({ids[pk]: n for pk, n in rows})
    return counts


def industry_names(scope: MetricScope) -> dict[str, str]:
    """The zone's industries as reports name them ("储能", in "储能产业企业…家")."""
    rows = Industry.objects.filter(zone_id__in=scope.zone_ids).values_list("pk", "name")
    return {str(pk): name for pk, name in rows}


# 储能产业企业35家: the industry is the subject, named by its name.
# (not 企业 alone: an industry named in a sentence does not make every 家企业 its own)
INDUSTRY_SAID = Said(("产业企业", "产业相关企业", "领域企业"), ENTERPRISES, "industry")
registry.register_family(
    MetricFamily(
        "enterprises.industry",
        _industry_metric,
        _industry_params,
        said=INDUSTRY_SAID,
        names=industry_names,
        batch=_industry_batch,
    )
)


MEMBER_COLUMNS = (
    Column(_("Enterprise"), "enterprise"),
    Column(_("Alliance"), "alliance.name"),
    Column(_("Role"), "get_role_display"),
    Column(_("Joined on"), "joined_on"),
)


@metric(
    "industries.alliance_members",
    label=_("Alliance members"),
    unit=Unit.ENTERPRISE,
    columns=MEMBER_COLUMNS,
    group=_("Industries"),
    description=_("Memberships of the zone's industry alliances open on the day."),
    said=Said(("联盟成员", "成员单位", "会员企业", "成员企业"), ENTERPRISES, "industries"),
)
def alliance_members(scope: MetricScope) -> QuerySet[AllianceMembership]:
    return (
        AllianceMembership.objects.filter(
            Q(left_on__isnull=True) | Q(left_on__gt=scope.as_of),
            alliance__zone_id__in=scope.zone_ids,
            joined_on__lte=scope.as_of,
        )
        .select_related("alliance", "enterprise")
        .order_by("alliance__name", "role", "joined_on", "pk")
    )
