"""The radars' figures as a family, `radar.<key>`: the count of each registered radar's records
(enterprises on it, in the zones, as of the day); 新增规上企业 in the day's year; and the
follow-ups, open on the day and closed this year because the enterprise became 规上."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import gettext_lazy as _

from gaoxin.core.metrics import (
    Column,
    Metric,
    MetricFamily,
    MetricScope,
    Said,
    Unit,
    metric,
    registry,
    subject,
)
from gaoxin.cultivation import radars
from gaoxin.cultivation.followup_selectors import radar_label_expression
from gaoxin.cultivation.models import Followup, FollowupReason
from gaoxin.enterprises.models import Enterprise, ScaleSpell

GROUP = _("Cultivation (企业培育)")

# --- how reports write these figures (数据核对) ------------------------------------------------

# 企业培育: the radars' candidates and the enterprises followed ("重点培育小升规后备企业45家").
subject("cultivation", _("Cultivation (企业培育)"), "企业培育", "培育库", "后备企业", "培育")

ENTERPRISES = ("家",)
RADAR_WORDS: dict[str, tuple[str, ...]] = {
    "scale": ("小升规后备企业", "临规企业", "规上后备企业", "小升规"),
    "unreported": ("应统未统", "达规未入统", "应统尽统"),
    "high_tech": ("高企后备企业", "高企培育", "高新技术企业后备"),
    "specialised": ("专精特新后备企业", "专精特新培育"),
    "efficiency": ("亩均效益评价", "参评企业", "参评"),
}
RADAR_SAID = Said(("后备企业", "培育库"), ENTERPRISES, "cultivation")


def _radar_said(key: str) -> Said:
    words = RADAR_WORDS.get(key)
    return Said(words, ENTERPRISES, "cultivation") if words else RADAR_SAID


RADAR_COLUMNS = (
    Column(_("Enterprise name"), "name"),
    Column(_("Unified social credit code"), "uscc"),
    Column(_("Liaison officer"), "radar_liaison"),
    Column(_("Settled in the zone on"), "settled_on"),
)
NEW_ABOVE_SCALE_COLUMNS = (
    Column(_("Enterprise name"), "name"),
    Column(_("Unified social credit code"), "uscc"),
    Column(_("Entered the directory on (入统)"), "entered_on"),
    Column(_("Liaison officer"), "radar_liaison"),
)
FOLLOWUP_COLUMNS = (
    Column(_("Enterprise"), "enterprise.name"),
    Column(_("Unified social credit code"), "enterprise.uscc"),
    Column(_("Radar"), "radar_label"),
    Column(_("Officer"), "officer.display_name"),
    Column(_("Followed since"), "started_on"),
    Column(_("Target date"), "target_on"),
    Column(_("Closed on"), "closed_on"),
    Column(_("Closed because"), "get_close_reason_display"),
)


def _with_liaison(queryset: QuerySet[Enterprise]) -> QuerySet[Enterprise]:
    """The liaison officer's name as a column (an annotation, so a radar's records may narrow
    their fields with only() and a page of them still reads in one query)."""
    return queryset.annotate(
        radar_liaison=Coalesce(
            NullIf(F("liaison_officer__name"), Value("")), F("liaison_officer__username")
        )
    )


# --- each radar: the count of its records ------------------------------------------------------


def _radar_metric(param: str) -> Metric | None:
    radar = radars.radar(param)
    if radar is None:
        return None

    def records(scope: MetricScope) -> QuerySet[Enterprise]:
        return _with_liaison(radar.records(scope.zone_ids, scope.as_of))

    return Metric(
        key=f"radar.{radar.key}",
        additive=False,  # the radars' month is the zones' latest (core.metrics.Metric.additive)
        label=radar.label,
        unit=Unit.ENTERPRISE,
        records=records,
        columns=RADAR_COLUMNS,
        description=radar.description,
        group=GROUP,
        said=_radar_said(radar.key),
    )


def _radar_keys(scope: MetricScope) -> list[str]:
    return [radar.key for radar in radars.all_radars()]


registry.register_family(MetricFamily("radar", _radar_metric, _radar_keys, said=RADAR_SAID))


# --- 新增规上企业 ------------------------------------------------------------------------------


def entered_in_year_q(day: dt.date) -> Q:
    """Enterprises that entered the 规上 directory (入统) from 1 January of the day's year up
    to the day (counted once, however many times they entered)."""
    spells = ScaleSpell.objects.filter(entered_on__gte=dt.date(day.year, 1, 1), entered_on__lte=day)
    return Q(pk__in=spells.values("enterprise_id"))


@metric(
    "radar.new_above_scale",
    label=_("New 规上 enterprises this year (新增规上企业)"),
    unit=Unit.ENTERPRISE,
    columns=NEW_ABOVE_SCALE_COLUMNS,
    group=GROUP,
    description=_(
        "Enterprises of the zones that entered the 规上 directory (入统) from 1 January of the "
        "day's year up to the day."
    ),
    # 今年新增规上企业15家 (not the projects' 预计新增上规企业, which are expected)
    said=Said(("新增规上企业", "新增规上", "新入统企业", "新入统"), ENTERPRISES, "enterprises"),
)
def new_above_scale(scope: MetricScope) -> QuerySet[Enterprise]:
    day = scope.as_of
    entered = (
        ScaleSpell.objects.filter(
            enterprise=OuterRef("pk"),
            entered_on__gte=dt.date(day.year, 1, 1),
            entered_on__lte=day,
        )
        .order_by("-entered_on")
        .values("entered_on")[:1]
    )
    return _with_liaison(
        Enterprise.objects.filter(zone_id__in=scope.zone_ids)
        .filter(entered_in_year_q(day))
        .annotate(entered_on=Subquery(entered))
        .order_by("name", "pk")
    )


# --- follow-ups --------------------------------------------------------------------------------


def followups_of(scope: MetricScope) -> QuerySet[Followup]:
    """The follow-ups of the zones started by the day."""
    return Followup.objects.filter(
        zone_id__in=scope.zone_ids, started_on__lte=scope.as_of
    ).annotate(radar_label=radar_label_expression())


@metric(
    "radar.followups.open",
    label=_("Enterprises in follow-up (跟踪培育中)"),
    unit=Unit.ITEM,
    columns=FOLLOWUP_COLUMNS,
    group=GROUP,
    base=followups_of,
    order=("target_on", "pk"),
    related=("enterprise", "officer"),
    description=_("Follow-ups started by the day and not closed by then."),
    said=Said(
        ("跟踪培育", "重点培育", "培育中", "纳入跟踪服务", "跟踪服务", "培育企业"),
        ("家", "个"),
        "cultivation",
    ),
)
def followups_open(scope: MetricScope) -> Q:
    return Q(closed_on__isnull=True) | Q(closed_on__gt=scope.as_of)


@metric(
    "radar.followups.closed_above_scale",
    label=_("Follow-ups closed this year: became 规上"),
    unit=Unit.ITEM,
    columns=FOLLOWUP_COLUMNS,
    group=GROUP,
    base=followups_of,
    order=("-closed_on", "pk"),
    related=("enterprise", "officer"),
    description=_(
        "Follow-ups closed from 1 January of the day's year up to the day because the "
        "enterprise entered the 规上 directory."
    ),
    said=Said(("培育成功", "成功升规", "成功小升规"), ("家", "个"), "cultivation"),
)
def followups_closed_above_scale(scope: MetricScope) -> Q:
    return Q(
        close_reason=FollowupReason.ABOVE_SCALE,
        closed_on__gte=dt.date(scope.as_of.year, 1, 1),
        closed_on__lte=scope.as_of,
    )
