"""Enterprises: the registry searched as the list page searches it (name, 拼音首字母, USCC and
the same filters), one enterprise with its designations in force and its industry tags, every
designation it held, and the writes of the pages (register, edit the profile, the contact
details an enterprise keeps itself) through the same services."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db.models import BooleanField, ExpressionWrapper, Model, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import AfterValidator, ConfigDict
from pydantic_core import PydanticCustomError

from gaoxin.accounts.models import User, Zone
from gaoxin.api.auth import TokenAuth
from gaoxin.api.errors import COMMON_ERRORS
from gaoxin.api.pagination import IdCursor
from gaoxin.api.schemas import MAX_ID, FilterId, PathId
from gaoxin.core.access import WRITERS, require_roles, user_zone_ids, working_zone_ids
from gaoxin.core.bounds import COUNT_MAX, MONEY_MAX, YEAR_MAX, YEAR_MIN
from gaoxin.core.errors import DomainError
from gaoxin.core.periods import in_force_on
from gaoxin.enterprises import selectors, services
from gaoxin.enterprises.models import Designation, DesignationKind, Enterprise
from gaoxin.industries.models import ChainSegment, Industry, NationalIndustry

router = Router(auth=TokenAuth("enterprises"), tags=["enterprises"])

StatusCode = Literal["active", "moved_out", "closed"]


def _length(field: str) -> int:
    """The model's own max_length of an enterprise field: the API refuses what the column
    cannot hold (PostgreSQL refuses an over-long varchar where SQLite keeps it)."""
    length = getattr(Enterprise._meta.get_field(field), "max_length", None)
    assert isinstance(length, int), field
    return length


def _email(value: str) -> str:
    if value:
        try:
            validate_email(value)
        except DjangoValidationError:
            raise PydanticCustomError("email", _("Enter a valid email address.")) from None
    return value


NameText = Annotated[str, Field(max_length=_length("name"))]
ShortName = Annotated[str, Field(max_length=_length("short_name"))]
Representative = Annotated[str, Field(max_length=_length("legal_representative"))]
Address = Annotated[str, Field(max_length=_length("address"))]
Person = Annotated[str, Field(max_length=_length("contact_person"))]
Phone = Annotated[str, Field(max_length=_length("contact_phone"))]
# Checked (and normalised: full-width characters, spaces) by the service: longer than the
# 18 characters it keeps, so that a code typed with spaces is read, not refused here.
Uscc = Annotated[str, Field(max_length=40, description="统一社会信用代码 (18 characters)")]
Email = Annotated[str, Field(max_length=_length("contact_email")), AfterValidator(_email)]
Money = Annotated[Decimal, Field(ge=0, le=MONEY_MAX, decimal_places=2, description="元 (yuan)")]
Count = Annotated[int, Field(ge=0, le=COUNT_MAX)]
Year = Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# The industries and segments of one enterprise: a zone has a few dozen.
MAX_TAGS = 200
Ids = Annotated[list[Id], Field(max_length=MAX_TAGS)]


class DesignationOut(Schema):
    id: int
    enterprise_id: int
    kind: str = Field(description=", ".join(DesignationKind.values))
    level: str
    certificate_no: str
    granted_on: dt.date
    expires_on: dt.date | None
    revoked_on: dt.date | None
    in_force: bool = Field(description="granted, not expired and not revoked today")
    version: int


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


class EnterpriseDetailOut(EnterpriseOut):
    """One enterprise as its page shows it: with the contact details, its industry tags and
    the designations it holds today."""

    contact_person: str
    contact_phone: str
    contact_email: str
    description: str
    industries: list[int] = Field(description="ids of its industries")
    segments: list[int] = Field(description="ids of its chain segments")
    designations: list[DesignationOut] = Field(description="the designations in force today")

    @staticmethod
    def resolve_industries(obj: Any) -> list[int]:
        return obj.api_industries  # type: ignore[no-any-return]

    @staticmethod
    def resolve_segments(obj: Any) -> list[int]:
        return obj.api_segments  # type: ignore[no-any-return]

    @staticmethod
    def resolve_designations(obj: Any) -> list[Designation]:
        return obj.api_designations  # type: ignore[no-any-return]


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


INPUT = ConfigDict(extra="forbid", str_strip_whitespace=True)


class EnterpriseIn(Schema):
    """A new enterprise, as the page's form registers it. `zone_id` is needed when the token
    reaches several zones."""

    model_config = INPUT

    zone_id: FilterId
    name: NameText
    uscc: Uscc
    short_name: ShortName = ""
    legal_representative: Representative = ""
    founded_on: dt.date | None = None
    settled_on: dt.date | None = Field(None, description="today when not sent")
    registered_capital: Money | None = None
    employees: Count | None = None
    address: Address = ""
    industries: Ids = []
    segments: Ids = []
    national_industry: FilterId = Field(None, description="a division (大类) of GB/T 4754")
    liaison_officer: FilterId = Field(None, description="an officer of the zone")
    is_above_scale: bool = False
    above_scale_year: Year | None = None
    contact_person: Person = ""
    contact_phone: Phone = ""
    contact_email: Email = ""
    description: str = ""


class EnterprisePatch(Schema):
    """The profile as the edit page changes it: only the fields sent are changed. 规上 and
    the status follow the dated actions of the enterprise's page, not this."""

    model_config = INPUT

    version: Id = Field(description="the version the change was made from")
    name: NameText = None  # type: ignore[assignment]
    uscc: Uscc = None  # type: ignore[assignment]
    short_name: ShortName = None  # type: ignore[assignment]
    legal_representative: Representative = None  # type: ignore[assignment]
    founded_on: dt.date | None = None
    settled_on: dt.date | None = None
    registered_capital: Money | None = None
    employees: Count | None = None
    address: Address = None  # type: ignore[assignment]
    industries: Ids = None  # type: ignore[assignment]
    segments: Ids = None  # type: ignore[assignment]
    national_industry: FilterId = None
    liaison_officer: FilterId = None
    contact_person: Person = None  # type: ignore[assignment]
    contact_phone: Phone = None  # type: ignore[assignment]
    contact_email: Email = None  # type: ignore[assignment]
    description: str = None  # type: ignore[assignment]


