"""What applications add to each user's home page (我的待办).

Enterprise users: their applications still being prepared (拟申报, with the day the campaign
closes) and those whose status changed in the last RECENT_DAYS days. Officers: the applications
submitted in their zone and waiting for the zone's review. Each section shows at most `LIMIT`
items and links to the list for the rest.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.campaigns import selectors
from gaoxin.campaigns.models import Application, ApplicationStatus
from gaoxin.core import inbox
from gaoxin.core.access import role_of
from gaoxin.core.inbox import InboxSection
from gaoxin.core.roles import Role

if TYPE_CHECKING:
    from gaoxin.accounts.models import User

LIMIT = 10
RECENT_DAYS = 30


def _enterprise_item(application: Application, today: dt.date) -> dict[str, Any]:
    campaign = application.campaign
    if application.status == ApplicationStatus.DRAFT:
        closed = campaign.closes_on < today
        note = (
            _("not submitted; the campaign closed on %(day)s")
            if closed
            else _("not submitted yet; submit by %(day)s")
        ) % {"day": campaign.closes_on.isoformat()}
        overdue = closed or (campaign.closes_on - today).days <= 7
    else:
        note = _("%(status)s since %(day)s") % {
            "status": application.get_status_display(),
            "day": application.status_on.isoformat(),
        }
        overdue = False
    return {
        "url": application.get_absolute_url(),
        "title": campaign.name,
        "note": note,
        "overdue": overdue,
    }


def enterprise_applications_section(user: User) -> InboxSection | None:
    if role_of(user) != Role.ENTERPRISE or user.enterprise_id is None:
        return None
    today = timezone.localdate()
    recent = today - dt.timedelta(days=RECENT_DAYS)
    applications = list(
        selectors.application_list_for_user(user)
        .filter(Q(status=ApplicationStatus.DRAFT) | Q(status_on__gte=recent))
        .select_related("campaign")
        .order_by("-status_on", "-pk")[:LIMIT]
    )
    return InboxSection(
        title=gettext_lazy("My applications (申报)"),
        items=[_enterprise_item(a, today) for a in applications],
        empty_text=gettext_lazy("No application of yours is waiting or has news."),
        more_url=reverse("campaigns:list"),
        order=15,
    )


def officer_review_section(user: User) -> InboxSection | None:
    if role_of(user) != Role.OFFICER:
        return None
    applications = list(
        selectors.application_list_for_user(user)
        .filter(status=ApplicationStatus.SUBMITTED)
        .select_related("campaign", "enterprise")
        .order_by("status_on", "pk")[:LIMIT]
    )
    return InboxSection(
        title=gettext_lazy("Applications waiting for zone review (区级审核)"),
        items=[
            {
                "url": a.get_absolute_url(),
                "title": f"{a.enterprise.name} · {a.campaign.name}",
                "note": _("submitted %(day)s") % {"day": a.status_on.isoformat()},
            }
            for a in applications
        ],
        empty_text=gettext_lazy("No submitted application is waiting for review."),
        more_url=_review_url(applications),
        order=40,
    )


def _review_url(applications: list[Application]) -> str:
    """The one campaign's submitted applications, or the open campaigns when they are several."""
    campaigns = {a.campaign_id for a in applications}
    if len(campaigns) == 1:
        url = reverse("campaigns:detail", args=[campaigns.pop()])
        return f"{url}?{urlencode({'status': ApplicationStatus.SUBMITTED})}"
    return f"{reverse('campaigns:list')}?{urlencode({'state': 'open'})}"


def enterprise_renewals_section(user: User) -> InboxSection | None:
    """An enterprise user's designations that have expired or are running out, each with the
    open campaign to apply to (selectors.renewals_for); nothing when there is none."""
    if role_of(user) != Role.ENTERPRISE or user.enterprise is None:
        return None
    today = timezone.localdate()
    renewals = selectors.renewals_for(user.enterprise, today)
    if not renewals:
        return None
    items = []
    for r in renewals:
        expires = r["designation"].expires_on
        assert expires is not None  # renewals_for reads only designations with an end
        note = (_("expired on %(day)s") if r["expired"] else _("expires on %(day)s")) % {
            "day": expires.isoformat()
        }
        application = r["application"]
        items.append(
            {
                "url": application.get_absolute_url()
                if application is not None
                else reverse("campaigns:apply", args=[r["campaign"].pk]),
                "title": f"{r['designation'].get_kind_display()} · {r['campaign'].name}",
                "note": _("%(state)s; apply by %(day)s")
                % {"state": note, "day": r["campaign"].closes_on.isoformat()},
                "overdue": r["expired"],
            }
        )
    return InboxSection(
        title=gettext_lazy("Designations to renew (资质到期)"),
        items=items,
        more_url=reverse("campaigns:list"),
        order=12,
    )


PROVIDERS = (enterprise_applications_section, enterprise_renewals_section, officer_review_section)


def register_all() -> None:
    """Called from the campaigns app's ready()."""
    for provider in PROVIDERS:
        inbox.register(provider)
