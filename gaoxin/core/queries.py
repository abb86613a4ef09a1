"""The filters every list's selector applies the same way: the search box over some text
columns, and a day range."""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from django.db import models
from django.db.models import Q

M = TypeVar("M", bound=models.Model)


def containing(queryset: models.QuerySet[M], q: str, *fields: str) -> models.QuerySet[M]:
    """The rows where any of `fields` contains `q` (case-insensitively, its ends trimmed);
    every row for an empty search."""
    q = q.strip()
    if not q:
        return queryset
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": q})
    return queryset.filter(condition)


def within(
    queryset: models.QuerySet[M], field: str, start: dt.date | None, end: dt.date | None
) -> models.QuerySet[M]:
    """The rows whose day `field` falls from `start` to `end`, both included; an end left
    open (None) does not narrow."""
    if start is not None:
        queryset = queryset.filter(**{f"{field}__gte": start})
    if end is not None:
        queryset = queryset.filter(**{f"{field}__lte": end})
    return queryset
