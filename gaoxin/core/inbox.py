"""The home page is each user's inbox (我的待办). Apps contribute sections to it, so the page
itself knows no domain: a provider takes the user and returns a section, or None when it has
nothing for that user."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise

if TYPE_CHECKING:  # accounts sits above core: its User is named for the type checker only
    from gaoxin.accounts.models import User


@dataclass
class InboxSection:
    title: Promise | str
    items: list[dict[str, Any]] = field(default_factory=list)
    empty_text: Promise | str = ""
    more_url: str = ""
    order: int = 100


Provider = Callable[["User"], InboxSection | None]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def sections_for(user: User) -> list[InboxSection]:
    sections = [s for s in (provider(user) for provider in _providers) if s is not None]
    return sorted(sections, key=lambda s: s.order)
