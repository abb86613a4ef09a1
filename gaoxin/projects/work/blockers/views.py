"""The blocker pages (难点/堵点): the filterable list with overdue badges and export, raising a
blocker on a project, and one blocker with its status form, reassignment and history."""

from __future__ import annotations

from functools import partial

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, ExpressionWrapper
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gaoxin.core.access import require_roles, role_of, working_zone_ids
from gaoxin.core.forms import save_and_redirect
from gaoxin.core.http import AuthedRequest
from gaoxin.core.lists import Export, filtered, render_list
from gaoxin.core.metrics import Column, Kind
from gaoxin.core.roles import STAFF_ROLES, Role
from gaoxin.projects.models import Blocker, BlockerStatus
from gaoxin.projects.work.blockers import selectors, services
from gaoxin.projects.work.blockers.forms import (
    BlockerFilterForm,
    BlockerForm,
    BlockerReassignForm,
    BlockerStatusForm,
)
from gaoxin.projects.work.blockers.metrics import BLOCKER_COLUMNS
from gaoxin.projects.work.selectors import project_for_work

# The export: the figures' columns of a blocker (blockers/metrics.py), with whether it is
# overdue today and how it was resolved.
_project, _blocker, _stage, _department, _owner, _raised, _due, _status, _closed = BLOCKER_COLUMNS
EXPORT_COLUMNS = (
    _project,
    _stage,
    _blocker,
    _department,
    _owner,
    _raised,
    _due,
    _status,
    Column(gettext_lazy("Overdue"), "overdue", Kind.YES_NO),
    _closed,
    Column(gettext_lazy("Resolution"), "resolution"),
)


# What a row of the list shows (projects/blocker_list_results.html): a page reads these
# columns, not every column of a blocker, its project, department and owner.
PAGE_FIELDS = (
    "stage",
    "description",
    "status",
    "raised_on",
    "due_on",
    "closed_on",
    "project",
    "project__name",
    "department",
    "department__name",
    "owner",
    "owner__name",
    "owner__username",
)


@login_required
@require_GET
def blocker_list(request: AuthedRequest) -> HttpResponse:
    require_roles(request.user, STAFF_ROLES)
    own_department = role_of(request.user) == Role.DEPARTMENT
    data = request.GET.copy()
    if "status" not in data:
        data["status"] = "open"  # what is still to handle; closed ones are a choice away
    form = BlockerFilterForm(
        data, zone_ids=working_zone_ids(request.user), own_department=own_department
    )
    today = timezone.localdate()
    # Overdue today, read in the query: the page's badges and the sheet's column alike.
    queryset = filtered(form, partial(selectors.blocker_search, request.user), Blocker).annotate(
        overdue=ExpressionWrapper(selectors.blocker_overdue_q(today), BooleanField())
    )
    return render_list(
        request,
        form,
        queryset,
        template="projects/blocker_list.html",
        fragment="projects/blocker_list_results.html",
        export=Export(EXPORT_COLUMNS, gettext_lazy("Blockers")),
        default_sort="urgent",
        page_rows=lambda rows: rows.only(*PAGE_FIELDS),
        extra=lambda page: {
            "late": {b.pk for b in page.object_list if b.overdue},
            "soon": {b.pk for b in page.object_list if selectors.blocker_due_soon(b, today)},
            "own_department": own_department,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def blocker_create(request: AuthedRequest, project_pk: int) -> HttpResponse:
    project = project_for_work(request.user, project_pk, write=True)
    form = BlockerForm(request.POST or None, zone_id=project.zone_id, project=project)
    saved = save_and_redirect(
        request,
        form,
        lambda data: services.blocker_create(
            project=project_for_work(request.user, project_pk, write=True),
            by=request.user,
            **{**data, "stage": data.get("stage") or None},
        ),
        message=_("The blocker was recorded."),
    )
    return saved or render(
        request, "projects/blocker_form.html", {"form": form, "project": project}
    )


def _detail(
    request: AuthedRequest,
    blocker: Blocker,
    *,
    status_form: BlockerStatusForm | None = None,
    reassign_form: BlockerReassignForm | None = None,
) -> HttpResponse:
    can_write = selectors.blocker_can_write(request.user, blocker)
    can_reassign = blocker.is_open and selectors.blocker_can_reassign(request.user, blocker)
    if can_write and status_form is None:
        status_form = BlockerStatusForm(record=blocker, initial={"status": _next_status(blocker)})
    if can_reassign and reassign_form is None:
        reassign_form = BlockerReassignForm(
            record=blocker,
            zone_id=blocker.project.zone_id,
            initial={
                "department": blocker.department_id,
                "owner": blocker.owner_id,
                "due_on": blocker.due_on,
            },
        )
    return render(
        request,
        "projects/blocker_detail.html",
        {
            "blocker": blocker,
            "project": blocker.project,
            "late": selectors.blocker_is_overdue(blocker),
            "can_write": can_write,
            "status_form": status_form if can_write else None,
            "reassign_form": reassign_form if can_reassign else None,
        },
    )


def _next_status(blocker: Blocker) -> str:
    """The status the form offers first: the next step along 待处理 → 处理中 → 已解决."""
    moves = services.BLOCKER_MOVES[blocker.status]
    return next((s for s in BlockerStatus.values if s in moves), blocker.status)


@login_required
@require_GET
def blocker_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.blocker_get_for_user(request.user, pk))


@login_required
@require_POST
def blocker_status(request: AuthedRequest, pk: int) -> HttpResponse:
    blocker = selectors.blocker_get_for_user(request.user, pk, write=True)
    form = BlockerStatusForm(request.POST, record=blocker)
    saved = save_and_redirect(
        request,
        form,
        lambda data: services.blocker_update_status(
            blocker=selectors.blocker_get_for_user(request.user, pk, write=True),
            by=request.user,
            version=form.opened_version,
            **form.details(),
        ),
        message=lambda saved: (
            _("The blocker is now %(status)s.") % {"status": saved.get_status_display()}
        ),
    )
    return saved or _detail(request, blocker, status_form=form)


@login_required
@require_POST
def blocker_reassign(request: AuthedRequest, pk: int) -> HttpResponse:
    blocker = selectors.blocker_get_for_user(request.user, pk)
    if not selectors.blocker_can_reassign(request.user, blocker):
        raise PermissionDenied
    form = BlockerReassignForm(request.POST, record=blocker, zone_id=blocker.project.zone_id)
    saved = save_and_redirect(
        request,
        form,
        lambda data: services.blocker_reassign(
            blocker=selectors.blocker_get_for_user(request.user, pk),
            by=request.user,
            version=form.opened_version,
            **form.details(),
        ),
        message=_("The blocker was reassigned."),
    )
    return saved or _detail(request, blocker, reassign_form=form)
