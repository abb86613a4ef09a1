"""Projects: the list searched as the list page searches it, one project with its stage and key
figures, its stage changes, moving it to another stage (as the 推进 page does), and its service
records (服务记录) read and recorded."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from gaoxin.accounts.selectors import assignable_users, departments_of, staff_of
from gaoxin.api.auth import TokenAuth
from gaoxin.api.errors import COMMON_ERRORS
from gaoxin.api.pagination import IdCursor
from gaoxin.api.schemas import MAX_ID, FilterId, PathId
from gaoxin.core.access import require_roles
from gaoxin.core.bounds import AREA_MAX, MONEY_MAX
from gaoxin.core.errors import DomainError
from gaoxin.core.roles import STAFF_ROLES
from gaoxin.projects import selectors, services, stages
from gaoxin.projects.models import Project, ServiceRecord, StageChange
from gaoxin.projects.stages import Carrier, Stage
from gaoxin.projects.work.selectors import project_for_work
from gaoxin.projects.work.service_records import services as record_services
from gaoxin.spaces.models import Space

router = Router(auth=TokenAuth("projects"), tags=["projects"])

StageCode = Literal[tuple(Stage.values)]  # type: ignore[valid-type]

# Amounts and areas as the model holds them (core.bounds): a larger one is a 422, never a
# database error.
Money = Annotated[Decimal, Field(ge=0, le=MONEY_MAX, max_digits=14, decimal_places=2)]
Area = Annotated[Decimal, Field(ge=0, le=AREA_MAX, max_digits=10, decimal_places=2)]
Version = Annotated[int, Field(ge=0, le=MAX_ID, description="the version read; stale: 409")]
RefId = Annotated[int, Field(ge=1, le=MAX_ID)]


class ProjectOut(Schema):
    id: int
    zone_id: int
    name: str
    investor_name: str
    enterprise_id: int | None
    industry_id: int
    segment_id: int | None
    carrier: str
    stage: str = Field(description="the current stage")
    stage_label: str
    stage_on: dt.date = Field(description="in this stage since")
    land_parcel_code: str
    land_area: Decimal | None = Field(description="m²")
    land_contract_on: dt.date | None
    space_id: int | None
    floor_area: Decimal | None = Field(description="m²")
    planned_investment: Decimal | None = Field(description="元 (yuan)")
    fixed_asset_investment: Decimal | None = Field(description="元 (yuan)")
    expected_annual_output: Decimal | None = Field(description="元 (yuan)")
    expected_annual_tax: Decimal | None = Field(description="元 (yuan)")
    expected_above_scale: bool
    officer_id: int
    land_to_construction_days: int | None
    description: str
    version: int

    @staticmethod
    def resolve_stage_label(obj: Project) -> str:
        return str(obj.get_stage_display())


class ProjectFilters(Schema):
    """The list page's search and filters, named as there."""

    q: str = Field("", max_length=100, description="project, investor, parcel code or USCC")
    stage: Literal["", "active", *Stage.values] = Field(  # type: ignore[valid-type]
        "", description="a stage, or active: all but terminated"
    )
    industry: FilterId
    officer: FilterId
    carrier: Literal["", *Carrier.values] = ""  # type: ignore[valid-type]
    space: FilterId
    above_scale: bool | None = Field(None, description="expected to become 规上")
    overdue: bool = Field(False, description="with overdue blockers")


class StageChangeOut(Schema):
    id: int
    project_id: int
    from_stage: str
    to_stage: str
    kind: str
    on: dt.date
    by_id: int | None
    by_name: str
    note: str

    @staticmethod
    def resolve_by_name(obj: StageChange) -> str:
        return obj.by.display_name if obj.by is not None else ""


