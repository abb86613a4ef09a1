from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndustriesConfig(AppConfig):
    name = "gaoxin.industries"
    label = "industries"
    verbose_name = _("Industries")

    def ready(self) -> None:
        from gaoxin.core import nav
        from gaoxin.core.roles import STAFF_ROLES

        nav.register(nav.NavItem("industries:overview", _("Industries"), STAFF_ROLES, order=100))
