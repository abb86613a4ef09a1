"""Reading projects: scoped access, the stage a project was at on a day, the list's search and
the board. Figures as of a date are read from the stage changes, so the board and the metrics
are one computation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.db.models import Case, Count, F, Q, QuerySet, Sum, Value, When
from django.db.models.expressions import OrderBy
from django.utils import timezone

from gaoxin.core.access import get_for_user, scope
from gaoxin.core.asof import with_value_as_of
from gaoxin.core.queries import text_match
from gaoxin.projects import access, stages
from gaoxin.projects.models import Blocker, Project, StageChange
from gaoxin.projects.stages import Stage
from gaoxin.projects.work.blockers.selectors import blocker_overdue_q
from gaoxin.spaces.models import Space

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from gaoxin.accounts.models import User


def project_list_for_user(user: User) -> QuerySet[Project]:
    return scope(user, Project.objects.all(), access.PROJECT)


def project_get_for_user(user: User, pk: Any, *, write: bool = False) -> Project:
    return get_for_user(
        user,
        Project.objects.select_related(
            "zone", "industry", "segment", "officer", "enterprise", "space", "lead"
        ),
        pk,
        access.PROJECT,
        write=write,
    )


# --- as of a date --------------------------------------------------------------------------


def pipeline(zone_ids: Any, as_of: dt.date) -> QuerySet[WithAnnotations[Project, StageAsOf]]:
    """The zones' projects annotated with `stage_as_of`: the records every pipeline figure is
    a condition on (reached_q, current_q)."""
    return with_stage_as_of(Project.objects.filter(zone_id__in=zone_ids), as_of)


def reached_q(as_of: dt.date, stage: str) -> Q:
    """Projects with a change into `stage`, or a later stage of their path, on or before the
    date (a project later terminated still reached what it reached): the project's stored
    first day at that stage, kept from its stage changes by the services."""
    name = stages.reached_field(stage)
    return Q(**{f"{name}__lte": as_of}) if name else Q(pk__in=[])


def current_q(as_of: dt.date, stage: str) -> Q:
    """Projects (of a queryset annotated by with_stage_as_of) in the pipeline on the date
    whose latest change by then was into `stage`."""
    return reached_q(as_of, Stage.PLANNED) & Q(stage_as_of=stage)


class StageAsOf(TypedDict):
    stage_as_of: str | None


def with_stage_as_of(
    queryset: QuerySet[Project], as_of: dt.date
) -> QuerySet[WithAnnotations[Project, StageAsOf]]:
    """Annotate `stage_as_of`: the stage of the latest change on or before the date."""
    return cast(
        "QuerySet[WithAnnotations[Project, StageAsOf]]",
        with_value_as_of(queryset, as_of, StageChange.project, "to_stage", stored="stage"),
    )


# --- the list ------------------------------------------------------------------------------

SORTS: dict[str, str | OrderBy] = {
    "name": "name",
    "-name": "-name",
    "stage": "stage",
    "-stage": "-stage",
    "since": "stage_on",
    "-since": "-stage_on",
    "fai": F("fixed_asset_investment").asc(nulls_last=True),
    "-fai": F("fixed_asset_investment").desc(nulls_last=True),
    "output": F("expected_annual_output").asc(nulls_last=True),
    "-output": F("expected_annual_output").desc(nulls_last=True),
    "updated": "updated_at",
    "-updated": "-updated_at",
}


def project_search(
    user: User,
    *,
    q: str = "",
    stage: str = "",
    industry: Any = None,
    officer: User | None = None,
    carrier: str = "",
    expected_above_scale: bool | None = None,
    space: Any = None,
    overdue_blockers: bool = False,
    sort: str = "",
) -> QuerySet[Project]:
    queryset = project_list_for_user(user)
    if q:
        queryset = queryset.filter(
            text_match("name", q)
            | text_match("investor_name", q)
            | text_match("land_parcel_code", q)
            | Q(enterprise__uscc=q.upper())
        )
    if stage == "active":
        queryset = queryset.exclude(stage=Stage.TERMINATED)
    elif stage:
        queryset = queryset.filter(stage=stage)
    if industry is not None:
        queryset = queryset.filter(industry=industry)
    if officer is not None:
        queryset = queryset.filter(officer=officer)
    if carrier:
        queryset = queryset.filter(carrier=carrier)
    if expected_above_scale is not None:
        queryset = queryset.filter(expected_above_scale=expected_above_scale)
    if space is not None:
        queryset = queryset.filter(space=space)
    if overdue_blockers:
        queryset = queryset.filter(pk__in=overdue_blockers_of().values("project_id"))
    order = SORTS.get(sort, "-updated_at")
    return queryset.select_related("industry", "officer").order_by(order, "-pk")


def overdue_blockers_of(today: dt.date | None = None) -> QuerySet[Blocker]:
    return Blocker.objects.filter(blocker_overdue_q(today or timezone.localdate()))


def overdue_counts(project_ids: list[int]) -> dict[int, int]:
    """Overdue open blockers per project, for flags on a page of projects (one query)."""
    from django.db.models import Count

    rows = (
        overdue_blockers_of()
        .filter(project_id__in=project_ids)
        .values("project_id")
        .annotate(n=Count("pk"))
    )
    return {row["project_id"]: row["n"] for row in rows}


# --- the board -----------------------------------------------------------------------------

# The most recently moved cards of each column; "All N" opens the rest (the metric's records).
BOARD_CARDS = 12
CARD_FIELDS = (
    "pk",
    "name",
    "stage_on",
    "fixed_asset_investment",
    "industry__name",
    "industry__short_name",
    "officer__name",
    "officer__username",
)


def board(zone_ids: list[int], as_of: dt.date, carrier: str) -> list[dict[str, Any]]:
    """The board of one path (the carrier's): a column per stage of the path in its order,
    then 终止, each with the number of the carrier's projects at that stage on the date (the
    metric projects.<carrier>.current.<stage>) and the first cards, most recently moved first.
    One query for the counts and one per column for its cards."""
    from django.db.models import Count

    from gaoxin.core.metrics import MetricScope, registry

    metric_scope = MetricScope.of(zone_ids, as_of)
    # In the pipeline by the day, at the stage of its latest change: current_q, grouped.
    base = pipeline(metric_scope.zone_ids, as_of).filter(
        reached_q(as_of, Stage.PLANNED), carrier=carrier
    )
    counts = {
        row["stage_as_of"]: row["n"]
        for row in base.order_by().values("stage_as_of").annotate(n=Count("pk"))
    }
    columns = []
    for stage in (*stages.path_of(carrier), Stage.TERMINATED):
        metric = registry.get(f"projects.{carrier}.current.{stage}")
        count = counts.get(str(stage), 0)
        cards = (
            list(
                metric.records(metric_scope)
                .select_related("industry", "officer")
                .only(*CARD_FIELDS)
                .order_by("-stage_on", "-pk")[:BOARD_CARDS]
            )
            if count
            else []
        )
        columns.append(
            {
                "stage": stage,
                "label": Stage(stage).label,
                "count": count,
                "cards": cards,
                "metric": metric,
            }
        )
    overdue = overdue_counts([c.pk for column in columns for c in column["cards"]])
    for column in columns:
        for card in column["cards"]:
            card.overdue_blockers = overdue.get(card.pk, 0)
    return columns


# --- the spaces' tenants (the spaces app sits below and never names a project) ---------------


def leased_area_by_space(space_ids: list[int]) -> dict[int, Decimal]:
    """The floor area each space's signed tenants occupy (spaces without one are left out)."""
    return dict(
        Project.objects.filter(
            space_id__in=space_ids, floor_area__isnull=False, stage__in=stages.LEASING_STAGES
        )
        .order_by()
        .values("space_id")
        .annotate(total=Sum("floor_area"))
        .values_list("space_id", "total")
    )


