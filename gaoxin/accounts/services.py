"""Writes about people: login events, the working zone, demo and admin-made users."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.accounts.models import Department, LoginEvent, User, Zone
from gaoxin.core.access import user_zone_ids
from gaoxin.core.errors import DomainError
from gaoxin.core.http import AuthedRequest
from gaoxin.core.roles import Role

if TYPE_CHECKING:  # enterprises sits above accounts
    from gaoxin.enterprises.models import Enterprise


def client_address(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or None


def login_event_record(
    *,
    kind: str,
    username: str,
    user: User | None,
    request: HttpRequest | None,
    factor: str = "",
    until: datetime | None = None,
) -> LoginEvent:
    agent = request.META.get("HTTP_USER_AGENT", "")[:300] if request is not None else ""
    return LoginEvent.objects.create(
        kind=kind,
        username=username,
        # By its id: on logout `user` is request.user, a lazy object, which a post_save
        # receiver tracing the record's zones (core/figure_cache.zones_of) cannot read the
        # model of; the logout then failed with a 500 and left the session alive.
        user_id=user.pk if user is not None else None,
        ip_address=client_address(request),
        user_agent=agent,
        factor=factor,
        until=until,
    )


def lockout_was_standing(request: HttpRequest) -> bool:
    """Whether django-axes refused this attempt because the account was already locked, as
    opposed to locking it with this very failure. Axes counts no failure for a refused attempt
    (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT off) or counts one past the limit (on)."""
    from axes.helpers import get_failure_limit

    failures = getattr(request, "axes_failures_since_start", None)
    credentials = getattr(request, "axes_credentials", None)
    return failures is None or failures > get_failure_limit(request, credentials)


def lockout_end(
    *, request: HttpRequest, username: str | None, ip_address: str | None
) -> datetime | None:
    """When the lockout of this user name from this address ends: the cool-off after the
    latest failure axes holds for them."""
    from axes.helpers import get_cool_off
    from axes.models import AccessAttempt

    cool_off = get_cool_off(request)
    if cool_off is None:
        return None
    latest = AccessAttempt.objects.filter(username=username, ip_address=ip_address).aggregate(
        latest=Max("attempt_time")
    )["latest"] or getattr(request, "axes_attempt_time", None)
    return latest + cool_off if latest is not None else None


def lockout_record(
    *, request: HttpRequest, username: str | None, ip_address: str | None
) -> LoginEvent:
    """Axes has locked (or kept locked) this user name from this address. The failure that
    locks is one more failed login, then the lockout; an attempt refused during a lockout is
    recorded as that, not as a failed login."""
    name = (username or "")[:150]
    user = User.objects.filter(username=name).first() if name else None
    until = lockout_end(request=request, username=username, ip_address=ip_address)
    if lockout_was_standing(request):
        kind = LoginEvent.Kind.REFUSED_WHILE_LOCKED
    else:
        login_event_record(kind=LoginEvent.Kind.FAILED, username=name, user=None, request=request)
        kind = LoginEvent.Kind.LOCKED
    return login_event_record(kind=kind, username=name, user=user, request=request, until=until)


def working_zone_set(*, request: HttpRequest, user: User, zone_id: int | None) -> None:
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
    enterprise: Enterprise | None = None,
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


# --- two-factor sign-in (django-otp) ---------------------------------------------------------


def _normalised_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _refused_code(*, request: AuthedRequest, device: Any) -> DomainError:
    """Record a wrong or throttled code and say plainly when the next try is possible."""
    user = request.user
    login_event_record(
        kind=LoginEvent.Kind.CODE_FAILED, username=user.get_username(), user=user, request=request
    )
    allowed, info = device.verify_is_allowed() if device is not None else (True, None)
    if not allowed and info and info.get("locked_until"):
        seconds = max(1, int((info["locked_until"] - timezone.now()).total_seconds() + 0.999))
        return DomainError(
            _(
                "That code is not right, and %(n)s wrong codes in a row mean a wait: try again "
                "in %(seconds)s seconds."
            )
            % {"n": info["failure_count"], "seconds": seconds},
            field="code",
        )
    return DomainError(
        _("That code is not right. Type the 6 digits your authenticator app shows now."),
        field="code",
    )


def second_factor_verify(*, request: AuthedRequest, code: str) -> str:
    """Check the code of a signed-in user against their authenticator (6 digits) or one of
    their recovery codes (used up on success), through django-otp's throttled verification.
    On success the session is OTP-verified and the login is recorded with its factor."""
    import django_otp

    from gaoxin.accounts.selectors import recovery_device_of, totp_device_of

    user = request.user
    token = _normalised_code(code)
    totp = totp_device_of(user)
    if token.isdigit() and totp is not None and len(token) == totp.digits:
        device, factor = totp, LoginEvent.Factor.TOTP
    else:
        device, factor = recovery_device_of(user), LoginEvent.Factor.RECOVERY
    if device is None or not token:
        raise _refused_code(request=request, device=None)
    allowed, __ = device.verify_is_allowed()
    if not allowed or django_otp.verify_token(user, device.persistent_id, token) is None:
        device.refresh_from_db()
        raise _refused_code(request=request, device=device)
    django_otp.login(request, device)
    login_event_record(
        kind=LoginEvent.Kind.LOGIN,
        username=user.get_username(),
        user=user,
        request=request,
        factor=factor,
    )
    return factor


def totp_enrolment_start(*, user: User) -> Any:
    """The authenticator being set up: a new unconfirmed TOTP device (with a fresh secret) or
    the one already waiting for its first code."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from gaoxin.accounts.selectors import totp_device_of

    if totp_device_of(user) is not None:
        raise DomainError(_("An authenticator app is already set up for this account."))
    device = totp_device_of(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    return device


def totp_enrolment_confirm(*, request: AuthedRequest, code: str) -> list[str]:
    """The first code from the app proves it holds the secret: the device is confirmed, the
    session verified, and fresh recovery codes are issued (returned to be shown once)."""
    import django_otp

    from gaoxin.accounts.middleware import second_factor_note
    from gaoxin.accounts.selectors import two_factor_required

    user = request.user
    device = totp_enrolment_start(user=user)
    token = _normalised_code(code)
    allowed, __ = device.verify_is_allowed()
    if not allowed or not token.isdigit() or not device.verify_token(token):
        device.refresh_from_db()
        raise _refused_code(request=request, device=device)
    # (Not one transaction with the check above: a wrong code's count must stay counted.)
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = recovery_codes_issue(user=user)
    was_admitted = not two_factor_required(user)  # else this completes a gated sign-in
    django_otp.login(request, device)
    second_factor_note(request, user)
    if not was_admitted:
        login_event_record(
            kind=LoginEvent.Kind.LOGIN,
            username=user.get_username(),
            user=user,
            request=request,
            factor=LoginEvent.Factor.TOTP,
        )
    return codes


@transaction.atomic
def recovery_codes_issue(*, user: User) -> list[str]:
    """New single-use recovery codes (django-otp static tokens); any earlier ones stop working.
    Only someone with an authenticator gets them: they stand in for it."""
    from django.conf import settings
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    from gaoxin.accounts.selectors import totp_device_of

    if totp_device_of(user) is None:
        raise DomainError(_("Set up an authenticator app first; recovery codes stand in for it."))
    device, __ = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": _("Recovery codes"), "confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for __ in range(settings.GAOXIN_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes
