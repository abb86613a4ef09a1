"""Writes to projects: creating one (also from a signed lead), editing it, and moving it through
its stages. Each runs in one transaction; django-simple-history records who changed what in
the same transaction.

Two officers may have the same project open. Every write takes the `version` the user's form
was built from; if somebody saved in between, the write is refused with who and when, and
nothing is overwritten.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.accounts.models import User, Zone
from gaoxin.accounts.selectors import is_officer_of
from gaoxin.core import figure_cache
from gaoxin.core.concurrency import lock_at_version
from gaoxin.core.errors import DomainError, refuse_unknown_fields
from gaoxin.core.history import save_recorded
from gaoxin.core.text import clean
from gaoxin.enterprises.models import Enterprise
from gaoxin.enterprises.services import enterprise_create
from gaoxin.enterprises.validators import validate_uscc
from gaoxin.industries.models import ChainSegment, Industry
from gaoxin.investment.models import Lead
from gaoxin.investment.services import lead_mark_signed
from gaoxin.projects import selectors, stages
from gaoxin.projects.models import (
    OPEN_BLOCKER_STATUSES,
    BlockerStatus,
    Project,
    StageChange,
)
from gaoxin.projects.stages import Carrier, Stage
from gaoxin.spaces.models import Space
from gaoxin.spaces.services import space_set_leased_area

DETAIL_FIELDS = (
    "name",
    "investor_name",
    "industry",
    "segment",
    "carrier",
    "land_parcel_code",
    "land_area",
    "land_contract_on",
    "space",
    "floor_area",
    "planned_investment",
    "fixed_asset_investment",
    "expected_annual_output",
    "expected_annual_tax",
    "expected_above_scale",
    "officer",
    "description",
)
LAND_FIELDS = ("land_parcel_code", "land_area", "land_contract_on")
SPACE_FIELDS = ("space", "floor_area")
# What a stage change may bring with it: the evidence a gated stage asks for.
EVIDENCE_FIELDS = (*LAND_FIELDS, *SPACE_FIELDS, "planned_investment", "fixed_asset_investment")


# --- concurrency -------------------------------------------------------------------------


def _save(project: Project, by: User) -> Project:
    project._history_user = by
    project.full_clean(exclude=["stage", "officer", "industry", "zone", "enterprise", "lead"])
    project.save()  # bumps the version
    return project


# --- checks ------------------------------------------------------------------------------


def _check_refs(
    zone: Zone,
    *,
    industry: Industry | None,
    segment: ChainSegment | None,
    officer: User | None,
    space: Space | None,
) -> None:
    if industry is not None and industry.zone_id != zone.pk:
        raise DomainError(_("An industry of another zone cannot be chosen."), field="industry")
    if segment is not None and industry is not None and segment.industry_id != industry.pk:
        raise DomainError(
            _("The chain segment must belong to the chosen industry."), field="segment"
        )
    if officer is not None and not is_officer_of(officer, zone.pk):
        raise DomainError(
            _("The serving officer must be an officer of this zone."), field="officer"
        )
    if space is not None and space.zone_id != zone.pk:
        raise DomainError(_("A space of another zone cannot be chosen."), field="space")


def _check_carrier(project: Project) -> None:
    if project.carrier == Carrier.SPACE:
        for name in LAND_FIELDS:
            if getattr(project, name) not in (None, ""):
                raise DomainError(
                    _("A project in a space has no land parcel; clear the land fields."),
                    field=name,
                )
    else:
        if project.space_id is not None or project.floor_area is not None:
            raise DomainError(
                _("A land project occupies no floor area in a space; clear the space fields."),
                field="space",
            )


def _check_date(on: dt.date, *, after: dt.date | None = None, what: str = "") -> None:
    if on > timezone.localdate():
        raise DomainError(_("A stage change cannot be dated in the future."), field="on")
    if after is not None and on < after:
        raise DomainError(
            _("The date cannot be before %(date)s, when the project entered %(stage)s.")
            % {"date": after.isoformat(), "stage": what},
            field="on",
        )


# --- writes ------------------------------------------------------------------------------


def _set_enterprise_from_uscc(
    project: Project, *, uscc: str, company_name: str, on: dt.date, by: User
) -> None:
    """Link the registry enterprise with this code, creating it if the zone has none."""
    try:
        code = validate_uscc(uscc)
    except Exception as exc:  # django ValidationError
        message = getattr(exc, "messages", [str(exc)])[0]
        raise DomainError(message, field="uscc") from None
    enterprise = Enterprise.objects.filter(zone_id=project.zone_id, uscc=code).first()
    if enterprise is None:
        enterprise = enterprise_create(
            zone=project.zone,
            name=company_name or project.investor_name,
            uscc=code,
            by=by,
            industries=[project.industry],
            segments=[project.segment] if project.segment else [],
            settled_on=on,
        )
    project.enterprise = enterprise


def _recount_spaces(space_ids: list[int | None]) -> None:
    """The spaces' leased area, recounted from their signed tenants in this transaction."""
    space_set_leased_area(space_ids=space_ids, leased_area=selectors.leased_area_by_space)


