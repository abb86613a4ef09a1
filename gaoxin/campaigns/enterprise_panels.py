"""What campaigns add to an enterprise's page (enterprises.selectors.register_enterprise_panel):
a designation that has expired or is running out, with the open campaign that grants it again.
Shown at the top of the page, to the enterprise's own users (who apply) and to staff (who
remind them)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gaoxin.campaigns import selectors
from gaoxin.core.access import role_of
from gaoxin.core.roles import Role

if TYPE_CHECKING:
    from gaoxin.accounts.models import User
    from gaoxin.enterprises.models import Enterprise


def renewal_panel(enterprise: Enterprise, user: User) -> dict[str, Any] | None:
    renewals = selectors.renewals_for(enterprise)
    if not renewals:
        return None
    return {
        "template": "campaigns/_renewal_panel.html",
        "top": True,
        "renewals": renewals,
        "can_apply": role_of(user) == Role.ENTERPRISE,
    }


def register() -> None:
    from gaoxin.enterprises.selectors import register_enterprise_panel

    register_enterprise_panel(renewal_panel)
