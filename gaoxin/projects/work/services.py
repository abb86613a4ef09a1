"""Writes to the work done on projects: approvals (审批事项), blockers (难点/堵点) and service
records (服务记录). Each runs in one transaction; django-simple-history writes the history row
in the same transaction, with the acting user (and, where the rules ask for one, the reason)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.accounts.models import Department
from gaoxin.core.access import WRITERS, role_of
from gaoxin.core.concurrency import lock_for_write
from gaoxin.core.errors import DomainError
from gaoxin.core.roles import Role
from gaoxin.core.text import clean
from gaoxin.projects.models import (
    Approval,
    ApprovalStatus,
    ApprovalTemplate,
    Blocker,
    BlockerStatus,
    Project,
    ServiceRecord,
)
from gaoxin.projects.stages import Carrier, Stage

CLOSED_BLOCKER_STATUSES = (BlockerStatus.RESOLVED, BlockerStatus.UNRESOLVABLE)

# Where a blocker may go from each status; from a closed one only back to open work (reopening).
BLOCKER_MOVES: dict[str, frozenset[str]] = {
    BlockerStatus.OPEN: frozenset(
        {BlockerStatus.IN_PROGRESS, BlockerStatus.RESOLVED, BlockerStatus.UNRESOLVABLE}
    ),
    BlockerStatus.IN_PROGRESS: frozenset({BlockerStatus.RESOLVED, BlockerStatus.UNRESOLVABLE}),
    BlockerStatus.RESOLVED: frozenset({BlockerStatus.OPEN, BlockerStatus.IN_PROGRESS}),
    BlockerStatus.UNRESOLVABLE: frozenset({BlockerStatus.OPEN, BlockerStatus.IN_PROGRESS}),
}


def _today() -> dt.date:
    return timezone.localdate()


def _not_in_future(day: dt.date | None, message: str, field: str) -> None:
    if day is not None and day > _today():
        raise DomainError(message, field=field)


def _check_department(project: Project, department: Department | None, field: str) -> None:
    if department is None:
        raise DomainError(_("Choose the responsible department."), field=field)
    if department.zone_id != project.zone_id:
        raise DomainError(
            _("%(department)s is not a department of this project's zone.")
            % {"department": department.name},
            field=field,
        )


def _check_person(project: Project, person: Any, field: str) -> None:
    """A responsible person or attendee: a staff member of the project's zone."""
    if getattr(person, "role", None) == Role.ENTERPRISE or not person.is_active:
        raise DomainError(_("%(person)s cannot be chosen here.") % {"person": person}, field=field)
    if not person.is_superuser and not person.zones.filter(pk=project.zone_id).exists():
        raise DomainError(
            _("%(person)s does not work in this project's zone.") % {"person": person},
            field=field,
        )


def _check_open_project(project: Project) -> None:
    if project.is_terminated:
        raise DomainError(_("The project is terminated: no new work can be added to it."))


def _check_land(project: Project) -> None:
    if project.carrier != Carrier.LAND:
        raise DomainError(
            _("Approvals are kept for land projects only; this project rents floor area.")
        )


# --- approvals -----------------------------------------------------------------------------


@transaction.atomic
def approvals_create_from_template(
    *,
    project: Project,
    template: ApprovalTemplate,
    by: Any,
    started_on: dt.date | None = None,
) -> list[Approval]:
    """The template's checklist as approvals of the project, all 未开始, running in parallel.

    An approval the project already has (by name) is not created twice; with `started_on`
    each gets a due date that many expected days later.
    """
    _check_land(project)
    _check_open_project(project)
    if template.zone_id != project.zone_id:
        raise DomainError(_("This template belongs to another zone."), field="template")
    if not template.is_active:
        raise DomainError(_("This template is no longer in use."), field="template")
    items = list(template.items.select_related("department").order_by("order", "pk"))
    if not items:
        raise DomainError(_("This template has no approvals in it yet."), field="template")
    existing = set(project.approvals.values_list("name", flat=True))
    created = []
    for item in items:
        if item.name in existing:
            continue
        if item.department.zone_id != project.zone_id:
            raise DomainError(
                _("The template's approval %(name)s is assigned to a department of another zone.")
                % {"name": item.name},
                field="template",
            )
        approval = Approval(
            project=project,
            name=item.name,
            department=item.department,
            order=item.order,
            due_on=started_on + dt.timedelta(days=item.expected_days) if started_on else None,
        )
        approval._history_user = by
        approval.save()
        existing.add(item.name)
        created.append(approval)
    if not created:
        raise DomainError(
            _("The project already has every approval of this template."), field="template"
        )
    return created


