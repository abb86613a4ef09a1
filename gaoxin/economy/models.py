"""The zone's economy (经济运行): the indicator catalogue, enterprises' figures by period with
their sources, the zone's reporting settings, monthly self-reports and project dispatch.

A figure's rows are never overwritten. Each `FigureValue` row is one source's value for one
enterprise, indicator and period, known from one moment (`known_from`) until a revision
replaces it (`known_until`). So the history of every number is its rows, and "as known on a
day" is a filter on those two instants. Of the rows known now, `in_effect` marks the one each
figure uses: the best source by the zone's precedence (统计局 over 税务 over 导入 over 企业填报 by
default), kept by the services whenever rows or the precedence change.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gaoxin.accounts.models import User, Zone
from gaoxin.core.bounds import SmallCountField, YearField
from gaoxin.core.concurrency import Versioned
from gaoxin.core.models import BusinessModel
from gaoxin.economy.periods import Period
from gaoxin.enterprises.models import Enterprise
from gaoxin.projects.models import Project

AMOUNT_DIGITS = 18  # up to 9,999,999,999,999,999.99 yuan: a month's 产值 of any enterprise
MONTH_MIN, MONTH_MAX = 1, 12


class Indicator(models.Model):
    """One line of the catalogue: 营业收入, 工业总产值, 税收总额, 利润总额, 研发费用,
    从业人员期末人数 … Data, not code: a zone's statistics office may add one in the admin."""

    class Nature(models.TextChoices):
        FLOW = "flow", _("Flow (months add up)")
        STOCK = "stock", _("Stock (the period's end value)")

    class Unit(models.TextChoices):
        YUAN = "yuan", _("yuan")
        PERSON = "person", _("people")

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=40, unique=True)
    # Other headers a sheet may give it ("主营业务收入" for 营业收入), separated by 、
    aliases = models.CharField(_("other names"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    nature = models.CharField(_("nature"), max_length=10, choices=Nature.choices)
    # Asked only of industrial enterprises (GB/T 4754 sections B, C, D): 工业总产值.
    industrial_only = models.BooleanField(_("industrial enterprises only"), default=False)
    # May be below zero (利润总额 of a loss-making month).
    signed = models.BooleanField(_("may be negative"), default=False)
    # Asked of enterprises in their monthly self-report.
    self_reported = models.BooleanField(_("in the monthly self-report"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_flow(self) -> bool:
        return self.nature == self.Nature.FLOW

    def alias_list(self) -> list[str]:
        return [self.name, *(a.strip() for a in self.aliases.split("、") if a.strip())]


class Source(models.TextChoices):
    BUREAU = "bureau", _("Statistics bureau (统计局)")
    TAX = "tax", _("Tax bureau (税务)")
    IMPORT = "import", _("Imported by an officer (导入)")
    SELF = "self", _("Reported by the enterprise (企业填报)")


DEFAULT_PRECEDENCE = (Source.BUREAU, Source.TAX, Source.IMPORT, Source.SELF)


class ZoneEconomySettings(Versioned, BusinessModel):
    """A zone's rules for its figures: which source wins, and the day of the month by which
    enterprises report the month before."""

    zone = models.OneToOneField(
        Zone, on_delete=models.PROTECT, related_name="economy_settings", verbose_name=_("zone")
    )
    # The sources, best first, separated by commas ("bureau,tax,import,self").
    precedence = models.CharField(
        _("precedence of sources"),
        max_length=60,
        default=",".join(s.value for s in DEFAULT_PRECEDENCE),
    )
    report_deadline_day = SmallCountField(
        _("self-report deadline (day of the next month)"), default=10
    )

    class Meta:
        verbose_name = _("economy settings")
        verbose_name_plural = _("economy settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(report_deadline_day__gte=1, report_deadline_day__lte=28),
                name="economysettings_deadline_in_month",
            ),
        ]

    def __str__(self) -> str:
        return str(self.zone)

    def ranking(self) -> list[str]:
        """The sources best first; any the setting leaves out come last, in default order."""
        named = [s for s in self.precedence.split(",") if s in Source.values]
        return named + [s.value for s in DEFAULT_PRECEDENCE if s.value not in named]


class ImportBatch(models.Model):
    """One sheet imported (or one self-report saved): which period and source, by whom, and
    what the import noticed (the bureau's revisions of last year's figures, say)."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    year = YearField(_("year"))
    month = SmallCountField(_("month"))
    first_month = SmallCountField(_("first month"))
    file_name = models.CharField(_("file"), max_length=200, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    notes = models.JSONField(_("notes"), default=list, blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("figure import")
        verbose_name_plural = _("figure imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_source_display()} · {self.period.label} · {self.file_name}"

    @property
    def period(self) -> Period:
        return Period(self.year, self.month, self.first_month)


class FigureValue(models.Model):
    """One source's value of one indicator for one enterprise and period, as known from
    `known_from` until `known_until` (a revision). See the module's docstring."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="figures", verbose_name=_("enterprise")
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="values", verbose_name=_("indicator")
    )
    year = YearField(_("year"))
    month = SmallCountField(_("month"))
    first_month = SmallCountField(_("first month"))
    # The period's own value: a flow's 本月 (or 1–2月) amount, a stock's end value.
    amount = models.DecimalField(_("amount"), max_digits=AMOUNT_DIGITS, decimal_places=2)
    # A flow's 本年累计 as the source gave it (None where it gave only the month).
    cumulative = models.DecimalField(
        _("year to date"), max_digits=AMOUNT_DIGITS, decimal_places=2, null=True, blank=True
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    batch = models.ForeignKey(
        ImportBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="values"
    )
    recorded_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    known_from = models.DateTimeField(_("recorded at"))
    known_until = models.DateTimeField(_("revised at"), null=True, blank=True)
    in_effect = models.BooleanField(_("used by the figures"), default=False)

    class Meta:
        verbose_name = _("figure")
        verbose_name_plural = _("figures")
        ordering = ["enterprise", "indicator", "year", "month", "source"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "indicator", "year", "month", "first_month", "source"],
                condition=models.Q(known_until__isnull=True),
                name="figurevalue_one_current_per_source",
            ),
            models.CheckConstraint(
                condition=models.Q(month__gte=MONTH_MIN, month__lte=MONTH_MAX)
                & models.Q(first_month__gte=MONTH_MIN, first_month__lte=models.F("month")),
                name="figurevalue_period",
            ),
            models.CheckConstraint(
                condition=models.Q(in_effect=False) | models.Q(known_until__isnull=True),
                name="figurevalue_effect_only_current",
            ),
        ]
        indexes = [
            # The zone's figures: one indicator, a year's months, the rows in effect; the
            # amount and enterprise ride along so sums read the index alone, and the first
            # month so that last year's months of a twelve months' sum do too (issue 19).
            models.Index(
                fields=[
                    *("zone", "indicator", "year", "month", "in_effect"),
                    *("enterprise", "amount", "first_month"),
                ],
                name="figurevalue_zone_period",
            ),
            models.Index(
                fields=["enterprise", "indicator", "year", "month"],
                name="figurevalue_enterprise_period",
            ),
            models.Index(fields=["zone", "known_from"], name="figurevalue_zone_known"),
            # The latest month with figures of many zones at once (a province's leader): the
            # zone-first index reads every row of the zones; this one, backwards, stops at the
            # first row in effect of any of them (issue 19: 218 ms → 0.2 ms on 30 zones).
            models.Index(
                fields=["indicator", "year", "month", "zone", "in_effect"],
                name="figurevalue_indicator_latest",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.indicator} · {self.period.label}"

    @property
    def period(self) -> Period:
        return Period(self.year, self.month, self.first_month)


class SelfReport(Versioned, BusinessModel):
    """An enterprise's monthly report (企业填报) as a whole: submitted when, by whom. Its figures
    are FigureValue rows with source 企业填报; whether it was on time is read against the zone's
    deadline."""

    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        related_name="self_reports",
        verbose_name=_("enterprise"),
    )
    year = YearField(_("year"))
    month = SmallCountField(_("month"))
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("monthly self-report")
        verbose_name_plural = _("monthly self-reports")
        ordering = ["-year", "-month", "enterprise"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year", "month"], name="selfreport_one_per_month"
            ),
            models.CheckConstraint(
                condition=models.Q(month__gte=MONTH_MIN, month__lte=MONTH_MAX),
                name="selfreport_month",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.year}年{self.month}月"


class ProjectDispatch(Versioned, BusinessModel):
    """项目调度: a project's month: investment completed (月度完成投资), funds in place (到位资金)
    and a line of progress, reported by its owner or its officer."""

    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="dispatches", verbose_name=_("project")
    )
    year = YearField(_("year"))
    month = SmallCountField(_("month"))
    investment_completed = models.DecimalField(
        _("investment completed in the month (yuan)"), max_digits=AMOUNT_DIGITS, decimal_places=2
    )
    funds_in_place = models.DecimalField(
        _("funds in place in the month (yuan)"), max_digits=AMOUNT_DIGITS, decimal_places=2
    )
    progress = models.CharField(_("progress"), max_length=200, blank=True)
    reported_at = models.DateTimeField(_("reported at"))
    reported_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported by"),
    )

    class Meta:
        verbose_name = _("project dispatch")
        verbose_name_plural = _("project dispatches")
        ordering = ["-year", "-month", "project"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year", "month"], name="projectdispatch_one_per_month"
            ),
            models.CheckConstraint(
                condition=models.Q(month__gte=MONTH_MIN, month__lte=MONTH_MAX),
                name="projectdispatch_month",
            ),
            models.CheckConstraint(
                condition=models.Q(investment_completed__gte=0) & models.Q(funds_in_place__gte=0),
                name="projectdispatch_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.year}年{self.month}月"
