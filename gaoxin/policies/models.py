"""Policy work (政策兑现): the zone's policies, the briefings where they are presented
(政策宣讲会), application campaigns (申报批次) with the enterprises' applications, and reward
batches (奖励资金批次) with their awards."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gaoxin.accounts.models import Zone
from gaoxin.core.bounds import (
    COUNT_MAX,
    FIGURE_MESSAGE,
    MONEY_MAX,
    YEAR_MAX,
    YEAR_MIN,
    CountField,
    FigureField,
    MoneyField,
    SmallCountField,
    YearField,
    range_constraint,
)
from gaoxin.core.concurrency import Versioned
from gaoxin.core.models import BusinessModel
from gaoxin.enterprises.models import Designation, DesignationKind, DesignationLevel, Enterprise

# People one enterprise sends to a briefing (the sign-in sheet's limit too), and the years a
# designation granted by a campaign can be valid.
PEOPLE_MAX = 9999
VALIDITY_YEARS_MAX = 50


class Policy(Versioned, BusinessModel):
    class Kind(models.TextChoices):
        INDUSTRY = "industry", _("Industry support (产业扶持)")
        INNOVATION = "innovation", _("Science and innovation (科技创新)")
        TALENT = "talent", _("Talent (人才)")
        INVESTMENT = "investment", _("Investment promotion (招商引资)")
        RELIEF = "relief", _("Relief and recovery (纾困)")
        OTHER = "other", _("Other")

    zone = models.ForeignKey(
        Zone, on_delete=models.PROTECT, related_name="policies", verbose_name=_("zone")
    )
    title = models.CharField(_("title"), max_length=200)
    document_no = models.CharField(_("document number"), max_length=80, blank=True)
    issuer = models.CharField(_("issuer"), max_length=100)
    issued_on = models.DateField(_("issued on"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.INDUSTRY)
    summary = models.TextField(_("summary"), blank=True)
    attachment = models.FileField(
        _("attachment"), upload_to="policies/%Y/", blank=True, max_length=300
    )
    attachment_name = models.CharField(_("attachment file name"), max_length=200, blank=True)
    attachment_type = models.CharField(_("attachment type"), max_length=100, blank=True)
    is_active = models.BooleanField(_("in force"), default=True)

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        ordering = ["-issued_on", "title"]
        indexes = [models.Index(fields=["zone", "issued_on"], name="policy_zone_issued")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("policies:detail", args=[self.pk])


class PolicyEvent(Versioned, BusinessModel):
    """政策宣讲会: a briefing where policies are presented to enterprises."""

    zone = models.ForeignKey(
        Zone, on_delete=models.PROTECT, related_name="policy_events", verbose_name=_("zone")
    )
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    policies = models.ManyToManyField(
        Policy, blank=True, related_name="events", verbose_name=_("policies presented")
    )
    attendee_count = CountField(
        _("attendees (people)"),
        null=True,
        blank=True,
        help_text=_("People present, when counted; enterprises attending are listed apart."),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("policy briefing")
        verbose_name_plural = _("policy briefings")
        ordering = ["-held_on", "title"]
        constraints = [range_constraint("policyevent", "attendee_count", COUNT_MAX)]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("policies:event_detail", args=[self.pk])


class EventAttendance(BusinessModel):
    event = models.ForeignKey(
        PolicyEvent,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("briefing"),
    )
    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        related_name="event_attendances",
        verbose_name=_("enterprise"),
    )
    people = SmallCountField(_("people"), default=1, upper=PEOPLE_MAX)

    class Meta:
        verbose_name = _("briefing attendance")
        verbose_name_plural = _("briefing attendances")
        ordering = ["event", "enterprise__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "enterprise"], name="attendance_one_per_enterprise"
            ),
            range_constraint("attendance", "people", PEOPLE_MAX),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.event}"


class Campaign(Versioned, BusinessModel):
    """申报批次: e.g. 2022年广东省专精特新中小企业申报, leading to a designation."""

    zone = models.ForeignKey(
        Zone, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("zone")
    )
    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(
        _("code"),
        max_length=40,
        blank=True,
        help_text=_("A short stable name for figures and links, e.g. 2022-gd-zjtx."),
    )
    policy = models.ForeignKey(
        Policy,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="campaigns",
        verbose_name=_("policy"),
    )
    designation_kind = models.CharField(
        _("designation it leads to"), max_length=20, choices=DesignationKind.choices, blank=True
    )
    designation_level = models.CharField(
        _("designation level"), max_length=12, choices=DesignationLevel.choices, blank=True
    )
    validity_years = SmallCountField(
        _("years the designation is valid"), default=3, upper=VALIDITY_YEARS_MAX
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    eligibility = models.TextField(_("eligibility notes"), blank=True)

    class Meta:
        verbose_name = _("application campaign")
        verbose_name_plural = _("application campaigns")
        ordering = ["-opens_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="campaign_closes_after_opening",
            ),
            range_constraint("campaign", "validity_years", VALIDITY_YEARS_MAX),
            models.CheckConstraint(
                condition=models.Q(designation_kind="") | ~models.Q(designation_level=""),
                name="campaign_designation_has_level",
            ),
            models.UniqueConstraint(
                fields=["zone", "code"], condition=~models.Q(code=""), name="campaign_unique_code"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("campaigns:detail", args=[self.pk])


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Preparing (拟申报)")
    SUBMITTED = "submitted", _("Submitted (已提交)")
    ZONE_REVIEW = "zone_review", _("Zone review (区级审核)")
    RECOMMENDED = "recommended", _("Recommended upward (推荐上报)")
    APPROVED = "approved", _("Approved (认定通过)")
    REJECTED = "rejected", _("Not approved (未通过)")


APPLICATION_ORDER = (
    ApplicationStatus.DRAFT,
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.ZONE_REVIEW,
    ApplicationStatus.RECOMMENDED,
    ApplicationStatus.APPROVED,
)


class Application(Versioned, BusinessModel):
    """An enterprise's application in a campaign; its status moves by dated changes."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="applications", verbose_name=_("campaign")
    )
    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("enterprise"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ApplicationStatus.choices, default="draft"
    )
    status_on = models.DateField(_("status since"))
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    statement = models.TextField(
        _("application statement"),
        blank=True,
        help_text=_("What the enterprise says of itself against the eligibility notes."),
    )
    review_note = models.TextField(_("review note"), blank=True)
    designation = models.OneToOneField(
        Designation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="application",
        verbose_name=_("designation granted"),
    )

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["campaign", "enterprise__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "enterprise"], name="application_one_per_enterprise"
            ),
        ]
        indexes = [models.Index(fields=["campaign", "status"], name="application_campaign_status")]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.campaign}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("campaigns:application", args=[self.pk])


