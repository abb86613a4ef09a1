"""What self-reporting adds to the 督办 reminders (jobs/reminders.py): last month's reports
not in (企业填报), from DUE_SOON_DAYS before the zone's deadline day on, to the enterprise's
users and its liaison officer (挂点联系), who chases the report.

Who is expected to report is this module's rule (selectors.expected_q); a report is in once it
is submitted (a SelfReport of the month).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.accounts.models import User
from gaoxin.core.roles import Role
from gaoxin.economy.models import SelfReport
from gaoxin.economy.reporting import selectors
from gaoxin.jobs import reminders
from gaoxin.jobs.reminders import Due, ReminderKind

if TYPE_CHECKING:
    from gaoxin.accounts.models import Zone

SELF_REPORT_MISSING = ReminderKind(
    "self_report_missing", gettext_lazy("Monthly self-reports not in"), 50
)


def self_reports_missing(zone: Zone, day: dt.date) -> list[Due]:
    period = selectors.month_being_reported(day)
    deadline = selectors.deadline_of(period, selectors.deadline_days([zone.pk])[zone.pk])
    if day < deadline - dt.timedelta(days=reminders.DUE_SOON_DAYS):
        return []
    reported = SelfReport.objects.filter(
        enterprise=OuterRef("pk"), year=period.year, month=period.month
    )
    enterprises = list(
        selectors.expected_enterprises([zone.pk], period)
        .exclude(Exists(reported))
        .only("pk", "name", "liaison_officer_id")
        .order_by("name", "pk")
    )
    users: dict[int, list[int]] = defaultdict(list)
    rows = User.objects.filter(
        enterprise_id__in=[e.pk for e in enterprises], role=Role.ENTERPRISE, is_active=True
    ).values_list("enterprise_id", "pk")
    for enterprise_id, user_id in rows.order_by("pk"):
        users[enterprise_id].append(user_id)
    if day > deadline:
        detail = _("%(days)d days overdue (to be reported by %(day)s)") % {
            "days": reminders.overdue_days(deadline, day),
            "day": deadline.isoformat(),
        }
    else:
        detail = reminders.due_in_words(deadline, day)
    dues = []
    for enterprise in enterprises:
        officer = (enterprise.liaison_officer_id,) if enterprise.liaison_officer_id else ()
        dues.append(
            Due(
                kind=SELF_REPORT_MISSING.key,
                key=f"self_report:{enterprise.pk}:{period.key}",
                user_ids=(*users.get(enterprise.pk, []), *officer),
                title=_("%(enterprise)s · figures of %(period)s")
                % {"enterprise": enterprise.name, "period": period.label},
                detail=detail,
                url=reverse("economy:report_fill", args=[enterprise.pk, period.key]),
                due_on=deadline,
            )
        )
    return dues


def register() -> None:
    """Called from the economy app's ready()."""
    reminders.register(SELF_REPORT_MISSING, self_reports_missing)
