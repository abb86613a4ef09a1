from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "gaoxin.campaigns"
    label = "campaigns"
    verbose_name = _("Campaigns and awards")

    def ready(self) -> None:
        from gaoxin.core import nav
        from gaoxin.core.roles import Role

        # Staff reach campaigns and awards through the policy area's tabs; an enterprise user
        # gets their own applications and awards at the top as well.
        nav.register(
            nav.NavItem("campaigns:list", _("My applications"), frozenset({Role.ENTERPRISE}), 510),
            nav.NavItem("awards:list", _("My awards"), frozenset({Role.ENTERPRISE}), 520),
        )
        from gaoxin.campaigns import enterprise_panels, inbox_sections

        inbox_sections.register_all()
        enterprise_panels.register()
