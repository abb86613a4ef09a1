"""Reading service records: one of the project in the URL, and the decisions taken at it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import Http404

from gaoxin.core.access import get_for_user
from gaoxin.projects import access
from gaoxin.projects.models import (
    Blocker,
    ServiceRecord,
)

if TYPE_CHECKING:
    from gaoxin.accounts.models import User


def service_record_get_for_user(user: User, project_pk: Any, pk: Any) -> ServiceRecord:
    """One service record of the project in the URL (404 for another project's)."""
    record = get_for_user(
        user,
        ServiceRecord.objects.select_related("project", "recorded_by"),
        pk,
        access.SERVICE_RECORD,
    )
    if str(record.project_id) != str(project_pk):
        raise Http404
    return record


def service_record_decisions(record: ServiceRecord) -> QuerySet[Blocker]:
    return record.decisions.select_related("department", "owner").order_by("pk")