class ApplicationChange(BusinessModel):
    """An application entering a status on a day, by whom, with a note."""

    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="changes",
        verbose_name=_("application"),
    )
    from_status = models.CharField(
        _("from"), max_length=12, choices=ApplicationStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=12, choices=ApplicationStatus.choices)
    on = models.DateField(_("date"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("application status change")
        verbose_name_plural = _("application status changes")
        ordering = ["application", "on", "pk"]
        indexes = [models.Index(fields=["to_status", "on"], name="appchange_to_on")]

    def __str__(self) -> str:
        return f"{self.application} → {self.get_to_status_display()} ({self.on})"


class AwardBatch(Versioned, BusinessModel):
    """奖励资金批次: e.g. 第一批国家级专精特新"小巨人"企业和省级专精特新中小企业奖励资金."""

    zone = models.ForeignKey(
        Zone, on_delete=models.PROTECT, related_name="award_batches", verbose_name=_("zone")
    )
    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(
        _("code"),
        max_length=40,
        blank=True,
        help_text=_("A short stable name for figures and links, e.g. 2023-zjtx-1."),
    )
    policy = models.ForeignKey(
        Policy,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="award_batches",
        verbose_name=_("policy"),
    )
    announced_on = models.DateField(_("publicly announced on (公示)"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("award batch")
        verbose_name_plural = _("award batches")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "code"], condition=~models.Q(code=""), name="awardbatch_unique_code"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("awards:detail", args=[self.pk])


class AwardStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed (拟奖励)")
    ANNOUNCED = "announced", _("Publicly announced (公示)")
    PAID = "paid", _("Paid (已拨付)")
    WITHDRAWN = "withdrawn", _("Withdrawn (撤回)")


class Award(Versioned, BusinessModel):
    batch = models.ForeignKey(
        AwardBatch, on_delete=models.PROTECT, related_name="awards", verbose_name=_("batch")
    )
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="awards", verbose_name=_("enterprise")
    )
    amount = MoneyField(_("amount (yuan)"))
    reason = models.CharField(
        _("reason"),
        max_length=200,
        help_text=_("The designation or policy clause the award is for."),
    )
    designation = models.ForeignKey(
        Designation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
        verbose_name=_("designation"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=AwardStatus.choices, default=AwardStatus.PROPOSED
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["batch", "enterprise__name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="award_amount_positive"),
            range_constraint("award", "amount", MONEY_MAX),
            models.CheckConstraint(
                condition=(models.Q(status="paid") & models.Q(paid_on__isnull=False))
                | (~models.Q(status="paid") & models.Q(paid_on__isnull=True)),
                name="award_paid_has_date",
            ),
            # A withdrawn award does not stand in the way of the corrected one.
            models.UniqueConstraint(
                fields=["batch", "enterprise", "reason"],
                condition=~models.Q(status="withdrawn"),
                name="award_once_per_reason",
            ),
            models.UniqueConstraint(
                fields=["batch", "enterprise", "designation"],
                condition=~models.Q(status="withdrawn") & models.Q(designation__isnull=False),
                name="award_once_per_designation",
            ),
        ]
        indexes = [models.Index(fields=["batch", "status"], name="award_batch_status")]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.amount}"


class ActionPlan(Versioned, BusinessModel):
    """行动计划, e.g. 《实体经济高质量发展行动计划》: targets the zone measures itself against."""

    zone = models.ForeignKey(
        Zone, on_delete=models.PROTECT, related_name="action_plans", verbose_name=_("zone")
    )
    title = models.CharField(_("title"), max_length=200)
    policy = models.ForeignKey(
        Policy,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_plans",
        verbose_name=_("policy document"),
    )
    adopted_on = models.DateField(_("adopted on"))

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["-adopted_on"]

    def __str__(self) -> str:
        return self.title


class PlanTarget(Versioned, BusinessModel):
    """One target of a plan: a metric, where it stood (baseline) and where it must be by a
    year (e.g. 企业数量双倍增: enterprises.total from 1,000 to 2,000 by 2025)."""

    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="targets", verbose_name=_("plan")
    )
    label = models.CharField(_("target"), max_length=100)
    metric_key = models.CharField(_("metric key"), max_length=120)
    baseline_value = FigureField(_("baseline"), max_digits=20, decimal_places=2)
    baseline_on = models.DateField(_("baseline date"))
    target_value = FigureField(_("target"), max_digits=20, decimal_places=2)
    target_year = YearField(_("target year"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("plan target")
        verbose_name_plural = _("plan targets")
        ordering = ["plan", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(target_value=models.F("baseline_value")),
                name="plantarget_target_differs_from_baseline",
            ),
            range_constraint("plantarget", "baseline_value", MONEY_MAX, FIGURE_MESSAGE),
            range_constraint("plantarget", "target_value", MONEY_MAX, FIGURE_MESSAGE),
            range_constraint("plantarget", "target_year", YEAR_MAX, lower=YEAR_MIN),
        ]

    def __str__(self) -> str:
        return self.label
