"""A field's value as of a day, read from the record's change log.

Several records keep a dated log of the changes to one field (a project's stage changes, a
space's status changes, an application's status changes). The value the field had at the end
of a day is that of the latest change dated on or before it; changes are never dated in the
future, so from today on it is the stored field. Every "status as of a day" is this one
reading, so figures asked for a past day agree with the lists and boards.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.db.models import F, Model, OuterRef, QuerySet, Subquery
from django.utils import timezone

M = TypeVar("M", bound=Model)


def with_value_as_of(
    queryset: QuerySet[M],
    as_of: dt.date,
    record: Any,
    value: str,
    *,
    stored: str,
    name: str = "",
    on: str = "on",
) -> QuerySet[M]:
    """Annotate `name` (by default "<stored>_as_of"): the `value` of the latest change dated
    (`on`) on or before `as_of`, the changes being the rows of the model whose foreign key
    `record` (e.g. `StageChange.project`) points at the annotated record; the last entered
    first among changes of one day, None for a record with no change by then. From today on
    it is the stored field `stored`."""
    name = name or f"{stored}_as_of"
    if as_of >= timezone.localdate():
        current: QuerySet[M] = queryset.annotate(**{name: F(stored)})
        return current
    link = record.field
    latest = (
        link.model._default_manager.filter(**{link.attname: OuterRef("pk"), f"{on}__lte": as_of})
        .order_by(f"-{on}", "-pk")
        .values(value)[:1]
    )
    then: QuerySet[M] = queryset.annotate(**{name: Subquery(latest)})
    return then
