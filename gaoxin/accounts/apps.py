from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "gaoxin.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from gaoxin.accounts import receivers  # noqa: F401  (login audit trail)
        from gaoxin.core import nav
        from gaoxin.core.roles import ALL_ROLES

        nav.register(nav.NavItem("accounts:home", _("Home"), ALL_ROLES, order=0))
