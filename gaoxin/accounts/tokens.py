"""API tokens: creating, revoking and recognising them (the REST API's credentials).

A token is `gx_` and 40 random URL-safe characters. Only the SHA-256 digest of the whole token is
stored: a token carries 240 bits of randomness, so a salted slow hash (as for passwords) would
buy nothing and cost every call. Its first characters are kept to tell tokens apart in lists.

A call through a token acts as the token's user, narrowed to the token's zones (within the
user's own at the time of the call) and to its scopes: the API's routers check the scope of
their area, and every selector then scopes the user as the pages do.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pypinyin import lazy_pinyin

from gaoxin.accounts.models import ApiToken, Department, User, Zone
from gaoxin.core.access import role_of, user_zone_ids
from gaoxin.core.errors import DomainError
from gaoxin.core.roles import Role

PREFIX = "gx_"
DEFAULT_DAYS = 90
MAX_DAYS = 366
MAX_RATE = 6000
# last_used_at is written at most this often: a call is a read, and a write per call would
# serialise readers on SQLite.
TOUCH_EVERY = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class Area:
    code: str
    label: Any  # a lazy translation
    writable: bool


# The areas a token's scopes name, each read and, where the API writes, write.
AREAS: tuple[Area, ...] = (
    Area("enterprises", gettext_lazy("Enterprises and contacts"), True),
    Area("economy", gettext_lazy("Economic figures"), True),
    Area("projects", gettext_lazy("Projects, approvals, blockers and service records"), True),
    Area("industries", gettext_lazy("Industries and chain segments"), False),
    Area("spaces", gettext_lazy("Industrial spaces"), False),
    Area("campaigns", gettext_lazy("Campaigns and awards"), False),
    Area("metrics", gettext_lazy("Metrics and their records"), False),
)
AREA_CODES = frozenset(area.code for area in AREAS)
ALL_SCOPES: tuple[str, ...] = tuple(
    f"{area.code}:{mode}"
    for area in AREAS
    for mode in (("read", "write") if area.writable else ("read",))
)
# Roles a service account may take: a system reads as a leader, writes as an officer, or
# reports its department's approvals as a department user.
SERVICE_ROLES = (Role.OFFICER, Role.LEADER, Role.DEPARTMENT)


def scope_choices() -> list[tuple[str, str]]:
    labels = {"read": _("read"), "write": _("read and write")}
    return [
        (
            scope,
            f"{dict((a.code, a.label) for a in AREAS)[scope.split(':')[0]]}: "
            f"{labels[scope.split(':')[1]]}",
        )
        for scope in ALL_SCOPES
    ]


def digest_of(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def allows(token: ApiToken, area: str, *, write: bool) -> bool:
    """Whether the token's scopes cover a read (or a write) of `area`; write implies read."""
    scopes = set(token.scopes)
    if write:
        return f"{area}:write" in scopes
    return f"{area}:read" in scopes or f"{area}:write" in scopes


def _clean_scopes(scopes: Iterable[str]) -> list[str]:
    wanted = list(dict.fromkeys(scopes))
    unknown = [s for s in wanted if s not in ALL_SCOPES]
    if unknown:
        raise DomainError(_("Unknown scope: %(scope)s") % {"scope": unknown[0]}, field="scopes")
    if not wanted:
        raise DomainError(_("Choose at least one scope."), field="scopes")
    return [s for s in ALL_SCOPES if s in wanted]


def _clean_expiry(expires_on: dt.date | None) -> dt.datetime:
    today = timezone.localdate()
    if expires_on is None:
        expires_on = today + dt.timedelta(days=DEFAULT_DAYS)
    if expires_on <= today:
        raise DomainError(_("The expiry must be after today."), field="expires_on")
    if expires_on > today + dt.timedelta(days=MAX_DAYS):
        raise DomainError(
            _("A token lives at most %(days)d days; create a new one then.") % {"days": MAX_DAYS},
            field="expires_on",
        )
    return timezone.make_aware(dt.datetime.combine(expires_on, dt.time.min))


def _clean_zones(owner: User, zones: Sequence[Zone]) -> list[Zone]:
    allowed = set(user_zone_ids(owner))
    outside = [z for z in zones if z.pk not in allowed]
    if outside:
        raise DomainError(
            _("%(zone)s is not one of your zones.") % {"zone": outside[0]}, field="zones"
        )
    return list(zones)


def _clean_rate(rate: int | None) -> int:
    if rate is None:
        return 120
    if not 1 <= rate <= MAX_RATE:
        raise DomainError(
            _("Calls per minute must be between 1 and %(max)d.") % {"max": MAX_RATE},
            field="rate_per_minute",
        )
    return rate


