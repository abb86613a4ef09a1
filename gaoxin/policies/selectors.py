"""Reading policies, briefings (政策宣讲会) and their attendance, always through the access
policies of gaoxin/policies/access.py."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from gaoxin.core.access import can_write, get_for_user, role_of, scope
from gaoxin.core.inbox import InboxSection
from gaoxin.core.queries import containing, text_match, within
from gaoxin.core.roles import Role
from gaoxin.enterprises.models import Enterprise
from gaoxin.policies import access
from gaoxin.policies.models import EventAttendance, Policy, PolicyEvent

if TYPE_CHECKING:
    from gaoxin.accounts.models import User

# --- policies ------------------------------------------------------------------------------


def policy_list_for_user(user: User) -> QuerySet[Policy]:
    return scope(user, Policy.objects.all(), access.POLICY)


def policy_get_for_user(user: User, pk: Any, *, write: bool = False) -> Policy:
    return get_for_user(user, Policy.objects.select_related("zone"), pk, access.POLICY, write=write)


def policy_writable(user: User, policy: Policy) -> bool:
    return can_write(user, Policy.objects.all(), access.POLICY, policy.pk)


POLICY_SORTS = {
    "issued": "issued_on",
    "-issued": "-issued_on",
    "title": "title",
    "-title": "-title",
    "issuer": "issuer",
    "-issuer": "-issuer",
}
POLICY_DEFAULT_SORT = "-issued"


def policy_search(
    user: User,
    *,
    q: str = "",
    kind: str = "",
    in_force: bool | None = None,
    issued_from: dt.date | None = None,
    issued_to: dt.date | None = None,
    sort: str = POLICY_DEFAULT_SORT,
) -> QuerySet[Policy]:
    """The policies a user may read, narrowed by the list's search and filters; `q` matches
    the title, the document number (文号) or the issuer."""
    queryset = policy_list_for_user(user)
    queryset = containing(queryset, q, "title", "document_no", "issuer")
    if kind:
        queryset = queryset.filter(kind=kind)
    if in_force is not None:
        queryset = queryset.filter(is_active=in_force)
    queryset = within(queryset, "issued_on", issued_from, issued_to)
    order = POLICY_SORTS.get(sort, POLICY_SORTS[POLICY_DEFAULT_SORT])
    return queryset.order_by(order, "pk")


def policy_choices_for(zone_id: int) -> QuerySet[Policy]:
    """The policies a briefing of this zone may present."""
    return Policy.objects.filter(zone_id=zone_id).order_by("-issued_on", "title")


def events_presenting(policy: Policy) -> QuerySet[PolicyEvent]:
    """The briefings where this policy was presented (of its zone, as the services keep
    them: whoever may read the policy may read them)."""
    return policy.events.order_by("-held_on", "pk")


def policies_presented(event: PolicyEvent) -> QuerySet[Policy]:
    return event.policies.order_by("-issued_on", "title")


def recent_policies_section(user: User) -> InboxSection | None:
    """The enterprise user's home page lists the newest policies of their zone, since they
    read policies to apply for support."""
    if role_of(user) != Role.ENTERPRISE:
        return None
    from django.urls import reverse

    policies = list(
        policy_list_for_user(user)
        .filter(is_active=True)
        .order_by("-issued_on", "-pk")
        .only("pk", "title", "issued_on", "issuer")[:5]
    )
    return InboxSection(
        title=_("New policies"),
        order=20,
        items=[
            {
                "url": p.get_absolute_url(),
                "title": p.title,
                "note": f"{p.issuer} · {p.issued_on:%Y-%m-%d}",
            }
            for p in policies
        ],
        empty_text=_("No policy has been published yet."),
        more_url=reverse("policies:list"),
    )


# --- briefings -----------------------------------------------------------------------------


def event_list_for_user(user: User) -> QuerySet[PolicyEvent]:
    return scope(user, PolicyEvent.objects.all(), access.POLICY_EVENT)


def event_get_for_user(user: User, pk: Any, *, write: bool = False) -> PolicyEvent:
    return get_for_user(
        user, PolicyEvent.objects.select_related("zone"), pk, access.POLICY_EVENT, write=write
    )


def event_writable(user: User, event: PolicyEvent) -> bool:
    return can_write(user, PolicyEvent.objects.all(), access.POLICY_EVENT, event.pk)


EVENT_SORTS = {
    "held": "held_on",
    "-held": "-held_on",
    "title": "title",
    "-title": "-title",
    "place": "place",
    "-place": "-place",
}
EVENT_DEFAULT_SORT = "-held"


def event_search(
    user: User,
    *,
    q: str = "",
    policy: int | None = None,
    held_from: dt.date | None = None,
    held_to: dt.date | None = None,
    sort: str = EVENT_DEFAULT_SORT,
) -> QuerySet[PolicyEvent]:
    """The briefings a user may read, narrowed by the list's filters; `q` matches the title
    or the place."""
    queryset = event_list_for_user(user)
    queryset = containing(queryset, q, "title", "place")
    if policy:
        queryset = queryset.filter(policies=policy)
    queryset = within(queryset, "held_on", held_from, held_to)
    order = EVENT_SORTS.get(sort, EVENT_SORTS[EVENT_DEFAULT_SORT])
    return queryset.order_by(order, "pk")


def attendance_figures_of(events: list[PolicyEvent]) -> dict[int, dict[str, int]]:
    """Enterprises and people recorded for a page of briefings, in one query."""
    found = {e.pk: {"enterprises": 0, "people": 0} for e in events}
    rows = (
        EventAttendance.objects.filter(event_id__in=list(found))
        .values("event_id")
        .annotate(enterprises=Count("pk"), people=Sum("people"))
        .order_by()
    )
    for row in rows:
        found[row["event_id"]] = {"enterprises": row["enterprises"], "people": row["people"] or 0}
    return found


def policies_of(events: list[PolicyEvent]) -> dict[int, list[Policy]]:
    """The policies presented at a page of briefings, in one query."""
    found: dict[int, list[Policy]] = {e.pk: [] for e in events}
    links = (
        PolicyEvent.policies.through.objects.filter(policyevent_id__in=list(found))
        .select_related("policy")
        .order_by("policy__title")
    )
    for link in links:
        found[link.policyevent_id].append(link.policy)
    return found


# --- attendance ----------------------------------------------------------------------------


def attendances_of(event: PolicyEvent) -> QuerySet[EventAttendance]:
    return event.attendances.select_related("enterprise").order_by("enterprise__name", "pk")


def attendance_get_for_user(user: User, pk: Any, *, write: bool = False) -> EventAttendance:
    return get_for_user(
        user,
        EventAttendance.objects.select_related("event", "enterprise"),
        pk,
        access.EVENT_ATTENDANCE,
        write=write,
    )


ENTERPRISE_MATCH_LIMIT = 8


def enterprise_matches(event: PolicyEvent, text: str) -> list[Enterprise]:
    """The enterprises of the briefing's zone a picker's text names: the credit code, the
    exact name, else a part of the name, short name or pinyin initials (at most a few)."""
    from gaoxin.core.text import clean
    from gaoxin.enterprises.validators import normalise_uscc

    text = clean(text)
    if not text:
        return []
    in_zone = Enterprise.objects.filter(zone_id=event.zone_id).only("pk", "name", "uscc")
    code = normalise_uscc(text)
    exact = list(in_zone.filter(Q(uscc=code) | Q(name=text))[:2])
    if len(exact) == 1:
        return exact
    condition = text_match("name", text) | text_match("short_name", text)
    initials = text.lower().replace(" ", "")
    if initials.isascii() and initials.isalnum():
        condition |= Q(name_initials__contains=initials)
    return list(in_zone.filter(condition).order_by("name", "pk")[: ENTERPRISE_MATCH_LIMIT + 1])
