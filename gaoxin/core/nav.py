"""The top navigation. Each app registers the areas it serves, and for which roles; the shell
shows a user only the areas their role opens."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.functional import Promise

from gaoxin.core.access import role_of
from gaoxin.core.reversing import remembered_reverse

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from gaoxin.accounts.models import User


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: Promise | str
    roles: frozenset[str]
    order: int = 100
    # Other paths that belong to the same area (a section spread over several URL prefixes).
    also: tuple[str, ...] = ()


_items: list[NavItem] = []


def register(*items: NavItem) -> None:
    for item in items:
        if any(existing.url_name == item.url_name for existing in _items):
            continue
        _items.append(item)
    _items.sort(key=lambda item: item.order)


def items_for(user: User | AnonymousUser, path: str) -> Iterable[dict[str, object]]:
    """The user's areas; the one whose URL (or other prefix) matches the path most closely is
    the current one."""
    role = role_of(user)
    rows = []
    for item in _items:
        if role not in item.roles:
            continue
        url = remembered_reverse(item.url_name)
        # How closely the path matches: the longest prefix, an item's own URL winning a tie
        # with another item's `also`.
        if url == "/":
            match = (1, 1) if path == "/" else (0, 0)
        else:
            match = max(
                ((len(p), p == url) for p in (url, *item.also) if path.startswith(p)),
                default=(0, 0),
            )
        rows.append((item, url, match))
    best = max((match for _item, _url, match in rows), default=(0, 0))
    for item, url, match in rows:
        yield {"url": url, "label": item.label, "active": best[0] > 0 and match == best}