class ContactPatch(Schema):
    """What the enterprise's own users may keep up to date (and officers): only the fields
    sent are changed."""

    model_config = INPUT

    version: Id = Field(description="the version the change was made from")
    contact_person: Person = None  # type: ignore[assignment]
    contact_phone: Phone = None  # type: ignore[assignment]
    contact_email: Email = None  # type: ignore[assignment]
    address: Address = None  # type: ignore[assignment]


# --- reading ------------------------------------------------------------------------------


def _detail(user: User, pk: int) -> Enterprise:
    """The enterprise as the user may read it, with its tags and designations in force (four
    queries whatever it holds)."""
    enterprise = selectors.enterprise_get_for_user(user, pk)
    designations = selectors.current_designations_of([enterprise])[enterprise.pk]
    for designation in designations:
        designation.in_force = True  # type: ignore[attr-defined]
    enterprise.api_designations = designations  # type: ignore[attr-defined]
    enterprise.api_industries = sorted(  # type: ignore[attr-defined]
        enterprise.industries.values_list("pk", flat=True)
    )
    enterprise.api_segments = sorted(  # type: ignore[attr-defined]
        enterprise.segments.values_list("pk", flat=True)
    )
    return enterprise


@router.get(
    "/", response={200: list[EnterpriseOut], **COMMON_ERRORS}, operation_id="enterprise_list"
)
@paginate(IdCursor)
def enterprise_list(request: HttpRequest, filters: Query[EnterpriseFilters]) -> Any:
    """The enterprises of the token's zones, as the list page finds them."""
    return selectors.enterprise_search(request.user, **filters.dict())  # type: ignore[arg-type]


@router.get(
    "/{enterprise_id}",
    response={200: EnterpriseDetailOut, **COMMON_ERRORS},
    operation_id="enterprise_get",
)
def enterprise_get(request: HttpRequest, enterprise_id: PathId) -> Enterprise:
    """One enterprise, with its industry tags and the designations it holds today."""
    return _detail(request.user, enterprise_id)  # type: ignore[arg-type]


@router.get(
    "/{enterprise_id}/designations",
    response={200: list[DesignationOut], **COMMON_ERRORS},
    operation_id="designation_list",
)
@paginate(IdCursor)
def designation_list(request: HttpRequest, enterprise_id: PathId) -> QuerySet[Designation]:
    """Every designation the enterprise held or holds (in force, expired, revoked)."""
    enterprise = selectors.enterprise_get_for_user(request.user, enterprise_id)  # type: ignore[arg-type]
    return (
        selectors.designation_list_for_user(request.user)  # type: ignore[arg-type]
        .filter(enterprise=enterprise)
        .annotate(
            in_force=ExpressionWrapper(
                in_force_on(timezone.localdate()), output_field=BooleanField()
            )
        )
    )


