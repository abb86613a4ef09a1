"""Reading follow-ups, always through their access rule: staff read their zones' follow-ups,
officers and administrators change them. Also the radar index's summary and the 企业培育 panel
of an enterprise's page."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import Case, CharField, F, Max, OuterRef, Q, QuerySet, Subquery, Value, When
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from gaoxin.core.access import WRITERS, AccessRule, can_write, get_for_user, role_of, scope
from gaoxin.core.queries import containing
from gaoxin.core.roles import STAFF_ROLES
from gaoxin.cultivation import radars
from gaoxin.cultivation.models import Followup, FollowupVisit

if TYPE_CHECKING:
    from gaoxin.accounts.models import User
    from gaoxin.enterprises.models import Enterprise

FOLLOWUP = AccessRule(zone_field="zone_id", read_roles=STAFF_ROLES, write_roles=WRITERS)

STATES = ("open", "closed", "overdue")
FOLLOWUP_SORTS = {
    "target": ("target_on", "pk"),
    "-target": ("-target_on", "-pk"),
    "started": ("started_on", "pk"),
    "-started": ("-started_on", "-pk"),
    "enterprise": ("enterprise__name", "pk"),
    "-enterprise": ("-enterprise__name", "-pk"),
    "closed": ("closed_on", "pk"),
    "-closed": ("-closed_on", "-pk"),
}


def overdue_q(today: dt.date) -> Q:
    """Open, and past its target date."""
    return Q(closed_on__isnull=True, target_on__lt=today)


def radar_label_expression() -> Case:
    """The radar's label as a column (the export's, the list's), one CASE over the registered
    radars; the key for a radar no longer registered."""
    whens = [When(radar=r.key, then=Value(str(r.label))) for r in radars.all_radars()]
    return Case(*whens, default=F("radar"), output_field=CharField())


def followup_list_for_user(user: User) -> QuerySet[Followup]:
    return scope(user, Followup.objects.all(), FOLLOWUP)


def followup_get_for_user(user: User, pk: Any, *, write: bool = False) -> Followup:
    return get_for_user(
        user,
        Followup.objects.select_related("enterprise", "officer", "zone", "created_by"),
        pk,
        FOLLOWUP,
        write=write,
    )


def followup_can_write(user: User, followup: Followup) -> bool:
    return can_write(user, Followup.objects.all(), FOLLOWUP, followup.pk)


def followup_search(
    user: User,
    *,
    radar: str = "",
    officer: int | None = None,
    mine: bool = False,
    state: str = "",
    reason: str = "",
    enterprise: int | None = None,
    q: str = "",
    sort: str = "target",
    today: dt.date | None = None,
) -> QuerySet[Followup]:
    """The follow-ups of the user's working zones, narrowed by the list's filters. `state` is
    "open", "closed", "overdue" (open, past the target date) or empty for all."""
    today = today or timezone.localdate()
    queryset = followup_list_for_user(user).select_related("enterprise", "officer")
    if radar:
        queryset = queryset.filter(radar=radar)
    if mine:
        queryset = queryset.filter(officer=user)
    elif officer:
        queryset = queryset.filter(officer_id=officer)
    if state == "open":
        queryset = queryset.filter(closed_on__isnull=True)
    elif state == "closed":
        queryset = queryset.filter(closed_on__isnull=False)
    elif state == "overdue":
        queryset = queryset.filter(overdue_q(today))
    if reason:
        queryset = queryset.filter(close_reason=reason)
    if enterprise:
        queryset = queryset.filter(enterprise_id=enterprise)
    queryset = containing(queryset, q, "enterprise__name", "enterprise__uscc")
    last_visit = (
        FollowupVisit.objects.filter(followup=OuterRef("pk"))
        .order_by()
        .values("followup")
        .annotate(last=Max("held_on"))
        .values("last")
    )
    return queryset.annotate(
        radar_label=radar_label_expression(), last_visit_on=Subquery(last_visit)
    ).order_by(*FOLLOWUP_SORTS.get(sort, FOLLOWUP_SORTS["target"]))


# --- the radar index ---------------------------------------------------------------------------


def my_followups(user: User, today: dt.date | None = None) -> dict[str, int]:
    """The user's own open follow-ups in their working zones, and how many are overdue, in
    one query."""
    from django.db.models import Count

    today = today or timezone.localdate()
    row = (
        followup_list_for_user(user)
        .filter(officer=user, closed_on__isnull=True)
        .aggregate(open=Count("pk"), overdue=Count("pk", filter=overdue_q(today)))
    )
    return {"open": row["open"] or 0, "overdue": row["overdue"] or 0}


def radar_list_url(radar: radars.Radar) -> str | None:
    try:
        return reverse(radar.url_name)
    except NoReverseMatch:
        return None


# --- the enterprise page's panel ---------------------------------------------------------------


def enterprise_panel(enterprise: Enterprise, user: User) -> dict[str, Any] | None:
    """企业培育 on an enterprise's page, for staff: where it stands on each radar (the radar's
    line, e.g. "距规上线还差 320.5 万元"), its follow-ups open and closed, and for officers the
    links that take it into follow-up on a radar it is on and not yet followed on."""
    role = role_of(user)
    if role not in STAFF_ROLES:
        return None
    today = timezone.localdate()
    followups = list(
        Followup.objects.filter(enterprise=enterprise)
        .select_related("officer")
        .order_by("closed_on", "-started_on", "-pk")
    )
    followed = {f.radar for f in followups if f.closed_on is None}
    writer = role in WRITERS and enterprise.status == "active"
    lines = []
    for radar in radars.all_radars():
        line = radar.line(enterprise, today)
        if line is None:
            continue
        lines.append(
            {
                "radar": radar,
                "line": line,
                "list_url": radar_list_url(radar),
                "can_start": writer and radar.followed and radar.key not in followed,
            }
        )
    if not lines and not followups:
        return None
    for followup in followups:
        followup.radar_label = radars.label_of(followup.radar)  # type: ignore[attr-defined]
    return {
        "template": "cultivation/_enterprise_panel.html",
        "enterprise": enterprise,
        "lines": lines,
        "followups": followups,
        "can_write": writer,
    }
