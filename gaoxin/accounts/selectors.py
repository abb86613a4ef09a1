from __future__ import annotations

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


def is_officer_of(user: User, zone_id: int) -> bool:
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
