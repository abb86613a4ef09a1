from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CultivationConfig(AppConfig):
    name = "gaoxin.cultivation"
    label = "cultivation"
    verbose_name = _("Enterprise cultivation (企业培育)")

    def ready(self) -> None:
        from gaoxin.cultivation import designations, efficiency, followups, scale, standings
        from gaoxin.economy.services import register_change_listener

        register_change_listener(standings.standings_refresh)
        scale.register()
        designations.register()
        efficiency.register()
        followups.register()