@transaction.atomic
def approval_add(
    *,
    project: Project,
    by: Any,
    name: str,
    department: Department,
    due_on: dt.date | None = None,
) -> Approval:
    """A one-off approval that no template lists."""
    _check_land(project)
    _check_open_project(project)
    name = clean(name)
    if not name:
        raise DomainError(_("Name the approval."), field="name")
    _check_department(project, department, "department")
    if project.approvals.filter(name=name).exists():
        raise DomainError(
            _("The project already has an approval named %(name)s.") % {"name": name},
            field="name",
        )
    last = project.approvals.order_by("-order").values_list("order", flat=True).first()
    approval = Approval(
        project=project,
        name=name,
        department=department,
        due_on=due_on,
        order=(last or 0) + 1,
    )
    approval._history_user = by
    approval.save()
    return approval


@transaction.atomic
def approval_update(
    *,
    approval: Approval,
    by: Any,
    status: str,
    started_on: dt.date | None = None,
    done_on: dt.date | None = None,
    due_on: dt.date | None = None,
    owed_documents: str = "",
    owed_due_on: dt.date | None = None,
    note: str = "",
    version: int | None = None,
) -> Approval:
    """Record where an approval stands. A form older than the stored approval (`version`)
    is refused.

    `started_on` and `due_on` left out keep the stored dates (办理中 and 容缺受理 start today
    when no start was recorded); `done_on` is for 已办结 only (today if left out); the documents
    owed are for 容缺受理 only. `note` is the reason for this change: required to return
    (退回) or to reopen a done approval; when given it becomes the approval's note and the
    history's reason.
    """
    approval = lock_for_write(approval, version)
    if status not in ApprovalStatus.values:
        raise DomainError(_("Choose a status."), field="status")
    today = _today()
    note = note.strip()
    owed_documents = owed_documents.strip()
    _not_in_future(started_on, _("The start date cannot be in the future."), "started_on")
    _not_in_future(done_on, _("The completion date cannot be in the future."), "done_on")

    previous = approval.status
    if previous == ApprovalStatus.DONE and status != ApprovalStatus.DONE and not note:
        raise DomainError(
            _("Say why a done approval is reopened (note)."),
            field="note",
        )
    if status == ApprovalStatus.RETURNED and previous != ApprovalStatus.RETURNED and not note:
        raise DomainError(_("Give the reason the approval was returned (note)."), field="note")

    if started_on is None:
        started_on = approval.started_on
    if started_on is None and status in (
        ApprovalStatus.IN_PROGRESS,
        ApprovalStatus.ACCEPTED_PENDING,
    ):
        started_on = today

    if status == ApprovalStatus.DONE:
        done_on = done_on or today
        if started_on is not None and done_on < started_on:
            raise DomainError(
                _("An approval cannot be done before it started (%(day)s).")
                % {"day": started_on.isoformat()},
                field="done_on",
            )
    else:
        done_on = None

    if status == ApprovalStatus.ACCEPTED_PENDING:
        if not owed_documents:
            raise DomainError(
                _("List the documents still owed for 容缺受理."), field="owed_documents"
            )
        if owed_due_on is None:
            raise DomainError(
                _("Give the deadline for the documents still owed."), field="owed_due_on"
            )
        if started_on is not None and owed_due_on < started_on:
            raise DomainError(
                _("The documents cannot be due before the approval started."),
                field="owed_due_on",
            )
    else:
        owed_documents, owed_due_on = "", None

    if due_on is not None and due_on != approval.due_on and role_of(by) not in WRITERS:
        raise DomainError(
            _("The due date is set by the zone's officers, not by the department."),
            field="due_on",
        )
    approval.status = status
    approval.started_on = started_on
    approval.done_on = done_on
    if due_on is not None:
        approval.due_on = due_on
    approval.owed_documents = owed_documents
    approval.owed_due_on = owed_due_on
    if note:
        approval.note = note
        approval._change_reason = note
    approval._history_user = by
    approval.save()
    return approval


