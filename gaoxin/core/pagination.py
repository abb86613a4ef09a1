"""Pages of a list. A page never loads more than `GAOXIN_PAGE_SIZE` rows."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.utils.functional import cached_property


class KnownCountPaginator(Paginator):
    """A paginator told its total (a metric already counted the rows), so it runs no COUNT."""

    def __init__(self, object_list: Any, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:  # type: ignore[override]
        return self._known_count


def paginate(request: HttpRequest, queryset: Any, *, count: int | None = None) -> Page:
    per_page = settings.GAOXIN_PAGE_SIZE
    paginator = (
        Paginator(queryset, per_page)
        if count is None
        else KnownCountPaginator(queryset, per_page, count=count)
    )
    return paginator.get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    """The current query string minus `page`, for the pager's links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
