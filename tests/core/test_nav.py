"""The top navigation marks exactly one area as the current one."""

from __future__ import annotations

import pytest

from gaoxin.core import nav


@pytest.mark.parametrize(
    "role, path, current",
    [
        ("officer", "/campaigns/12/", "/policies/"),
        ("officer", "/awards/", "/policies/"),
        ("officer", "/policies/events/", "/policies/"),
        ("enterprise", "/campaigns/applications/3/", "/campaigns/"),
        ("enterprise", "/awards/", "/awards/"),
        ("enterprise", "/enterprises/7/", "/enterprises/mine/"),
        ("enterprise", "/policies/", "/policies/"),
        ("officer", "/", "/"),
        ("officer", "/projects/board/", "/projects/"),
    ],
)
def test_one_area_is_current(users, role, path, current) -> None:
    items = list(nav.items_for(users[role], path))
    assert [item["url"] for item in items if item["active"]] == [current]
