from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EconomyConfig(AppConfig):
    name = "gaoxin.economy"
    label = "economy"
    verbose_name = _("Economy (经济运行)")

    def ready(self) -> None:
        from gaoxin.core import importers
        from gaoxin.economy.import_command import IMPORTER

        importers.register(IMPORTER)
