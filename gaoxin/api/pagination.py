"""Cursor pagination for every list of the API: ordered by id (stable while records are added
and changed), `page_size` up to 200, `next` and `previous` as whole URLs."""

from __future__ import annotations

from typing import Any

import pydantic
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja.errors import ValidationError
from ninja.pagination import CursorPagination

MAX_POSITION_DIGITS = 18


def _invalid_cursor() -> ValidationError:
    return ValidationError(
        [{"loc": ("query", "cursor"), "msg": "Invalid cursor", "type": "value_error"}]
    )


class IdCursor(CursorPagination):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("page_size", 50)
        kwargs.setdefault("max_page_size", 200)
        kwargs["ordering"] = ("id",)
        super().__init__(**kwargs)

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        # A cursor the caller made up (not base64, a negative offset, a position that is not
        # an id) is refused as invalid input, never a server error.
        try:
            cursor = self.Cursor.from_encoded_param(pagination.cursor)
        except pydantic.ValidationError:
            raise _invalid_cursor() from None
        position = cursor.p
        if position is not None and not (
            position.isascii() and position.isdigit() and len(position) <= MAX_POSITION_DIGITS
        ):
            raise _invalid_cursor()
        return super().paginate_queryset(queryset, pagination, request, **params)
