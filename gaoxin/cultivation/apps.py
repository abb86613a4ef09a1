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
        from gaoxin.core import rewind

        # The standings are a cache of the figures: dropped when the records are rewound
        # (数据核对's "as known on a day"), built again from the rewound figures when read.
        rewind.register(("cultivation.Standing", "cultivation.StandingBuild"), standings.drop_all)
        scale.register()
        designations.register()
        efficiency.register()
        followups.register()
