"""Writes to service records (服务记录): a meeting and the decisions taken at it, which become
blockers of the project in the same transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from gaoxin.accounts.models import Department
from gaoxin.core.errors import DomainError
from gaoxin.core.history import save_recorded
from gaoxin.core.text import clean
from gaoxin.projects.models import (
    Project,
    ServiceRecord,
)
from gaoxin.projects.work.blockers.services import blocker_create
from gaoxin.projects.work.checks import (
    check_department,
    check_person,
    not_in_future,
)

if TYPE_CHECKING:
    from gaoxin.accounts.models import User


@transaction.atomic
def service_record_create(
    *,
    project: Project,
    by: User,
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
    not_in_future(held_on, _("A service record cannot be dated in the future."), "held_on")
    minutes = minutes.strip()
    if not minutes:
        raise DomainError(_("Write the minutes."), field="minutes")
    attendees = list(attendees)
    departments = list(departments)
    for person in attendees:
        check_person(project, person, "attendees")
    for department in departments:
        check_department(project, department, "departments")
    record = ServiceRecord(
        project=project,
        kind=kind,
        held_on=held_on,
        minutes=minutes,
        enterprise_attendees=clean(enterprise_attendees),
        recorded_by=by,
    )
    save_recorded(record, by)
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
