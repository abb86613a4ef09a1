"""What self-reporting adds to the shell: an enterprise user's navigation item and the
"本月待填报" entry of their inbox while last month's report is still to be made."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core import inbox, nav
from gaoxin.core.access import role_of
from gaoxin.core.inbox import InboxSection
from gaoxin.core.roles import Role

if TYPE_CHECKING:
    from gaoxin.accounts.models import User
    from gaoxin.enterprises.models import Enterprise


def report_due_section(user: User) -> InboxSection | None:
    """Last month's report while it is not made (with its deadline); nothing once it is."""
    if role_of(user) != Role.ENTERPRISE or user.enterprise_id is None:
        return None
    from gaoxin.economy.reporting import selectors
    from gaoxin.enterprises.models import Enterprise

    enterprise = Enterprise.objects.get(pk=user.enterprise_id)
    month = selectors.own_months(enterprise, count=1)[0]
    if month.status not in (selectors.ReportStatus.PENDING, selectors.ReportStatus.OVERDUE):
        return None
    overdue = month.status == selectors.ReportStatus.OVERDUE
    note = (_("overdue: the deadline was %(day)s") if overdue else _("due by %(day)s")) % {
        "day": month.deadline.isoformat()
    }
    return InboxSection(
        title=gettext_lazy("This month's self-report (本月待填报)"),
        items=[
            {
                "url": reverse("economy:report_fill", args=[enterprise.pk, month.period.key]),
                "title": _("Figures of %(period)s") % {"period": month.period.label},
                "note": note,
                "overdue": overdue,
            }
        ],
        more_url=reverse("economy:report_enterprise", args=[enterprise.pk]),
        order=10,
    )


def reporting_panel(enterprise: Enterprise, user: User) -> dict[str, Any] | None:
    """The enterprise's own page, for its users: the figures it reported in the last six
    months, where each report stands, and a link to each month's form."""
    if role_of(user) != Role.ENTERPRISE:
        return None
    from gaoxin.economy.reporting import selectors

    return {
        "template": "economy/_reporting_panel.html",
        "enterprise": enterprise,
        "months": selectors.own_months(enterprise, count=6),
    }


def register() -> None:
    nav.register(
        nav.NavItem(
            "economy:report_mine",
            gettext_lazy("Monthly figures (企业填报)"),
            frozenset({Role.ENTERPRISE}),
            505,
            also=("/economy/reports/", "/economy/dispatch/"),
        )
    )
    inbox.register(report_due_section)
    from gaoxin.enterprises.selectors import register_enterprise_panel

    register_enterprise_panel(reporting_panel)
