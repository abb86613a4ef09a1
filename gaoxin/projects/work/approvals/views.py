"""The approval pages: 我的待办 for department users and the filterable list for the rest, one
approval's update form with its history, the checklist templates, and adding approvals to a
land project (from a template, or one at a time)."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import BooleanField, ExpressionWrapper, Prefetch
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gaoxin.core.access import WRITERS, require_roles, role_of, working_zone_ids
from gaoxin.core.forms import save_and_redirect
from gaoxin.core.http import AuthedRequest
from gaoxin.core.lists import Export, filtered, render_list
from gaoxin.core.metrics import Column, Kind
from gaoxin.core.pagination import LookaheadPage
from gaoxin.core.roles import STAFF_ROLES, Role
from gaoxin.projects.models import Approval, ApprovalTemplateItem
from gaoxin.projects.work.approvals import selectors, services
from gaoxin.projects.work.approvals.forms import (
    ApprovalAddForm,
    ApprovalApplyForm,
    ApprovalDocumentsForm,
    ApprovalFilterForm,
    ApprovalUpdateForm,
)
from gaoxin.projects.work.approvals.metrics import APPROVAL_COLUMNS, DONE_COLUMNS, PENDING_COLUMNS
from gaoxin.projects.work.selectors import project_for_work


def _badges(approvals: list[Approval]) -> dict[str, set[int]]:
    """The page's badges, read from its rows: red for what is past its deadline and still to
    do, amber for what falls due within DUE_SOON_DAYS (the approval, or its owed documents)."""
    today = timezone.localdate()
    return {
        "late": {a.pk for a in approvals if selectors.approval_is_overdue(a, today)},
        "soon": {a.pk for a in approvals if selectors.approval_due_soon(a, today)},
        "documents_late": {
            a.pk for a in approvals if selectors.approval_documents_overdue(a, today)
        },
        "documents_soon": {
            a.pk for a in approvals if selectors.approval_documents_due_soon(a, today)
        },
    }


# The export: an approval's figure columns (approvals/metrics.py) with the days it took, what
# is owed, whether it or its owed documents are late today, and the note.
_project, _approval, _department, _started, _due, _done, _status = APPROVAL_COLUMNS
_owed, _owed_due = PENDING_COLUMNS[3:5]
EXPORT_COLUMNS = (
    _project,
    _approval,
    _department,
    _status,
    _started,
    _due,
    _done,
    DONE_COLUMNS[5],
    Column(gettext_lazy("Days late"), "days_late"),
    _owed,
    _owed_due,
    Column(gettext_lazy("Owed documents received on"), "owed_received_on"),
    Column(gettext_lazy("Owed documents waived on"), "owed_waived_on"),
    Column(gettext_lazy("Why waived"), "owed_waived_reason"),
    Column(gettext_lazy("Overdue"), "late", Kind.YES_NO),
    Column(gettext_lazy("Note"), "note"),
)


@login_required
@require_GET
def approval_list(request: AuthedRequest) -> HttpResponse:
    require_roles(request.user, STAFF_ROLES)
    own_department = role_of(request.user) == Role.DEPARTMENT
    data = request.GET.copy()
    if "status" not in data:
        data["status"] = "open"  # what is still to do; 已办结 and 全部 are a choice away
    form = ApprovalFilterForm(
        data, zone_ids=working_zone_ids(request.user), own_department=own_department
    )
    today = timezone.localdate()
    late = selectors.approval_overdue_q(today) | selectors.approval_documents_overdue_q(today)
    queryset = filtered(form, partial(selectors.approval_search, request.user), Approval).annotate(
        late=ExpressionWrapper(late, BooleanField())
    )

    def badges(page: LookaheadPage) -> dict[str, Any]:
        return {**_badges(page.object_list), "own_department": own_department}

    return render_list(
        request,
        form,
        queryset,
        template="projects/approval_list.html",
        fragment="projects/approval_list_results.html",
        export=Export(EXPORT_COLUMNS, gettext_lazy("Approvals")),
        default_sort="urgent",
        extra=badges,
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
        save_and_redirect(
            request,
            form,
            lambda data: services.approval_update(
                approval=selectors.approval_get_for_user(request.user, pk, write=True),
                by=request.user,
                version=form.opened_version,
                **form.details(),
            ),
            message=_("%(name)s was updated."),
        )
        if form is not None
        else None
    )
    if saved is not None:
        return saved
    return _edit_page(request, approval, form=form, can_write=can_write)


def _edit_page(
    request: AuthedRequest,
    approval: Approval,
    *,
    form: ApprovalUpdateForm | None,
    can_write: bool,
    documents_form: ApprovalDocumentsForm | None = None,
) -> HttpResponse:
    today = timezone.localdate()
    if can_write and approval.owes_documents and documents_form is None:
        documents_form = ApprovalDocumentsForm(record=approval)
    return render(
        request,
        "projects/approval_edit.html",
        {
            "approval": approval,
            "project": approval.project,
            "form": form,
            "can_write": can_write,
            "documents_form": documents_form if approval.owes_documents else None,
            "late": selectors.approval_is_overdue(approval, today),
            "soon": selectors.approval_due_soon(approval, today),
            "documents_late": selectors.approval_documents_overdue(approval, today),
            "documents_soon": selectors.approval_documents_due_soon(approval, today),
        },
    )


@login_required
@require_POST
def approval_documents(request: AuthedRequest, pk: int) -> HttpResponse:
    """Settle the owed 容缺 documents: received (`action=receive`) or waived with a reason
    (`action=waive`)."""
    approval = selectors.approval_get_for_user(request.user, pk, write=True)
    form = ApprovalDocumentsForm(request.POST, record=approval)
    waive = request.POST.get("action") == "waive"

    def write(data: dict[str, Any]) -> Approval:
        current = selectors.approval_get_for_user(request.user, pk, write=True)
        if waive:
            return services.approval_documents_waive(
                approval=current,
                by=request.user,
                reason=data.get("reason") or "",
                on=data.get("on"),
                version=form.opened_version,
            )
        return services.approval_documents_receive(
            approval=current,
            by=request.user,
            on=data.get("on"),
            note=data.get("reason") or "",
            version=form.opened_version,
        )

    saved = save_and_redirect(
        request,
        form,
        write,
        message=(
            _("The owed documents of %(name)s were waived.")
            if waive
            else _("The owed documents of %(name)s were received.")
        ),
    )
    if saved is not None:
        return saved
    update_form = ApprovalUpdateForm(
        record=approval,
        initial=ApprovalUpdateForm.initial_for(approval),
        may_set_due=role_of(request.user) in WRITERS,
    )
    return _edit_page(request, approval, form=update_form, can_write=True, documents_form=form)


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
    saved = save_and_redirect(
        request,
        form,
        lambda data: services.approvals_create_from_template(
            project=project_for_work(request.user, project_pk, write=True),
            by=request.user,
            **data,
        ),
        message=lambda created: (
            _("%(count)d approvals were added to the project.") % {"count": len(created)}
        ),
        to=project,
    )
    return saved or render(
        request, "projects/approval_apply.html", {"form": form, "project": project}
    )


@login_required
@require_http_methods(["GET", "POST"])
def approval_add(request: AuthedRequest, project_pk: int) -> HttpResponse:
    """Add one approval that no template lists."""
    project = project_for_work(request.user, project_pk, write=True)
    form = ApprovalAddForm(request.POST or None, zone_id=project.zone_id)
    saved = save_and_redirect(
        request,
        form,
        lambda data: services.approval_add(
            project=project_for_work(request.user, project_pk, write=True),
            by=request.user,
            **data,
        ),
        message=_("%(name)s was added."),
        to=project,
    )
    return saved or render(
        request, "projects/approval_add.html", {"form": form, "project": project}
    )
