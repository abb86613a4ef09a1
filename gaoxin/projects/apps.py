import datetime as dt
from decimal import Decimal

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
        register_tenant_reader(selectors.space_tenants)
        from gaoxin.core import rewind

        rewind.register(("projects.Project", "spaces.Space"), _rewound)


def _rewound(day: dt.date, moment: dt.datetime) -> None:
    """After gaoxin.core.rewind put projects and stage changes back as known at `moment`: the
    columns derived without a history row computed again from them, as the services compute
    them (services.reached_refresh: a project's first day at each stage of its path, from its
    stage changes; services._recount_spaces: a space's leased area, its signed tenants' floor
    area), each in one UPDATE whatever the number of projects."""
    from django.db.models import Case, OuterRef, Q, Subquery, Sum, Value, When
    from django.db.models.functions import Coalesce

    from gaoxin.projects import stages
    from gaoxin.projects.models import Project, StageChange
    from gaoxin.spaces.models import Space

    later = Q(history_date__gt=moment)
    rewound = Project.history.filter(later)
    touched = Q(pk__in=rewound.values("id")) | Q(
        pk__in=StageChange.history.filter(later).values("project_id")
    )

    def first_into(reaching: list[str]) -> Subquery:
        changes = StageChange._base_manager.filter(project=OuterRef("pk"), to_stage__in=reaching)
        return Subquery(changes.order_by("on").values("on")[:1])

    dates = {}
    for stage, name in stages.REACHED_FIELDS.items():
        whens = [
            When(carrier=carrier, then=first_into([str(s) for s in path[path.index(stage) :]]))
            for carrier, path in stages.PATHS.items()
            if stage in path
        ]
        dates[name] = Case(*whens, default=Value(None))
    if not Project._base_manager.filter(touched).update(**dates):
        return
    spaces = Q(pk__in=Project._base_manager.filter(touched).values("space_id")) | Q(
        pk__in=rewound.values("space_id")
    )
    tenants = (
        Project._base_manager.filter(
            space=OuterRef("pk"), floor_area__isnull=False, stage__in=stages.LEASING_STAGES
        )
        .order_by()
        .values("space")
        .annotate(total=Sum("floor_area"))
        .values("total")
    )
    Space._base_manager.filter(spaces).update(
        leased_floor_area=Coalesce(Subquery(tenants), Value(Decimal(0)))
    )
