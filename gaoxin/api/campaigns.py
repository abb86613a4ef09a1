"""Application campaigns (申报批次) with their applications, and award batches (奖励资金批次) with
their awards, read as the pages read them.

Every role of the zone reads the campaigns; an enterprise user sees only its own applications
and none of the staff's figures. Award batches are the staff's; an enterprise user reads its
own awards once publicly announced (公示), as its /awards/ page lists them. Money is in 元
(yuan), as stored."""

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from gaoxin.api.auth import TokenAuth
from gaoxin.api.errors import COMMON_ERRORS
from gaoxin.api.pagination import IdCursor
from gaoxin.api.schemas import PathId, Ref
from gaoxin.campaigns import award_selectors, selectors
from gaoxin.campaigns.models import Application, ApplicationStatus, Award, AwardStatus, Campaign
from gaoxin.core.access import require_roles, role_of
from gaoxin.core.roles import STAFF_ROLES, Role
from gaoxin.enterprises.models import DesignationKind

router = Router(auth=TokenAuth("campaigns"), tags=["campaigns"])
# The award batches, of the same area, under /awards/.
awards_router = Router(auth=TokenAuth("campaigns"), tags=["campaigns"])

ApplicationStatusCode = Literal[*ApplicationStatus.values]  # type: ignore[valid-type]
AwardStatusCode = Literal[*AwardStatus.values]  # type: ignore[valid-type]


def _is_enterprise(request: HttpRequest) -> bool:
    return role_of(request.user) == Role.ENTERPRISE


# --- campaigns -------------------------------------------------------------------------------


class CampaignFigures(Schema):
    total: int = Field(description="applications started")
    applying: int = Field(description="enterprises applying: applications submitted or further")
    approved: int = Field(description="applications approved")


class CampaignOut(Schema):
    id: int
    zone_id: int
    name: str
    code: str
    policy_id: int | None
    designation_kind: str = Field(description="the designation it leads to ('' for none)")
    designation_level: str
    validity_years: int = Field(description="years the designation is valid")
    opens_on: dt.date
    closes_on: dt.date
    eligibility: str
    version: int


class StatusCount(Schema):
    status: ApplicationStatusCode
    label: str = Field(description="the status's name in the caller's language")
    count: int


class CampaignDetailOut(CampaignOut):
    is_open: bool = Field(description="open today")
    figures: CampaignFigures | None = Field(
        description="as of today, as the campaign's page shows them (none for an enterprise "
        "user, whose page shows none)"
    )
    status_counts: list[StatusCount] | None = Field(
        description="the applications at each status today (none for an enterprise user)"
    )
    own_application_id: int | None = Field(
        description="an enterprise user's own application here, if it started one"
    )


class CampaignFilters(Schema):
    """The list page's search and filters, named as there."""

    q: str = Field("", max_length=100, description="campaign name or policy title")
    state: Literal["", "open", "upcoming", "closed"] = ""
    kind: Literal["", *DesignationKind.values] = Field(  # type: ignore[valid-type]
        "", description="the designation it leads to"
    )


class ApplicationOut(Schema):
    id: int
    campaign_id: int
    enterprise: Ref
    status: ApplicationStatusCode
    status_on: dt.date = Field(description="in this status since")
    contact_person: str
    contact_phone: str
    statement: str
    review_note: str
    designation_id: int | None = Field(description="the designation it led to, once approved")
    version: int


class ApplicationFilters(Schema):
    """The campaign page's search and filters, named as there."""

    q: str = Field("", max_length=100, description="enterprise name, 拼音首字母 or credit code")
    status: Literal["", "applied", *ApplicationStatus.values] = Field(  # type: ignore[valid-type]
        "", description="a status, or 'applied': submitted or further"
    )


@router.get("/", response={200: list[CampaignOut], **COMMON_ERRORS}, operation_id="campaign_list")
@paginate(IdCursor)
def campaign_list(request: HttpRequest, filters: Query[CampaignFilters]) -> QuerySet[Campaign]:
    """The campaigns of the token's zones (an enterprise user: of its enterprise's zone)."""
    return selectors.campaign_search(request.user, **filters.dict())  # type: ignore[arg-type]


@router.get(
    "/{campaign_id}",
    response={200: CampaignDetailOut, **COMMON_ERRORS},
    operation_id="campaign_get",
)
def campaign_get(request: HttpRequest, campaign_id: PathId) -> Campaign:
    """One campaign with its application counts today, as its page shows them."""
    campaign = selectors.campaign_get_for_user(request.user, campaign_id)  # type: ignore[arg-type]
    today = timezone.localdate()
    shown: dict[str, Any] = {
        "is_open": selectors.is_open(campaign, today),
        "figures": None,
        "status_counts": None,
        "own_application_id": None,
    }
    if _is_enterprise(request):
        own = selectors.own_application(request.user, campaign)  # type: ignore[arg-type]
        shown["own_application_id"] = own.pk if own else None
    else:
        shown["figures"] = selectors.campaign_figures([campaign.pk], today)[campaign.pk]
        shown["status_counts"] = [
            {**row, "label": str(row["label"])} for row in selectors.status_counts(campaign, today)
        ]
    for name, value in shown.items():
        setattr(campaign, name, value)
    return campaign


