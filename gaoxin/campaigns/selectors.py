"""Reading application campaigns (申报批次) and their applications, always through the access
policies. Figures as of a date are read from the dated status changes, so the campaign pages
and the metrics are one computation."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from gaoxin.campaigns import access
from gaoxin.campaigns.models import (
    APPLICATION_ORDER,
    Application,
    ApplicationAttachment,
    ApplicationChange,
    ApplicationStatus,
    Campaign,
)
from gaoxin.core.access import WRITERS, AccessRule, can_write, get_for_user, role_of, scope
from gaoxin.core.asof import with_value_as_of
from gaoxin.core.queries import containing, text_match
from gaoxin.core.roles import ALL_ROLES, Role
from gaoxin.enterprises.models import Designation, Enterprise

# Enterprise users see the campaigns of their own enterprise's zone (to apply, and to follow an
# application in a closed one); the lookup goes through the zone's enterprises, one match at most.
CAMPAIGN_VISIBLE = AccessRule(
    zone_field="zone_id",
    read_roles=ALL_ROLES,
    write_roles=WRITERS,
    enterprise_field="zone__enterprises",
)

# Statuses an application reaches once it has been submitted: "enterprises applying".
APPLIED_STATUSES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.ZONE_REVIEW,
    ApplicationStatus.RECOMMENDED,
    ApplicationStatus.APPROVED,
    ApplicationStatus.REJECTED,
)
FINAL_STATUSES = (ApplicationStatus.APPROVED, ApplicationStatus.REJECTED)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from gaoxin.accounts.models import User


# --- access --------------------------------------------------------------------------------


def campaign_list_for_user(user: User) -> QuerySet[Campaign]:
    return scope(user, Campaign.objects.all(), CAMPAIGN_VISIBLE)


def campaign_get_for_user(user: User, pk: Any, *, write: bool = False) -> Campaign:
    return get_for_user(
        user,
        Campaign.objects.select_related("zone", "policy"),
        pk,
        access.CAMPAIGN if write else CAMPAIGN_VISIBLE,
        write=write,
    )


def application_list_for_user(user: User) -> QuerySet[Application]:
    return scope(user, Application.objects.all(), access.APPLICATION)


def application_get_for_user(user: User, pk: Any, *, write: bool = False) -> Application:
    return get_for_user(
        user,
        Application.objects.select_related(
            "campaign", "campaign__zone", "enterprise", "designation"
        ),
        pk,
        access.APPLICATION,
        write=write,
    )


def application_writable(user: User, application: Application) -> bool:
    return can_write(user, Application.objects.all(), access.APPLICATION, application.pk)


def own_application(user: User, campaign: Campaign) -> Application | None:
    """The enterprise user's application in this campaign, if they have started one."""
    if role_of(user) != Role.ENTERPRISE or user.enterprise_id is None:
        return None
    return Application.objects.filter(campaign=campaign, enterprise_id=user.enterprise_id).first()


def is_open(campaign: Campaign, day: dt.date | None = None) -> bool:
    day = day or timezone.localdate()
    return campaign.opens_on <= day <= campaign.closes_on


def open_campaigns_for_enterprise_user(user: User) -> QuerySet[Campaign]:
    today = timezone.localdate()
    return campaign_list_for_user(user).filter(opens_on__lte=today, closes_on__gte=today)


def own_applications(user: User) -> QuerySet[Application]:
    return (
        application_list_for_user(user)
        .select_related("campaign", "enterprise")
        .order_by("-status_on", "-pk")
    )


# --- as of a date --------------------------------------------------------------------------


def _changes_by(as_of: dt.date) -> QuerySet[ApplicationChange]:
    return ApplicationChange.objects.filter(application_id=OuterRef("pk"), on__lte=as_of)


def started(campaign_ids: Any, as_of: dt.date) -> QuerySet[Application]:
    """Applications of these campaigns that had been started by the date."""
    return Application.objects.filter(campaign_id__in=campaign_ids).filter(
        Exists(_changes_by(as_of))
    )


def applying(campaign_ids: Any, as_of: dt.date) -> QuerySet[Application]:
    """Applications submitted (or taken further) on or before the date: one per enterprise, so
    these are the enterprises applying."""
    return Application.objects.filter(campaign_id__in=campaign_ids).filter(
        Exists(_changes_by(as_of).filter(to_status__in=APPLIED_STATUSES))
    )


