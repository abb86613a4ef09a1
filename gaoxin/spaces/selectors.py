"""Reading spaces: scoped access, the status a space had on a day, and the list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.db.models import Count, F, QuerySet, Sum
from django.db.models.expressions import OrderBy

from gaoxin.core.access import get_for_user, scope
from gaoxin.core.asof import with_value_as_of
from gaoxin.core.queries import text_match
from gaoxin.spaces import access
from gaoxin.spaces.models import Space, SpaceStatusChange

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from gaoxin.accounts.models import User


def space_list_for_user(user: User) -> QuerySet[Space]:
    return scope(user, Space.objects.all(), access.SPACE)


def space_get_for_user(user: User, pk: Any, *, write: bool = False) -> Space:
    return get_for_user(user, Space.objects.select_related("zone"), pk, access.SPACE, write=write)


class StatusAsOf(TypedDict):
    status_as_of: str | None


def with_status_as_of(
    queryset: QuerySet[Space], as_of: dt.date
) -> QuerySet[WithAnnotations[Space, StatusAsOf]]:
    """Annotate `status_as_of`, the status of the latest change on or before the date (None
    for a space not yet recorded then)."""
    return cast(
        "QuerySet[WithAnnotations[Space, StatusAsOf]]",
        with_value_as_of(queryset, as_of, SpaceStatusChange.space, "status", stored="status"),
    )


def recorded_by(zone_ids: Any, as_of: dt.date) -> QuerySet[Space]:
    """Spaces of the zones with a status recorded on or before the date."""
    known = SpaceStatusChange.objects.filter(on__lte=as_of).values("space_id")
    return Space.objects.filter(zone_id__in=zone_ids, pk__in=known)


SORTS: dict[str, str | OrderBy] = {
    "name": "name",
    "-name": "-name",
    "area": "total_floor_area",
    "-area": "-total_floor_area",
    "leased": "leased_floor_area",
    "-leased": "-leased_floor_area",
    "status": "status",
    "-status": "-status",
    "completion": F("planned_completion_on").asc(nulls_last=True),
    "-completion": F("planned_completion_on").desc(nulls_last=True),
}


def space_search(user: User, *, q: str = "", status: str = "", sort: str = "") -> QuerySet[Space]:
    queryset = space_list_for_user(user)
    if q:
        queryset = queryset.filter(
            text_match("name", q) | text_match("developer", q) | text_match("address", q)
        )
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by(SORTS.get(sort, "name"), "pk")


def totals_by_status(queryset: QuerySet[Space]) -> dict[str, dict[str, Any]]:
    """Count and floor area per status, and overall (one query)."""
    rows = (
        queryset.order_by()
        .values("status")
        .annotate(n=Count("pk"), area=Sum("total_floor_area"), leased=Sum("leased_floor_area"))
    )
    result: dict[str, dict[str, Any]] = {row["status"]: dict(row) for row in rows}
    result["all"] = {
        "n": sum(r["n"] for r in rows),
        "area": sum((r["area"] for r in rows), start=0),
        "leased": sum((r["leased"] for r in rows), start=0),
    }
    return result


# The tenants of a space are projects, a floor above: the projects app registers the reader
# (in its AppConfig.ready) so that this app never names a project or its stages.
TenantReader = Callable[[Space, int], dict[str, Any]]
_tenant_reader: list[TenantReader] = []


def register_tenant_reader(reader: TenantReader) -> None:
    _tenant_reader[:] = [reader]


def space_tenants(space: Space, limit: int) -> dict[str, Any]:
    """The space page's tenants (`tenants`, `tenant_count`, `by_stage`); none when no app
    reads them."""
    if not _tenant_reader:
        return {"tenants": [], "tenant_count": 0, "by_stage": []}
    return _tenant_reader[0](space, limit)
