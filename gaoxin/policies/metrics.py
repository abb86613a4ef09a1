"""Figures of policies and briefings (政策宣讲会); the metrics registry discovers this module.
As-of dates go by the day a policy was issued and the day a briefing was held."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from gaoxin.core.metrics import Column, MetricScope, Said, Unit, metric, subject
from gaoxin.enterprises.models import Enterprise
from gaoxin.policies.models import EventAttendance, Policy, PolicyEvent

GROUP = _("Policies")

# How reports write these figures (数据核对): 先后举办政策宣讲会3场，120家企业参加.
subject("policies", _("Policies"), "政策宣讲", "政策", "宣讲")

POLICY_COLUMNS = (
    Column(_("Title"), "title"),
    Column(_("Document number"), "document_no"),
    Column(_("Issuer"), "issuer"),
    Column(_("Issued on"), "issued_on"),
    Column(_("Kind"), "get_kind_display"),
)
EVENT_COLUMNS = (
    Column(_("Briefing"), "title"),
    Column(_("Held on"), "held_on"),
    Column(_("Place"), "place"),
    Column(_("Attendees (people)"), "attendee_count"),
)
ENTERPRISE_COLUMNS = (
    Column(_("Enterprise name"), "name"),
    Column(_("Unified social credit code"), "uscc"),
)
ATTENDANCE_COLUMNS = (
    Column(_("Briefing"), "event.title"),
    Column(_("Held on"), "event.held_on"),
    Column(_("Enterprise"), "enterprise.name"),
    Column(_("People"), "people"),
)


def held(scope: MetricScope) -> QuerySet[PolicyEvent]:
    """Briefings of the zones held by the date (one planned for later is not counted)."""
    return PolicyEvent.objects.filter(zone_id__in=scope.zone_ids, held_on__lte=scope.as_of)


def attendances(scope: MetricScope) -> QuerySet[EventAttendance]:
    return EventAttendance.objects.filter(
        event__zone_id__in=scope.zone_ids, event__held_on__lte=scope.as_of
    )


@metric(
    "policies.in_force",
    label=_("Policies in force (有效政策)"),
    unit=Unit.ITEM,
    columns=POLICY_COLUMNS,
    group=GROUP,
    # 目前全区现行有效惠企政策32项
    said=Said(
        ("现行有效", "有效惠企政策", "惠企政策", "有效政策", "现行政策"),
        ("项", "个", "条", "份"),
        "policies",
    ),
)
def in_force(scope: MetricScope) -> QuerySet[Policy]:
    return Policy.objects.filter(
        zone_id__in=scope.zone_ids, issued_on__lte=scope.as_of, is_active=True
    ).order_by("-issued_on", "title", "pk")


@metric(
    "policies.events",
    label=_("Policy briefings held (政策宣讲会)"),
    unit=Unit.ITEM,
    columns=EVENT_COLUMNS,
    group=GROUP,
    said=Said(("政策宣讲会", "宣讲会", "宣讲活动", "宣讲"), ("场", "次"), "policies"),
)
def events(scope: MetricScope) -> QuerySet[PolicyEvent]:
    return held(scope).order_by("-held_on", "title", "pk")


@metric(
    "policies.events.attending_enterprises",
    label=_("Enterprises that attended a policy briefing"),
    unit=Unit.ENTERPRISE,
    columns=ENTERPRISE_COLUMNS,
    group=GROUP,
    said=Said(("参会企业", "企业参加", "参加", "参会"), ("家",), "policies"),
    # An enterprise at briefings of two zones counts once over both zones.
    additive=False,
)
def attending_enterprises(scope: MetricScope) -> QuerySet[Enterprise]:
    return Enterprise.objects.filter(pk__in=attendances(scope).values("enterprise_id")).order_by(
        "name", "pk"
    )


@metric(
    "policies.events.attendances",
    label=_("Briefing attendances (enterprise × briefing)"),
    unit=Unit.ITEM,
    columns=ATTENDANCE_COLUMNS,
    group=GROUP,
    # 参会企业累计350家次: one enterprise at three briefings is three attendances.
    said=Said(("参会企业", "覆盖企业", "参会", "参加"), ("家次", "次"), "policies"),
)
def attendance_records(scope: MetricScope) -> QuerySet[EventAttendance]:
    return (
        attendances(scope)
        .select_related("event", "enterprise")
        .order_by("-event__held_on", "event__title", "enterprise__name", "pk")
    )
