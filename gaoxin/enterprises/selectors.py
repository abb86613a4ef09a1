"""Reading enterprises, always through the access rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Q, QuerySet

from gaoxin.core.access import can_write, get_for_user, scope
from gaoxin.core.ids import parse_id
from gaoxin.core.periods import in_force_on
from gaoxin.core.queries import text_match
from gaoxin.enterprises import access
from gaoxin.enterprises.models import Alliance, Designation, Enterprise

if TYPE_CHECKING:
    from gaoxin.accounts.models import User

T = TypeVar("T")


def enterprise_list_for_user(user: User) -> QuerySet[Enterprise]:
    return scope(user, Enterprise.objects.all(), access.ENTERPRISE)


def enterprise_get_for_user(user: User, pk: Any, *, write: bool = False) -> Enterprise:
    return get_for_user(
        user,
        Enterprise.objects.select_related("zone", "national_industry__parent", "liaison_officer"),
        pk,
        access.ENTERPRISE,
        write=write,
    )


def enterprise_contact_get_for_user(user: User, pk: Any) -> Enterprise:
    """The enterprise whose contact fields this user may change (officers; its own users)."""
    return get_for_user(user, Enterprise.objects.all(), pk, access.ENTERPRISE_CONTACT, write=True)


def designation_list_for_user(user: User) -> QuerySet[Designation]:
    return scope(user, Designation.objects.all(), access.DESIGNATION)


def designation_get_for_user(user: User, pk: Any, *, write: bool = False) -> Designation:
    return get_for_user(
        user,
        Designation.objects.select_related("enterprise"),
        pk,
        access.DESIGNATION,
        write=write,
    )


# --- the registry list: search, filters, sorting ------------------------------------------
SORTS = {
    "name": "name",
    "-name": "-name",
    "founded": "founded_on",
    "-founded": "-founded_on",
    "capital": "registered_capital",
    "-capital": "-registered_capital",
    "employees": "employees",
    "-employees": "-employees",
    "settled": "settled_on",
    "-settled": "-settled_on",
}


def enterprise_search(
    user: User,
    *,
    q: str = "",
    industry: int | None = None,
    segment: int | None = None,
    designation: str = "",
    above_scale: bool | None = None,
    alliance: int | None = None,
    status: str = "",
    section: str = "",
    liaison_officer: int | None = None,
    sort: str = "name",
) -> QuerySet[Enterprise]:
    """The enterprises a user may see, narrowed by the list's search and filters.

    `q` matches the name or short name (any part), the pinyin initials ("zhgx" finds
    珠海高新…) or the start of the USCC (cleaned of full-width characters and spaces).
    """
    from django.db.models import Q
    from django.utils import timezone

    from gaoxin.enterprises.models import DesignationKind
    from gaoxin.enterprises.validators import is_valid_uscc, normalise_uscc

    queryset = enterprise_list_for_user(user)
    q = q.strip()
    code = normalise_uscc(q)
    if len(code) == 18 and is_valid_uscc(code):
        # A whole, valid code names one enterprise: look it up by its index instead of
        # reading every name of the registry for it.
        queryset = queryset.filter(uscc=code)
    elif q:
        # Case only matters for letters that have one; a search in Chinese skips UPPER() on
        # every name (a third of the time on PostgreSQL).
        cased = any(ch.lower() != ch.upper() for ch in q)
        condition = text_match("name", q, case_insensitive=cased) | text_match(
            "short_name", q, case_insensitive=cased
        )
        ascii_q = q.lower()
        if ascii_q.isascii() and ascii_q.replace(" ", "").isalnum():
            condition |= Q(name_initials__contains=ascii_q.replace(" ", ""))
            if code.isalnum() and len(code) >= 4:
                condition |= Q(uscc__startswith=code)
        queryset = queryset.filter(condition)
    if industry:
        queryset = queryset.filter(industries=industry)
    if segment:
        queryset = queryset.filter(segments=segment)
    if designation:
        kinds = (
            [DesignationKind.SPECIALISED_SME, DesignationKind.LITTLE_GIANT]
            if designation == "specialised"
            else [designation]
        )
        holders = Designation.objects.filter(
            in_force_on(timezone.localdate()), kind__in=kinds
        ).values("enterprise_id")
        queryset = queryset.filter(pk__in=holders)
    if above_scale is not None:
        queryset = queryset.filter(is_above_scale=above_scale)
    if alliance:
        queryset = queryset.filter(
            alliance_memberships__alliance=alliance, alliance_memberships__left_on__isnull=True
        )
    if status:
        queryset = queryset.filter(status=status)
    if section:
        queryset = queryset.filter(national_industry__parent__code=section)
    if liaison_officer:
        queryset = queryset.filter(liaison_officer=liaison_officer)
    order = SORTS.get(sort, "name")
    return queryset.order_by(order, "pk")


PICKER_LIMIT = 20


def enterprise_matches(
    user: User, zone_id: int, q: str, *, picked: Any = None, exclude: Q | None = None
) -> list[Enterprise]:
    """What an enterprise picker offers (fields.EnterpriseChoiceField): at most PICKER_LIMIT
    enterprises of the zone the user may see that match `q` (name, pinyin initials or code)
    and are not `exclude`d, and the one already picked; never the whole registry."""
    found: list[Enterprise] = []
    q = (q or "").strip()
    if q:
        queryset = enterprise_search(user, q=q).filter(zone_id=zone_id)
        if exclude is not None:
            queryset = queryset.exclude(exclude)
        found = list(queryset.only("pk", "name", "uscc")[:PICKER_LIMIT])
    wanted = parse_id(picked)
    if wanted is not None and not any(e.pk == wanted for e in found):
        extra = (
            enterprise_search(user)
            .filter(zone_id=zone_id, pk=wanted)
            .only("pk", "name", "uscc")
            .first()
        )
        if extra is not None:
            found.insert(0, extra)
    return found


def industries_of(enterprises: list[Enterprise]) -> dict[int, list[Any]]:
    """The industries of a page of enterprises, in one query."""
    found: dict[int, list[Any]] = {e.pk: [] for e in enterprises}
    links = (
        Enterprise.industries.through.objects.filter(enterprise_id__in=list(found))
        .select_related("industry")
        .order_by("industry__order", "industry__name")
    )
    for link in links:
        found[link.enterprise_id].append(link.industry)
    return found


def current_designations_of(enterprises: list[Enterprise]) -> dict[int, list[Designation]]:
    """The designations in force today of a page of enterprises, in one query."""
    from django.utils import timezone

    found: dict[int, list[Designation]] = {e.pk: [] for e in enterprises}
    for designation in Designation.objects.filter(
        in_force_on(timezone.localdate()), enterprise_id__in=list(found)
    ).order_by("kind"):
        found[designation.enterprise_id].append(designation)
    return found


def own_enterprise_section(user: User) -> Any:
    """The enterprise user's home page links to their own enterprise's file."""
    from django.utils.translation import gettext_lazy as _

    from gaoxin.core.access import role_of
    from gaoxin.core.inbox import InboxSection
    from gaoxin.core.roles import Role

    if role_of(user) != Role.ENTERPRISE or user.enterprise_id is None:
        return None
    enterprise = Enterprise.objects.filter(pk=user.enterprise_id).only("pk", "name").first()
    if enterprise is None:
        return None
    return InboxSection(
        title=_("My enterprise"),
        order=10,
        items=[
            {
                "url": enterprise.get_absolute_url(),
                "title": enterprise.name,
                "note": _("profile, designations and contact details"),
            }
        ],
    )


# --- industry alliances ------------------------------------------------------------------


def alliance_list_for_user(user: User) -> QuerySet[Alliance]:
    return scope(user, Alliance.objects.all(), access.ALLIANCE)


def alliance_get_for_user(user: User, pk: Any, *, write: bool = False) -> Alliance:
    return get_for_user(
        user,
        Alliance.objects.select_related("zone", "industry"),
        pk,
        access.ALLIANCE,
        write=write,
    )


def alliance_writable(user: User, alliance: Alliance) -> bool:
    return can_write(user, Alliance.objects.all(), access.ALLIANCE, alliance.pk)


# --- standing in the zone and in the 规上 directory ----------------------------------------


@dataclass(frozen=True)
class StandingEvent:
    """One dated line of an enterprise's standing: settled, left, came back, entered or left
    the 规上 directory."""

    on: dt.date
    what: str
    note: str = ""


def standing_history(enterprise: Enterprise) -> list[StandingEvent]:
    """The enterprise's standing, oldest first, in two queries: its exits and its spells."""
    from django.utils.translation import gettext as _

    events: list[StandingEvent] = []
    if enterprise.settled_on is not None:
        events.append(StandingEvent(enterprise.settled_on, _("Settled in the zone")))
    for exit_ in enterprise.exits.order_by("left_on"):
        events.append(StandingEvent(exit_.left_on, exit_.get_kind_display(), exit_.note))
        if exit_.returned_on is not None:
            events.append(StandingEvent(exit_.returned_on, _("Came back into the zone (迁回)")))
    for spell in enterprise.scale_spells.order_by("entered_on"):
        events.append(
            StandingEvent(
                spell.entered_on, _("Entered the 规上 directory (入统)"), spell.get_source_display()
            )
        )
        if spell.left_on is not None:
            events.append(StandingEvent(spell.left_on, _("Left the 规上 directory (退库)")))
    return sorted(events, key=lambda event: event.on)