# --- blockers ------------------------------------------------------------------------------


@transaction.atomic
def blocker_create(
    *,
    project: Project,
    by: Any,
    description: str,
    department: Department | None,
    due_on: dt.date | None,
    owner: Any = None,
    stage: str | None = None,
    raised_on: dt.date | None = None,
    service_record: ServiceRecord | None = None,
) -> Blocker:
    _check_open_project(project)
    description = description.strip()
    if not description:
        raise DomainError(_("Describe the blocker."), field="description")
    _check_department(project, department, "department")
    if owner is not None:
        _check_person(project, owner, "owner")
    stage = stage or project.stage
    if stage not in Stage.values:
        raise DomainError(_("Choose a stage."), field="stage")
    raised_on = raised_on or _today()
    _not_in_future(raised_on, _("A blocker cannot be raised in the future."), "raised_on")
    if due_on is None:
        raise DomainError(_("Give the date it is due to be solved by."), field="due_on")
    if due_on < raised_on:
        raise DomainError(
            _("The due date cannot be before the day it was raised (%(day)s).")
            % {"day": raised_on.isoformat()},
            field="due_on",
        )
    if service_record is not None and service_record.project_id != project.pk:
        raise DomainError(_("The meeting belongs to another project."))
    blocker = Blocker(
        project=project,
        stage=stage,
        description=description,
        department=department,
        owner=owner,
        raised_on=raised_on,
        due_on=due_on,
        service_record=service_record,
    )
    blocker._history_user = by
    blocker.save()
    return blocker


@transaction.atomic
def blocker_update_status(
    *,
    blocker: Blocker,
    by: Any,
    status: str,
    resolution: str = "",
    on: dt.date | None = None,
    note: str = "",
    version: int | None = None,
) -> Blocker:
    """Move a blocker on: 待处理 → 处理中 → 已解决 / 无法解决. A form older than the stored
    blocker (`version`) is refused.

    Closing needs the resolution and sets the day it closed (today unless given). Reopening a
    closed blocker needs a note (given as `note`, or as `resolution`); it clears the closing,
    and the resolution it had stays in the history.
    """
    blocker = lock_for_write(blocker, version)
    if status not in BlockerStatus.values:
        raise DomainError(_("Choose a status."), field="status")
    current = blocker.status
    if status == current:
        raise DomainError(
            _("The blocker is already %(status)s.") % {"status": blocker.get_status_display()},
            field="status",
        )
    if status not in BLOCKER_MOVES[current]:
        raise DomainError(
            _("A blocker cannot go from %(old)s to %(new)s.")
            % {"old": BlockerStatus(current).label, "new": BlockerStatus(status).label},
            field="status",
        )
    resolution = resolution.strip()
    if status in CLOSED_BLOCKER_STATUSES:
        if not resolution:
            raise DomainError(
                _("Say how it was resolved, or why it cannot be."), field="resolution"
            )
        closed_on = on or _today()
        _not_in_future(closed_on, _("The closing date cannot be in the future."), "on")
        if closed_on < blocker.raised_on:
            raise DomainError(
                _("A blocker cannot close before it was raised (%(day)s).")
                % {"day": blocker.raised_on.isoformat()},
                field="on",
            )
        blocker.resolution = resolution
        blocker.closed_on = closed_on
    elif current in CLOSED_BLOCKER_STATUSES:
        reason = note.strip() or resolution
        if not reason:
            raise DomainError(_("Say why the blocker is reopened (note)."), field="note")
        blocker.resolution = ""
        blocker.closed_on = None
        blocker._change_reason = reason
    elif note.strip():
        blocker._change_reason = note.strip()
    blocker.status = status
    blocker._history_user = by
    blocker.save()
    return blocker