def approved(campaign_ids: Any, as_of: dt.date) -> QuerySet[Application]:
    return Application.objects.filter(campaign_id__in=campaign_ids).filter(
        Exists(_changes_by(as_of).filter(to_status=ApplicationStatus.APPROVED))
    )


class StatusAsOf(TypedDict):
    status_as_of: str | None


def with_status_as_of(
    queryset: QuerySet[Application], as_of: dt.date
) -> QuerySet[WithAnnotations[Application, StatusAsOf]]:
    """Annotate `status_as_of`: the status of the latest change on or before the date."""
    return cast(
        "QuerySet[WithAnnotations[Application, StatusAsOf]]",
        with_value_as_of(
            queryset, as_of, ApplicationChange.application, "to_status", stored="status"
        ),
    )


def at_status(
    campaign_ids: Any, as_of: dt.date, status: str
) -> QuerySet[WithAnnotations[Application, StatusAsOf]]:
    return with_status_as_of(started(campaign_ids, as_of), as_of).filter(status_as_of=status)


def status_counts(campaign: Campaign, as_of: dt.date) -> list[dict[str, Any]]:
    """Each status in order with the number of the campaign's applications at it on the day,
    in one query."""
    rows = (
        with_status_as_of(started([campaign.pk], as_of), as_of)
        .order_by()
        .values("status_as_of")
        .annotate(n=Count("pk"))
    )
    found = {row["status_as_of"]: row["n"] for row in rows}
    return [
        {"status": status, "label": status.label, "count": found.get(status, 0)}
        for status in (*APPLICATION_ORDER, ApplicationStatus.REJECTED)
    ]


def _figure_conditions(as_of: dt.date) -> dict[str, Exists]:
    """What makes an application count in each of a campaign's figures by the date: started,
    submitted (or taken further), approved (the same conditions as the metrics)."""
    changes = _changes_by(as_of)
    return {
        "total": Exists(changes),
        "applying": Exists(changes.filter(to_status__in=APPLIED_STATUSES)),
        "approved": Exists(changes.filter(to_status=ApplicationStatus.APPROVED)),
    }


def campaign_figures(campaign_ids: list[int], as_of: dt.date) -> dict[int, dict[str, int]]:
    """For a page of campaigns, in one query: applications started, enterprises applying and
    applications approved by the date."""
    conditions = _figure_conditions(as_of)
    rows = (
        Application.objects.filter(campaign_id__in=campaign_ids)
        .annotate(**{f"was_{name}": condition for name, condition in conditions.items()})
        .order_by()
        .values("campaign_id")
        .annotate(**{name: Count("pk", filter=Q(**{f"was_{name}": True})) for name in conditions})
    )
    empty = dict.fromkeys(conditions, 0)
    found: dict[int, dict[str, int]] = {pk: dict(empty) for pk in campaign_ids}
    for values in rows:
        row: dict[str, Any] = dict(values)  # the counts, annotated by name, are not typed
        found[row["campaign_id"]] = {
            "total": row["total"],
            "applying": row["applying"],
            "approved": row["approved"],
        }
    return found


