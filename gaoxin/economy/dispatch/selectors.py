"""项目调度: the projects under way in a month, with their month's report and their sums.

The rule: a project is under way in a month when it had reached 签约 by the month's last day,
had not reached 达产 before the month began, and had not been terminated (终止) before it began.
The month it reaches 达产 it still reports.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.db.models import (
    Case,
    DecimalField,
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce

from gaoxin.accounts.models import User
from gaoxin.core.access import WRITERS, AccessRule, get_for_user, scope
from gaoxin.core.queries import text_match
from gaoxin.core.roles import Role
from gaoxin.economy.models import AMOUNT_DIGITS, ProjectDispatch
from gaoxin.economy.periods import Period
from gaoxin.economy.reporting.selectors import month_days
from gaoxin.projects.models import Project
from gaoxin.projects.stages import Stage

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class DispatchAnnotations(TypedDict):
    month_investment: Decimal | None
    month_funds: Decimal | None
    month_progress: str | None
    month_reported_at: dt.datetime | None
    reported: bool
    ytd_investment: Decimal
    ytd_funds: Decimal
    total_investment: Decimal
    completion: float | None


# A project's dispatch: the staff of its zone read it; officers and administrators, and the
# users of the project's enterprise, report it.
DISPATCH = AccessRule(
    zone_field="zone_id",
    read_roles=frozenset({Role.ADMIN, Role.LEADER, Role.OFFICER, Role.ENTERPRISE}),
    write_roles=WRITERS | {Role.ENTERPRISE},
    enterprise_field="enterprise_id",
)
ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=AMOUNT_DIGITS, decimal_places=2))


def project_for_dispatch(user: User, pk: Any, *, write: bool = False) -> Project:
    """The project whose dispatch the user opens: 404 outside their reach (an enterprise
    user: another enterprise's project), 403 when they may read but not report it."""
    return get_for_user(
        user, Project.objects.select_related("enterprise", "officer"), pk, DISPATCH, write=write
    )


def can_report(user: User, project: Project) -> bool:
    return (
        scope(user, Project.objects.all(), DISPATCH, write=True, whole_reach=True)
        .filter(pk=project.pk)
        .exists()
    )


def under_way_q(period: Period) -> Q:
    first, last = month_days(period)
    return (
        Q(reached_signed_on__lte=last)
        & (Q(reached_full_capacity_on__isnull=True) | Q(reached_full_capacity_on__gte=first))
        & ~Q(stage=Stage.TERMINATED, stage_on__lt=first)
    )


def _sum(field: str, **where: Any) -> Coalesce:
    rows = (
        ProjectDispatch.objects.filter(project=OuterRef("pk"), **where)
        .order_by()
        .values("project")
        .annotate(total=Sum(field))
        .values("total")
    )
    return Coalesce(
        Subquery(rows, output_field=DecimalField(max_digits=AMOUNT_DIGITS, decimal_places=2)),
        ZERO,
    )


def ytd_where(period: Period) -> Q:
    return Q(year=period.year, month__lte=period.month)


def since_start_where(period: Period) -> Q:
    return Q(year__lt=period.year) | Q(year=period.year, month__lte=period.month)


def projects_under_way(
    user: User, period: Period
) -> QuerySet[WithAnnotations[Project, DispatchAnnotations]]:
    """The projects under way in `period` that the user may see (in the working zone; an
    enterprise user: its own), each with its month's report (`month_investment`,
    `month_funds`, `month_progress`, `month_reported_at`: None when not reported), its
    year-to-date and since-start sums and its 完成率 (`completion`, per cent of its
    fixed-asset investment since the start)."""
    month = ProjectDispatch.objects.filter(
        project=OuterRef("pk"), year=period.year, month=period.month
    )
    since_start = ProjectDispatch.objects.filter(since_start_where(period), project=OuterRef("pk"))
    queryset = (
        scope(user, Project.objects.all(), DISPATCH)
        .filter(under_way_q(period))
        .annotate(
            month_investment=Subquery(month.values("investment_completed")[:1]),
            month_funds=Subquery(month.values("funds_in_place")[:1]),
            month_progress=Subquery(month.values("progress")[:1]),
            month_reported_at=Subquery(month.values("reported_at")[:1]),
            reported=Exists(month),
            ytd_investment=_sum("investment_completed", year=period.year, month__lte=period.month),
            ytd_funds=_sum("funds_in_place", year=period.year, month__lte=period.month),
            total_investment=Coalesce(
                Subquery(
                    since_start.order_by()
                    .values("project")
                    .annotate(total=Sum("investment_completed"))
                    .values("total"),
                    output_field=DecimalField(max_digits=AMOUNT_DIGITS, decimal_places=2),
                ),
                ZERO,
            ),
        )
        .annotate(
            completion=Case(
                When(
                    fixed_asset_investment__gt=0,
                    then=Cast(F("total_investment"), FloatField())
                    * Value(100.0)
                    / Cast(F("fixed_asset_investment"), FloatField()),
                ),
                default=None,
                output_field=FloatField(),
            )
        )
    )
    return cast("QuerySet[WithAnnotations[Project, DispatchAnnotations]]", queryset)


DISPATCH_SORTS: dict[str, Any] = {
    "name": "name",
    "-name": "-name",
    "investment": F("month_investment").asc(nulls_last=True),
    "-investment": F("month_investment").desc(nulls_last=True),
    "ytd": "ytd_investment",
    "-ytd": "-ytd_investment",
    "completion": F("completion").asc(nulls_last=True),
    "-completion": F("completion").desc(nulls_last=True),
    "reported": "reported",
    "-reported": "-reported",
}


def dispatch_search(
    user: User,
    period: Period,
    *,
    q: str = "",
    reported: bool | None = None,
    industry: Any = None,
    officer: Any = None,
    sort: str = "",
) -> QuerySet[WithAnnotations[Project, DispatchAnnotations]]:
    queryset = projects_under_way(user, period)
    if q:
        queryset = queryset.filter(text_match("name", q) | text_match("investor_name", q))
    if reported is not None:
        queryset = queryset.filter(reported=reported)
    if industry is not None:
        queryset = queryset.filter(industry=industry)
    if officer is not None:
        queryset = queryset.filter(officer=officer)
    return queryset.order_by(DISPATCH_SORTS.get(sort, "name"), "pk")


def dispatches_in(zone_ids: list[int] | tuple[int, ...], where: Q) -> QuerySet[ProjectDispatch]:
    """The zones' dispatch reports meeting `where` (a month, the year to date)."""
    return (
        ProjectDispatch.objects.filter(where, project__zone_id__in=zone_ids)
        .select_related("project", "reported_by")
        .order_by("-year", "-month", "project__name", "pk")
    )


def month_where(period: Period) -> Q:
    return Q(year=period.year, month=period.month)


def project_history(project: Project) -> QuerySet[ProjectDispatch]:
    return project.dispatches.select_related("reported_by").order_by("-year", "-month")


def dispatch_month(project: Project, period: Period) -> ProjectDispatch | None:
    return ProjectDispatch.objects.filter(
        project=project, year=period.year, month=period.month
    ).first()


def today_month(today: dt.date) -> Period:
    return Period.of(today.year, today.month)
