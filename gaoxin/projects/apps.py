from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "gaoxin.projects"
    label = "projects"
    verbose_name = _("Projects")

    def ready(self) -> None:
        from gaoxin.core import nav
        from gaoxin.core.roles import STAFF_ROLES

        nav.register(
            nav.NavItem("projects:list", _("Projects"), STAFF_ROLES, order=400),
            nav.NavItem("approvals:list", _("Approvals"), STAFF_ROLES, order=410),
            nav.NavItem("blockers:list", _("Blockers"), STAFF_ROLES, order=420),
        )
        from gaoxin.projects import inbox_sections, selectors
        from gaoxin.spaces.selectors import register_tenant_reader

        inbox_sections.register_all()
        from gaoxin.projects import reminders

        reminders.register()
        register_tenant_reader(selectors.space_tenants)
        from gaoxin.core import rewind
        from gaoxin.projects import services

        rewind.register(("projects.Project", "spaces.Space"), services.rewind_derived)
