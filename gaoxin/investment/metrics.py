"""Figures of the investment leads. As-of dates are honoured through the leads' change history
(django-simple-history): a lead counts with the status it had in its latest historical row
written by the end of the day, and a lead created after that day does not count at all. The
last activity as of a day comes from the dated contacts (see `leads_as_of`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, TypedDict

from django.db.models import (
    Case,
    CharField,
    DateField,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from gaoxin.core.metrics import Column, Kind, MetricScope, Said, Unit, metric, subject
from gaoxin.investment.models import IDLE_DAYS, OPEN_STATUSES, Lead, LeadContact, LeadStatus

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

GROUP = _("Investment leads")

# How reports write these figures (数据核对): 储备招商线索85条，其中在谈项目12个.
subject("leads", _("Investment leads"), "招商线索", "储备线索", "线索", "招商引资")
LEADS = ("条", "个", "家")
STATUS_WORDS: dict[str, tuple[str, ...]] = {
    LeadStatus.NEW: ("新增线索", "新线索"),
    LeadStatus.CONTACTED: ("已接洽", "接洽"),
    LeadStatus.VISITED: ("实地考察", "已考察", "考察"),
    # (在谈招商线索 are the open ones: leads.open)
    LeadStatus.NEGOTIATING: ("处于洽谈阶段", "洽谈阶段", "正在洽谈", "洽谈中"),
    LeadStatus.SIGNED: ("已签约", "签约"),
    LeadStatus.ABANDONED: ("已放弃", "放弃"),
}

COLUMNS = (
    Column(_("Target company"), "company_name"),
    Column(_("Status on the day"), "status_then_label"),
    Column(_("Industry"), "industry.name"),
    Column(_("Officer"), "officer"),
    Column(_("Last activity on the day"), "last_activity_then"),
)

# The list's sheet; its "idle" is annotated by selectors.with_idle.
EXPORT_COLUMNS = (
    Column(_("Target company"), "company_name"),
    Column(_("Unified social credit code"), "uscc"),
    Column(_("Industry"), "industry.name"),
    Column(_("Chain segment"), "segment.name"),
    Column(_("Source"), "get_source_display"),
    Column(_("Status"), "get_status_display"),
    Column(_("Reason for abandoning"), "abandon_reason"),
    Column(_("Officer"), "officer"),
    Column(_("Expected investment (yuan)"), "expected_investment"),
    Column(_("Contact person"), "contact_person"),
    Column(_("Contact phone"), "contact_phone"),
    Column(_("Last activity on"), "last_activity_on"),
    Column(_("No follow-up for 60 days"), "idle", Kind.YES_NO),
    Column(_("Zone"), "zone.name"),
)


class LeadThen(TypedDict):
    status_then: str
    last_activity_then: dt.date
    status_then_label: str


def leads_as_of(scope: MetricScope) -> QuerySet[WithAnnotations[Lead, LeadThen]]:
    """The zones' leads that existed at the end of the day, annotated with the status each
    had then (`status_then`, and its label `status_then_label`) and its last activity then
    (`last_activity_then`): one query, the rest read by subqueries.

    The status is the one of the lead's latest history row written by the end of the day; a
    lead with no history row by then (loaded in bulk, without history) counts as it is now.

    The last activity is the lead's own `last_activity_on` when that is not after the day
    (it only moves forward, so nothing has happened since); otherwise the latest contact
    dated on or before the day, or the day the lead was entered if that is later. So today's
    figure agrees with the list, and a past day's counts the contacts dated by then.
    """
    then = Lead.history.model.objects.filter(
        id=OuterRef("pk"), history_date__lte=scope.end_of_day
    ).order_by("-history_date", "-history_id")
    latest_contact = LeadContact.objects.filter(lead=OuterRef("pk"), on__lte=scope.as_of)
    entered_on = TruncDate("created_at", tzinfo=timezone.get_current_timezone())
    return (
        Lead.objects.filter(zone_id__in=scope.zone_ids, created_at__lte=scope.end_of_day)
        .annotate(
            status_then=Coalesce(Subquery(then.values("status")[:1]), F("status")),
            last_activity_then=Case(
                When(last_activity_on__lte=scope.as_of, then=F("last_activity_on")),
                default=Greatest(
                    Coalesce(Subquery(latest_contact.order_by("-on").values("on")[:1]), entered_on),
                    entered_on,
                ),
                output_field=DateField(),
            ),
        )
        .annotate(
            status_then_label=Case(
                *(When(status_then=value, then=Value(label)) for value, label in _choices()),
                default=F("status_then"),
                output_field=CharField(),
            )
        )
        .select_related("industry", "officer")
    )


def _choices() -> list[tuple[str, str]]:
    # Read when the records are asked for, so the labels are in the page's language.
    return [(value, str(label)) for value, label in LeadStatus.choices]


def _at_status(status: str) -> Callable[[MetricScope], QuerySet[Lead]]:
    def records(scope: MetricScope) -> QuerySet[Lead]:
        return leads_as_of(scope).filter(status_then=status).order_by("company_name", "pk")

    return records


for _status in LeadStatus:
    metric(
        f"leads.status.{_status.value}",
        label=format_lazy(_("Leads at status: {status}"), status=_status.label),
        unit=Unit.ITEM,
        columns=COLUMNS,
        group=GROUP,
        said=Said(STATUS_WORDS[_status], LEADS, "leads"),
    )(_at_status(_status.value))


@metric(
    "leads.open",
    label=_("Open leads (not signed or abandoned)"),
    unit=Unit.ITEM,
    columns=COLUMNS,
    group=GROUP,
    # 全区在谈招商线索64条
    said=Said(("在谈招商线索", "在谈线索", "在谈", "在跟进", "跟进中"), LEADS, "leads"),
)
def open_leads(scope: MetricScope) -> QuerySet[Lead]:
    return leads_as_of(scope).filter(status_then__in=OPEN_STATUSES).order_by("company_name", "pk")


@metric(
    "leads.idle",
    label=_("Open leads without a follow-up for 60 days"),
    unit=Unit.ITEM,
    columns=COLUMNS,
    group=GROUP,
    description=_("Open on the day, with the last contact by then more than 60 days before it."),
    said=Said(("长期未跟进", "未跟进", "未更新跟进"), LEADS, "leads"),
)
def idle_leads(scope: MetricScope) -> QuerySet[Lead]:
    """Open leads (by their status then) whose last activity by the day (see `leads_as_of`)
    is more than IDLE_DAYS days before it. For a past day this is an approximation: it reads
    the contacts dated by then and the day the lead was entered, not the lead's record as it
    stood."""
    return (
        leads_as_of(scope)
        .filter(
            status_then__in=OPEN_STATUSES,
            last_activity_then__lt=scope.as_of - dt.timedelta(days=IDLE_DAYS),
        )
        .order_by("last_activity_then", "company_name", "pk")
    )
