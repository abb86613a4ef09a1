"""Cursor pagination for every list of the API: ordered by id (stable while records are added
and changed), `page_size` up to 200, `next` and `previous` as whole URLs."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from ninja.errors import ValidationError
from ninja.pagination import CursorPagination


class IdCursor(CursorPagination):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("page_size", 50)
        kwargs.setdefault("max_page_size", 200)
        kwargs["ordering"] = ("id",)
        super().__init__(**kwargs)

    def _find_position(self, queryset: QuerySet[Any], cursor: Any) -> QuerySet[Any]:
        # The position is an id; a cursor the caller made up is refused, not a server error.
        if cursor.p is not None and not (cursor.p.isascii() and cursor.p.isdigit()):
            raise ValidationError(
                [{"loc": ("query", "cursor"), "msg": "Invalid cursor", "type": "value_error"}]
            )
        if cursor.p is not None and len(cursor.p) > 18:
            raise ValidationError(
                [{"loc": ("query", "cursor"), "msg": "Invalid cursor", "type": "value_error"}]
            )
        return super()._find_position(queryset, cursor)
