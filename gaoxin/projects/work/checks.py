"""The rules every kind of work on a project shares: who may be made responsible, which
project still takes new work, and dates that cannot lie in the future."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.accounts.models import Department
from gaoxin.core.errors import DomainError
from gaoxin.core.roles import Role
from gaoxin.projects.models import Project


def local_today() -> dt.date:
    return timezone.localdate()


def not_in_future(day: dt.date | None, message: str, field: str) -> None:
    if day is not None and day > local_today():
        raise DomainError(message, field=field)


def check_department(project: Project, department: Department | None, field: str) -> None:
    if department is None:
        raise DomainError(_("Choose the responsible department."), field=field)
    if department.zone_id != project.zone_id:
        raise DomainError(
            _("%(department)s is not a department of this project's zone.")
            % {"department": department.name},
            field=field,
        )


def check_person(project: Project, person: Any, field: str) -> None:
    """A responsible person or attendee: a staff member of the project's zone."""
    if getattr(person, "role", None) == Role.ENTERPRISE or not person.is_active:
        raise DomainError(_("%(person)s cannot be chosen here.") % {"person": person}, field=field)
    if not person.is_superuser and not person.zones.filter(pk=project.zone_id).exists():
        raise DomainError(
            _("%(person)s does not work in this project's zone.") % {"person": person},
            field=field,
        )


def check_open_project(project: Project) -> None:
    if project.is_terminated:
        raise DomainError(_("The project is terminated: no new work can be added to it."))
