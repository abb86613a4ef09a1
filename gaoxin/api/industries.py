"""The industry system: the zone's industries, one industry with its chain (上游 / 中游 / 下游
segments in the map's order, each with its strength as the map computes it), and an industry's
segments. The staff's, as the overview and the map pages: an enterprise user is refused."""

from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from gaoxin.api.auth import TokenAuth
from gaoxin.api.errors import COMMON_ERRORS
from gaoxin.api.pagination import IdCursor
from gaoxin.api.schemas import PathId, Ref
from gaoxin.core.access import require_roles
from gaoxin.core.roles import STAFF_ROLES
from gaoxin.industries import selectors
from gaoxin.industries.models import ChainSegment, Industry, Position, Strength

router = Router(auth=TokenAuth("industries"), tags=["industries"])

PositionCode = Literal["up", "mid", "down"]
StrengthCode = Literal["strong", "weak", "missing"]

# The model's choices are the schema's: a choice added there must be added here.
assert set(Position.values) == {"up", "mid", "down"}
assert set(Strength.values) == {"strong", "weak", "missing"}


class IndustryOut(Schema):
    id: int
    zone_id: int
    group: Ref = Field(description="the industry group (主导产业, 新兴产业 …)")
    name: str
    short_name: str
    is_key: bool = Field(description="a key industry has an industry map")
    weak_max: int = Field(
        description="a segment with at least one and at most this many enterprises is 弱 (weak)"
    )
    description: str
    order: int
    version: int


class SegmentOut(Schema):
    id: int
    industry_id: int
    parent_id: int | None
    name: str
    position: PositionCode = Field(description="up 上游, mid 中游, down 下游")
    description: str
    order: int
    enterprise_count: int = Field(description="the enterprises in the segment, as the map counts")
    strength: StrengthCode = Field(
        description="strong 强, weak 弱, missing 缺: the strength set by hand if there is one, "
        "else the computed one"
    )
    computed_strength: StrengthCode
    strength_override: Literal["", "strong", "weak", "missing"]
    override_reason: str
    version: int


class ChainSegmentOut(SegmentOut):
    depth: int = Field(description="0 for a segment heading its tree in its column")


class IndustryDetailOut(IndustryOut):
    segments: list[ChainSegmentOut] = Field(
        description="the chain as the industry map shows it: upstream, midstream, downstream, "
        "each parent followed by its children"
    )


class SegmentFilters(Schema):
    position: Literal["", "up", "mid", "down"] = ""
    strength: Literal["", "strong", "weak", "missing"] = ""


def _segment_row(segment: Any, depth: int) -> dict[str, Any]:
    return {
        "id": segment.pk,
        "industry_id": segment.industry_id,
        "parent_id": segment.parent_id,
        "name": segment.name,
        "position": segment.position,
        "description": segment.description,
        "order": segment.order,
        "enterprise_count": segment.enterprise_count,
        "strength": segment.strength,
        "computed_strength": segment.computed_strength,
        "strength_override": segment.strength_override,
        "override_reason": segment.override_reason,
        "version": segment.version,
        "depth": depth,
    }


@router.get("/", response={200: list[IndustryOut], **COMMON_ERRORS}, operation_id="industry_list")
@paginate(IdCursor)
def industry_list(request: HttpRequest) -> QuerySet[Industry]:
    """The industries of the token's zones, as the overview lists them."""
    require_roles(request.user, STAFF_ROLES)  # type: ignore[arg-type]
    return selectors.industry_list_for_user(request.user).select_related("group")  # type: ignore[arg-type]


@router.get(
    "/{industry_id}",
    response={200: IndustryDetailOut, **COMMON_ERRORS},
    operation_id="industry_get",
)
def industry_get(request: HttpRequest, industry_id: PathId) -> dict[str, Any]:
    """One industry with its chain, as its map shows it."""
    require_roles(request.user, STAFF_ROLES)  # type: ignore[arg-type]
    industry = selectors.industry_get_for_user(request.user, industry_id)  # type: ignore[arg-type]
    chain = selectors.industry_map(industry)
    segments = [
        _segment_row(card.segment, card.depth)
        for _code, _label, column in chain.columns
        for card in column
    ]
    return {
        **{name: getattr(industry, name) for name in IndustryOut.model_fields if name != "group"},
        "group": {"id": industry.group.pk, "name": industry.group.name},
        "segments": segments,
    }


@router.get(
    "/{industry_id}/segments",
    response={200: list[SegmentOut], **COMMON_ERRORS},
    operation_id="segment_list",
)
@paginate(IdCursor)
def segment_list(
    request: HttpRequest, industry_id: PathId, filters: Query[SegmentFilters]
) -> QuerySet[ChainSegment]:
    """An industry's chain segments with their strengths, by position or strength."""
    require_roles(request.user, STAFF_ROLES)  # type: ignore[arg-type]
    industry = selectors.industry_get_for_user(request.user, industry_id)  # type: ignore[arg-type]
    segments = industry.segments.all()
    if filters.position:
        segments = segments.filter(position=filters.position)
    if filters.strength:
        return selectors.segments_by_strength(segments, filters.strength)
    return selectors.with_strength(segments)
