"""The industry system (产业体系, e.g. "3+3+1"): groups → industries → chain segments. (The
zone's industry alliances are the enterprises app's, beside their memberships.)"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gaoxin.accounts.models import Zone
from gaoxin.core.concurrency import Versioned
from gaoxin.core.models import BusinessModel


class IndustryGroup(Versioned, BusinessModel):
    """主导产业 / 新兴产业 / 现代服务业: one "3", "3" or "1" of the zone's system."""

    zone = models.ForeignKey(
        Zone, on_delete=models.PROTECT, related_name="industry_groups", verbose_name=_("zone")
    )
    name = models.CharField(_("name"), max_length=50)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("industry group")
        verbose_name_plural = _("industry groups")
        ordering = ["zone", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "name"], name="industrygroup_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Industry(Versioned, BusinessModel):
    """储能, 传感器, 医疗器械, 软信 …: an industry of the zone with its chain and map.

    A segment with no local enterprise is 缺 (missing); one with up to `weak_max` enterprises
    is 弱 (weak); more is 强 (strong).
    """

    zone = models.ForeignKey(
        Zone, on_delete=models.PROTECT, related_name="industries", verbose_name=_("zone")
    )
    group = models.ForeignKey(
        IndustryGroup,
        on_delete=models.PROTECT,
        related_name="industries",
        verbose_name=_("industry group"),
    )
    name = models.CharField(_("name"), max_length=50)
    short_name = models.CharField(_("short name"), max_length=20, blank=True)
    is_key = models.BooleanField(
        _("key industry"), default=False, help_text=_("A key industry has an industry map.")
    )
    weak_max = models.PositiveSmallIntegerField(
        _("weak up to"),
        default=2,
        help_text=_("A segment with at least one and at most this many enterprises is weak."),
    )
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    # Not a column: the segments counted by strength, set by selectors.industry_overview.
    strengths: dict[str, int]

    class Meta:
        verbose_name = _("industry")
        verbose_name_plural = _("industries")
        ordering = ["zone", "group__order", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "name"], name="industry_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class Position(models.TextChoices):
    UPSTREAM = "up", _("Upstream")
    MIDSTREAM = "mid", _("Midstream")
    DOWNSTREAM = "down", _("Downstream")


class Strength(models.TextChoices):
    STRONG = "strong", _("Strong")
    WEAK = "weak", _("Weak")
    MISSING = "missing", _("Missing")


class ChainSegment(Versioned, BusinessModel):
    """A link of an industry's chain (a tree), marked 上游 / 中游 / 下游.

    Its strength is computed from the enterprises in it; an officer may override it with a
    reason, which the history keeps.
    """

    industry = models.ForeignKey(
        Industry, on_delete=models.PROTECT, related_name="segments", verbose_name=_("industry")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent segment"),
    )
    name = models.CharField(_("name"), max_length=60)
    position = models.CharField(_("position"), max_length=4, choices=Position.choices)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    strength_override = models.CharField(
        _("strength set by hand"), max_length=8, choices=Strength.choices, blank=True
    )
    override_reason = models.CharField(
        _("reason for the strength set by hand"), max_length=200, blank=True
    )

    class Meta:
        verbose_name = _("chain segment")
        verbose_name_plural = _("chain segments")
        ordering = ["industry", "position", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["industry", "name"], name="segment_unique_name"),
            models.CheckConstraint(
                condition=models.Q(strength_override="") | ~models.Q(override_reason=""),
                name="segment_override_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class NationalIndustry(models.Model):
    """国民经济行业分类 (GB/T 4754-2017): a national catalogue, the same for every zone, loaded as
    data. Sections (门类, "C") hold divisions (大类, "39"); an enterprise is classed by its
    division. The statistics bureau's 规上 thresholds depend on the section."""

    class Level(models.TextChoices):
        SECTION = "section", _("Section (门类)")
        DIVISION = "division", _("Division (大类)")

    code = models.CharField(_("code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=60)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("section"),
    )

    class Meta:
        verbose_name = _("national industry class (GB/T 4754)")
        verbose_name_plural = _("national industry classes (GB/T 4754)")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def section_code(self) -> str:
        """The section's letter: its own for a section, its parent's for a division."""
        if self.level == self.Level.SECTION or self.parent_id is None:
            return self.code
        return self.parent.code if self.parent else ""
