"""The filters every list's selector applies the same way: the search box over some text
columns, and a day range."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Replace
from django.db.models.lookups import Contains, IContains

from gaoxin.core.text import FULL_WIDTH_PUNCTUATION, search_form

M = TypeVar("M", bound=models.Model)


def containing(queryset: models.QuerySet[M], q: str, *fields: str) -> models.QuerySet[M]:
    """The rows where any of `fields` contains `q` (case-insensitively, its ends trimmed);
    every row for an empty search."""
    q = q.strip()
    if not q:
        return queryset
    condition = Q()
    for field in fields:
        condition |= text_match(field, q)
    return queryset.filter(condition)


_HALF_TO_FULL = {half: full for full, half in FULL_WIDTH_PUNCTUATION.items()}


def text_match(field: str, q: str, *, case_insensitive: bool = True) -> Q:
    """`field` contains `q`, whichever width its punctuation was typed or stored in:
    "清华科技园(珠海)" finds "清华科技园（珠海）" and the other way round.

    Names are stored as typed (core.text.clean), so the column is folded in the query, and
    only for the punctuation the search holds: a search without any (almost every one) is
    the plain LIKE it always was, with no function over every row."""
    text = search_form(q)
    expression: Any = F(field)
    for half in sorted({ch for ch in text if ch in _HALF_TO_FULL}):
        # Told its type: over a TextField (a blocker's description) the column and the
        # characters, text and varchar, are mixed types Django will not guess between.
        expression = Replace(
            expression,
            Value(_HALF_TO_FULL[half]),
            Value(half),
            output_field=models.TextField(),
        )
    lookup = IContains if case_insensitive else Contains
    if isinstance(expression, F):
        return Q(**{f"{field}__{lookup.lookup_name}": text})
    return Q(lookup(expression, text))


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
