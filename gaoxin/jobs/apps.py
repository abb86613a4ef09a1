from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    """Background jobs on huey (imports and large exports, with progress, under 我的任务),
    and the 督办 reminders: in-app notices and the zones' channels, on Chinese working days."""

    name = "gaoxin.jobs"
    label = "jobs"
    verbose_name = _("Jobs and reminders")

    def ready(self) -> None:
        import gaoxin.jobs.exports  # noqa: F401  (the export kind; a large export becomes one)
        from gaoxin.core import nav
        from gaoxin.core.roles import ALL_ROLES, Role
        from gaoxin.jobs import tasks  # noqa: F401  (registers the huey tasks)

        nav.register(
            nav.NavItem("jobs:list", _("My jobs"), ALL_ROLES, order=880),
            # The zone's reminder channels, and the working-day calendar they run on.
            nav.NavItem(
                "channels:list",
                _("Reminder channels"),
                frozenset({Role.ADMIN}),
                order=890,
                also=("/jobs/calendar/",),
            ),
        )
