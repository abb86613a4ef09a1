"""Work on projects: approvals (审批事项), read as their list page finds them and reported on as
their page lets a department user or an officer report (status, dates, 容缺 documents, note),
and blockers (难点/堵点), read only."""

import datetime as dt
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from gaoxin.api.auth import TokenAuth
from gaoxin.api.errors import COMMON_ERRORS
from gaoxin.api.pagination import IdCursor
from gaoxin.api.schemas import MAX_ID, FilterId, PathId
from gaoxin.core.access import require_roles
from gaoxin.core.roles import STAFF_ROLES
from gaoxin.projects.models import Approval, ApprovalStatus, Blocker, BlockerStatus
from gaoxin.projects.work.approvals import selectors as approval_selectors
from gaoxin.projects.work.approvals import services as approval_services
from gaoxin.projects.work.blockers import selectors as blocker_selectors

approvals = Router(auth=TokenAuth("projects"), tags=["projects"])
blockers = Router(auth=TokenAuth("projects"), tags=["projects"])

ApprovalStatusCode = Literal[tuple(ApprovalStatus.values)]  # type: ignore[valid-type]


class ApprovalOut(Schema):
    id: int
    project_id: int
    project_name: str
    name: str
    department_id: int
    department_name: str
    status: str
    order: int
    started_on: dt.date | None
    due_on: dt.date | None
    done_on: dt.date | None
    owed_documents: str
    owed_due_on: dt.date | None
    owed_received_on: dt.date | None
    owed_waived_on: dt.date | None
    owed_waived_reason: str
    owes_documents: bool = Field(description="容缺 documents neither received nor waived")
    note: str
    version: int

    @staticmethod
    def resolve_project_name(obj: Approval) -> str:
        return obj.project.name

    @staticmethod
    def resolve_department_name(obj: Approval) -> str:
        return obj.department.name


class ApprovalFilters(Schema):
    """The approvals page's filters, named as there; `status` left out is "open", as the
    page opens."""

    q: str = Field("", max_length=100, description="project or approval")
    status: Literal["open", "done", "", "all", "owed", *ApprovalStatus.values] = Field(  # type: ignore[valid-type]
        "open",
        description="open: still to do; done: 已办结 with nothing owed; owed: 容缺 documents "
        "owed; empty or all: all",
    )
    department: FilterId
    overdue: bool = False
    project: FilterId


class ApprovalPatch(Schema):
    """What the approval's page lets its department (or an officer) report. Left out: the
    stored value is kept (the status too); the due date is the officers' to set."""

    version: Annotated[int, Field(ge=0, le=MAX_ID)]
    status: ApprovalStatusCode | None = None  # type: ignore[valid-type]
    started_on: dt.date | None = None
    due_on: dt.date | None = None
    done_on: dt.date | None = Field(None, description="for done; today if left out")
    owed_documents: str = Field("", max_length=4000, description="for 容缺受理")
    owed_due_on: dt.date | None = None
    note: str = Field(
        "", max_length=1000, description="the reason: needed to return or reopen an approval"
    )


class BlockerOut(Schema):
    id: int
    project_id: int
    project_name: str
    stage: str
    description: str
    department_id: int
    department_name: str
    owner_id: int | None
    raised_on: dt.date
    due_on: dt.date
    status: str
    resolution: str
    closed_on: dt.date | None
    service_record_id: int | None
    version: int

    @staticmethod
    def resolve_project_name(obj: Blocker) -> str:
        return obj.project.name

    @staticmethod
    def resolve_department_name(obj: Blocker) -> str:
        return obj.department.name


class BlockerFilters(Schema):
    """The blockers page's filters, named as there; `status` left out is "open"."""

    q: str = Field("", max_length=100)
    status: Literal["open", "closed", "", "all", *BlockerStatus.values] = Field(  # type: ignore[valid-type]
        "open", description="open: 待处理 and 处理中; closed; empty or all: all"
    )
    department: FilterId
    overdue: bool = False
    mine: bool = Field(False, description="those I am responsible for or whose project I serve")
    project: FilterId


# --- approvals -----------------------------------------------------------------------------


@approvals.get(
    "/", response={200: list[ApprovalOut], **COMMON_ERRORS}, operation_id="approval_list"
)
@paginate(IdCursor)
def approval_list(request: HttpRequest, filters: Query[ApprovalFilters]) -> Any:
    """The approvals the token's user works with, as their list finds them: a department
    user's own department's, everyone else's by zone."""
    require_roles(request.user, STAFF_ROLES)  # type: ignore[arg-type]
    data = filters.dict()
    return approval_selectors.approval_search(
        request.user,  # type: ignore[arg-type]
        q=data["q"],
        status="" if data["status"] == "all" else data["status"],
        department=data["department"],
        overdue=data["overdue"],
        project=data["project"],
    )


@approvals.get(
    "/{approval_id}", response={200: ApprovalOut, **COMMON_ERRORS}, operation_id="approval_get"
)
def approval_get(request: HttpRequest, approval_id: PathId) -> Approval:
    return approval_selectors.approval_get_for_user(request.user, approval_id)  # type: ignore[arg-type]


@approvals.patch(
    "/{approval_id}", response={200: ApprovalOut, **COMMON_ERRORS}, operation_id="approval_update"
)
def approval_update(request: HttpRequest, approval_id: PathId, payload: ApprovalPatch) -> Approval:
    """Report where the approval stands, through the same service as its page: its
    department's users and the zone's officers may; another department's users get 403."""
    user = request.user
    approval = approval_selectors.approval_get_for_user(user, approval_id, write=True)  # type: ignore[arg-type]
    data = payload.dict()
    approval_services.approval_update(
        approval=approval,
        by=user,  # type: ignore[arg-type]
        version=data.pop("version"),
        status=data.pop("status") or approval.status,
        **data,
    )
    return approval_selectors.approval_get_for_user(user, approval_id)  # type: ignore[arg-type]


# --- blockers ------------------------------------------------------------------------------


@blockers.get("/", response={200: list[BlockerOut], **COMMON_ERRORS}, operation_id="blocker_list")
@paginate(IdCursor)
def blocker_list(request: HttpRequest, filters: Query[BlockerFilters]) -> Any:
    """The blockers the token's user works with, as their list finds them: a department
    user's own department's, everyone else's by zone."""
    require_roles(request.user, STAFF_ROLES)  # type: ignore[arg-type]
    data = filters.dict()
    return blocker_selectors.blocker_search(
        request.user,  # type: ignore[arg-type]
        q=data["q"],
        status="" if data["status"] == "all" else data["status"],
        department=data["department"],
        overdue=data["overdue"],
        mine=data["mine"],
        project=data["project"],
    )


@blockers.get(
    "/{blocker_id}", response={200: BlockerOut, **COMMON_ERRORS}, operation_id="blocker_get"
)
def blocker_get(request: HttpRequest, blocker_id: PathId) -> Blocker:
    return blocker_selectors.blocker_get_for_user(request.user, blocker_id)  # type: ignore[arg-type]
