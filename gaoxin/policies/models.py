"""Policy work (政策兑现): the zone's policies, the briefings where they are presented
(政策宣讲会) with the enterprises attending, and the action plans (行动计划) with their targets.
Application campaigns and awards, which build on policies, are the campaigns app's."""

from __future__ import annotations

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
    SmallCountField,
    YearField,
    range_constraint,
)
from gaoxin.core.concurrency import Versioned
from gaoxin.core.models import BusinessModel
from gaoxin.enterprises.models import Enterprise

# People one enterprise sends to a briefing (the sign-in sheet's limit too).
PEOPLE_MAX = 9999


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
