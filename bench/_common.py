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


def p95(samples: list[float]) -> float:
    """The 95th percentile of the samples (their largest when there are fewer than 20)."""
    import statistics

    return statistics.quantiles(samples, n=20)[18] if len(samples) >= 20 else max(samples)


def describe_zone(zone: Any, *, all_zones: bool = False) -> str:
    """The zone measured, with its counts (and the whole set's enterprises, if asked)."""
    from gaoxin.enterprises.models import Enterprise
    from gaoxin.projects.models import Project

    text = (
        f"zone {zone.code}: {Enterprise.objects.filter(zone=zone).count():,} enterprises, "
        f"{Project.objects.filter(zone=zone).count():,} projects"
    )
    if all_zones:
        text += f"; all zones: {Enterprise.objects.count():,} enterprises"
    return text
