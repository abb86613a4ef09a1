"""Industrial spaces (产业空间): the list searched and filtered as the list page does it, and one
space with the occupancy figures its page shows (floor area leased to tenant projects, free,
occupancy, the tenant projects by stage) read by the same selectors. The staff's, as the pages:
an enterprise user is refused the list and finds no space."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from gaoxin.api.auth import TokenAuth
from gaoxin.api.errors import COMMON_ERRORS
from gaoxin.api.pagination import IdCursor
from gaoxin.api.schemas import PathId
from gaoxin.core.access import require_roles
from gaoxin.core.roles import STAFF_ROLES
from gaoxin.spaces import selectors
from gaoxin.spaces.models import Space

router = Router(auth=TokenAuth("spaces"), tags=["spaces"])

StatusCode = Literal["planned", "building", "built"]
assert set(Space.Status.values) == {"planned", "building", "built"}


class SpaceOut(Schema):
    id: int
    zone_id: int
    name: str
    developer: str
    address: str
    status: StatusCode = Field(description="planned 规划, building 在建, built 已建成")
    status_on: dt.date | None = Field(description="in this status since")
    planned_completion_on: dt.date | None
    completed_on: dt.date | None
    total_floor_area: Decimal = Field(description="m²")
    leased_floor_area: Decimal = Field(
        description="m², leased to tenant projects (signed, not terminated)"
    )
    free_floor_area: Decimal = Field(description="m², total less leased")
    occupancy: Decimal = Field(description="per cent: leased over total floor area")
    version: int


class StageCount(Schema):
    stage: str = Field(description="the tenant projects' stage code")
    label: str = Field(description="the stage's name in the caller's language")
    n: int = Field(description="tenant projects at this stage")
    area: Decimal | None = Field(description="m², their floor area")
    leasing: bool = Field(description="whether projects at this stage hold their floor area")


class StatusChangeOut(Schema):
    status: StatusCode
    on: dt.date
    note: str


class SpaceDetailOut(SpaceOut):
    tenant_count: int = Field(description="tenant projects, not terminated")
    by_stage: list[StageCount]
    changes: list[StatusChangeOut] = Field(description="the dated status changes, oldest first")


class SpaceFilters(Schema):
    """The list page's search and filters, named as there."""

    q: str = Field("", max_length=100, description="name, developer or address")
    status: Literal["", "planned", "building", "built"] = ""


@router.get("/", response={200: list[SpaceOut], **COMMON_ERRORS}, operation_id="space_list")
@paginate(IdCursor)
def space_list(request: HttpRequest, filters: Query[SpaceFilters]) -> QuerySet[Space]:
    """The spaces of the token's zones, as the list page finds them."""
    require_roles(request.user, STAFF_ROLES)  # type: ignore[arg-type]
    return selectors.space_search(request.user, q=filters.q, status=filters.status)  # type: ignore[arg-type]


@router.get(
    "/{space_id}", response={200: SpaceDetailOut, **COMMON_ERRORS}, operation_id="space_get"
)
def space_get(request: HttpRequest, space_id: PathId) -> Space:
    """One space with its occupancy and tenant projects by stage, as its page shows them."""
    space = selectors.space_get_for_user(request.user, space_id)  # type: ignore[arg-type]
    tenants = selectors.space_tenants(space, 0)  # the figures only: no tenant rows are read
    space.tenant_count = tenants["tenant_count"]  # type: ignore[attr-defined]
    space.by_stage = [  # type: ignore[attr-defined]
        {**row, "label": str(row["label"])} for row in tenants["by_stage"]
    ]
    space.changes = list(space.status_changes.order_by("on", "pk"))  # type: ignore[attr-defined]
    return space
