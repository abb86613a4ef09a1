"""Lists page by reading one row more than they show, and count at most a cap; a first page
that holds every row is counted without a query."""

from __future__ import annotations

import pytest

from gaoxin.accounts.models import Zone
from gaoxin.core.pagination import LookaheadPage, capped_count
from tests.factories import ZoneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def zones():
    for n in range(5):
        ZoneFactory(code=f"page{n}")
    return Zone.objects.filter(code__startswith="page").order_by("code")


def test_a_first_page_with_every_row_counts_without_a_query(
    zones, django_assert_num_queries
) -> None:
    page = LookaheadPage(zones, 1, 10)
    assert len(page) == 5 and not page.has_next()
    with django_assert_num_queries(0):
        assert capped_count(zones, page) == (5, False)


def test_a_longer_list_is_counted_up_to_the_cap(zones, django_assert_num_queries) -> None:
    page = LookaheadPage(zones, 1, 2)
    assert [z.code for z in page] == ["page0", "page1"] and page.has_next()
    with django_assert_num_queries(1):
        assert capped_count(zones, page) == (5, False)
    assert capped_count(zones, page, cap=3) == (3, True)
    last = LookaheadPage(zones, 3, 2)
    assert [z.code for z in last] == ["page4"] and not last.has_next()
    assert capped_count(zones, last) == (5, False)  # a later page still counts them all
