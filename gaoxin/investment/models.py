"""招商线索: companies the zone is trying to attract, and the dated contacts with them.

A lead that is signed becomes a project (the projects app points back at its lead); this app
never imports projects."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gaoxin.accounts.models import Zone
from gaoxin.core.bounds import MONEY_MAX, MoneyField, range_constraint
from gaoxin.core.concurrency import Versioned
from gaoxin.core.models import BusinessModel
from gaoxin.industries.models import ChainSegment, Industry

IDLE_DAYS = 60


class LeadSource(models.TextChoices):
    CHAIN_GAP = "chain_gap", _("Industry-map gap (产业图谱缺口)")
    REFERRAL = "referral", _("Referred by an enterprise (以商招商)")
    FAIR = "fair", _("Trade fair (展会)")
    AGENT = "agent", _("Agent (中介)")
    WALK_IN = "walk_in", _("Came to us (上门)")


class LeadStatus(models.TextChoices):
    NEW = "new", _("Lead (线索)")
    CONTACTED = "contacted", _("In contact (接洽)")
    VISITED = "visited", _("Site visit (考察)")
    NEGOTIATING = "negotiating", _("Negotiating (洽谈)")
    SIGNED = "signed", _("Signed (签约)")
    ABANDONED = "abandoned", _("Abandoned (放弃)")


OPEN_STATUSES = (
    LeadStatus.NEW,
    LeadStatus.CONTACTED,
    LeadStatus.VISITED,
    LeadStatus.NEGOTIATING,
)


class Lead(Versioned, BusinessModel):
    zone = models.ForeignKey(
        Zone, on_delete=models.PROTECT, related_name="leads", verbose_name=_("zone")
    )
    company_name = models.CharField(_("target company"), max_length=120)
    uscc = models.CharField(
        _("unified social credit code"),
        max_length=18,
        blank=True,
        help_text=_("When known; checked like the registry's codes."),
    )
    industry = models.ForeignKey(
        Industry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="leads",
        verbose_name=_("industry"),
    )
    segment = models.ForeignKey(
        ChainSegment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="leads",
        verbose_name=_("chain segment it would fill"),
    )
    source = models.CharField(_("source"), max_length=12, choices=LeadSource.choices)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="leads",
        verbose_name=_("officer"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=LeadStatus.choices, default=LeadStatus.NEW
    )
    abandon_reason = models.CharField(_("reason for abandoning"), max_length=200, blank=True)
    expected_investment = MoneyField(
        _("expected investment (yuan)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    description = models.TextField(_("description"), blank=True)
    # The day of the latest contact (or of the lead's creation): a lead still open whose
    # last activity is more than IDLE_DAYS ago is flagged as idle. Kept by the services.
    last_activity_on = models.DateField(_("last activity on"))

    class Meta:
        verbose_name = _("investment lead")
        verbose_name_plural = _("investment leads")
        ordering = ["-last_activity_on", "company_name"]
        constraints = [
            range_constraint("lead", "expected_investment", MONEY_MAX),
            models.CheckConstraint(
                condition=~models.Q(status="abandoned") | ~models.Q(abandon_reason=""),
                name="lead_abandoned_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["zone", "status", "last_activity_on"], name="lead_zone_status"),
        ]

    def __str__(self) -> str:
        return self.company_name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("leads:detail", args=[self.pk])


class LeadContact(BusinessModel):
    """One dated contact with a lead: a visit, an inspection, a negotiation, a call."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("Visit (拜访)")
        INSPECTION = "inspection", _("Inspection tour (考察)")
        NEGOTIATION = "negotiation", _("Negotiation (洽谈)")
        CALL = "call", _("Phone call (电话)")

    lead = models.ForeignKey(
        Lead, on_delete=models.PROTECT, related_name="contacts", verbose_name=_("lead")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    on = models.DateField(_("date"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="lead_contacts",
        verbose_name=_("recorded by"),
    )
    notes = models.TextField(_("notes"))

    class Meta:
        verbose_name = _("lead contact")
        verbose_name_plural = _("lead contacts")
        ordering = ["lead", "-on", "-pk"]
        indexes = [models.Index(fields=["lead", "on"], name="leadcontact_lead_on")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.on}"
