"""Figures of the approvals and blockers, each as of a date (imported by projects/metrics.py).

A blocker is open on a day from the day it was raised until the day it closed; an approval is
done from its completion date. Both read the dated fields, so a month's figure can be asked
again later and comes out the same (a reopened blocker loses its closing date, so it counts as
open through the time it was closed)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from gaoxin.accounts.models import Department
from gaoxin.core.metrics import Column, MetricScope, Unit, breakdown, metric
from gaoxin.projects.models import Approval, ApprovalStatus, Blocker, Project
from gaoxin.projects.stages import Stage

GROUP = _("Approvals and blockers")

BLOCKER_COLUMNS = (
    Column(_("Project"), "project.name"),
    Column(_("Blocker"), "description"),
    Column(_("Stage"), "get_stage_display"),
    Column(_("Responsible department"), "department.name"),
    Column(_("Responsible person"), "owner"),
    Column(_("Raised on"), "raised_on"),
    Column(_("Due on"), "due_on"),
    Column(_("Status"), "get_status_display"),
    Column(_("Closed on"), "closed_on"),
)
APPROVAL_COLUMNS = (
    Column(_("Project"), "project.name"),
    Column(_("Approval"), "name"),
    Column(_("Department"), "department.name"),
    Column(_("Started on"), "started_on"),
    Column(_("Due on"), "due_on"),
    Column(_("Done on"), "done_on"),
    Column(_("Status"), "get_status_display"),
)
PENDING_COLUMNS = (
    Column(_("Project"), "project.name"),
    Column(_("Approval"), "name"),
    Column(_("Department"), "department.name"),
    Column(_("Documents still owed"), "owed_documents"),
    Column(_("Documents due on"), "owed_due_on"),
    Column(_("Status"), "get_status_display"),
)
DONE_COLUMNS = (
    Column(_("Project"), "project.name"),
    Column(_("Approval"), "name"),
    Column(_("Department"), "department.name"),
    Column(_("Started on"), "started_on"),
    Column(_("Done on"), "done_on"),
    Column(_("Days taken"), "days_taken"),
)


def _zone_projects(scope: MetricScope) -> QuerySet[Project]:
    """The zones' project ids, as a subquery: SQLite then reaches blockers and approvals
    through their project index instead of scanning every zone's rows."""
    return Project.objects.filter(zone_id__in=scope.zone_ids).values("pk")


def _blockers(scope: MetricScope) -> QuerySet[Blocker]:
    return Blocker.objects.filter(project_id__in=_zone_projects(scope)).select_related(
        "project", "department", "owner"
    )


def _approvals(scope: MetricScope) -> QuerySet[Approval]:
    return Approval.objects.filter(project_id__in=_zone_projects(scope)).select_related(
        "project", "department"
    )


def open_blockers_q(scope: MetricScope) -> Q:
    return Q(raised_on__lte=scope.as_of) & (
        Q(closed_on__isnull=True) | Q(closed_on__gt=scope.as_of)
    )


@metric(
    "blockers.open",
    label=_("Open blockers (难点/堵点)"),
    unit=Unit.ITEM,
    columns=BLOCKER_COLUMNS,
    group=GROUP,
    description=_("Raised by the day and not closed by then."),
)
def blockers_open(scope: MetricScope) -> QuerySet[Blocker]:
    return _blockers(scope).filter(open_blockers_q(scope)).order_by("due_on", "pk")


@metric(
    "blockers.overdue",
    label=_("Overdue blockers"),
    unit=Unit.ITEM,
    columns=BLOCKER_COLUMNS,
    group=GROUP,
    description=_("Open on the day and past their due date."),
)
def blockers_overdue(scope: MetricScope) -> QuerySet[Blocker]:
    return (
        _blockers(scope)
        .filter(open_blockers_q(scope), due_on__lt=scope.as_of)
        .order_by("due_on", "pk")
    )


@metric(
    "approvals.overdue",
    label=_("Overdue approvals"),
    unit=Unit.ITEM,
    columns=APPROVAL_COLUMNS,
    group=GROUP,
    description=_(
        "Not done by the day and past their due date (projects terminated since are left out)."
    ),
)
def approvals_overdue(scope: MetricScope) -> QuerySet[Approval]:
    return (
        _approvals(scope)
        .exclude(project__stage=Stage.TERMINATED)
        .filter(Q(done_on__isnull=True) | Q(done_on__gt=scope.as_of))
        .filter(due_on__lt=scope.as_of)
        .order_by("due_on", "pk")
    )


@metric(
    "approvals.pending_documents_overdue",
    label=_("容缺受理 approvals with documents overdue"),
    unit=Unit.ITEM,
    columns=PENDING_COLUMNS,
    group=GROUP,
    description=_("Accepted with documents still owed, whose deadline had passed by the day."),
)
def approvals_pending_documents_overdue(scope: MetricScope) -> QuerySet[Approval]:
    return (
        _approvals(scope)
        .exclude(project__stage=Stage.TERMINATED)
        .filter(status=ApprovalStatus.ACCEPTED_PENDING, owed_due_on__lt=scope.as_of)
        .order_by("owed_due_on", "pk")
    )


@metric(
    "approvals.done",
    label=_("Approvals done (已办结)"),
    unit=Unit.ITEM,
    columns=DONE_COLUMNS,
    group=GROUP,
    description=_("Done by the day; the table shows the days each took."),
)
def approvals_done(scope: MetricScope) -> QuerySet[Approval]:
    return _approvals(scope).filter(done_on__lte=scope.as_of).order_by("-done_on", "pk")


# One department's share of the overdue work (the dashboard's bars by department).
breakdown("blockers.overdue", "department", "department_id", Department)
breakdown("approvals.overdue", "department", "department_id", Department)
