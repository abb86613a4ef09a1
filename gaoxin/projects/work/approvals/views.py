"""The approval pages: 我的待办 for department users and the filterable list for the rest, one
approval's update form with its history, the checklist templates, and adding approvals to a
land project (from a template, or one at a time)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from gaoxin.core.access import WRITERS, require_roles, role_of, working_zone_ids
from gaoxin.core.excel import write_workbook, xlsx_response
from gaoxin.core.forms import save_or_show
from gaoxin.core.http import AuthedRequest
from gaoxin.core.pagination import capped_count, lookahead_page, query_without_page
from gaoxin.core.roles import STAFF_ROLES, Role
from gaoxin.projects.models import Approval, ApprovalTemplateItem
from gaoxin.projects.work.approvals import selectors, services
from gaoxin.projects.work.approvals.forms import (
    ApprovalAddForm,
    ApprovalApplyForm,
    ApprovalFilterForm,
    ApprovalUpdateForm,
)
from gaoxin.projects.work.selectors import project_for_work


def _late_sets(approvals: list[Approval]) -> tuple[set[int], set[int]]:
    """The approvals past their due date, and those whose owed documents are late."""
    today = timezone.localdate()
    late = {a.pk for a in approvals if selectors.approval_is_overdue(a, today)}
    documents = {a.pk for a in approvals if selectors.approval_documents_overdue(a, today)}
    return late, documents


@login_required
@require_GET
def approval_list(request: AuthedRequest) -> HttpResponse:
    require_roles(request.user, STAFF_ROLES)
    own_department = role_of(request.user) == Role.DEPARTMENT
    data = request.GET.copy()
    if own_department and "status" not in data:
        data["status"] = "open"  # 我的待办: what is still to do
    form = ApprovalFilterForm(
        data, zone_ids=working_zone_ids(request.user), own_department=own_department
    )
    if form.is_valid():
        queryset = selectors.approval_search(request.user, **form.search_arguments())
    else:
        queryset = Approval.objects.none()
    if request.GET.get("export") == "xlsx":
        return _export(queryset)
    page = lookahead_page(request, queryset)
    total, more = capped_count(queryset, page)
    late, documents_late = _late_sets(page.object_list)
    context = {
        "form": form,
        "page": page,
        "total": total,
        "more": more,
        "late": late,
        "documents_late": documents_late,
        "query": query_without_page(request),
        "sort": (form.cleaned_data.get("sort") if form.is_valid() else "") or "due",
        "own_department": own_department,
    }
    template = (
        "projects/approval_list_results.html" if request.htmx else "projects/approval_list.html"
    )
    return render(request, template, context)


def _export(queryset: QuerySet[Approval]) -> HttpResponse:
    rows = queryset[: settings.GAOXIN_EXPORT_MAX_ROWS]
    today = timezone.localdate()
    headers = [
        _("Project"),
        _("Approval"),
        _("Department"),
        _("Status"),
        _("Started on"),
        _("Due on"),
        _("Done on"),
        _("Days taken"),
        _("Documents still owed"),
        _("Documents due on"),
        _("Overdue"),
        _("Note"),
    ]

    def lines() -> Iterator[list[Any]]:
        for a in rows.iterator(chunk_size=2000):
            late = selectors.approval_is_overdue(a, today) or selectors.approval_documents_overdue(
                a, today
            )
            yield [
                a.project.name,
                a.name,
                a.department.name,
                a.get_status_display(),
                a.started_on,
                a.due_on,
                a.done_on,
                a.days_taken,
                a.owed_documents,
                a.owed_due_on,
                _("Yes") if late else _("No"),
                a.note,
            ]

    title = _("Approvals")
    return xlsx_response(
        write_workbook(headers, lines(), title=f"{title} {today}"),
        f"{title}-{today:%Y%m%d}.xlsx",
    )


@login_required
@require_http_methods(["GET", "POST"])
def approval_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Anyone who may see the approval reads it here with its history; those who may change
    it (its department's users, officers, administrators) get the form."""
    write = request.method == "POST"
    approval = selectors.approval_get_for_user(request.user, pk, write=write)
    can_write = write or selectors.approval_can_write(request.user, approval)
    form = (
        ApprovalUpdateForm(
            request.POST or None,
            record=approval,
            initial=ApprovalUpdateForm.initial_for(approval),
            may_set_due=role_of(request.user) in WRITERS,
        )
        if can_write
        else None
    )
    saved = (
        save_or_show(
            request,
            form,
            lambda data: services.approval_update(
                approval=selectors.approval_get_for_user(request.user, pk, write=True),
                by=request.user,
                version=form.opened_version,
                **form.details(),
            ),
        )
        if form is not None
        else None
    )
    if saved is not None:
        messages.success(request, _("%(name)s was updated.") % {"name": saved.name})
        return redirect("approvals:edit", saved.pk)
    today = timezone.localdate()
    return render(
        request,
        "projects/approval_edit.html",
        {
            "approval": approval,
            "project": approval.project,
            "form": form,
            "can_write": can_write,
            "late": selectors.approval_is_overdue(approval, today),
            "documents_late": selectors.approval_documents_overdue(approval, today),
        },
    )


@login_required
@require_GET
def approval_templates(request: AuthedRequest) -> HttpResponse:
    require_roles(request.user, STAFF_ROLES)
    templates = (
        selectors.approval_template_list_for_user(request.user)
        .select_related("zone")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=ApprovalTemplateItem.objects.select_related("department").order_by(
                    "order", "pk"
                ),
            )
        )
        .order_by("zone__code", "name")
    )
    return render(
        request,
        "projects/approval_templates.html",
        {"templates": templates, "is_admin": role_of(request.user) == Role.ADMIN},
    )


@login_required
@require_http_methods(["GET", "POST"])
def approval_apply(request: AuthedRequest, project_pk: int) -> HttpResponse:
    """Give a land project the approvals of a checklist template."""
    project = project_for_work(request.user, project_pk, write=True)
    form = ApprovalApplyForm(
        request.POST or None, templates=selectors.approval_templates_for_project(project)
    )
    created = save_or_show(
        request,
        form,
        lambda data: services.approvals_create_from_template(
            project=project_for_work(request.user, project_pk, write=True),
            by=request.user,
            **data,
        ),
    )
    if created is not None:
        messages.success(
            request,
            _("%(count)d approvals were added to the project.") % {"count": len(created)},
        )
        return redirect(project)
    return render(request, "projects/approval_apply.html", {"form": form, "project": project})


@login_required
@require_http_methods(["GET", "POST"])
def approval_add(request: AuthedRequest, project_pk: int) -> HttpResponse:
    """Add one approval that no template lists."""
    project = project_for_work(request.user, project_pk, write=True)
    form = ApprovalAddForm(request.POST or None, zone_id=project.zone_id)
    created = save_or_show(
        request,
        form,
        lambda data: services.approval_add(
            project=project_for_work(request.user, project_pk, write=True),
            by=request.user,
            **data,
        ),
    )
    if created is not None:
        messages.success(request, _("%(name)s was added.") % {"name": created.name})
        return redirect(project)
    return render(request, "projects/approval_add.html", {"form": form, "project": project})
