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
    def count(self) -> int:
        return self._known_count


# No list has this many pages; a page number above it is read as this one, so the row offset
# (page × page size) stays far inside a 64-bit integer on every database.
MAX_PAGE = 1_000_000


def page_number(request: HttpRequest) -> int:
    """The `?page=` asked for, as a page number from 1 to MAX_PAGE: a missing, malformed
    ("1e9", "²", "３") or non-positive value is page 1, a huge one MAX_PAGE."""
    raw = request.GET.get("page", "").strip()
    if not raw.isascii() or not raw.isdigit():
        return 1
    return min(max(int(raw), 1), MAX_PAGE)


def paginate(request: HttpRequest, queryset: Any, *, count: int | None = None) -> Page:
    """The page asked for; one past the last is the last (Paginator.get_page)."""
    per_page = settings.GAOXIN_PAGE_SIZE
    paginator = (
        Paginator(queryset, per_page)
        if count is None
        else KnownCountPaginator(queryset, per_page, count=count)
    )
    return paginator.get_page(page_number(request))


def query_without_page(request: HttpRequest) -> str:
    """The current query string minus `page`, for the pager's links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


COUNT_CAP = 10_000


class LookaheadPage:
    """A page that knows whether there is a next one by reading one row more than it shows,
    so browsing a list of 100,000 rows never counts them all."""

    def __init__(self, queryset: Any, number: int, per_page: int) -> None:
        self.number = max(1, number)
        offset = (self.number - 1) * per_page
        rows = list(queryset[offset : offset + per_page + 1])
        self.object_list = rows[:per_page]
        self._has_next = len(rows) > per_page
        self.start_index = offset + 1 if self.object_list else 0

    def __iter__(self) -> Any:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def has_next(self) -> bool:
        return self._has_next

    def has_previous(self) -> bool:
        return self.number > 1

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def lookahead_page(request: HttpRequest, queryset: Any) -> LookaheadPage:
    return LookaheadPage(queryset, page_number(request), settings.GAOXIN_PAGE_SIZE)


def capped_count(
    queryset: Any, page: LookaheadPage | None = None, cap: int = COUNT_CAP
) -> tuple[int, bool]:
    """How many rows, counting at most `cap` + 1: (count, whether there are more than cap).
    A first page with no next one already holds them all: no query."""
    if page is not None and page.number == 1 and not page.has_next():
        return len(page.object_list), False
    count = queryset.order_by()[: cap + 1].count()
    return min(count, cap), count > cap
