"""Zones, departments, users and the login audit trail."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, Self

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gaoxin.core.models import BusinessModel
from gaoxin.core.roles import Role


class Zone(BusinessModel):
    """园区: a jurisdiction. Every business record belongs to one zone."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    require_two_factor = models.BooleanField(
        _("requires two-factor sign-in"),
        default=False,
        help_text=_(
            "Administrators and leaders of this zone must give a code from an authenticator "
            "app after their password."
        ),
    )

    class Meta:
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Department(BusinessModel):
    """部门: a bureau of the zone; approvals and blockers are assigned to departments."""

    zone = models.ForeignKey(
        Zone, on_delete=models.PROTECT, related_name="departments", verbose_name=_("zone")
    )
    name = models.CharField(_("name"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["zone", "name"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "name"], name="department_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who logs in. Staff belong to one or more zones; a department user also to a
    department; an enterprise user is bound to one enterprise (that link arrives with the
    enterprise registry)."""

    name = models.CharField(_("full name"), max_length=50, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.OFFICER)
    zones = models.ManyToManyField(Zone, blank=True, related_name="users", verbose_name=_("zones"))
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("department"),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
        verbose_name=_("enterprise"),
    )

    history = HistoricalRecords(excluded_fields=["password", "last_login"])
    objects: ClassVar[UserManager[Self]] = UserManager()

    # Not columns: set on the request's user, the zone picked in the switcher by
    # core.middleware.CurrentZoneMiddleware, is_verified by django-otp's middleware, the
    # user's zones read once per request by core.access.user_zone_ids.
    current_zone_id: int | None
    _gaoxin_zone_ids: list[int] | None
    is_verified: Callable[[], bool]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role=Role.DEPARTMENT) | models.Q(department__isnull=False),
                name="user_department_role_has_department",
            ),
            models.CheckConstraint(
                condition=~models.Q(role=Role.ENTERPRISE) | models.Q(enterprise__isnull=False),
                name="user_enterprise_role_has_enterprise",
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.username

    @property
    def display_name(self) -> str:
        return self.name or self.username


class LoginEvent(models.Model):
    """登录记录: every login, logout, failed login and lockout, with time (UTC) and address;
    a login says which factor completed it."""

    class Kind(models.TextChoices):
        LOGIN = "login", _("Logged in")
        LOGOUT = "logout", _("Logged out")
        FAILED = "failed", _("Failed login")
        LOCKED = "locked", _("Locked out")
        REFUSED_WHILE_LOCKED = "refused-while-locked", _("Refused while locked")
        CODE_ASKED = "code-asked", _("Password right, code asked")
        CODE_FAILED = "code-failed", _("Wrong sign-in code")

    class Factor(models.TextChoices):
        PASSWORD = "password", _("Password only")
        TOTP = "totp", _("Authenticator code")
        RECOVERY = "recovery", _("Recovery code")

    kind = models.CharField(_("event"), max_length=24, choices=Kind.choices)
    factor = models.CharField(_("factor"), max_length=10, choices=Factor.choices, blank=True)
    until = models.DateTimeField(_("locked until"), null=True, blank=True)
    username = models.CharField(_("user name"), max_length=150)
    user = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="login_events",
        verbose_name=_("user"),
    )
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("login event")
        verbose_name_plural = _("login events")
        ordering = ["-at"]
        indexes = [models.Index(fields=["user", "-at"], name="loginevent_user_at")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.username} {self.at:%Y-%m-%d %H:%M}"


class ApiToken(models.Model):
    """API 令牌: a personal access token (a user's own scripts) or a service token (a system:
    the city's statistics feed, a department's approval system), created by a zone
    administrator for a service account. Shown once; only its SHA-256 digest is kept. A call
    through it acts as `user`, narrowed to the token's zones and scopes.

    Not a BusinessModel: a token is never edited, only created and revoked, and its history
    is those two times."""

    class Kind(models.TextChoices):
        PERSONAL = "personal", _("Personal access token")
        SERVICE = "service", _("Service token")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("acts as")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=60)
    # The token's first characters, shown in lists so that its holder can tell which it is.
    prefix = models.CharField(_("begins with"), max_length=16)
    digest = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(_("scopes"), default=list)
    # Empty: every zone of the user at the time of the call.
    zones = models.ManyToManyField(Zone, blank=True, related_name="+", verbose_name=_("zones"))
    rate_per_minute = models.PositiveIntegerField(_("calls per minute"), default=120)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    created_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rate_per_minute__gte=1), name="apitoken_rate_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name
