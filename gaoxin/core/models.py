"""Shared model bases."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser


class History(HistoricalRecords):
    """simple-history's records, keeping the history table beside a table a model names itself.

    A model moved from one app to another keeps its table (`Meta.db_table`, e.g.
    "policies_campaign" for campaigns.Campaign); simple-history would name its history table
    after the new app ("campaigns_historicalcampaign"), so the history table keeps its old
    name too ("policies_historicalcampaign"). Models on their default table are unaffected.
    """

    def get_meta_options(self, model: type[models.Model]) -> dict[str, Any]:
        options: dict[str, Any] = super().get_meta_options(model)
        opts = model._meta
        table, name = opts.db_table, opts.model_name or ""
        if table != f"{opts.app_label}_{name}" and table.endswith(f"_{name}"):
            options["db_table"] = f"{table.removesuffix(name)}historical{name}"
        return options


class BusinessModel(models.Model):
    """A record of the zone's work: timestamped, with its full change history kept.

    Nothing deriving from this is hard-deleted by a normal user: records are closed,
    terminated or archived through their services.
    """

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = History(inherit=True, excluded_fields=["updated_at"])

    # Not columns: a service sets them before save() and simple-history writes them on the
    # history row (who made the change, and why).
    _history_user: AbstractBaseUser | None
    _change_reason: str

    class Meta:
        abstract = True


class FigureGeneration(models.Model):
    """A zone's figure generation (core/figure_cache.py): bumped after every committed write
    that touches the zone's records, so that a cached figure keyed by it is never read stale.
    Zone 0 stands for every zone (a catalogue changed). No foreign key: a zone's row outlives
    nothing and costs one upsert."""

    zone_id = models.BigIntegerField(primary_key=True)
    generation = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("figure generation")

    def __str__(self) -> str:
        return f"{self.zone_id}: {self.generation}"
