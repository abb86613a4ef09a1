from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    name = "gaoxin.policies"
    label = "policies"
    verbose_name = _("Policies")

    def ready(self) -> None:
        from gaoxin.core import inbox, nav
        from gaoxin.core.roles import ALL_ROLES

        # One area for staff: policies and briefings here, campaigns and awards (the campaigns
        # app, whose pages share the area's tabs) under their own prefixes.
        nav.register(
            nav.NavItem(
                "policies:list",
                _("Policy services"),
                ALL_ROLES,
                order=500,
                also=("/campaigns/", "/awards/"),
            ),
        )
        from gaoxin.policies.selectors import recent_policies_section

        inbox.register(recent_policies_section)

        # A sign-in sheet is recorded by a background job (我的任务) with its progress.
        from gaoxin.jobs import kinds
        from gaoxin.policies.import_jobs import ATTENDANCE_IMPORT

        kinds.register(ATTENDANCE_IMPORT)