def space_tenants(space: Space, limit: int) -> dict[str, Any]:
    """A space page's tenants: the first `limit` not terminated, along the pipeline, and the
    count and floor area at each stage."""
    space_path = [Stage.PLANNED, Stage.NEGOTIATING, *stages.LEASING_STAGES]
    pipeline_order = Case(
        *(When(stage=stage, then=Value(i)) for i, stage in enumerate(space_path)),
        default=Value(len(space_path)),
    )
    tenants = (
        Project.objects.filter(space=space)
        .exclude(stage=Stage.TERMINATED)
        .select_related("industry", "officer")
        .order_by(pipeline_order, "name")
    )
    by_stage: list[dict[str, Any]] = [
        dict(row)
        for row in tenants.order_by()
        .values("stage")
        .annotate(n=Count("pk"), area=Sum("floor_area"), order=pipeline_order)
        .order_by("order")
    ]
    labels = dict(Stage.choices)
    for row in by_stage:
        row["label"] = labels.get(row["stage"], row["stage"])
        row["leasing"] = row["stage"] in stages.LEASING_STAGES
    return {
        "tenants": tenants[:limit],
        "tenant_count": sum(row["n"] for row in by_stage),
        "by_stage": by_stage,
    }


# Panels that apps a floor above add to a project's page (economy's 项目调度 history): each
# reader takes the project and the viewing user and returns its template's context (with the
# template's name under "template"), or None to show nothing. Registered in AppConfig.ready.
ProjectPanel = Callable[[Project, "User"], dict[str, Any] | None]
_project_panels: list[ProjectPanel] = []


def register_project_panel(reader: ProjectPanel) -> None:
    if reader not in _project_panels:
        _project_panels.append(reader)


def project_panels(project: Project, user: User) -> list[dict[str, Any]]:
    return [panel for panel in (read(project, user) for read in _project_panels) if panel]