@transaction.atomic
def project_create(
    *,
    zone: Zone,
    by: User,
    name: str,
    investor_name: str,
    industry: Industry,
    carrier: str,
    officer: User,
    stage: str = Stage.PLANNED,
    stage_on: dt.date | None = None,
    uscc: str = "",
    lead: Lead | None = None,
    note: str = "",
    **fields: Any,
) -> Project:
    refuse_unknown_fields(fields, DETAIL_FIELDS, "project")
    name = clean(name)
    if not name:
        raise DomainError(_("The project name is required."), field="name")
    investor_name = clean(investor_name)
    if not investor_name:
        raise DomainError(_("The investor is required."), field="investor_name")
    if carrier not in Carrier.values:
        raise DomainError(_("Choose the project's carrier."), field="carrier")
    if stage not in stages.path_of(carrier):
        raise DomainError(
            _("%(stage)s is not a stage of this kind of project.") % {"stage": Stage(stage).label},
            field="stage",
        )
    stage_on = stage_on or timezone.localdate()
    _check_date(stage_on)
    _check_refs(
        zone,
        industry=industry,
        segment=fields.get("segment"),
        officer=officer,
        space=fields.get("space"),
    )
    project = Project(
        zone=zone,
        name=name,
        investor_name=investor_name,
        industry=industry,
        carrier=carrier,
        officer=officer,
        stage=Stage.PLANNED,
        stage_on=stage_on,
        lead=lead,
        **fields,
    )
    _check_carrier(project)
    if uscc:
        _set_enterprise_from_uscc(
            project, uscc=uscc, company_name=investor_name, on=stage_on, by=by
        )
    # A project starting later in the pipeline must already carry what those stages ask for.
    missing = stages.missing_from_start(project, stage)
    if missing:
        raise DomainError(missing[0].message, field=missing[0].field)
    project.stage = stage
    project._history_user = by
    project.full_clean(exclude=["officer", "industry", "zone", "enterprise", "lead"])
    project.save()
    _recount_spaces([project.space_id])
    StageChange.objects.create(
        project=project, to_stage=stage, kind=StageChange.Kind.START, on=stage_on, by=by, note=note
    )
    reached_refresh([project])
    return project


def _in_registry(zone_id: int, uscc: str) -> bool:
    return bool(uscc) and Enterprise.objects.filter(zone_id=zone_id, uscc=uscc).exists()


@transaction.atomic
def project_create_from_lead(
    *,
    lead: Lead,
    by: User,
    signed_on: dt.date,
    name: str,
    carrier: str,
    officer: User | None = None,
    industry: Industry | None = None,
    **fields: Any,
) -> Project:
    """签约: the lead is signed and becomes a project at 签约 in one step, carrying the lead's
    company, industry, segment, officer and expected investment."""
    locked = Lead.objects.select_for_update().get(pk=lead.pk)
    if hasattr(locked, "project"):
        raise DomainError(_("This lead has already become a project."))
    industry = industry or locked.industry
    if industry is None:
        raise DomainError(_("Choose the project's industry."), field="industry")
    fields.setdefault("segment", locked.segment if locked.industry_id == industry.pk else None)
    if fields.get("planned_investment") is None:
        fields["planned_investment"] = locked.expected_investment
    project = project_create(
        zone=locked.zone,
        by=by,
        name=name,
        investor_name=fields.pop("investor_name", "") or locked.company_name,
        industry=industry,
        carrier=carrier,
        officer=officer or locked.officer,
        stage=Stage.SIGNED,
        stage_on=signed_on,
        # The lead's code is the target company's, often a parent elsewhere: it is linked
        # only when that company is already in this zone's registry (增资扩产). The local
        # company is registered, and enters the registry, at 注册.
        uscc=locked.uscc if _in_registry(locked.zone_id, locked.uscc) else "",
        lead=locked,
        note=_("Signed from lead %(name)s") % {"name": locked.company_name},
        **fields,
    )
    lead_mark_signed(lead=locked, by=by)
    return project


