"""Shared model bases."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser


class BusinessModel(models.Model):
    """A record of the zone's work: timestamped, with its full change history kept.

    Nothing deriving from this is hard-deleted by a normal user: records are closed,
    terminated or archived through their services.
    """

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(inherit=True, excluded_fields=["updated_at"])

    # Not columns: a service sets them before save() and simple-history writes them on the
    # history row (who made the change, and why).
    _history_user: AbstractBaseUser | None
    _change_reason: str

    class Meta:
        abstract = True
