"""产业空间: buildings the zone develops for industry (e.g. 5.0产业新空间). Projects whose
carrier is floor area in a space point at it; occupancy is read from those projects."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gaoxin.accounts.models import Zone
from gaoxin.core.models import BusinessModel


class Space(BusinessModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned (规划)")
        BUILDING = "building", _("Under construction (在建)")
        BUILT = "built", _("Completed (已建成)")

    zone = models.ForeignKey(
        Zone, on_delete=models.PROTECT, related_name="spaces", verbose_name=_("zone")
    )
    name = models.CharField(_("name"), max_length=100)
    developer = models.CharField(_("developer"), max_length=100, blank=True)
    total_floor_area = models.DecimalField(
        _("total floor area (m²)"), max_digits=12, decimal_places=2
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    started_on = models.DateField(_("construction started on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("industrial space")
        verbose_name_plural = _("industrial spaces")
        ordering = ["zone", "name"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "name"], name="space_unique_name"),
            models.CheckConstraint(
                condition=models.Q(total_floor_area__gt=0), name="space_floor_area_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name
