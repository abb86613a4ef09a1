from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "gaoxin.enterprises"
    label = "enterprises"
    verbose_name = _("Enterprises")

    def ready(self) -> None:
        from gaoxin.core import nav
        from gaoxin.core.roles import STAFF_ROLES, Role

        nav.register(
            nav.NavItem("enterprises:list", _("Enterprises"), STAFF_ROLES, order=200),
            # The enterprise user's own file, second in their bar (after 首页).
            nav.NavItem(
                "enterprises:mine",
                _("My enterprise"),
                frozenset({Role.ENTERPRISE}),
                order=5,
                also=("/enterprises/",),
            ),
        )

        from gaoxin.core import inbox
        from gaoxin.enterprises.selectors import own_enterprise_section

        inbox.register(own_enterprise_section)

        from gaoxin.enterprises import reminders

        reminders.register()

        from gaoxin.enterprises.chains import CHAIN_MEMBERS
        from gaoxin.industries.selectors import register_chain_members

        register_chain_members(CHAIN_MEMBERS)

        from gaoxin.core import importers
        from gaoxin.enterprises.import_command import IMPORTER

        importers.register(IMPORTER)

        # The browser's import runs as a background job (我的任务) with its progress.
        from gaoxin.enterprises.import_jobs import ENTERPRISE_CHECK, ENTERPRISE_IMPORT
        from gaoxin.jobs import kinds

        kinds.register(ENTERPRISE_IMPORT)
        kinds.register(ENTERPRISE_CHECK)  # a large sheet's preview