@transaction.atomic
def project_update(*, project: Project, by: User, version: int | None, **fields: Any) -> Project:
    refuse_unknown_fields(fields, DETAIL_FIELDS, "project")
    current = lock_at_version(project, version)
    old_space, old_carrier = current.space_id, current.carrier
    if "name" in fields:
        fields["name"] = clean(fields["name"])
        if not fields["name"]:
            raise DomainError(_("The project name is required."), field="name")
    if "investor_name" in fields:
        fields["investor_name"] = clean(fields["investor_name"])
        if not fields["investor_name"]:
            raise DomainError(_("The investor is required."), field="investor_name")
    new_carrier = fields.get("carrier", current.carrier)
    if new_carrier != current.carrier and _has_carrier_stages(current):
        raise DomainError(
            _(
                "The carrier cannot change once the project has been past 注册: its stage "
                "changes belong to the %(carrier)s path."
            )
            % {"carrier": current.get_carrier_display()},
            field="carrier",
        )
    _check_refs(
        current.zone,
        industry=fields.get("industry", current.industry),
        segment=fields.get("segment", current.segment),
        officer=fields.get("officer", current.officer),
        space=fields.get("space", current.space),
    )
    for name, value in fields.items():
        setattr(current, name, value)
    _check_carrier(current)
    if current.stage != Stage.TERMINATED:
        # What the stages already passed required cannot be taken away afterwards.
        missing = stages.missing_from_start(current, current.stage)
        if missing:
            raise DomainError(missing[0].message, field=missing[0].field)
    _save(current, by)
    _recount_spaces([old_space, current.space_id])
    if current.carrier != old_carrier:
        reached_refresh([current])
    return current


_BEFORE_CARRIER = {
    str(Stage.PLANNED),
    str(Stage.NEGOTIATING),
    str(Stage.SIGNED),
    str(Stage.REGISTERED),
}


def _has_carrier_stages(project: Project) -> bool:
    """Whether any stage change took the project past 注册: from there on its changes only
    mean something on its own carrier's path, so the carrier is fixed."""
    return project.stage_changes.exclude(to_stage__in=[*_BEFORE_CARRIER, Stage.TERMINATED]).exists()


@transaction.atomic
def project_advance(
    *,
    project: Project,
    by: User,
    to_stage: str,
    on: dt.date,
    version: int,
    note: str = "",
    uscc: str = "",
    company_name: str = "",
    **evidence: Any,
) -> StageChange:
    """Record the project entering `to_stage` on `on`.

    The next stage on the project's path is an advance; a later one is a skip and a earlier
    one a move back, and both need a note giving the reason, as does 终止. A gated stage
    (and any gated stage skipped over) must have its evidence, which may come with the change.
    """
    refuse_unknown_fields(evidence, EVIDENCE_FIELDS, "evidence")
    current = lock_at_version(project, version)
    old_space = current.space_id
    note = note.strip()
    from_stage = current.stage
    if to_stage == from_stage:
        raise DomainError(_("The project is already at this stage."), field="to_stage")
    _check_date(on, after=current.stage_on, what=current.get_stage_display())
    if to_stage == Stage.TERMINATED:
        kind = StageChange.Kind.TERMINATE
        if not note:
            raise DomainError(_("Say why the project is terminated."), field="note")
    else:
        if not stages.is_on_path(to_stage, current.carrier):
            raise DomainError(
                _("%(stage)s is not a stage of a %(carrier)s project.")
                % {"stage": Stage(to_stage).label, "carrier": current.get_carrier_display()},
                field="to_stage",
            )
        if from_stage == Stage.TERMINATED:
            kind = StageChange.Kind.BACK
            _check_reopening(current, to_stage)
        else:
            step = stages.position(to_stage, current.carrier) - stages.position(
                from_stage, current.carrier
            )
            kind = (
                StageChange.Kind.ADVANCE
                if step == 1
                else StageChange.Kind.SKIP
                if step > 1
                else StageChange.Kind.BACK
            )
        if kind != StageChange.Kind.ADVANCE and not note:
            raise DomainError(
                _("Moving back, skipping a stage or reopening a project needs a reason."),
                field="note",
            )
    for name, value in evidence.items():
        if value not in (None, ""):
            setattr(current, name, value)
    _check_refs(current.zone, industry=None, segment=None, officer=None, space=current.space)
    _check_carrier(current)
    if uscc and to_stage != Stage.TERMINATED:
        _set_enterprise_from_uscc(current, uscc=uscc, company_name=company_name, on=on, by=by)
    if kind in (StageChange.Kind.ADVANCE, StageChange.Kind.SKIP):
        missing = stages.missing_evidence(current, to_stage)
        if missing:
            raise DomainError(" ".join(r.message for r in missing), field=missing[0].field)
    if (
        to_stage == Stage.LAND_ACQUIRED
        and current.land_contract_on is not None
        and current.land_contract_on > on
    ):
        raise DomainError(
            _("The land contract is dated after the day the land was acquired."),
            field="land_contract_on",
        )
    if to_stage == Stage.CONSTRUCTION:
        landed = (
            current.stage_changes.filter(to_stage=Stage.LAND_ACQUIRED)
            .order_by("-on", "-pk")
            .values_list("on", flat=True)
            .first()
        )
        current.land_to_construction_days = (on - landed).days if landed else None
    elif kind == StageChange.Kind.BACK and stages.position(
        to_stage, current.carrier
    ) < stages.position(Stage.CONSTRUCTION, current.carrier):
        current.land_to_construction_days = None
    current.stage = to_stage
    current.stage_on = on
    _save(current, by)
    # A terminated project frees its floor area; a reopened one takes it again.
    _recount_spaces([old_space, current.space_id])
    if kind == StageChange.Kind.TERMINATE:
        _close_blockers(current, on=on, reason=note, by=by)
    change = StageChange.objects.create(
        project=current,
        from_stage=from_stage,
        to_stage=to_stage,
        kind=kind,
        on=on,
        by=by,
        note=note,
    )
    reached_refresh([current])
    return change