# Panels that apps a floor above add to an enterprise's page (the cultivation radars: where
# the enterprise stands, its follow-ups, its land): each reader takes the enterprise and the
# viewing user and returns its template's context (with the template's name under
# "template"), or None to show nothing. Registered in AppConfig.ready.
EnterprisePanel = Callable[[Enterprise, "User"], dict[str, Any] | None]
_enterprise_panels: list[EnterprisePanel] = []


def register_enterprise_panel(reader: EnterprisePanel) -> None:
    if reader not in _enterprise_panels:
        _enterprise_panels.append(reader)


# What the panels of one page share while they are read: several read the same things (the
# radars' month, the standings built for it, the 规上 rules, the enterprise's own radar rows),
# which are read once a page, not once per panel and radar. Outside a page's panels nothing is
# kept: a value is computed at each call.
_panel_memo: ContextVar[dict[Hashable, Any] | None] = ContextVar("panel_memo", default=None)


def panel_once(key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`, once for the panels of the page being read (keyed by `key`, which says
    what is computed and from what); computed at every call outside them."""
    memo = _panel_memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]  # type: ignore[no-any-return]


def enterprise_panels(enterprise: Enterprise, user: User) -> list[dict[str, Any]]:
    token = _panel_memo.set({})
    try:
        return [panel for panel in (read(enterprise, user) for read in _enterprise_panels) if panel]
    finally:
        _panel_memo.reset(token)
