from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    name = "gaoxin.policies"
    label = "policies"
    verbose_name = _("Policies")

    def ready(self) -> None:
        from gaoxin.core import nav
        from gaoxin.core.roles import ALL_ROLES

        # Enterprise users read the zone's policies, apply in campaigns and see their awards.
        nav.register(
            nav.NavItem("policies:list", _("Policies"), ALL_ROLES, order=500),
            nav.NavItem("campaigns:list", _("Campaigns"), ALL_ROLES, order=510),
            nav.NavItem("awards:list", _("Awards"), ALL_ROLES, order=520),
        )
        from gaoxin.core import inbox
        from gaoxin.policies import inbox_sections
        from gaoxin.policies.policy_selectors import recent_policies_section

        inbox_sections.register_all()
        inbox.register(recent_policies_section)