def _issue(
    *,
    user: User,
    kind: str,
    name: str,
    scopes: Iterable[str],
    zones: Sequence[Zone],
    expires_on: dt.date | None,
    rate_per_minute: int | None,
    by: User,
) -> tuple[ApiToken, str]:
    name = name.strip()
    if not name:
        raise DomainError(_("Give the token a name that says what uses it."), field="name")
    raw = PREFIX + secrets.token_urlsafe(30)
    token = ApiToken.objects.create(
        user=user,
        kind=kind,
        name=name[:60],
        prefix=raw[: len(PREFIX) + 6],
        digest=digest_of(raw),
        scopes=_clean_scopes(scopes),
        expires_at=_clean_expiry(expires_on),
        rate_per_minute=_clean_rate(rate_per_minute),
        created_by=by,
    )
    token.zones.set(zones)
    return token, raw


@transaction.atomic
def token_create_personal(
    *,
    user: User,
    name: str,
    scopes: Iterable[str],
    zones: Sequence[Zone] = (),
    expires_on: dt.date | None = None,
    rate_per_minute: int | None = None,
) -> tuple[ApiToken, str]:
    """A token for the user's own scripts: it can do no more than the user can. Returns the
    token and its text, which is shown once and never again."""
    if role_of(user) is None:
        raise DomainError(_("Only an active user can hold a token."))
    return _issue(
        user=user,
        kind=ApiToken.Kind.PERSONAL,
        name=name,
        scopes=scopes,
        zones=_clean_zones(user, zones),
        expires_on=expires_on,
        rate_per_minute=rate_per_minute,
        by=user,
    )


@transaction.atomic
def token_create_service(
    *,
    by: User,
    name: str,
    role: str,
    scopes: Iterable[str],
    zones: Sequence[Zone],
    department: Department | None = None,
    expires_on: dt.date | None = None,
    rate_per_minute: int | None = None,
) -> tuple[ApiToken, str]:
    """A token for a system, created by an administrator. It acts as a service account of
    its own (a user who cannot log in), so that scoping, history and the permission rules
    treat the system as they treat a person in `role`."""
    if role_of(by) != Role.ADMIN:
        raise DomainError(_("Only an administrator creates service tokens."))
    if role not in SERVICE_ROLES:
        raise DomainError(_("Choose the role the system acts in."), field="role")
    zones = _clean_zones(by, zones)
    if not zones:
        raise DomainError(_("Choose the zones the system works in."), field="zones")
    if role == Role.DEPARTMENT:
        if department is None:
            raise DomainError(_("A department's system names its department."), field="department")
        if department.zone_id not in {z.pk for z in zones}:
            raise DomainError(_("The department is not in the token's zones."), field="department")
    else:
        department = None
    # A system named in Chinese gets its account named in pinyin (统计局接口 → svc-tong-ji-ju-…).
    base = "svc-" + (slugify(" ".join(lazy_pinyin(name)), allow_unicode=False) or "system")[:30]
    username = base
    while User.objects.filter(username=username).exists():
        username = f"{base}-{secrets.token_hex(2)}"
    account = User(
        username=username,
        name=name.strip()[:50],
        role=role,
        department=department,
    )
    account.set_unusable_password()
    account.save()
    account.zones.set(zones)
    return _issue(
        user=account,
        kind=ApiToken.Kind.SERVICE,
        name=name,
        scopes=scopes,
        zones=zones,
        expires_on=expires_on,
        rate_per_minute=rate_per_minute,
        by=by,
    )


@transaction.atomic
def token_revoke(*, token: ApiToken, by: User) -> ApiToken:
    """Revoked at once: the next call through it is refused. A service token's account is
    deactivated with it (it exists for the token only)."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        if (
            token.kind == ApiToken.Kind.SERVICE
            and not token.user.api_tokens.filter(revoked_at__isnull=True).exists()
        ):
            token.user.is_active = False
            token.user.save(update_fields=["is_active"])
    return token


def token_list_for_user(user: User) -> QuerySet[ApiToken]:
    """The tokens a user may see and revoke: their own personal tokens; an administrator
    also every service token of the zones they administer."""
    mine = ApiToken.objects.filter(user=user, kind=ApiToken.Kind.PERSONAL)
    if role_of(user) == Role.ADMIN:
        services = ApiToken.objects.filter(
            kind=ApiToken.Kind.SERVICE, zones__in=user_zone_ids(user)
        ).values("pk")
        mine = ApiToken.objects.filter(pk__in=mine.values("pk")) | ApiToken.objects.filter(
            pk__in=services
        )
    return mine.select_related("user", "created_by").prefetch_related("zones")


def token_get_for_user(user: User, pk: Any) -> ApiToken:
    from django.http import Http404

    try:
        return token_list_for_user(user).get(pk=pk)
    except (ApiToken.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def token_authenticate(raw: str) -> ApiToken | None:
    """The live token `raw` is, with its user narrowed to the token's zones, else None."""
    if not raw.startswith(PREFIX) or len(raw) > 100:
        return None
    digest = digest_of(raw)
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=digest, revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not constant_time_compare(token.digest, digest):
        return None
    user = token.user
    if role_of(user) is None:
        return None
    zone_ids = user_zone_ids(user)
    token_zones = set(token.zones.values_list("pk", flat=True))
    if token_zones:
        zone_ids = [pk for pk in zone_ids if pk in token_zones]
    user._gaoxin_zone_ids = zone_ids
    user.current_zone_id = None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
