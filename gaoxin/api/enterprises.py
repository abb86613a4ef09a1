"""Enterprises: the registry searched as the list page searches it (name, 拼音首字母, USCC and
the same filters), one enterprise with its designations."""

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from gaoxin.api.auth import TokenAuth
from gaoxin.api.errors import COMMON_ERRORS
from gaoxin.api.pagination import IdCursor
from gaoxin.api.schemas import FilterId, PathId
from gaoxin.enterprises import selectors
from gaoxin.enterprises.models import DesignationKind, Enterprise

router = Router(auth=TokenAuth("enterprises"), tags=["enterprises"])

StatusCode = Literal["active", "moved_out", "closed"]


class EnterpriseOut(Schema):
    id: int
    zone_id: int
    name: str
    short_name: str
    uscc: str
    legal_representative: str
    founded_on: dt.date | None
    settled_on: dt.date | None
    registered_capital: Decimal | None = Field(description="元 (yuan)")
    employees: int | None
    address: str
    is_above_scale: bool
    above_scale_year: int | None
    status: str
    national_industry_id: int | None
    liaison_officer_id: int | None
    version: int


class EnterpriseFilters(Schema):
    """The list page's search and filters, named as there."""

    q: str = Field("", max_length=100, description="name, 拼音首字母 (zhgx) or credit code")
    industry: FilterId
    segment: FilterId
    designation: Literal["", "specialised", *DesignationKind.values] = ""  # type: ignore[valid-type]
    above_scale: bool | None = None
    alliance: FilterId
    status: Literal["", "active", "moved_out", "closed"] = ""
    section: str = Field("", max_length=1)
    liaison_officer: FilterId


@router.get(
    "/", response={200: list[EnterpriseOut], **COMMON_ERRORS}, operation_id="enterprise_list"
)
@paginate(IdCursor)
def enterprise_list(request: HttpRequest, filters: Query[EnterpriseFilters]) -> Any:
    """The enterprises of the token's zones, as the list page finds them."""
    return selectors.enterprise_search(request.user, **filters.dict())  # type: ignore[arg-type]


@router.get(
    "/{enterprise_id}",
    response={200: EnterpriseOut, **COMMON_ERRORS},
    operation_id="enterprise_get",
)
def enterprise_get(request: HttpRequest, enterprise_id: PathId) -> Enterprise:
    return selectors.enterprise_get_for_user(request.user, enterprise_id)  # type: ignore[arg-type]