# --- writing ------------------------------------------------------------------------------


def _not_a_choice(value: Any) -> str:
    return _("Select a valid choice. %(value)s is not one of the available choices.") % {
        "value": value
    }


def _pick(queryset: QuerySet[Any], ids: list[int], field: str) -> list[Any]:
    """The records of `ids` among those the page's field offers, else a refusal naming it."""
    wanted = set(ids)
    found = list(queryset.filter(pk__in=wanted))
    missing = sorted(wanted - {record.pk for record in found})
    if missing:
        raise DomainError(_not_a_choice(missing[0]), field=field)
    return found


def _one(queryset: QuerySet[Any], pk: int | None, field: str, message: str = "") -> Model | None:
    if pk is None:
        return None
    record: Model | None = queryset.filter(pk=pk).first()
    if record is None:
        raise DomainError(message or _not_a_choice(pk), field=field)
    return record


def _references(zone_id: int, data: dict[str, Any]) -> dict[str, Any]:
    """The ids of the input as the records the services take, each among the choices the
    page's form offers for the zone."""
    if data.get("industries") is not None:
        data["industries"] = _pick(
            Industry.objects.filter(zone_id=zone_id), data["industries"], "industries"
        )
    if data.get("segments") is not None:
        data["segments"] = _pick(
            ChainSegment.objects.filter(industry__zone_id=zone_id).select_related("industry"),
            data["segments"],
            "segments",
        )
    if "national_industry" in data:
        data["national_industry"] = _one(
            NationalIndustry.objects.all(), data["national_industry"], "national_industry"
        )
    if "liaison_officer" in data:
        data["liaison_officer"] = _one(
            services.liaison_candidates(zone_id),
            data["liaison_officer"],
            "liaison_officer",
            _("The liaison officer must be an officer of the enterprise's zone."),
        )
    return data


def _zone_for_new(user: User, zone_id: int | None) -> Zone:
    """The zone a new enterprise goes into: the one named, among the token's; else the
    token's only zone."""
    if zone_id is None:
        zone_ids = working_zone_ids(user)
        if len(zone_ids) != 1:
            raise DomainError(
                _("This token reaches several zones: name the zone (zone_id)."), field="zone_id"
            )
        zone_id = zone_ids[0]
    elif zone_id not in user_zone_ids(user):
        raise DomainError(_("zone_id is not one of the zones this token reaches."), field="zone_id")
    return Zone.objects.get(pk=zone_id)


@router.post(
    "/", response={201: EnterpriseDetailOut, **COMMON_ERRORS}, operation_id="enterprise_create"
)
def enterprise_create(request: HttpRequest, payload: EnterpriseIn) -> Status[Enterprise]:
    """Register an enterprise, as the registry's 新增 page does (officers)."""
    user: User = request.user  # type: ignore[assignment]
    require_roles(user, WRITERS)
    data = payload.dict()
    zone = _zone_for_new(user, data.pop("zone_id"))
    data = _references(zone.pk, data)
    if "settled_on" not in payload.model_fields_set:
        del data["settled_on"]  # the service's default: today
    enterprise = services.enterprise_create(zone=zone, by=user, **data)
    return Status(201, _detail(user, enterprise.pk))


@router.patch(
    "/{enterprise_id}",
    response={200: EnterpriseDetailOut, **COMMON_ERRORS},
    operation_id="enterprise_update",
)
def enterprise_update(
    request: HttpRequest, enterprise_id: PathId, payload: EnterprisePatch
) -> Enterprise:
    """Change the profile, as the edit page does (officers): only the fields sent."""
    user: User = request.user  # type: ignore[assignment]
    enterprise = selectors.enterprise_get_for_user(user, enterprise_id, write=True)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    data = _references(enterprise.zone_id, data)
    services.enterprise_update(enterprise=enterprise, by=user, version=version, **data)
    return _detail(user, enterprise.pk)


@router.patch(
    "/{enterprise_id}/contacts",
    response={200: EnterpriseDetailOut, **COMMON_ERRORS},
    operation_id="enterprise_contact_update",
)
def enterprise_contact_update(
    request: HttpRequest, enterprise_id: PathId, payload: ContactPatch
) -> Enterprise:
    """Change the contact details, as the contact page does: officers, and the enterprise's
    own users."""
    user: User = request.user  # type: ignore[assignment]
    enterprise = selectors.enterprise_contact_get_for_user(user, enterprise_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    services.enterprise_contact_update(enterprise=enterprise, by=user, version=version, **data)
    return _detail(user, enterprise.pk)
