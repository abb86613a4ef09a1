"""Reading investment leads, always through the access rules."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import BooleanField, Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone

from gaoxin.core.access import can_write, get_for_user, role_of, scope
from gaoxin.core.inbox import InboxSection
from gaoxin.core.queries import text_match
from gaoxin.core.roles import Role
from gaoxin.investment import access
from gaoxin.investment.models import IDLE_DAYS, OPEN_STATUSES, Lead, LeadContact, LeadStatus

if TYPE_CHECKING:
    from gaoxin.accounts.models import User

INBOX_LIMIT = 10


def lead_list_for_user(user: User) -> QuerySet[Lead]:
    return scope(user, Lead.objects.all(), access.LEAD)


def lead_get_for_user(user: User, pk: Any, *, write: bool = False) -> Lead:
    return get_for_user(
        user,
        Lead.objects.select_related("zone", "industry", "segment", "officer"),
        pk,
        access.LEAD,
        write=write,
    )


def lead_writable(user: User, lead: Lead) -> bool:
    return can_write(user, Lead.objects.all(), access.LEAD, lead.pk)


def contacts_of(lead: Lead) -> QuerySet[LeadContact]:
    """The lead's contacts, newest first, for its timeline."""
    return lead.contacts.select_related("by").order_by("-on", "-pk")


# --- idleness ------------------------------------------------------------------------------


def idle_before(today: dt.date | None = None) -> dt.date:
    """An open lead whose last activity is before this day has gone 60 days without a
    follow-up."""
    return (today or timezone.localdate()) - dt.timedelta(days=IDLE_DAYS)


def idle_condition(today: dt.date | None = None) -> Q:
    return Q(status__in=OPEN_STATUSES, last_activity_on__lt=idle_before(today))


def with_idle(queryset: QuerySet[Lead], today: dt.date | None = None) -> QuerySet[Lead]:
    """Annotate `idle`: whether the lead is open with no follow-up for 60 days (is_idle)."""
    return queryset.annotate(
        idle=Case(
            When(idle_condition(today), then=True), default=False, output_field=BooleanField()
        )
    )


def is_idle(lead: Lead, today: dt.date | None = None) -> bool:
    return lead.status in OPEN_STATUSES and lead.last_activity_on < idle_before(today)


# --- the list: search, filters, sorting ----------------------------------------------------

# The pipeline's order, so that sorting by status follows 线索 → 接洽 → … rather than the
# alphabet of the codes.
STATUS_ORDER = Case(
    *(When(status=status, then=Value(index)) for index, status in enumerate(LeadStatus.values)),
    output_field=IntegerField(),
)
SORTS: dict[str, Any] = {
    "company": "company_name",
    "-company": "-company_name",
    "status": STATUS_ORDER.asc(),
    "-status": STATUS_ORDER.desc(),
    "activity": "last_activity_on",
    "-activity": "-last_activity_on",
    "investment": F("expected_investment").asc(nulls_last=True),
    "-investment": F("expected_investment").desc(nulls_last=True),
}
DEFAULT_SORT = "-activity"


def lead_search(
    user: User,
    *,
    q: str = "",
    status: str = "",
    source: str = "",
    industry: int | None = None,
    officer: int | None = None,
    idle: bool = False,
    sort: str = DEFAULT_SORT,
    today: dt.date | None = None,
) -> QuerySet[Lead]:
    """The leads a user may see, narrowed by the list's search and filters.

    `q` matches any part of the company name, or the start of its credit code (cleaned of
    full-width characters and spaces). `idle` keeps the open leads with no activity for
    more than IDLE_DAYS days."""
    from gaoxin.enterprises.validators import normalise_uscc

    queryset = lead_list_for_user(user)
    q = q.strip()
    if q:
        condition = text_match("company_name", q)
        code = normalise_uscc(q)
        if code.isascii() and code.isalnum() and len(code) >= 4:
            condition |= Q(uscc__startswith=code)
        queryset = queryset.filter(condition)
    if status == "open":
        queryset = queryset.filter(status__in=OPEN_STATUSES)
    elif status:
        queryset = queryset.filter(status=status)
    if source:
        queryset = queryset.filter(source=source)
    if industry:
        queryset = queryset.filter(industry=industry)
    if officer:
        queryset = queryset.filter(officer=officer)
    if idle:
        queryset = queryset.filter(idle_condition(today))
    order = SORTS.get(sort, SORTS[DEFAULT_SORT])
    return queryset.order_by(order, "company_name", "pk")


def status_counts(queryset: QuerySet[Lead]) -> dict[str, int]:
    """How many of these leads are in each status, in one query."""
    counts = dict.fromkeys(LeadStatus.values, 0)
    for row in queryset.order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return counts


# --- the inbox -----------------------------------------------------------------------------


def idle_leads_section(user: User) -> InboxSection | None:
    """An officer's own open leads that have gone 60 days without a follow-up."""
    from django.utils.translation import gettext_lazy as _

    if role_of(user) != Role.OFFICER:
        return None
    today = timezone.localdate()
    leads = list(
        lead_list_for_user(user)
        .filter(idle_condition(today), officer=user)
        .only("pk", "company_name", "last_activity_on", "status")
        .order_by("last_activity_on", "company_name")[:INBOX_LIMIT]
    )
    if not leads:
        return None
    return InboxSection(
        title=_("My leads without a follow-up for 60 days"),
        order=40,
        more_url=f"{reverse('leads:list')}?idle=1&officer={user.pk}&sort=activity",
        items=[
            {
                "url": lead.get_absolute_url(),
                "title": lead.company_name,
                "note": _idle_note(lead, today),
                "overdue": True,
            }
            for lead in leads
        ],
    )


def _idle_note(lead: Lead, today: dt.date) -> str:
    from django.utils.translation import gettext as _

    return _("last activity %(date)s, %(days)d days ago") % {
        "date": lead.last_activity_on.isoformat(),
        "days": (today - lead.last_activity_on).days,
    }
