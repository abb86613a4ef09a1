"""Industrial projects (项目) from 谋划 to 达产: their dated stage changes, the approvals of land
projects (审批事项), the blockers holding them back (难点/堵点) and the service given to them
(服务记录)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gaoxin.accounts.models import Department, Zone
from gaoxin.core.bounds import AREA_MAX, MONEY_MAX, AreaField, MoneyField, range_constraint
from gaoxin.core.concurrency import Versioned
from gaoxin.core.models import BusinessModel
from gaoxin.enterprises.models import Enterprise
from gaoxin.industries.models import ChainSegment, Industry
from gaoxin.investment.models import Lead
from gaoxin.projects.stages import REACHED_FIELDS, Carrier, Stage
from gaoxin.spaces.models import Space

AREA = {"max_digits": 12, "decimal_places": 2}


class Project(Versioned, BusinessModel):
    zone = models.ForeignKey(
        Zone, on_delete=models.PROTECT, related_name="projects", verbose_name=_("zone")
    )
    name = models.CharField(_("project name"), max_length=150)
    # Who invests: a name always; the registry enterprise once there is one (at the latest
    # when the project registers its local company, 注册).
    investor_name = models.CharField(_("investor"), max_length=120)
    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("enterprise in the registry"),
    )
    lead = models.OneToOneField(
        Lead,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="project",
        verbose_name=_("from lead"),
    )
    industry = models.ForeignKey(
        Industry, on_delete=models.PROTECT, related_name="projects", verbose_name=_("industry")
    )
    segment = models.ForeignKey(
        ChainSegment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("chain segment"),
    )
    carrier = models.CharField(_("carrier"), max_length=8, choices=Carrier.choices)
    land_parcel_code = models.CharField(_("land parcel code (地块编号)"), max_length=60, blank=True)
    land_area = AreaField(_("land area (m²)"), null=True, blank=True, **AREA)
    land_contract_on = models.DateField(_("land contract signed on"), null=True, blank=True)
    space = models.ForeignKey(
        Space,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("industrial space"),
    )
    floor_area = AreaField(_("floor area (m²)"), null=True, blank=True, **AREA)
    planned_investment = MoneyField(_("planned total investment (yuan)"), null=True, blank=True)
    fixed_asset_investment = MoneyField(_("fixed-asset investment (yuan)"), null=True, blank=True)
    expected_annual_output = MoneyField(_("expected annual output (yuan)"), null=True, blank=True)
    expected_annual_tax = MoneyField(_("expected annual tax (yuan)"), null=True, blank=True)
    expected_above_scale = models.BooleanField(_("expected to become 规上"), default=False)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="served_projects",
        verbose_name=_("serving officer (专人服务)"),
    )
    description = models.TextField(_("description"), blank=True)
    # The current stage and the day it was entered: a copy of the latest StageChange, kept by
    # the services so lists need no subquery. Figures as of a date read the StageChanges.
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    stage_on = models.DateField(_("in this stage since"))
    # The days from 拿地 to 动工 (拿地即开工 = 0), set by the services when 动工 is recorded.
    land_to_construction_days = models.IntegerField(
        _("days from land to construction"), null=True, blank=True, editable=False
    )
    # The first day the project reached each stage (stages.REACHED_FIELDS): derived from the
    # stage changes by the services, so "reached X by a day" needs no subquery.
    reached_planned_on = models.DateField(null=True, editable=False)
    reached_negotiating_on = models.DateField(null=True, editable=False)
    reached_signed_on = models.DateField(null=True, editable=False)
    reached_registered_on = models.DateField(null=True, editable=False)
    reached_fitting_out_on = models.DateField(null=True, editable=False)
    reached_land_acquired_on = models.DateField(null=True, editable=False)
    reached_construction_on = models.DateField(null=True, editable=False)
    reached_completed_on = models.DateField(null=True, editable=False)
    reached_in_production_on = models.DateField(null=True, editable=False)
    reached_full_capacity_on = models.DateField(null=True, editable=False)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-updated_at"]
        constraints = [
            range_constraint("project", "planned_investment", MONEY_MAX),
            range_constraint("project", "fixed_asset_investment", MONEY_MAX),
            range_constraint("project", "expected_annual_output", MONEY_MAX),
            range_constraint("project", "expected_annual_tax", MONEY_MAX),
            range_constraint("project", "land_area", AREA_MAX),
            range_constraint("project", "floor_area", AREA_MAX),
            models.CheckConstraint(
                condition=models.Q(carrier="land") | models.Q(land_parcel_code=""),
                name="project_parcel_only_for_land",
            ),
            models.CheckConstraint(
                condition=models.Q(carrier="space") | models.Q(space__isnull=True),
                name="project_space_only_for_space",
            ),
        ]
        indexes = [
            models.Index(fields=["zone", "stage"], name="project_zone_stage"),
            models.Index(fields=["zone", "officer"], name="project_zone_officer"),
        ]

    # Derived columns the 变更记录 panel leaves out (the stage change itself is shown).
    HISTORY_HIDDEN = tuple(REACHED_FIELDS.values())

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("projects:detail", args=[self.pk])

    @property
    def is_terminated(self) -> bool:
        return self.stage == Stage.TERMINATED


class StageChange(BusinessModel):
    """A project entering a stage on a day. Never edited: a correction is a further change."""

    class Kind(models.TextChoices):
        START = "start", _("Entered the pipeline")
        ADVANCE = "advance", _("Advanced")
        SKIP = "skip", _("Skipped ahead")
        BACK = "back", _("Moved back")
        TERMINATE = "terminate", _("Terminated")

    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="stage_changes", verbose_name=_("project")
    )
    from_stage = models.CharField(_("from"), max_length=16, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=16, choices=Stage.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    on = models.DateField(_("date"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="stage_changes",
        verbose_name=_("recorded by"),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["project", "on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["start", "advance"]) | ~models.Q(note=""),
                name="stagechange_reason_when_not_forward",
            ),
        ]
        indexes = [
            models.Index(fields=["to_stage", "on"], name="stagechange_to_on"),
            # A project's stage as of a day is its latest change by then (core.asof, the
            # pipeline's figures a year back): the first entry from (project, day), the last
            # entered first, its stage read from the index alone, for each of a province's
            # 200,000 projects; in this order a DISTINCT ON over every project's changes reads
            # it without sorting too (bench/README.md, issue 19: a province).
            models.Index(fields=["project", "-on", "-id", "to_stage"], name="stagechange_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.project} → {self.get_to_stage_display()} ({self.on})"


# --- approvals -----------------------------------------------------------------------------


class ApprovalTemplate(BusinessModel):
    """A checklist of approvals a land project goes through, kept by the administrators."""

    zone = models.ForeignKey(
        Zone, on_delete=models.PROTECT, related_name="approval_templates", verbose_name=_("zone")
    )
    name = models.CharField(_("name"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("approval template")
        verbose_name_plural = _("approval templates")
        ordering = ["zone", "name"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "name"], name="approvaltemplate_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class ApprovalTemplateItem(BusinessModel):
    template = models.ForeignKey(
        ApprovalTemplate,
        on_delete=models.CASCADE,
        related_name="items",
        verbose_name=_("template"),
    )
    name = models.CharField(_("approval"), max_length=100)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    expected_days = models.PositiveSmallIntegerField(_("expected days"), default=20)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("approval template item")
        verbose_name_plural = _("approval template items")
        ordering = ["template", "order", "pk"]

    def __str__(self) -> str:
        return self.name


class ApprovalStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started (未开始)")
    IN_PROGRESS = "in_progress", _("In progress (办理中)")
    ACCEPTED_PENDING = "accepted_pending", _("Accepted, documents owed (容缺受理)")
    DONE = "done", _("Done (已办结)")
    RETURNED = "returned", _("Returned (退回)")


OPEN_APPROVAL_STATUSES = (
    ApprovalStatus.NOT_STARTED,
    ApprovalStatus.IN_PROGRESS,
    ApprovalStatus.ACCEPTED_PENDING,
    ApprovalStatus.RETURNED,
)


class Approval(Versioned, BusinessModel):
    """审批事项: one approval of a land project, handled by a department, in parallel with the
    others (部门联动)."""

    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="approvals", verbose_name=_("project")
    )
    name = models.CharField(_("approval"), max_length=100)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="approvals", verbose_name=_("department")
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ApprovalStatus.choices,
        default=ApprovalStatus.NOT_STARTED,
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    owed_documents = models.TextField(_("documents still owed"), blank=True)
    owed_due_on = models.DateField(_("documents due on"), null=True, blank=True)
    # 容缺: the owed documents stay owed, whatever the approval's status, until they are
    # received (the day is kept) or waived (by whom, when and why).
    owed_received_on = models.DateField(_("owed documents received on"), null=True, blank=True)
    owed_waived_on = models.DateField(_("owed documents waived on"), null=True, blank=True)
    owed_waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owed documents waived by"),
    )
    owed_waived_reason = models.TextField(_("why the owed documents were waived"), blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        ordering = ["project", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="done") | models.Q(done_on__isnull=False),
                name="approval_done_has_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="accepted_pending")
                | (models.Q(owed_due_on__isnull=False) & ~models.Q(owed_documents="")),
                name="approval_pending_owes_documents",
            ),
            models.CheckConstraint(
                condition=models.Q(done_on__isnull=True)
                | models.Q(started_on__isnull=True)
                | models.Q(done_on__gte=models.F("started_on")),
                name="approval_done_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(owed_waived_on__isnull=True)
                | (models.Q(owed_waived_by__isnull=False) & ~models.Q(owed_waived_reason="")),
                name="approval_waiver_has_who_and_why",
            ),
            models.CheckConstraint(
                condition=models.Q(owed_received_on__isnull=True)
                | models.Q(owed_waived_on__isnull=True),
                name="approval_documents_received_or_waived",
            ),
            models.CheckConstraint(
                condition=models.Q(owed_received_on__isnull=True, owed_waived_on__isnull=True)
                | ~models.Q(owed_documents=""),
                name="approval_settles_owed_documents",
            ),
        ]
        indexes = [
            models.Index(fields=["department", "status"], name="approval_dept_status"),
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.project}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("approvals:edit", args=[self.pk])

    @property
    def days_taken(self) -> int | None:
        if self.started_on is None or self.done_on is None:
            return None
        return (self.done_on - self.started_on).days

    @property
    def days_late(self) -> int | None:
        """Days the approval was finished after its due date (None: on time, or not done)."""
        if self.done_on is None or self.due_on is None or self.done_on <= self.due_on:
            return None
        return (self.done_on - self.due_on).days

    @property
    def owes_documents(self) -> bool:
        """容缺 documents recorded and neither received nor waived yet."""
        return (
            bool(self.owed_documents)
            and self.owed_received_on is None
            and self.owed_waived_on is None
        )


# --- blockers and service records ----------------------------------------------------------


class BlockerStatus(models.TextChoices):
    OPEN = "open", _("To handle (待处理)")
    IN_PROGRESS = "in_progress", _("Being handled (处理中)")
    RESOLVED = "resolved", _("Resolved (已解决)")
    UNRESOLVABLE = "unresolvable", _("Cannot be resolved (无法解决)")


OPEN_BLOCKER_STATUSES = (BlockerStatus.OPEN, BlockerStatus.IN_PROGRESS)


class ServiceRecord(Versioned, BusinessModel):
    """服务记录: a site visit, an on-site office or a coordination meeting for a project."""

    class Kind(models.TextChoices):
        SITE_VISIT = "site_visit", _("Site visit (实地查看)")
        ON_SITE_OFFICE = "on_site_office", _("On-site office (现场办公)")
        COORDINATION = "coordination", _("Coordination meeting (协调会)")

    project = models.ForeignKey(
        Project,
        on_delete=models.PROTECT,
        related_name="service_records",
        verbose_name=_("project"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    held_on = models.DateField(_("held on"))
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("attendees")
    )
    departments = models.ManyToManyField(
        Department, blank=True, related_name="+", verbose_name=_("departments")
    )
    enterprise_attendees = models.CharField(_("enterprise attendees"), max_length=300, blank=True)
    minutes = models.TextField(_("minutes"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        ordering = ["project", "-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.held_on}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("service_records:detail", args=[self.project_id, self.pk])


class Blocker(Versioned, BusinessModel):
    """难点/堵点: a problem holding a project back, owned by a department and a person."""

    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="blockers", verbose_name=_("project")
    )
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    description = models.TextField(_("description"))
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="blockers", verbose_name=_("department")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_blockers",
        verbose_name=_("responsible person"),
    )
    raised_on = models.DateField(_("raised on"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=14, choices=BlockerStatus.choices, default=BlockerStatus.OPEN
    )
    resolution = models.TextField(_("resolution"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    service_record = models.ForeignKey(
        ServiceRecord,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("decided at"),
    )

    class Meta:
        verbose_name = _("blocker")
        verbose_name_plural = _("blockers")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["open", "in_progress"])
                | (models.Q(closed_on__isnull=False) & ~models.Q(resolution="")),
                name="blocker_closed_has_resolution",
            ),
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("raised_on")),
                name="blocker_due_after_raised",
            ),
        ]
        indexes = [
            models.Index(fields=["department", "status", "due_on"], name="blocker_dept_status"),
            models.Index(fields=["status", "due_on"], name="blocker_status_due"),
        ]

    def __str__(self) -> str:
        return self.description[:40]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("blockers:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_BLOCKER_STATUSES
