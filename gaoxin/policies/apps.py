from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    name = "gaoxin.policies"
    label = "policies"
    verbose_name = _("Policies")

    def ready(self) -> None:
        from gaoxin.core import nav
        from gaoxin.core.roles import ALL_ROLES, Role

        # One area for staff (policies, briefings, campaigns, awards behind tabs); an
        # enterprise user gets their own applications and awards at the top as well.
        nav.register(
            nav.NavItem(
                "policies:list",
                _("Policy services"),
                ALL_ROLES,
                order=500,
                also=("/campaigns/", "/awards/"),
            ),
            nav.NavItem("campaigns:list", _("My applications"), frozenset({Role.ENTERPRISE}), 510),
            nav.NavItem("awards:list", _("My awards"), frozenset({Role.ENTERPRISE}), 520),
        )
        from gaoxin.core import inbox
        from gaoxin.policies import inbox_sections
        from gaoxin.policies.policy_selectors import recent_policies_section

        inbox_sections.register_all()
        inbox.register(recent_policies_section)