class AdvanceIn(Schema):
    """What the 推进 page sends: the stage, the day, the reason (moving back, skipping or
    terminating) and the evidence the stage asks for (only that)."""

    to_stage: StageCode  # type: ignore[valid-type]
    on: dt.date
    version: Version
    note: str = Field("", max_length=1000)
    uscc: str = Field("", max_length=30, description="for 注册: the registered company's code")
    company_name: str = Field("", max_length=120, description="for 注册, when new to the registry")
    land_parcel_code: str = Field("", max_length=60)
    land_area: Area | None = None
    land_contract_on: dt.date | None = None
    space: RefId | None = None
    floor_area: Area | None = None
    planned_investment: Money | None = None
    fixed_asset_investment: Money | None = None


class ServiceRecordOut(Schema):
    id: int
    project_id: int
    kind: str
    held_on: dt.date
    attendees: list[int]
    departments: list[int]
    enterprise_attendees: str
    minutes: str
    recorded_by_id: int
    decisions: list[int] = Field(description="the blockers decided at it")
    version: int

    @staticmethod
    def resolve_attendees(obj: ServiceRecord) -> list[int]:
        return [user.pk for user in obj.attendees.all()]

    @staticmethod
    def resolve_departments(obj: ServiceRecord) -> list[int]:
        return [department.pk for department in obj.departments.all()]

    @staticmethod
    def resolve_decisions(obj: ServiceRecord) -> list[int]:
        return [blocker.pk for blocker in obj.decisions.all()]


class DecisionIn(Schema):
    description: str = Field(max_length=2000)
    department: RefId
    owner: RefId | None = None
    due_on: dt.date


class ServiceRecordIn(Schema):
    kind: Literal[tuple(ServiceRecord.Kind.values)]  # type: ignore[valid-type]
    held_on: dt.date
    minutes: str = Field(max_length=20000)
    attendees: list[RefId] = Field([], max_length=100)
    departments: list[RefId] = Field([], max_length=100)
    enterprise_attendees: str = Field("", max_length=300)
    decisions: list[DecisionIn] = Field(
        [], max_length=30, description="each becomes a blocker of the project"
    )


@router.get("/", response={200: list[ProjectOut], **COMMON_ERRORS}, operation_id="project_list")
@paginate(IdCursor)
def project_list(request: HttpRequest, filters: Query[ProjectFilters]) -> Any:
    """The projects of the token's zones, as the list page finds them."""
    require_roles(request.user, STAFF_ROLES)  # type: ignore[arg-type]
    data = filters.dict()
    return selectors.project_search(
        request.user,  # type: ignore[arg-type]
        q=data["q"],
        stage=data["stage"],
        industry=data["industry"],
        officer=data["officer"],
        carrier=data["carrier"],
        space=data["space"],
        expected_above_scale=data["above_scale"],
        overdue_blockers=data["overdue"],
    )


@router.get(
    "/{project_id}", response={200: ProjectOut, **COMMON_ERRORS}, operation_id="project_get"
)
def project_get(request: HttpRequest, project_id: PathId) -> Project:
    return selectors.project_get_for_user(request.user, project_id)  # type: ignore[arg-type]


@router.get(
    "/{project_id}/stages",
    response={200: list[StageChangeOut], **COMMON_ERRORS},
    operation_id="project_stage_history",
)
@paginate(IdCursor)
def project_stage_history(request: HttpRequest, project_id: PathId) -> Any:
    """The project's stage changes as its page's timeline shows them: the stage, the day,
    who recorded it and why."""
    project = selectors.project_get_for_user(request.user, project_id)  # type: ignore[arg-type]
    return project.stage_changes.select_related("by")


def _evidence_asked(project: Project, to_stage: str) -> list[str]:
    """What the 推进 page asks for with a change into `to_stage` (projects.forms.AdvanceForm):
    the evidence of the stage and of those passed over; the code of a company already in the
    registry is not asked again, a new one's name is."""
    wanted = stages.evidence_fields(project, to_stage)
    if "uscc" in wanted:
        if project.enterprise_id is not None:
            wanted.remove("uscc")
        else:
            wanted.insert(wanted.index("uscc") + 1, "company_name")
    return wanted


