"""The top navigation. Each app registers the areas it serves, and for which roles; the shell
shows a user only the areas their role opens."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise

from gaoxin.core.access import role_of


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: Promise | str
    roles: frozenset[str]
    order: int = 100


_items: list[NavItem] = []


def register(*items: NavItem) -> None:
    for item in items:
        if any(existing.url_name == item.url_name for existing in _items):
            continue
        _items.append(item)
    _items.sort(key=lambda item: item.order)


def items_for(user: object, path: str) -> Iterable[dict[str, object]]:
    role = role_of(user)
    for item in _items:
        if role in item.roles:
            url = reverse(item.url_name)
            active = path == url if url == "/" else path.startswith(url)
            yield {"url": url, "label": item.label, "active": active}
