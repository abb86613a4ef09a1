"""What the registry adds to the 督办 reminders (jobs/reminders.py): designations (资质认定)
in force that expire within EXPIRING_DAYS, to the enterprise's liaison officer (挂点联系), who
chases the renewal. A designation already renewed (a later one of the same kind granted to
the enterprise and not revoked) is left out, and so are enterprises that moved out or closed.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core.periods import in_force_on
from gaoxin.enterprises.models import Designation, Enterprise
from gaoxin.jobs import reminders
from gaoxin.jobs.reminders import Due, ReminderKind

if TYPE_CHECKING:
    from gaoxin.accounts.models import Zone

DESIGNATION_EXPIRING = ReminderKind(
    "designation_expiring", gettext_lazy("Designations expiring"), 40
)


def designations_expiring(zone: Zone, day: dt.date) -> list[Due]:
    renewed = Designation.objects.filter(
        enterprise=OuterRef("enterprise"),
        kind=OuterRef("kind"),
        granted_on__gt=OuterRef("granted_on"),
        revoked_on__isnull=True,
    ).filter(Q(expires_on__isnull=True) | Q(expires_on__gt=OuterRef("expires_on")))
    rows = (
        Designation.objects.filter(
            in_force_on(day),
            enterprise__zone=zone,
            enterprise__status=Enterprise.Status.ACTIVE,
            expires_on__lte=day + dt.timedelta(days=reminders.EXPIRING_DAYS),
        )
        .exclude(Exists(renewed))
        .annotate(
            enterprise_name=F("enterprise__name"),
            officer_id=F("enterprise__liaison_officer_id"),
        )
        .only("pk", "kind", "expires_on", "enterprise_id")
        .order_by("expires_on", "pk")
    )
    dues = []
    for designation in rows:
        expires_on = designation.expires_on
        assert expires_on is not None  # in force and expiring: it has an end
        days = (expires_on - day).days
        detail = (
            _("expires today (%(day)s)") if days <= 0 else _("expires in %(days)d days (%(day)s)")
        ) % {"days": days, "day": expires_on.isoformat()}
        officer = designation.officer_id
        dues.append(
            Due(
                kind=DESIGNATION_EXPIRING.key,
                key=f"designation:{designation.pk}",
                user_ids=(officer,) if officer else (),
                title=f"{designation.enterprise_name} · {designation.get_kind_display()}",
                detail=detail,
                url=reverse("enterprises:detail", args=[designation.enterprise_id]),
                due_on=expires_on,
            )
        )
    return dues


def register() -> None:
    """Called from the enterprises app's ready()."""
    reminders.register(DESIGNATION_EXPIRING, designations_expiring)
