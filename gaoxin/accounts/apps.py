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

        # The figures cache traces every record to a zone (core/figure_cache.py); a user's
        # figures count in the zones they are linked to, whatever their department.
        from gaoxin.accounts.models import User, Zone
        from gaoxin.core import figure_cache

        figure_cache.zones_are(Zone)

        @figure_cache.resolve_zones(User._meta.label)
        def _user_zones(user: User) -> set[int] | None:
            if user.pk is None:
                return set()
            return set(user.zones.values_list("pk", flat=True))
