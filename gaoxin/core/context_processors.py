from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from gaoxin.core import nav
from gaoxin.core.access import role_of, user_zones


def shell(request: HttpRequest) -> dict[str, Any]:
    """What the base layout needs: the areas this user may open and the zone switcher."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_items": list(nav.items_for(user, request.path)),
        "my_zones": lambda: user_zones(user),
        "current_zone_id": getattr(user, "current_zone_id", None),
        "my_role": role_of(user),
    }
