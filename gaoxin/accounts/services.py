"""Writes about people: login events, the working zone, demo and admin-made users."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from gaoxin.accounts.models import Department, LoginEvent, User, Zone
from gaoxin.core.access import user_zone_ids
from gaoxin.core.errors import DomainError
from gaoxin.core.roles import Role


def client_address(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or None


def login_event_record(
    *, kind: str, username: str, user: User | None, request: HttpRequest | None
) -> LoginEvent:
    agent = request.META.get("HTTP_USER_AGENT", "")[:300] if request is not None else ""
    return LoginEvent.objects.create(
        kind=kind,
        username=username,
        user=user,
        ip_address=client_address(request),
        user_agent=agent,
    )


def working_zone_set(*, request: HttpRequest, user: Any, zone_id: int | None) -> None:
    """Pick the zone the user's lists and figures cover; None means all of the user's zones."""
    if zone_id is not None and zone_id not in user_zone_ids(user):
        raise DomainError(_("You do not belong to that zone."))
    request.session["zone_id"] = zone_id


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: str,
    zones: Iterable[Zone],
    name: str = "",
    department: Department | None = None,
    is_superuser: bool = False,
    enterprise: Any = None,
) -> User:
    if role not in Role.values:
        raise DomainError(_("Unknown role: %(role)s") % {"role": role})
    if role == Role.DEPARTMENT and department is None:
        raise DomainError(_("A department user needs a department."))
    if role == Role.ENTERPRISE and enterprise is None:
        raise DomainError(_("An enterprise user needs an enterprise."))
    user = User(
        username=username,
        name=name,
        role=role,
        enterprise=enterprise,
        department=department,
        is_superuser=is_superuser,
        is_staff=is_superuser or role == Role.ADMIN,
    )
    user.set_password(password)
    user.save()
    user.zones.set(list(zones))
    return user
