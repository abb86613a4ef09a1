from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FactcheckConfig(AppConfig):
    """No models: 数据核对, a report's text checked figure by figure against the records,
    through the metrics (their `Said`) as known on the report's day and as known today."""

    name = "gaoxin.factcheck"
    label = "factcheck"
    verbose_name = _("Report check")

    def ready(self) -> None:
        from gaoxin.core import nav
        from gaoxin.core.roles import Role

        readers = frozenset({Role.ADMIN, Role.LEADER, Role.OFFICER})
        nav.register(nav.NavItem("factcheck:index", _("Report check"), readers, order=60))
