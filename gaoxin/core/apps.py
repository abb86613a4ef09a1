from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "gaoxin.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        # Every app's metrics.py registers its named figures on import.
        autodiscover_modules("metrics")

        from django.utils.translation import gettext_lazy as _

        from gaoxin.core import (
            figure_cache,
            ids,  # noqa: F401 - registers the overflow-safe `in` lookup
            nav,
        )
        from gaoxin.core.roles import STAFF_ROLES

        # Every write bumps its zones' figure generation once it commits.
        figure_cache.connect()
        nav.register(nav.NavItem("core:metric_index", _("Figures"), STAFF_ROLES, order=900))
