"""Shared model bases."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class BusinessModel(models.Model):
    """A record of the zone's work: timestamped, with its full change history kept.

    Nothing deriving from this is hard-deleted by a normal user: records are closed,
    terminated or archived through their services.
    """

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(inherit=True, excluded_fields=["updated_at"])

    class Meta:
        abstract = True