@transaction.atomic
def blocker_reassign(
    *,
    blocker: Blocker,
    by: Any,
    department: Department,
    owner: Any,
    due_on: dt.date,
    note: str = "",
    version: int | None = None,
) -> Blocker:
    """Hand an open blocker to another department or person, or give it a new due date. A
    form older than the stored blocker (`version`) is refused."""
    blocker = lock_for_write(blocker, version)
    if not blocker.is_open:
        raise DomainError(_("A closed blocker cannot be reassigned; reopen it first."))
    project = blocker.project
    _check_department(project, department, "department")
    if owner is not None:
        _check_person(project, owner, "owner")
    if due_on is None:
        raise DomainError(_("Give the date it is due to be solved by."), field="due_on")
    if due_on < blocker.raised_on:
        raise DomainError(
            _("The due date cannot be before the day it was raised (%(day)s).")
            % {"day": blocker.raised_on.isoformat()},
            field="due_on",
        )
    blocker.department = department
    blocker.owner = owner
    blocker.due_on = due_on
    if note.strip():
        blocker._change_reason = note.strip()
    blocker._history_user = by
    blocker.save()
    return blocker


# --- service records -----------------------------------------------------------------------


@transaction.atomic
def service_record_create(
    *,
    project: Project,
    by: Any,
    kind: str,
    held_on: dt.date,
    minutes: str,
    attendees: Iterable[Any] = (),
    departments: Iterable[Department] = (),
    enterprise_attendees: str = "",
    decisions: Iterable[Mapping[str, Any]] = (),
) -> ServiceRecord:
    """A site visit, on-site office or coordination meeting, with the decisions taken at it.

    Each decision (description, department, owner, due_on) becomes a blocker of the project
    linked to the record, in the same transaction: one bad decision refuses the whole record,
    and the message names the decision by its number.
    """
    if kind not in ServiceRecord.Kind.values:
        raise DomainError(_("Choose the kind of service."), field="kind")
    if held_on is None:
        raise DomainError(_("Give the date it was held."), field="held_on")
    _not_in_future(held_on, _("A service record cannot be dated in the future."), "held_on")
    minutes = minutes.strip()
    if not minutes:
        raise DomainError(_("Write the minutes."), field="minutes")
    attendees = list(attendees)
    departments = list(departments)
    for person in attendees:
        _check_person(project, person, "attendees")
    for department in departments:
        _check_department(project, department, "departments")
    record = ServiceRecord(
        project=project,
        kind=kind,
        held_on=held_on,
        minutes=minutes,
        enterprise_attendees=clean(enterprise_attendees),
        recorded_by=by,
    )
    record._history_user = by
    record.save()
    record.attendees.set(attendees)
    record.departments.set(departments)
    for number, decision in enumerate(decisions, start=1):
        try:
            blocker_create(
                project=project,
                by=by,
                description=decision.get("description") or "",
                department=decision.get("department"),
                owner=decision.get("owner"),
                due_on=decision.get("due_on"),
                raised_on=held_on,
                service_record=record,
            )
        except DomainError as error:
            raise DomainError(
                _("Decision %(number)d: %(message)s")
                % {"number": number, "message": error.message},
                field="decisions",
            ) from None
    return record
