from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpacesConfig(AppConfig):
    name = "gaoxin.spaces"
    label = "spaces"
    verbose_name = _("Industrial spaces")

    def ready(self) -> None:
        from gaoxin.core import nav
        from gaoxin.core.roles import STAFF_ROLES

        nav.register(nav.NavItem("spaces:list", _("Spaces"), STAFF_ROLES, order=450))
