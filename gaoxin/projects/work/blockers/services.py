"""Writes to blockers (难点/堵点): raising one, moving it through its statuses and handing it
to another department or person. Each runs in one transaction with its history row."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from gaoxin.accounts.models import Department
from gaoxin.core.concurrency import lock_for_write
from gaoxin.core.errors import DomainError
from gaoxin.core.history import save_recorded
from gaoxin.projects.models import (
    Blocker,
    BlockerStatus,
    Project,
    ServiceRecord,
)
from gaoxin.projects.stages import Stage
from gaoxin.projects.work.checks import (
    check_department,
    check_open_project,
    check_person,
    local_today,
    not_in_future,
)

if TYPE_CHECKING:
    from gaoxin.accounts.models import User

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


@transaction.atomic
def blocker_create(
    *,
    project: Project,
    by: User,
    description: str,
    department: Department | None,
    due_on: dt.date | None,
    owner: User | None = None,
    stage: str | None = None,
    raised_on: dt.date | None = None,
    service_record: ServiceRecord | None = None,
) -> Blocker:
    check_open_project(project)
    description = description.strip()
    if not description:
        raise DomainError(_("Describe the blocker."), field="description")
    check_department(project, department, "department")
    if owner is not None:
        check_person(project, owner, "owner")
    stage = stage or project.stage
    if stage not in Stage.values:
        raise DomainError(_("Choose a stage."), field="stage")
    raised_on = raised_on or local_today()
    not_in_future(raised_on, _("A blocker cannot be raised in the future."), "raised_on")
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
    save_recorded(blocker, by)
    return blocker


@transaction.atomic
def blocker_update_status(
    *,
    blocker: Blocker,
    by: User,
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
        closed_on = on or local_today()
        not_in_future(closed_on, _("The closing date cannot be in the future."), "on")
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
    save_recorded(blocker, by)
    return blocker


@transaction.atomic
def blocker_reassign(
    *,
    blocker: Blocker,
    by: User,
    department: Department,
    owner: User | None,
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
    check_department(project, department, "department")
    if owner is not None:
        check_person(project, owner, "owner")
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
    save_recorded(blocker, by)
    return blocker