def with_figures(queryset: QuerySet[Campaign], as_of: dt.date) -> QuerySet[Campaign]:
    """Annotate each campaign's figures by the date (total, applying, approved, as
    campaign_figures reads them for a page), for a sheet of every campaign."""
    return queryset.annotate(
        **{
            name: Coalesce(
                Subquery(
                    Application.objects.filter(condition, campaign_id=OuterRef("pk"))
                    .order_by()
                    .values("campaign_id")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            )
            for name, condition in _figure_conditions(as_of).items()
        }
    )


# --- the lists -----------------------------------------------------------------------------

CAMPAIGN_SORTS = {
    "name": "name",
    "-name": "-name",
    "opens": "opens_on",
    "-opens": "-opens_on",
    "closes": "closes_on",
    "-closes": "-closes_on",
}


def campaign_search(
    user: User, *, q: str = "", state: str = "", kind: str = "", sort: str = ""
) -> QuerySet[Campaign]:
    today = timezone.localdate()
    queryset = campaign_list_for_user(user)
    queryset = containing(queryset, q, "name", "policy__title")
    if state == "open":
        queryset = queryset.filter(opens_on__lte=today, closes_on__gte=today)
    elif state == "upcoming":
        queryset = queryset.filter(opens_on__gt=today)
    elif state == "closed":
        queryset = queryset.filter(closes_on__lt=today)
    if kind:
        queryset = queryset.filter(designation_kind=kind)
    return queryset.order_by(CAMPAIGN_SORTS.get(sort, "-opens_on"), "pk")


APPLICATION_SORTS = {
    "name": "enterprise__name",
    "-name": "-enterprise__name",
    "status": "status",
    "-status": "-status",
    "since": "status_on",
    "-since": "-status_on",
}


def application_search(
    user: User,
    *,
    campaign: Campaign | None = None,
    q: str = "",
    status: str = "",
    sort: str = "",
) -> QuerySet[Application]:
    if campaign is None:
        queryset = application_list_for_user(user)
    else:
        # A campaign is opened by its id, in any of the user's zones; so are its applications.
        queryset = scope(
            user, Application.objects.all(), access.APPLICATION, whole_reach=True
        ).filter(campaign=campaign)
    q = q.strip()
    if q:
        condition = text_match("enterprise__name", q) | text_match("enterprise__short_name", q)
        if q.isascii() and q.isalnum():
            condition |= Q(enterprise__uscc__startswith=q.upper()) | Q(
                enterprise__name_initials__contains=q.lower()
            )
        queryset = queryset.filter(condition)
    if status == "applied":
        queryset = queryset.filter(status__in=APPLIED_STATUSES)
    elif status:
        queryset = queryset.filter(status=status)
    return queryset.select_related("enterprise", "campaign").order_by(
        APPLICATION_SORTS.get(sort, "enterprise__name"), "pk"
    )


def changes_of(application: Application) -> QuerySet[ApplicationChange]:
    return application.changes.select_related("by").order_by("on", "pk")


# --- attachments ---------------------------------------------------------------------------


def attachments_of(application: Application) -> QuerySet[ApplicationAttachment]:
    return application.attachments.select_related("uploaded_by").order_by("created_at", "pk")


def attachment_get_for_user(user: User, pk: Any, *, write: bool = False) -> ApplicationAttachment:
    """An attachment of an application the user may see (404 otherwise); with write=True, of
    one they may change (403 otherwise)."""
    try:
        application_id = ApplicationAttachment.objects.values_list("application_id", flat=True).get(
            pk=pk
        )
    except (ApplicationAttachment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    application = application_get_for_user(user, application_id, write=write)
    attachment = ApplicationAttachment.objects.get(pk=pk)
    attachment.application = application
    return attachment


# --- renewals: a designation running out, and the open campaign that leads to it again -------


class Renewal(TypedDict):
    designation: Designation
    expired: bool
    campaign: Campaign
    application: Application | None


def renewals_for(enterprise: Enterprise, day: dt.date | None = None) -> list[Renewal]:
    """The enterprise's designations that have expired or expire within EXPIRING_DAYS (the
    registry's "expiring" figure), not yet followed by a newer one of the same kind, each with
    a campaign of its zone open today that leads to that kind (and the enterprise's application
    there, if it started one). Three queries."""
    from gaoxin.enterprises.metrics import EXPIRING_DAYS

    day = day or timezone.localdate()
    designations = list(
        enterprise.designations.filter(revoked_on__isnull=True, expires_on__isnull=False).order_by(
            "kind", "-expires_on"
        )
    )
    latest: dict[str, Designation] = {}
    for designation in designations:  # the latest of each kind: an older one was renewed
        latest.setdefault(designation.kind, designation)
    running_out = [
        d
        for d in latest.values()
        if d.expires_on is not None and d.expires_on <= day + dt.timedelta(days=EXPIRING_DAYS)
    ]
    if not running_out:
        return []
    campaigns = list(
        Campaign.objects.filter(
            zone_id=enterprise.zone_id,
            designation_kind__in=[d.kind for d in running_out],
            opens_on__lte=day,
            closes_on__gte=day,
        ).order_by("closes_on", "pk")
    )
    applications = {
        a.campaign_id: a
        for a in Application.objects.filter(
            enterprise=enterprise, campaign__in=[c.pk for c in campaigns]
        )
    }
    renewals: list[Renewal] = []
    for designation in running_out:
        for campaign in campaigns:
            if campaign.designation_kind == designation.kind:
                assert designation.expires_on is not None
                renewals.append(
                    {
                        "designation": designation,
                        "expired": designation.expires_on < day,
                        "campaign": campaign,
                        "application": applications.get(campaign.pk),
                    }
                )
    return renewals
