"""The one place that decides what a user may see and change.

Every kind of record declares an `AccessRule` (in its app's `access.py`); apps wrap it in named
helpers (`project_get_for_user(user, pk, write=True)`, `project_list_for_user(user)`), and views
call those helpers, never filtering by zone themselves. A record outside the user's scope answers
404 (the user may not even know it exists); a visible record the user may not change answers
403.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.http import Http404

from gaoxin.core.roles import STAFF_ROLES, Role

if TYPE_CHECKING:  # accounts sits above core: its User is named for the type checker only
    from django.contrib.auth.models import AnonymousUser

    from gaoxin.accounts.models import User

M = TypeVar("M", bound=models.Model)

WRITERS = frozenset({Role.ADMIN, Role.OFFICER})


@dataclass(frozen=True)
class AccessRule:
    """Who may see and change one kind of record.

    zone_field: lookup from the record to its zone's id ("zone_id", "project__zone_id");
        None for records that are not zoned.
    enterprise_field: lookup to the enterprise an enterprise user must own; None means
        enterprise users never see this kind.
    department_field: lookup to the department a department user must belong to; None means
        department users read by zone like other staff (and write only if in write_roles).
    """

    zone_field: str | None = "zone_id"
    read_roles: frozenset[str] = STAFF_ROLES
    write_roles: frozenset[str] = WRITERS
    enterprise_field: str | None = None
    department_field: str | None = None


def role_of(user: User | AnonymousUser | None) -> str | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.ADMIN
    return user.role


def zone_model() -> Any:
    """The zone model: whatever the user model's `zones` point at. Core knows that users
    belong to zones, not which app (a floor above) keeps them."""
    return get_user_model()._meta.get_field("zones").related_model


def user_zone_ids(user: User) -> list[int]:
    """The zones a user belongs to (an administrator: every zone), read once per request."""
    cached: list[int] | None = getattr(user, "_gaoxin_zone_ids", None)
    if cached is not None:
        return cached
    if role_of(user) == Role.ADMIN:
        ids = list(zone_model().objects.filter(is_active=True).values_list("pk", flat=True))
    elif role_of(user) is None:
        ids = []
    else:
        ids = list(user.zones.filter(is_active=True).values_list("pk", flat=True))
    user._gaoxin_zone_ids = ids
    return ids


def user_zones(user: User) -> list[Any]:
    """The user's zones as objects, for pickers (the top bar's switcher and a page's own),
    read once per request."""
    ids = user_zone_ids(user)
    # Kept with the ids they were read for: whoever drops the ids (a test adding a zone)
    # drops these too.
    cached: tuple[list[int], list[Any]] | None = getattr(user, "_gaoxin_zones", None)
    if cached is None or cached[0] is not ids:
        cached = (ids, list(zone_model().objects.filter(pk__in=ids).order_by("code")))
        setattr(user, "_gaoxin_zones", cached)  # noqa: B010 (not a declared attribute)
    return list(cached[1])


def working_zone_ids(user: User) -> list[int]:
    """The zones a list or figure covers now: the zone picked in the switcher, else all of
    the user's zones."""
    current = getattr(user, "current_zone_id", None)
    zone_ids = user_zone_ids(user)
    if current is not None and current in zone_ids:
        return [current]
    return zone_ids


def zone_ids_for(user: User, requested: Iterable[int] | None) -> list[int]:
    """The zones a request asks for, cut down to those the user may see."""
    allowed = user_zone_ids(user)
    if requested is None:
        return working_zone_ids(user)
    wanted = set(requested)
    return [pk for pk in allowed if pk in wanted]


def scope(
    user: User,
    queryset: models.QuerySet[M],
    rule: AccessRule,
    *,
    write: bool = False,
    whole_reach: bool = False,
) -> models.QuerySet[M]:
    """The records of `queryset` the user may see (or, with write=True, change).

    Lists are narrowed to the working zone; `whole_reach=True` covers all of the user's zones
    (used to open one record by its id, which may sit in another of the user's zones).
    """
    role = role_of(user)
    roles = rule.write_roles if write else rule.read_roles
    if role is None or role not in roles:
        return queryset.none()
    if role == Role.ENTERPRISE:
        enterprise_id = getattr(user, "enterprise_id", None)
        if rule.enterprise_field is None or enterprise_id is None:
            return queryset.none()
        queryset = queryset.filter(**{rule.enterprise_field: enterprise_id})
    if role == Role.DEPARTMENT and rule.department_field is not None:
        if user.department_id is None:
            return queryset.none()
        queryset = queryset.filter(**{rule.department_field: user.department_id})
    if rule.zone_field is not None:
        zone_ids = user_zone_ids(user) if whole_reach else working_zone_ids(user)
        queryset = queryset.filter(**{f"{rule.zone_field}__in": zone_ids})
    return queryset


def get_for_user(
    user: User,
    queryset: models.QuerySet[M],
    pk: Any,
    rule: AccessRule,
    *,
    write: bool = False,
    write_rule: AccessRule | None = None,
) -> M:
    """One record the user may see, else 404; with write=True also one they may change,
    else 403. `write_rule`, when given, is who may change it, if not those `rule` says (a
    department user reads its project's approvals but changes only its own department's)."""
    try:
        obj = scope(user, queryset, rule, whole_reach=True).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):  # the model's DoesNotExist among them
        raise Http404 from None
    if write and not can_write(
        user, queryset.model._default_manager.all(), write_rule or rule, obj.pk
    ):
        raise PermissionDenied
    return obj


def can_write(user: User, queryset: models.QuerySet[Any], rule: AccessRule, pk: Any) -> bool:
    """Whether the user may change the record `pk` of `queryset` under `rule`, in whichever of
    their zones it sits (what a record's page asks before offering its forms)."""
    return scope(user, queryset, rule, write=True, whole_reach=True).filter(pk=pk).exists()


def require_roles(user: User, roles: Iterable[str]) -> None:
    """For pages that are not about one record: 403 unless the user has one of `roles`."""
    if role_of(user) not in set(roles):
        raise PermissionDenied
