"""Enterprise cultivation (企业培育): the rules the radars apply, kept as dated data (规上
thresholds, 高企 and 专精特新 criteria, each zone's 亩均效益 cut-offs per year), enterprises'
land records, the radars' follow-ups, and `Standing`: each enterprise's sums the radars read,
built from the figures in effect.

A rule row takes effect on `effective_from` and holds until a later row for the same key takes
effect, so a figure as of 2010 applies the rules of 2010. The documents each row comes from are
named in the row.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from gaoxin.accounts.models import User, Zone
from gaoxin.core.bounds import (
    AREA_MAX,
    MONEY_MAX,
    YEAR_MAX,
    YEAR_MIN,
    AreaField,
    MoneyField,
    YearField,
    range_constraint,
)
from gaoxin.core.concurrency import Versioned
from gaoxin.core.models import BusinessModel
from gaoxin.economy.models import AMOUNT_DIGITS
from gaoxin.enterprises.models import DesignationKind, Enterprise

MU = 666.67  # m² in one 亩 (10,000 m² = 15 亩)


class ScaleThreshold(models.Model):
    """规上 (规模以上 / 限额以上) 起点标准: the annual 营业收入 from which the statistics bureau
    counts an enterprise of a GB/T 4754 section (or of some of its divisions), from a date.
    Some rules also name a head count, as an alternative (服务业: "或年末从业人员50人及以上") or
    as a second condition (批发零售 before 2011)."""

    class Combine(models.TextChoices):
        NONE = "", _("Revenue only")
        OR = "or", _("Revenue or head count")
        AND = "and", _("Revenue and head count")

    section = models.CharField(_("GB/T 4754 section (门类)"), max_length=1)
    # Division codes (大类, "52") this row narrows to, separated by commas; empty: the section.
    divisions = models.CharField(_("divisions (大类)"), max_length=200, blank=True)
    name = models.CharField(_("name"), max_length=60)
    effective_from = models.DateField(_("in force from"))
    min_revenue = MoneyField(_("annual revenue from (yuan)"))
    min_employees = models.PositiveIntegerField(_("head count from"), null=True, blank=True)
    combine = models.CharField(
        _("head count"), max_length=3, choices=Combine.choices, default="", blank=True
    )
    document = models.CharField(_("source document"), max_length=300)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("规上 threshold")
        verbose_name_plural = _("规上 thresholds")
        ordering = ["section", "divisions", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "divisions", "effective_from"], name="threshold_unique_date"
            ),
            range_constraint("scalethreshold", "min_revenue", MONEY_MAX),
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.effective_from}"

    def division_codes(self) -> list[str]:
        return [c.strip() for c in self.divisions.split(",") if c.strip()]


class DesignationCriteria(models.Model):
    """The criteria of a designation (高新技术企业, 专精特新中小企业 …) that records can check,
    from a date: years in business, last year's revenue, R&D expense (an amount, and a share
    of revenue by revenue band over a number of years), a designation held first. What the
    records cannot tell (intellectual property, staff shares, market position) is named in
    `not_checked`, so a candidate reads as "meets what we can check"."""

    kind = models.CharField(_("designation"), max_length=20, choices=DesignationKind.choices)
    effective_from = models.DateField(_("in force from"))
    document = models.CharField(_("source document"), max_length=300)
    # Whether the values were checked against the document's text (a row carried over from an
    # earlier version until someone confirms it says so).
    confirmed = models.BooleanField(_("checked against the document"), default=True)
    min_years = models.PositiveSmallIntegerField(_("years in business at least"), default=0)
    min_revenue = MoneyField(_("last year's revenue from (yuan)"), null=True, blank=True)
    max_revenue = MoneyField(_("last year's revenue below (yuan)"), null=True, blank=True)
    min_rnd = MoneyField(_("last year's R&D expense from (yuan)"), null=True, blank=True)
    # R&D expense over revenue, summed over `rnd_years` years, by the last year's revenue:
    # [{"below": 50000000, "percent": 5}, {"below": 200000000, "percent": 4},
    #  {"below": null, "percent": 3}] (the first band whose "below" exceeds the revenue).
    rnd_bands = models.JSONField(_("R&D share by revenue band"), default=list, blank=True)
    rnd_years = models.PositiveSmallIntegerField(_("years the R&D share covers"), default=1)
    requires = models.CharField(
        _("designation held first"),
        max_length=20,
        choices=DesignationKind.choices,
        blank=True,
    )
    validity_years = models.PositiveSmallIntegerField(_("valid for (years)"), null=True, blank=True)
    not_checked = models.TextField(_("criteria the records cannot check"), blank=True)

    class Meta:
        verbose_name = _("designation criteria")
        verbose_name_plural = _("designation criteria")
        ordering = ["kind", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "effective_from"], name="criteria_unique_date"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.effective_from}"


class EfficiencyCutoffs(Versioned, BusinessModel):
    """亩均效益评价: a zone's cut-offs for one year. An enterprise is in the best class whose
    both cut-offs it reaches (亩均税收 and 亩均营业收入, yuan per 亩 of its land), else D."""

    zone = models.ForeignKey(
        Zone, on_delete=models.PROTECT, related_name="efficiency_cutoffs", verbose_name=_("zone")
    )
    year = YearField(_("year evaluated"))
    tax_a = MoneyField(_("A: tax per 亩 from (yuan)"))
    revenue_a = MoneyField(_("A: revenue per 亩 from (yuan)"))
    tax_b = MoneyField(_("B: tax per 亩 from (yuan)"))
    revenue_b = MoneyField(_("B: revenue per 亩 from (yuan)"))
    tax_c = MoneyField(_("C: tax per 亩 from (yuan)"))
    revenue_c = MoneyField(_("C: revenue per 亩 from (yuan)"))

    class Meta:
        verbose_name = _("亩均效益 cut-offs")
        verbose_name_plural = _("亩均效益 cut-offs")
        ordering = ["zone", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "year"], name="cutoffs_one_per_year"),
            range_constraint("efficiencycutoffs", "year", YEAR_MAX, lower=YEAR_MIN),
            models.CheckConstraint(
                condition=models.Q(tax_a__gte=models.F("tax_b"), tax_b__gte=models.F("tax_c"))
                & models.Q(
                    revenue_a__gte=models.F("revenue_b"), revenue_b__gte=models.F("revenue_c")
                ),
                name="cutoffs_descend",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.zone} · {self.year}"


class EfficiencyClass(models.TextChoices):
    A = "A", _("A 优先发展")
    B = "B", _("B 提升发展")
    C = "C", _("C 整治提升")
    D = "D", _("D 淘汰退出")


class LandRecord(Versioned, BusinessModel):
    """Land an enterprise uses, as an officer records it with its source (a 不动产权证, a
    survey). An enterprise's land in a year is its officer-recorded areas in force at the
    year's end; where there are none, the land of its projects that reached 拿地 by then."""

    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        related_name="land_records",
        verbose_name=_("enterprise"),
    )
    area = AreaField(_("land area (m²)"), max_digits=12, decimal_places=2)
    source = models.CharField(_("source (证书号、测绘报告…)"), max_length=200)
    valid_from = models.DateField(_("held from"))
    valid_until = models.DateField(_("held until"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        verbose_name = _("land record")
        verbose_name_plural = _("land records")
        ordering = ["enterprise", "-valid_from"]
        constraints = [
            range_constraint("landrecord", "area", AREA_MAX),
            models.CheckConstraint(condition=models.Q(area__gt=0), name="landrecord_area_positive"),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gt=models.F("valid_from")),
                name="landrecord_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.area} m²"


class FollowupReason(models.TextChoices):
    ABOVE_SCALE = "above_scale", _("Became 规上")
    DESIGNATED = "designated", _("Granted the designation")
    EXITED = "exited", _("Left the zone")
    OFFICER = "officer", _("Closed by an officer")


class Followup(Versioned, BusinessModel):
    """An enterprise taken from a radar into follow-up (跟踪培育): who serves it, since when,
    by when; closed with a reason (it became 规上 or got the designation, say)."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="followups", verbose_name=_("enterprise")
    )
    radar = models.CharField(_("radar"), max_length=20)
    officer = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="followups", verbose_name=_("officer")
    )
    started_on = models.DateField(_("followed since"))
    target_on = models.DateField(_("target date"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    close_reason = models.CharField(
        _("closed because"), max_length=12, choices=FollowupReason.choices, blank=True
    )
    close_note = models.CharField(_("closing note"), max_length=300, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "radar"],
                condition=models.Q(closed_on__isnull=True),
                name="followup_one_open_per_radar",
            ),
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True, close_reason="")
                | (models.Q(closed_on__isnull=False) & ~models.Q(close_reason="")),
                name="followup_closed_with_reason",
            ),
        ]
        indexes = [models.Index(fields=["zone", "radar", "closed_on"], name="followup_open")]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.radar}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("cultivation:followup_detail", args=[self.pk])


class FollowupVisit(BusinessModel):
    """服务记录 of a follow-up: a visit, a call or a meeting, with what was agreed."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("Visit (走访)")
        CALL = "call", _("Phone call")
        MEETING = "meeting", _("Meeting")

    followup = models.ForeignKey(
        Followup, on_delete=models.PROTECT, related_name="visits", verbose_name=_("follow-up")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    held_on = models.DateField(_("held on"))
    minutes = models.TextField(_("what was found and agreed"))
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("follow-up record")
        verbose_name_plural = _("follow-up records")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.held_on}"


def _amount(verbose: Any) -> models.DecimalField:
    return models.DecimalField(verbose, max_digits=AMOUNT_DIGITS, decimal_places=2, default=0)


class Standing(models.Model):
    """One enterprise's sums the radars read, as of a month (the latest month with figures
    by the radar's day): built in one pass over the zone's figures in effect by
    `standings.standings_for`, and dropped whenever those figures change (they are rebuilt on
    the next read). `y1` is the calendar year before the month's year (上年度), `y2` the one
    before it, `y3` the one before that."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="standings")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    # 营业收入 of the twelve months ending with the month; a 1–2月 figure cut by the window's
    # start counts for the share of its months inside it.
    revenue_ttm = _amount(_("revenue, last 12 months"))
    months_ttm = models.PositiveSmallIntegerField(_("months with revenue figures"), default=0)
    revenue_y1 = _amount(_("revenue last year"))
    revenue_y2 = _amount(_("revenue two years ago"))
    revenue_y3 = _amount(_("revenue three years ago"))
    months_y1 = models.PositiveSmallIntegerField(default=0)
    rnd_y1 = _amount(_("R&D expense last year"))
    rnd_y2 = _amount(_("R&D expense two years ago"))
    rnd_y3 = _amount(_("R&D expense three years ago"))
    tax_y1 = _amount(_("tax last year"))
    tax_y2 = _amount(_("tax two years ago"))
    # The land it holds (m²) at the end of y1 and of y2, None for none: the officers'
    # LandRecords in force then, or, for an enterprise with no record begun by then, its
    # projects' land (拿地 by then); `land_recorded_y1` says which. An enterprise with land
    # and no figures has a standing too.
    land_y1 = models.DecimalField(max_digits=14, decimal_places=2, null=True)
    land_y2 = models.DecimalField(max_digits=14, decimal_places=2, null=True)
    land_recorded_y1 = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year", "month"], name="standing_one_per_month"
            )
        ]
        indexes = [models.Index(fields=["zone", "year", "month"], name="standing_zone_month")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} · {self.year}-{self.month:02d}"


class StandingBuild(models.Model):
    """That a zone's standings of a month are built (and when)."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    built_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["zone", "year", "month"], name="standingbuild_unique")
        ]

    def __str__(self) -> str:
        return f"{self.zone_id} · {self.year}-{self.month:02d}"
