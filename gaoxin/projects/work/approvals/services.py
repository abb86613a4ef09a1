"""Writes to approvals (审批事项) of land projects: from a checklist template, one at a time,
and recording where each stands. Each runs in one transaction; django-simple-history writes
the history row in the same transaction, with the acting user (and, where the rules ask for
one, the reason)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from gaoxin.accounts.models import Department
from gaoxin.core.access import WRITERS, role_of
from gaoxin.core.concurrency import lock_for_write
from gaoxin.core.errors import DomainError
from gaoxin.core.history import save_recorded
from gaoxin.core.text import clean
from gaoxin.projects.models import (
    Approval,
    ApprovalStatus,
    ApprovalTemplate,
    Project,
)
from gaoxin.projects.stages import Carrier
from gaoxin.projects.work.checks import (
    check_department,
    check_open_project,
    local_today,
    not_in_future,
)

if TYPE_CHECKING:
    from gaoxin.accounts.models import User


def _check_land(project: Project) -> None:
    if project.carrier != Carrier.LAND:
        raise DomainError(
            _("Approvals are kept for land projects only; this project rents floor area.")
        )


@transaction.atomic
def approvals_create_from_template(
    *,
    project: Project,
    template: ApprovalTemplate,
    by: User,
    started_on: dt.date | None = None,
) -> list[Approval]:
    """The template's checklist as approvals of the project, all 未开始, running in parallel.

    An approval the project already has (by name) is not created twice; with `started_on`
    each gets a due date that many expected days later.
    """
    _check_land(project)
    check_open_project(project)
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
        save_recorded(approval, by)
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
    by: User,
    name: str,
    department: Department,
    due_on: dt.date | None = None,
) -> Approval:
    """A one-off approval that no template lists."""
    _check_land(project)
    check_open_project(project)
    name = clean(name)
    if not name:
        raise DomainError(_("Name the approval."), field="name")
    check_department(project, department, "department")
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
    save_recorded(approval, by)
    return approval


@transaction.atomic
def approval_update(
    *,
    approval: Approval,
    by: User,
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
    when no start was recorded); `done_on` is for 已办结 only (today if left out). `note` is
    the reason for this change: required to return (退回) or to reopen a done approval; when
    given it becomes the approval's note and the history's reason.

    The 容缺 rule: documents owed are recorded with 容缺受理 (`owed_documents` and their
    deadline `owed_due_on`), and stay owed whatever the status moves to — an approval may be
    finished (已办结) while they are still owed — until they are received
    (approval_documents_receive) or waived with a reason (approval_documents_waive). Left out
    (empty), the stored ones are kept; given, they replace them (a new list after settled ones
    is owed anew).
    """
    approval = lock_for_write(approval, version)
    if status not in ApprovalStatus.values:
        raise DomainError(_("Choose a status."), field="status")
    today = local_today()
    note = note.strip()
    owed_documents = owed_documents.strip()
    not_in_future(started_on, _("The start date cannot be in the future."), "started_on")
    not_in_future(done_on, _("The completion date cannot be in the future."), "done_on")

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

    owed_documents, owed_due_on, settled = _owed_after(approval, owed_documents, owed_due_on)
    if status == ApprovalStatus.ACCEPTED_PENDING and (not owed_documents or settled):
        raise DomainError(_("List the documents still owed for 容缺受理."), field="owed_documents")
    if owed_documents and not settled:
        if owed_due_on is None:
            raise DomainError(
                _("Give the deadline for the documents still owed."), field="owed_due_on"
            )
        if started_on is not None and owed_due_on < started_on:
            raise DomainError(
                _("The documents cannot be due before the approval started."),
                field="owed_due_on",
            )

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
    if not settled:
        approval.owed_documents = owed_documents
        approval.owed_due_on = owed_due_on
        approval.owed_received_on = None
        approval.owed_waived_on = None
        approval.owed_waived_by = None
        approval.owed_waived_reason = ""
    if note:
        approval.note = note
        approval._change_reason = note
    save_recorded(approval, by)
    return approval


def _owed_after(
    approval: Approval, owed_documents: str, owed_due_on: dt.date | None
) -> tuple[str, dt.date | None, bool]:
    """The owed documents after an update, and whether they are the stored settled ones.

    Nothing given keeps what is stored (owed, or received/waived); a list given replaces an
    owed one (its deadline too, when given) and, after settled ones, is owed anew."""
    stored_settled = approval.owed_received_on is not None or approval.owed_waived_on is not None
    if not owed_documents:
        if approval.owed_documents and not stored_settled:
            return approval.owed_documents, owed_due_on or approval.owed_due_on, False
        if approval.owed_documents:
            return approval.owed_documents, approval.owed_due_on, True
        return "", None, False
    if (
        stored_settled
        and owed_documents == approval.owed_documents
        and owed_due_on
        in (
            None,
            approval.owed_due_on,
        )
    ):
        return approval.owed_documents, approval.owed_due_on, True
    if owed_due_on is None and not stored_settled:
        owed_due_on = approval.owed_due_on
    return owed_documents, owed_due_on, False


def _check_owes(approval: Approval) -> None:
    if not approval.owes_documents:
        raise DomainError(_("No 容缺 documents are owed on this approval."))


@transaction.atomic
def approval_documents_receive(
    *,
    approval: Approval,
    by: User,
    on: dt.date | None = None,
    note: str = "",
    version: int | None = None,
) -> Approval:
    """The owed 容缺 documents were handed in on `on` (today if left out). A 容缺受理
    approval goes on as 办理中: nothing is owed any more."""
    approval = lock_for_write(approval, version)
    _check_owes(approval)
    on = on or local_today()
    not_in_future(on, _("The documents cannot be received in the future."), "on")
    if approval.started_on is not None and on < approval.started_on:
        raise DomainError(
            _("The documents cannot be received before the approval started (%(day)s).")
            % {"day": approval.started_on.isoformat()},
            field="on",
        )
    approval.owed_received_on = on
    if approval.status == ApprovalStatus.ACCEPTED_PENDING:
        approval.status = ApprovalStatus.IN_PROGRESS
    approval._change_reason = note.strip() or _("容缺 documents received")
    save_recorded(approval, by)
    return approval


@transaction.atomic
def approval_documents_waive(
    *,
    approval: Approval,
    by: User,
    reason: str,
    on: dt.date | None = None,
    version: int | None = None,
) -> Approval:
    """The owed 容缺 documents will not be asked for: who waived them, when and why are kept.
    A 容缺受理 approval goes on as 办理中."""
    approval = lock_for_write(approval, version)
    _check_owes(approval)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Say why the owed documents are waived."), field="reason")
    on = on or local_today()
    not_in_future(on, _("The documents cannot be waived in the future."), "on")
    approval.owed_waived_on = on
    approval.owed_waived_by = by
    approval.owed_waived_reason = reason
    if approval.status == ApprovalStatus.ACCEPTED_PENDING:
        approval.status = ApprovalStatus.IN_PROGRESS
    approval._change_reason = reason
    save_recorded(approval, by)
    return approval
