from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from gaoxin.accounts.models import LoginEvent


def login_events_of(user: Any, *, limit: int = 20) -> QuerySet[LoginEvent]:
    return LoginEvent.objects.filter(user=user).order_by("-at")[:limit]


# --- the people and departments that pickers offer --------------------------------------------


def officers_of(zone_ids: list[int]) -> QuerySet[Any]:
    """Who may serve a project or follow a lead of these zones: their officers, and the
    administrators (who hold every zone)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from gaoxin.core.roles import Role

    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(role=Role.OFFICER, zones__in=zone_ids, zones__is_active=True)
            | Q(role=Role.ADMIN)
            | Q(is_superuser=True)
        )
        .exclude(role=Role.ENTERPRISE)
        .distinct()
        .order_by("name", "username")
    )


def is_officer_of(user: Any, zone_id: int) -> bool:
    return officers_of([zone_id]).filter(pk=user.pk).exists()


def staff_of(zone_ids: list[int]) -> QuerySet[Any]:
    """Staff of the zones (not enterprise users): owners of blockers, attendees of meetings."""
    from django.contrib.auth import get_user_model

    from gaoxin.core.roles import STAFF_ROLES

    return (
        get_user_model()
        .objects.filter(zones__in=zone_ids, is_active=True, role__in=list(STAFF_ROLES))
        .distinct()
        .order_by("name", "username")
    )


def departments_of(zone_ids: list[int]) -> QuerySet[Any]:
    from gaoxin.accounts.models import Department

    return Department.objects.filter(zone_id__in=zone_ids, is_active=True).order_by("name")