@router.post(
    "/{project_id}/advance",
    response={200: ProjectOut, **COMMON_ERRORS},
    operation_id="project_advance",
)
def project_advance(request: HttpRequest, project_id: PathId, payload: AdvanceIn) -> Project:
    """Record the project entering another stage of its path (or 终止) on a day, through the
    same service as the 推进 page: a skip, a move back and 终止 need a note; a gated stage its
    evidence."""
    user = request.user
    project = selectors.project_get_for_user(user, project_id, write=True)  # type: ignore[arg-type]
    data = payload.dict()
    wanted = _evidence_asked(project, data["to_stage"])
    change: dict[str, Any] = {
        "to_stage": data["to_stage"],
        "on": data["on"],
        "version": data["version"],
        "note": data["note"],
    }
    for name in ("uscc", "company_name", *services.EVIDENCE_FIELDS):
        value = data[name]
        if value in (None, ""):
            continue
        if name not in wanted:
            raise DomainError(
                _("%(stage)s does not ask for this; leave it out.")
                % {"stage": Stage(data["to_stage"]).label},
                field=name,
            )
        change[name] = value
    if "space" in change:
        space = Space.objects.filter(pk=change["space"], zone_id=project.zone_id).first()
        if space is None:
            raise DomainError(_("A space of another zone cannot be chosen."), field="space")
        change["space"] = space
    services.project_advance(project=project, by=user, **change)  # type: ignore[arg-type]
    return selectors.project_get_for_user(user, project_id)  # type: ignore[arg-type]


# --- service records -----------------------------------------------------------------------


@router.get(
    "/{project_id}/service-records",
    response={200: list[ServiceRecordOut], **COMMON_ERRORS},
    operation_id="service_record_list",
)
@paginate(IdCursor)
def service_record_list(request: HttpRequest, project_id: PathId) -> Any:
    """The project's service records, as its page lists them, with the decisions taken."""
    project = selectors.project_get_for_user(request.user, project_id)  # type: ignore[arg-type]
    return project.service_records.prefetch_related("attendees", "departments", "decisions")


def _pick(queryset: Any, ids: list[int], field: str) -> list[Any]:
    """The records of `queryset` (the choices the page offers) with these ids, in their
    order; an id that is not among them is refused, naming the field."""
    found = {record.pk: record for record in queryset.filter(pk__in=ids)}
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise DomainError(
            _("Not one of this project's zone's choices: %(ids)s.")
            % {"ids": ", ".join(str(pk) for pk in missing)},
            field=field,
        )
    return [found[pk] for pk in dict.fromkeys(ids)]


@router.post(
    "/{project_id}/service-records",
    response={201: ServiceRecordOut, **COMMON_ERRORS},
    operation_id="service_record_create",
)
def service_record_create(
    request: HttpRequest, project_id: PathId, payload: ServiceRecordIn
) -> Status[ServiceRecord]:
    """A site visit, on-site office or coordination meeting, with the decisions taken at it
    (each a blocker of the project), through the same service as the page."""
    user = request.user
    project = project_for_work(user, project_id, write=True)  # type: ignore[arg-type]
    zone = [project.zone_id]
    data = payload.dict()
    decisions = []
    for decision in data["decisions"]:
        department = _pick(departments_of(zone), [decision["department"]], "decisions")[0]
        owner = (
            _pick(assignable_users(zone), [decision["owner"]], "decisions")[0]
            if decision["owner"] is not None
            else None
        )
        decisions.append({**decision, "department": department, "owner": owner})
    record = record_services.service_record_create(
        project=project,
        by=user,  # type: ignore[arg-type]
        kind=data["kind"],
        held_on=data["held_on"],
        minutes=data["minutes"],
        attendees=_pick(staff_of(zone), data["attendees"], "attendees"),
        departments=_pick(departments_of(zone), data["departments"], "departments"),
        enterprise_attendees=data["enterprise_attendees"],
        decisions=decisions,
    )
    fresh = ServiceRecord.objects.prefetch_related("attendees", "departments", "decisions")
    return Status(201, fresh.get(pk=record.pk))
