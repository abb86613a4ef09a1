"""What the bench scripts share: the generated zone they measure and its bench users."""

from __future__ import annotations

from typing import Any


def first_zone(prefix: str) -> Any:
    """The first zone `gaoxin generate --prefix` made, or None."""
    from gaoxin.accounts.models import Zone

    return Zone.objects.filter(code__startswith=prefix).order_by("code").first()


def zone_user(zone: Any, username: str, role: str, name: str) -> Any:
    """A user of the zone with the role, created the first time."""
    from gaoxin.accounts.models import User

    user, _ = User.objects.get_or_create(username=username, defaults={"role": role, "name": name})
    user.zones.set([zone])
    return user
