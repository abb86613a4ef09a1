"""Figures about the people who use the platform."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from gaoxin.accounts.models import User
from gaoxin.core.metrics import Column, MetricScope, Unit, metric, subject
from gaoxin.core.roles import Role

# One department, named by its name ("自然资源局逾期审批事项2个"): the breakdowns by department
# give the names. (The users' figures are the platform's own; reports do not state them.)
subject("department", _("Department"))

USER_COLUMNS = (
    Column(_("User name"), "username"),
    Column(_("Full name"), "name"),
    Column(_("Role"), "get_role_display"),
    Column(_("Department"), "department"),
    Column(_("Joined"), "date_joined"),
)


def _users_with_role(role: str) -> Callable[[MetricScope], QuerySet[User]]:
    def records(scope: MetricScope) -> QuerySet[User]:
        zoned = User.objects.filter(zones__in=scope.zone_ids).values("pk")
        return (
            User.objects.filter(
                pk__in=zoned, role=role, is_active=True, date_joined__lte=scope.end_of_day
            )
            .select_related("department")
            .order_by("username")
        )

    return records


for _role in Role:
    metric(
        f"accounts.users.{_role.value}",
        label=format_lazy(_("Users: {role}"), role=_role.label),
        unit=Unit.PERSON,
        columns=USER_COLUMNS,
        group=_("Accounts"),
        description=_("Active users of this role in the zone who had joined by the date."),
        # A user may be linked to several zones: counted once over them, once in each alone.
        additive=False,
    )(_users_with_role(_role.value))