@router.get(
    "/{campaign_id}/applications",
    response={200: list[ApplicationOut], **COMMON_ERRORS},
    operation_id="application_list",
)
@paginate(IdCursor)
def application_list(
    request: HttpRequest, campaign_id: PathId, filters: Query[ApplicationFilters]
) -> QuerySet[Application]:
    """A campaign's applications, as its page lists them: an enterprise user's own only."""
    campaign = selectors.campaign_get_for_user(request.user, campaign_id)  # type: ignore[arg-type]
    return selectors.application_search(
        request.user,  # type: ignore[arg-type]
        campaign=campaign,
        **filters.dict(),
    )


# --- award batches and awards ----------------------------------------------------------------


class AwardBatchOut(Schema):
    id: int
    zone_id: int
    name: str
    code: str
    policy_id: int | None
    announced_on: dt.date | None = Field(description="publicly announced on (公示)")
    notes: str
    version: int


class BatchFigures(Schema):
    total: Decimal = Field(description="元 (yuan): every award not withdrawn")
    enterprises: int = Field(description="enterprises awarded (awards not withdrawn)")
    paid: Decimal = Field(description="元 (yuan): paid by today")
    paid_enterprises: int = Field(description="enterprises paid by today")


class AwardBatchDetailOut(AwardBatchOut):
    figures: BatchFigures = Field(description="as of today, as the batch's page shows them")


class BatchFilters(Schema):
    """The list page's search, named as there."""

    q: str = Field("", max_length=100, description="batch name or policy title")


class AwardOut(Schema):
    id: int
    batch_id: int
    enterprise: Ref
    amount: Decimal = Field(description="元 (yuan)")
    reason: str
    designation_id: int | None
    status: AwardStatusCode = Field(
        description="proposed 拟奖励, announced 公示, paid 已拨付, withdrawn 撤回"
    )
    paid_on: dt.date | None
    version: int


class AwardFilters(Schema):
    """The batch page's search and filters, named as there."""

    q: str = Field("", max_length=100, description="enterprise, credit code or reason")
    status: Literal["", "public", *AwardStatus.values] = Field(  # type: ignore[valid-type]
        "", description="a status, or 'public': on the public list (announced or paid)"
    )


@awards_router.get(
    "/",
    response={200: list[AwardBatchOut], **COMMON_ERRORS},
    operation_id="award_batch_list",
)
@paginate(IdCursor)
def award_batch_list(request: HttpRequest, filters: Query[BatchFilters]) -> Any:
    """The award batches of the token's zones, as the list page finds them (the staff's)."""
    require_roles(request.user, STAFF_ROLES)  # type: ignore[arg-type]
    return award_selectors.batch_search(request.user, **filters.dict())  # type: ignore[arg-type]


@awards_router.get(
    "/{batch_id}",
    response={200: AwardBatchDetailOut, **COMMON_ERRORS},
    operation_id="award_batch_get",
)
def award_batch_get(request: HttpRequest, batch_id: PathId) -> Any:
    """One award batch with its totals today, as its page shows them."""
    batch = award_selectors.award_batch_get_for_user(request.user, batch_id)  # type: ignore[arg-type]
    batch.figures = award_selectors.batch_figures([batch.pk], timezone.localdate())[batch.pk]  # type: ignore[attr-defined]
    return batch


@awards_router.get(
    "/{batch_id}/awards",
    response={200: list[AwardOut], **COMMON_ERRORS},
    operation_id="award_list",
)
@paginate(IdCursor)
def award_list(
    request: HttpRequest, batch_id: PathId, filters: Query[AwardFilters]
) -> QuerySet[Award]:
    """A batch's awards, as its page lists them. An enterprise user, who cannot open the batch,
    reads its own awards there once announced, as its /awards/ page lists them (404 for a
    batch where it has none)."""
    user: Any = request.user
    if _is_enterprise(request):
        own = award_selectors.award_list_for_user(user).filter(batch_id=batch_id)
        found = own.select_related("batch").order_by("pk").first()
        if found is None:
            raise Http404
        awards = award_selectors.award_search(found.batch, **filters.dict())
        return awards.filter(pk__in=own.values("pk"))
    batch = award_selectors.award_batch_get_for_user(user, batch_id)
    return award_selectors.award_search(batch, **filters.dict())
