"""The blocker pages (难点/堵点): the filterable list with overdue badges and export, raising a
blocker on a project, and one blocker with its status form, reassignment and history."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gaoxin.core.access import require_roles, role_of, working_zone_ids
from gaoxin.core.excel import write_workbook, xlsx_response
from gaoxin.core.forms import save_or_show
from gaoxin.core.http import AuthedRequest
from gaoxin.core.pagination import capped_count, lookahead_page, query_without_page
from gaoxin.core.roles import STAFF_ROLES, Role
from gaoxin.projects.models import Blocker, BlockerStatus
from gaoxin.projects.work.blockers import selectors, services
from gaoxin.projects.work.blockers.forms import (
    BlockerFilterForm,
    BlockerForm,
    BlockerReassignForm,
    BlockerStatusForm,
)
from gaoxin.projects.work.selectors import project_for_work


@login_required
@require_GET
def blocker_list(request: AuthedRequest) -> HttpResponse:
    require_roles(request.user, STAFF_ROLES)
    own_department = role_of(request.user) == Role.DEPARTMENT
    data = request.GET.copy()
    if own_department and "status" not in data:
        data["status"] = "open"
    form = BlockerFilterForm(
        data, zone_ids=working_zone_ids(request.user), own_department=own_department
    )
    if form.is_valid():
        queryset = selectors.blocker_search(request.user, **form.search_arguments())
    else:
        queryset = Blocker.objects.none()
    if request.GET.get("export") == "xlsx":
        return _export(queryset)
    page = lookahead_page(request, queryset)
    total, more = capped_count(queryset, page)
    today = timezone.localdate()
    context = {
        "form": form,
        "page": page,
        "total": total,
        "more": more,
        "late": {b.pk for b in page.object_list if selectors.blocker_is_overdue(b, today)},
        "query": query_without_page(request),
        "sort": (form.cleaned_data.get("sort") if form.is_valid() else "") or "due",
        "own_department": own_department,
    }
    template = (
        "projects/blocker_list_results.html" if request.htmx else "projects/blocker_list.html"
    )
    return render(request, template, context)


def _export(queryset: QuerySet[Blocker]) -> HttpResponse:
    rows = queryset[: settings.GAOXIN_EXPORT_MAX_ROWS]
    today = timezone.localdate()
    headers = [
        _("Project"),
        _("Stage"),
        _("Blocker"),
        _("Responsible department"),
        _("Responsible person"),
        _("Raised on"),
        _("Due on"),
        _("Status"),
        _("Overdue"),
        _("Closed on"),
        _("Resolution"),
    ]

    def lines() -> Iterator[list[Any]]:
        for b in rows.iterator(chunk_size=2000):
            yield [
                b.project.name,
                b.get_stage_display(),
                b.description,
                b.department.name,
                str(b.owner) if b.owner else "",
                b.raised_on,
                b.due_on,
                b.get_status_display(),
                _("Yes") if selectors.blocker_is_overdue(b, today) else _("No"),
                b.closed_on,
                b.resolution,
            ]

    title = _("Blockers")
    return xlsx_response(
        write_workbook(headers, lines(), title=f"{title} {today}"),
        f"{title}-{today:%Y%m%d}.xlsx",
    )


@login_required
@require_http_methods(["GET", "POST"])
def blocker_create(request: AuthedRequest, project_pk: int) -> HttpResponse:
    project = project_for_work(request.user, project_pk, write=True)
    form = BlockerForm(request.POST or None, zone_id=project.zone_id)
    blocker = save_or_show(
        request,
        form,
        lambda data: services.blocker_create(
            project=project_for_work(request.user, project_pk, write=True),
            by=request.user,
            **{**data, "stage": data.get("stage") or None},
        ),
    )
    if blocker is not None:
        messages.success(request, _("The blocker was recorded."))
        return redirect("blockers:detail", blocker.pk)
    return render(request, "projects/blocker_form.html", {"form": form, "project": project})


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
    saved = save_or_show(
        request,
        form,
        lambda data: services.blocker_update_status(
            blocker=selectors.blocker_get_for_user(request.user, pk, write=True),
            by=request.user,
            version=form.opened_version,
            **form.details(),
        ),
    )
    if saved is not None:
        messages.success(
            request, _("The blocker is now %(status)s.") % {"status": saved.get_status_display()}
        )
        return redirect("blockers:detail", saved.pk)
    return _detail(request, blocker, status_form=form)


@login_required
@require_POST
def blocker_reassign(request: AuthedRequest, pk: int) -> HttpResponse:
    blocker = selectors.blocker_get_for_user(request.user, pk)
    if not selectors.blocker_can_reassign(request.user, blocker):
        raise PermissionDenied
    form = BlockerReassignForm(request.POST, record=blocker, zone_id=blocker.project.zone_id)
    saved = save_or_show(
        request,
        form,
        lambda data: services.blocker_reassign(
            blocker=selectors.blocker_get_for_user(request.user, pk),
            by=request.user,
            version=form.opened_version,
            **form.details(),
        ),
    )
    if saved is not None:
        messages.success(request, _("The blocker was reassigned."))
        return redirect("blockers:detail", saved.pk)
    return _detail(request, blocker, reassign_form=form)
