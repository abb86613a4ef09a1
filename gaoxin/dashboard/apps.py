from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """No models: the leaders' dashboard (领导驾驶舱) and the work briefing (工作简报), both read
    through the metrics."""

    name = "gaoxin.dashboard"
    label = "dashboard"
    verbose_name = _("Dashboard")

    def ready(self) -> None:
        from gaoxin.core import nav
        from gaoxin.core.roles import Role
        from gaoxin.dashboard import tasks  # noqa: F401  (registers the figures' warming)

        readers = frozenset({Role.ADMIN, Role.LEADER, Role.OFFICER})
        # The work briefing is opened from the dashboard; the bar has no room for both.
        nav.register(
            nav.NavItem("dashboard:index", _("Dashboard"), readers, order=50, also=("/briefing/",))
        )
