"""Campaigns and awards (政策兑现, the money side): application campaigns (申报批次) with the
enterprises' applications and their dated status changes, and award batches (奖励资金批次)
with their awards.

The models were the policies app's until it was split: their tables keep the names they had
there (`db_table`, and their history tables with them, see core.models.History), so moving
them changed no table (migrations 0007 of policies and 0001 of campaigns).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gaoxin.accounts.models import Zone
from gaoxin.core.bounds import MONEY_MAX, MoneyField, SmallCountField, range_constraint
from gaoxin.core.concurrency import Versioned
from gaoxin.core.models import BusinessModel
from gaoxin.enterprises.models import Designation, DesignationKind, DesignationLevel, Enterprise
from gaoxin.policies.models import Policy

# The years a designation granted by a campaign can be valid.
VALIDITY_YEARS_MAX = 50


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
        db_table = "policies_campaign"  # the table it had in the policies app
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
        db_table = "policies_application"  # the table it had in the policies app
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
        db_table = "policies_applicationchange"  # the table it had in the policies app
        verbose_name = _("application status change")
        verbose_name_plural = _("application status changes")
        ordering = ["application", "on", "pk"]
        indexes = [models.Index(fields=["to_status", "on"], name="appchange_to_on")]

    def __str__(self) -> str:
        return f"{self.application} → {self.get_to_status_display()} ({self.on})"


def attachment_path(instance: ApplicationAttachment, filename: str) -> str:
    """Where an attachment's file is kept under MEDIA_ROOT (VAR_DIR/media, which nothing
    serves: files go out only through the download view's permission check). The name is
    random; the name the user gave is kept in `name`."""
    import secrets
    from pathlib import Path

    return f"applications/{secrets.token_hex(16)}{Path(filename).suffix.lower()}"


class ApplicationAttachment(BusinessModel):
    """A document an application carries (证书、审计报告、知识产权清单 …). Added and removed
    while the application is 拟申报; once submitted they are what the zone reviews."""

    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="attachments",
        verbose_name=_("application"),
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    # Measured from the upload, never typed: not a figure a person enters.
    size = models.PositiveIntegerField(_("size (bytes)"), editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    class Meta:
        verbose_name = _("application attachment")
        verbose_name_plural = _("application attachments")
        ordering = ["application", "created_at", "pk"]

    def __str__(self) -> str:
        return self.name


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
        db_table = "policies_awardbatch"  # the table it had in the policies app
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
        db_table = "policies_award"  # the table it had in the policies app
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
