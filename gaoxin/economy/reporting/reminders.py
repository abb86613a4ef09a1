"""What self-reporting adds to the 督办 reminders (jobs/reminders.py): last month's reports
not in (企业填报), from DUE_SOON_DAYS before the zone's deadline day on.

- Each liaison officer (挂点联系, whatever their staff role) gets one item a month for the
  enterprises they look after: "10月企业填报：12家未报（应于2026-11-10前填报，已逾期20天）",
  linking to the reporting status list filtered to their enterprises not in. Its key names the
  officer and the month, not the count, so a second run on the same day adds nothing.
- An enterprise's own users get one item for their enterprise's report.

Who is expected to report is this module's rule (selectors.expected_q); a report is in once it
is submitted (a SelfReport of the month). Three queries, however many enterprises.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.accounts.models import User
from gaoxin.core.roles import Role
from gaoxin.economy.models import SelfReport
from gaoxin.economy.periods import Period
from gaoxin.economy.reporting import selectors
from gaoxin.jobs import reminders
from gaoxin.jobs.reminders import Due, ReminderKind

if TYPE_CHECKING:
    from gaoxin.accounts.models import Zone

SELF_REPORT_MISSING = ReminderKind(
    "self_report_missing", gettext_lazy("Monthly self-reports not in"), 50
)
# An officer's item names this many of their enterprises not in (and counts the rest).
NAMED = 3


def self_reports_missing(zone: Zone, day: dt.date) -> list[Due]:
    period = selectors.month_being_reported(day)
    deadline = selectors.deadline_of(period, selectors.deadline_days([zone.pk])[zone.pk])
    if day < deadline - dt.timedelta(days=reminders.DUE_SOON_DAYS):
        return []
    reported = SelfReport.objects.filter(
        enterprise=OuterRef("pk"), year=period.year, month=period.month
    )
    missing = list(
        selectors.expected_enterprises([zone.pk], period)
        .exclude(Exists(reported))
        .order_by("name", "pk")
        .values_list("pk", "name", "liaison_officer_id")
    )
    users: dict[int, list[int]] = defaultdict(list)
    rows = User.objects.filter(
        enterprise_id__in=[pk for pk, _name, _officer in missing],
        role=Role.ENTERPRISE,
        is_active=True,
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
    dues = _officer_dues(period, deadline, day, missing)
    for pk, name, _officer in missing:
        if pk not in users:
            continue
        dues.append(
            Due(
                kind=SELF_REPORT_MISSING.key,
                key=f"self_report:{pk}:{period.key}",
                user_ids=tuple(users[pk]),
                title=_("%(enterprise)s · figures of %(period)s")
                % {"enterprise": name, "period": period.label},
                detail=detail,
                url=reverse("economy:report_fill", args=[pk, period.key]),
                due_on=deadline,
            )
        )
    return dues


def _officer_dues(
    period: Period,
    deadline: dt.date,
    day: dt.date,
    missing: Sequence[tuple[int, str, int | None]],
) -> list[Due]:
    """One item per liaison officer: the count of their enterprises not in, the first few
    named, linking to the status list of their enterprises not in."""
    names: dict[int, list[str]] = defaultdict(list)
    for _pk, name, officer_id in missing:
        if officer_id is not None:
            names[officer_id].append(name)
    if not names:
        return []
    officers = {
        pk: name or username
        for pk, name, username in User.objects.filter(pk__in=names).values_list(
            "pk", "name", "username"
        )
    }
    if day > deadline:
        when = _(
            "Month %(month)d self-reports: %(count)d not in (due by %(day)s, %(days)d days overdue)"
        )
    else:
        when = _("Month %(month)d self-reports: %(count)d not in (due by %(day)s)")
    status_list = reverse("economy:report_list")
    dues = []
    for officer_id in sorted(names):
        enterprises = names[officer_id]
        listed = "、".join(enterprises[:NAMED])
        if len(enterprises) > NAMED:
            listed = _("%(names)s and %(more)d more") % {
                "names": listed,
                "more": len(enterprises) - NAMED,
            }
        query = urlencode({"period": period.key, "status": "missing", "officer": officer_id})
        dues.append(
            Due(
                kind=SELF_REPORT_MISSING.key,
                key=f"self_report:officer:{officer_id}:{period.key}",
                user_ids=(officer_id,),
                title=when
                % {
                    "month": period.month,
                    "count": len(enterprises),
                    "day": deadline.isoformat(),
                    "days": reminders.overdue_days(deadline, day),
                },
                detail=_("Looked after by %(officer)s: %(names)s")
                % {"officer": officers.get(officer_id) or "", "names": listed},
                url=f"{status_list}?{query}",
                due_on=deadline,
            )
        )
    return dues


def register() -> None:
    """Called from the economy app's ready()."""
    reminders.register(SELF_REPORT_MISSING, self_reports_missing)
