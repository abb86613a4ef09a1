"""Shared model bases."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Timestamped(models.Model):
    """When a record was created and last changed. A model that declares its own history
    (to keep a history table it had in another app) derives from this, not BusinessModel."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class BusinessModel(Timestamped):
    """A record of the zone's work: timestamped, with its full change history kept.

    Nothing deriving from this is hard-deleted by a normal user: records are closed,
    terminated or archived through their services.
    """

    history = HistoricalRecords(inherit=True, excluded_fields=["updated_at"])

    class Meta:
        abstract = True
