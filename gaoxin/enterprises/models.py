"""The enterprise registry (一企一档): enterprises, their designations (资质认定), the zone's
industry alliances (产业联盟) and their memberships."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gaoxin.accounts.models import User, Zone
from gaoxin.core.bounds import (
    COUNT_MAX,
    MONEY_MAX,
    YEAR_MAX,
    YEAR_MIN,
    CountField,
    MoneyField,
    YearField,
    range_constraint,
)
from gaoxin.core.concurrency import Versioned
from gaoxin.core.models import BusinessModel
from gaoxin.industries.models import ChainSegment, Industry, NationalIndustry


class Enterprise(Versioned, BusinessModel):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Operating")
        MOVED_OUT = "moved_out", _("Moved out")
        CLOSED = "closed", _("Closed")

    zone = models.ForeignKey(
        Zone, on_delete=models.PROTECT, related_name="enterprises", verbose_name=_("zone")
    )
    name = models.CharField(_("enterprise name"), max_length=120)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    # 拼音首字母 of the name and the short name ("zhgxkj zhgx"), kept by the services for
    # search: two keystrokes of pinyin find an enterprise.
    name_initials = models.CharField(
        _("pinyin initials"), max_length=200, blank=True, editable=False
    )
    uscc = models.CharField(_("unified social credit code"), max_length=18)
    legal_representative = models.CharField(_("legal representative"), max_length=50, blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    settled_on = models.DateField(
        _("settled in the zone on"),
        null=True,
        blank=True,
        help_text=_(
            "The day the enterprise joined the zone's registry; figures as of an "
            "earlier day leave it out."
        ),
    )
    registered_capital = MoneyField(
        _("registered capital (yuan)"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    employees = CountField(_("employees"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    industries = models.ManyToManyField(
        Industry, blank=True, related_name="enterprises", verbose_name=_("industries")
    )
    segments = models.ManyToManyField(
        ChainSegment, blank=True, related_name="enterprises", verbose_name=_("chain segments")
    )
    national_industry = models.ForeignKey(
        NationalIndustry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        limit_choices_to={"level": NationalIndustry.Level.DIVISION},
        related_name="enterprises",
        verbose_name=_("national industry class (国民经济行业分类)"),
    )
    # 挂点联系: the officer the enterprise turns to, and who chases its monthly report.
    liaison_officer = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="liaised_enterprises",
        verbose_name=_("liaison officer"),
    )
    # Today's 规上 standing, kept by the services from the enterprise's ScaleSpells (which are
    # what figures as of a past day read).
    is_above_scale = models.BooleanField(_("above designated size (规上)"), default=False)
    above_scale_year = YearField(_("year it became 规上"), null=True, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "uscc"], name="enterprise_unique_uscc"),
            range_constraint("enterprise", "registered_capital", MONEY_MAX),
            range_constraint("enterprise", "employees", COUNT_MAX),
            range_constraint("enterprise", "above_scale_year", YEAR_MAX, lower=YEAR_MIN),
            models.CheckConstraint(
                condition=models.Q(is_above_scale=True) | models.Q(above_scale_year__isnull=True),
                name="enterprise_scale_year_only_when_above",
            ),
        ]
        indexes = [
            models.Index(fields=["zone", "name"], name="enterprise_zone_name"),
            models.Index(fields=["zone", "name_initials"], name="enterprise_zone_initials"),
            models.Index(fields=["zone", "is_above_scale"], name="enterprise_zone_scale"),
            # Covers the registry counts as of a day (enterprises.total, .above_scale): the
            # enterprises that had settled by the day are read from the index alone, and their
            # ids joined to the (few) exits and the 规上 spells by those tables' own indexes.
            models.Index(
                fields=["zone", "settled_on", "created_at"],
                include=["id"],
                name="enterprise_zone_standing",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("enterprises:detail", args=[self.pk])


class EnterpriseExit(Versioned, BusinessModel):
    """An enterprise leaving the zone (迁出 or 注销) on a day, and coming back (returned_on) if it
    did. "In the zone on day D" is read from these dates, so an exit in 2025 leaves the 2023
    figures as they were. At most one exit is open (not returned from) at a time."""

    class Kind(models.TextChoices):
        MOVED_OUT = "moved_out", _("Moved out (迁出)")
        CLOSED = "closed", _("Closed (注销)")

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="exits", verbose_name=_("enterprise")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    left_on = models.DateField(_("left on"))
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("exit from the zone")
        verbose_name_plural = _("exits from the zone")
        ordering = ["enterprise", "-left_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(returned_on__isnull=True)
                | models.Q(returned_on__gt=models.F("left_on")),
                name="exit_return_after_leaving",
            ),
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=models.Q(returned_on__isnull=True),
                name="exit_one_open_per_enterprise",
            ),
        ]
        indexes = [
            models.Index(fields=["enterprise", "left_on", "returned_on"], name="exit_dates"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.enterprise} · {self.left_on}"


class ScaleSpell(Versioned, BusinessModel):
    """A spell of 规上 membership (在库): from 入统 (entered_on) to 退库 (left_on, if it left).
    The statistics bureau's directory is yearly, with monthly additions; "规上 on day D" and
    "新入统 in year Y" are read from these dates, never from today's flag."""

    class Source(models.TextChoices):
        STATISTICS = "statistics", _("Statistics bureau import")
        MANUAL = "manual", _("Entered by an officer")
        MIGRATED = "migrated", _("From the former 规上 flag")

    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        related_name="scale_spells",
        verbose_name=_("enterprise"),
    )
    entered_on = models.DateField(_("entered the directory on (入统)"))
    left_on = models.DateField(_("left the directory on (退库)"), null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=12, choices=Source.choices, default=Source.MANUAL
    )

    class Meta:
        verbose_name = _("规上 membership")
        verbose_name_plural = _("规上 memberships")
        ordering = ["enterprise", "-entered_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True)
                | models.Q(left_on__gt=models.F("entered_on")),
                name="scalespell_leaves_after_entering",
            ),
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=models.Q(left_on__isnull=True),
                name="scalespell_one_open_per_enterprise",
            ),
        ]
        indexes = [
            models.Index(fields=["enterprise", "entered_on", "left_on"], name="scalespell_dates"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.entered_on}–{self.left_on or ''}"


class DesignationKind(models.TextChoices):
    HIGH_TECH = "high_tech", _("High-tech enterprise (高新技术企业)")
    TECH_SME = "tech_sme", _("Technology-based SME (科技型中小企业)")
    INNOVATIVE_SME = "innovative_sme", _("Innovative SME (创新型中小企业)")
    SPECIALISED_SME = "specialised_sme", _("Provincial specialised SME (省级专精特新中小企业)")
    LITTLE_GIANT = "little_giant", _("National 'little giant' (国家级专精特新“小巨人”企业)")


class DesignationLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    MUNICIPAL = "municipal", _("Municipal")
    DISTRICT = "district", _("District")


class Designation(Versioned, BusinessModel):
    """资质认定: a title an enterprise holds from a granted date to an expiry date. Whether it is
    current is always derived from the dates, never from a flag."""

    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        related_name="designations",
        verbose_name=_("enterprise"),
    )
    kind = models.CharField(_("designation"), max_length=20, choices=DesignationKind.choices)
    level = models.CharField(_("level"), max_length=12, choices=DesignationLevel.choices)
    certificate_no = models.CharField(_("certificate number"), max_length=60, blank=True)
    granted_on = models.DateField(_("granted on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)

    class Meta:
        verbose_name = _("designation")
        verbose_name_plural = _("designations")
        ordering = ["enterprise", "-granted_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=True)
                | models.Q(expires_on__gte=models.F("granted_on")),
                name="designation_expires_after_grant",
            ),
        ]
        indexes = [
            # Covering: the counts of designated enterprises as of a day read the index alone.
            models.Index(
                fields=["kind", "granted_on", "expires_on", "revoked_on", "enterprise"],
                name="designation_kind_dates_cover",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.enterprise}"


class Alliance(Versioned, BusinessModel):
    """产业联盟, e.g. 新型储能产业联盟; its members are enterprises of the registry."""

    zone = models.ForeignKey(
        Zone, on_delete=models.PROTECT, related_name="alliances", verbose_name=_("zone")
    )
    name = models.CharField(_("name"), max_length=100)
    industry = models.ForeignKey(
        Industry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="alliances",
        verbose_name=_("industry"),
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    # The alliance moved here from the industries app with its tables unchanged
    # (`db_table`; core.models.History keeps the history table's name beside it).

    class Meta:
        db_table = "industries_alliance"
        verbose_name = _("industry alliance")
        verbose_name_plural = _("industry alliances")
        ordering = ["zone", "name"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "name"], name="alliance_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class AllianceMembership(Versioned, BusinessModel):
    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair (理事长单位)")
        VICE_CHAIR = "vice_chair", _("Vice chair (副理事长单位)")
        COUNCIL = "council", _("Council member (理事单位)")
        MEMBER = "member", _("Member (成员单位)")

    alliance = models.ForeignKey(
        Alliance, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("alliance")
    )
    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        related_name="alliance_memberships",
        verbose_name=_("enterprise"),
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.MEMBER)
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("alliance membership")
        verbose_name_plural = _("alliance memberships")
        ordering = ["alliance", "role", "joined_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["alliance", "enterprise"],
                condition=models.Q(left_on__isnull=True),
                name="membership_one_open_per_enterprise",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.alliance}"
