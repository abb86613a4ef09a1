"""产业空间: buildings the zone develops for industry (e.g. 5.0产业新空间). Projects whose
carrier is floor area in a space point at it; occupancy is read from those projects."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gaoxin.accounts.models import Zone
from gaoxin.core.bounds import AREA_MAX, AreaField, range_constraint
from gaoxin.core.concurrency import Versioned
from gaoxin.core.models import BusinessModel


class Space(Versioned, BusinessModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned (规划)")
        BUILDING = "building", _("Under construction (在建)")
        BUILT = "built", _("Completed (已建成)")

    zone = models.ForeignKey(
        Zone, on_delete=models.PROTECT, related_name="spaces", verbose_name=_("zone")
    )
    name = models.CharField(_("name"), max_length=100)
    developer = models.CharField(_("developer"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    total_floor_area = AreaField(_("total floor area (m²)"), max_digits=12, decimal_places=2)
    # The floor area the space's tenant projects occupy: kept by the services in the same
    # transaction as the projects, so that the database itself refuses leasing more than there is.
    leased_floor_area = models.DecimalField(
        _("leased floor area (m²)"), max_digits=12, decimal_places=2, default=0, editable=False
    )
    # The current status and the day it began: a copy of the latest SpaceStatusChange.
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    status_on = models.DateField(_("in this status since"), null=True, blank=True)
    planned_completion_on = models.DateField(_("planned completion"), null=True, blank=True)
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
            range_constraint("space", "total_floor_area", AREA_MAX),
            models.CheckConstraint(
                condition=models.Q(leased_floor_area__gte=0)
                & models.Q(leased_floor_area__lte=models.F("total_floor_area")),
                name="space_leased_within_total",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("spaces:detail", args=[self.pk])

    @property
    def free_floor_area(self) -> Decimal:
        return self.total_floor_area - self.leased_floor_area

    @property
    def occupancy(self) -> Decimal:
        """Leased over total, in per cent."""
        return self.leased_floor_area * 100 / self.total_floor_area


class SpaceStatusChange(BusinessModel):
    """A space entering 规划, 在建 or 已建成 on a day."""

    space = models.ForeignKey(
        Space, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("space")
    )
    status = models.CharField(_("status"), max_length=10, choices=Space.Status.choices)
    on = models.DateField(_("date"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("space status change")
        verbose_name_plural = _("space status changes")
        ordering = ["space", "on", "pk"]
        indexes = [models.Index(fields=["space", "on"], name="spacestatus_space_on")]

    def __str__(self) -> str:
        return f"{self.space} → {self.get_status_display()} ({self.on})"
