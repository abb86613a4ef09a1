from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EconomyConfig(AppConfig):
    name = "gaoxin.economy"
    label = "economy"
    verbose_name = _("Economy (经济运行)")

    def ready(self) -> None:
        from gaoxin.core import importers, rewind
        from gaoxin.economy.dispatch.panel import dispatch_panel
        from gaoxin.economy.import_command import IMPORTER
        from gaoxin.economy.reporting import hooks as reporting_hooks
        from gaoxin.projects.selectors import register_project_panel

        reporting_hooks.register()
        from gaoxin.economy.reporting import reminders

        reminders.register()
        register_project_panel(dispatch_panel)
        importers.register(IMPORTER)
        # The browser's import runs as a background job (我的任务) with its progress.
        from gaoxin.economy.import_jobs import STATISTICS_CHECK, STATISTICS_IMPORT
        from gaoxin.jobs import kinds

        kinds.register(STATISTICS_IMPORT)
        kinds.register(STATISTICS_CHECK)  # a large sheet's preview
        from gaoxin.economy.selectors import rewind_to

        # 数据核对's "as known on a day": the figures keep their own known-from/until rows.
        rewind.register(("economy.FigureValue", "economy.ImportBatch"), rewind_to)