def reached_refresh(projects: Sequence[Project]) -> None:
    """Recompute the projects' first-reached dates (stages.REACHED_FIELDS) from their stage
    changes: one read, then one write per project, whatever the instance held. Derived
    columns, so no history row is written for them."""
    by_pk = {p.pk: p for p in projects}
    changes: dict[int, list[tuple[str, dt.date]]] = {pk: [] for pk in by_pk}
    rows = StageChange.objects.filter(project_id__in=by_pk).order_by()
    for project_id, to_stage, on in rows.values_list("project_id", "to_stage", "on"):
        changes[project_id].append((to_stage, on))
    with figure_cache.covering([Project], {p.zone_id for p in projects}):
        for pk, project in by_pk.items():
            dates = stages.reached_dates(project.carrier, changes[pk])
            Project.objects.filter(pk=pk).update(**dates)
            for name, value in dates.items():
                setattr(project, name, value)


def _close_blockers(project: Project, *, on: dt.date, reason: str, by: User) -> None:
    """A terminated project's open blockers are closed as unresolvable, in the same step, so
    nobody is left chasing them (reopening the project does not reopen them)."""
    for blocker in project.blockers.filter(status__in=OPEN_BLOCKER_STATUSES):
        blocker.status = BlockerStatus.UNRESOLVABLE
        blocker.resolution = _("Project terminated: %(reason)s") % {"reason": reason}
        blocker.closed_on = max(on, blocker.raised_on)
        save_recorded(blocker, by)


def _check_reopening(project: Project, to_stage: str) -> None:
    """A terminated project reopens at the stage it was terminated at, or an earlier one."""
    held = (
        project.stage_changes.exclude(to_stage=Stage.TERMINATED)
        .order_by("-on", "-pk")
        .values_list("to_stage", flat=True)
        .first()
    )
    if held is not None and stages.position(to_stage, project.carrier) > stages.position(
        held, project.carrier
    ):
        raise DomainError(
            _(
                "A terminated project reopens at %(stage)s, where it stopped, or at an earlier "
                "stage; move it on from there."
            )
            % {"stage": Stage(held).label},
            field="to_stage",
        )


def rewind_derived(day: dt.date, moment: dt.datetime) -> None:
    """After gaoxin.core.rewind put projects and stage changes back as known at `moment`: the
    columns derived without a history row computed again from them, as the services compute
    them (services.reached_refresh: a project's first day at each stage of its path, from its
    stage changes; services._recount_spaces: a space's leased area, its signed tenants' floor
    area), each in one UPDATE whatever the number of projects."""
    from decimal import Decimal

    from django.db.models import Case, OuterRef, Q, Subquery, Sum, Value, When
    from django.db.models.functions import Coalesce

    later = Q(history_date__gt=moment)
    rewound = Project.history.filter(later)
    touched = Q(pk__in=rewound.values("id")) | Q(
        pk__in=StageChange.history.filter(later).values("project_id")
    )

    def first_into(reaching: list[str]) -> Subquery:
        changes = StageChange._base_manager.filter(project=OuterRef("pk"), to_stage__in=reaching)
        return Subquery(changes.order_by("on").values("on")[:1])

    dates = {}
    for stage, name in stages.REACHED_FIELDS.items():
        whens = [
            When(carrier=carrier, then=first_into([str(s) for s in path[path.index(stage) :]]))
            for carrier, path in stages.PATHS.items()
            if stage in path
        ]
        dates[name] = Case(*whens, default=Value(None))
    if not Project._base_manager.filter(touched).update(**dates):
        return
    spaces = Q(pk__in=Project._base_manager.filter(touched).values("space_id")) | Q(
        pk__in=rewound.values("space_id")
    )
    tenants = (
        Project._base_manager.filter(
            space=OuterRef("pk"), floor_area__isnull=False, stage__in=stages.LEASING_STAGES
        )
        .order_by()
        .values("space")
        .annotate(total=Sum("floor_area"))
        .values("total")
    )
    Space._base_manager.filter(spaces).update(
        leased_floor_area=Coalesce(Subquery(tenants), Value(Decimal(0)))
    )
