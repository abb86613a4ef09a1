from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from gaoxin.accounts.models import LoginEvent, User

if TYPE_CHECKING:  # django-otp is read lazily: its models need the app registry
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice


def login_events_of(user: User, *, limit: int = 20) -> QuerySet[LoginEvent]:
    return LoginEvent.objects.filter(user=user).order_by("-at", "-pk")[:limit]


# --- two-factor sign-in ---------------------------------------------------------------------


def two_factor_reasons(user: User) -> list[str]:
    """Why this user must give a second factor: the zones that require it (an administrator
    holds every zone) and the site-wide rule for administrators. Empty: optional."""
    from django.conf import settings
    from django.utils.translation import gettext as _

    from gaoxin.accounts.models import Zone
    from gaoxin.core.access import role_of, user_zone_ids
    from gaoxin.core.roles import Role

    role = role_of(user)
    if role not in (Role.ADMIN, Role.LEADER):
        return []
    reasons = []
    if role == Role.ADMIN and settings.GAOXIN_REQUIRE_2FA_ADMINS:
        reasons.append(_("required of every administrator"))
    zones = Zone.objects.filter(pk__in=user_zone_ids(user), require_two_factor=True)
    reasons.extend(zone.name for zone in zones.order_by("code"))
    return reasons


def two_factor_required(user: User) -> bool:
    return bool(two_factor_reasons(user))


def totp_device_of(user: User, *, confirmed: bool | None = True) -> TOTPDevice | None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    devices = TOTPDevice.objects.filter(user=user)
    if confirmed is not None:
        devices = devices.filter(confirmed=confirmed)
    return devices.order_by("pk").first()


def recovery_device_of(user: User) -> StaticDevice | None:
    from django_otp.plugins.otp_static.models import StaticDevice

    return StaticDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def recovery_codes_left(user: User) -> int:
    device = recovery_device_of(user)
    return device.token_set.count() if device is not None else 0


def second_factor_step(user: User) -> str | None:
    """What stands between this signed-in (but not OTP-verified) user and the pages:
    "verify" (has a device), "enrol" (must, has none) or None."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    # One indexed query for everyone (recovery codes come only with an authenticator).
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return "verify"
    if two_factor_required(user):
        return "enrol"
    return None


# --- the people and departments that pickers offer --------------------------------------------


# Who takes work: officers (leads, projects, enterprises they serve) and department users
# (their department's blockers). Administrators run the platform and leaders direct the work;
# neither is offered as the one who does it.
WORK_ROLES = ("officer", "department")


def assignable_users(
    zone_ids: Iterable[int], *, roles: Iterable[str] = WORK_ROLES, keep: Any = None
) -> QuerySet[Any]:
    """The users who can be assigned work in these zones (every picker of an officer, a
    liaison or a responsible person draws from here): active, of an active zone among them,
    of one of `roles` (officers and department users by default), never an administrator or a
    leader. `keep` (a user or a pk) is offered as well: the one a record already names, so
    editing it does not refuse what was chosen before this rule."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    users = get_user_model().objects
    assignable = (
        users.filter(
            is_active=True,
            is_superuser=False,
            role__in=list(roles),
            zones__in=list(zone_ids),
            zones__is_active=True,
        )
        .distinct()
        .values("pk")
    )
    kept = getattr(keep, "pk", keep)
    condition = Q(pk__in=assignable) | (Q(pk=kept) if kept is not None else Q(pk__in=[]))
    return users.filter(condition).order_by("name", "username")


def officers_of(zone_ids: list[int], *, keep: Any = None) -> QuerySet[Any]:
    """The officers a lead or a project of these zones may be given (a picker's choices)."""
    from gaoxin.core.roles import Role

    return assignable_users(zone_ids, roles=[Role.OFFICER], keep=keep)


def officer_holders(zone_ids: list[int]) -> QuerySet[Any]:
    """Whom a list of leads or projects can be narrowed to: its officers, and administrators,
    whom `is_officer_of` still accepts on a record (a filter finds what is there; a picker
    offers only `officers_of`)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from gaoxin.core.roles import Role

    admins = Q(role=Role.ADMIN) | Q(is_superuser=True)
    return (
        get_user_model()
        .objects.filter(Q(pk__in=officers_of(zone_ids).values("pk")) | (admins & Q(is_active=True)))
        .exclude(role=Role.ENTERPRISE)
        .order_by("name", "username")
    )


def is_officer_of(user: User, zone_id: int) -> bool:
    """Whether `user` may serve a project or follow a lead of the zone: one of its officers,
    or an administrator (who holds every zone). Wider than the pickers (`officers_of`): records
    given to an administrator before the pickers narrowed stay valid."""
    from gaoxin.core.roles import Role

    if not user.is_active or user.role == Role.ENTERPRISE:
        return False
    if user.is_superuser or user.role == Role.ADMIN:
        return True
    return user.role == Role.OFFICER and user.zones.filter(pk=zone_id, is_active=True).exists()


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
