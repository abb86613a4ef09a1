"""The roles of DESIGN.md. They live in core so that scoping can reason about them without
importing the accounts app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    LEADER = "leader", _("Leader")
    OFFICER = "officer", _("Officer")
    DEPARTMENT = "department", _("Department user")
    ENTERPRISE = "enterprise", _("Enterprise user")


STAFF_ROLES = frozenset({Role.ADMIN, Role.LEADER, Role.OFFICER, Role.DEPARTMENT})
ALL_ROLES = frozenset(Role)
