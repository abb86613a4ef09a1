from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvestmentConfig(AppConfig):
    name = "gaoxin.investment"
    label = "investment"
    verbose_name = _("Investment leads")

    def ready(self) -> None:
        from gaoxin.core import inbox, nav
        from gaoxin.core.roles import STAFF_ROLES
        from gaoxin.investment.selectors import idle_leads_section

        nav.register(nav.NavItem("leads:list", _("Leads"), STAFF_ROLES, order=300))
        inbox.register(idle_leads_section)
