"""Project pages: the list (filters, sort, export), the board (看板) by stage as of a date, the
detail page with its stage timeline and work, creating (also from a signed lead), editing, and
moving a project through its stages."""

from __future__ import annotations

from functools import partial
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from gaoxin.core.access import WRITERS, require_roles, role_of, working_zone_ids
from gaoxin.core.figures import metric_url
from gaoxin.core.forms import save_and_redirect, save_or_show, scope_from_request
from gaoxin.core.http import AuthedRequest
from gaoxin.core.lists import Export, filtered, render_list
from gaoxin.core.roles import STAFF_ROLES
from gaoxin.core.zones import zone_for_new_record
from gaoxin.investment import selectors as lead_selectors
from gaoxin.projects import selectors, services, stages
from gaoxin.projects.forms import (
    AdvanceForm,
    FromLeadForm,
    ProjectCreateForm,
    ProjectFilterForm,
    ProjectForm,
)
from gaoxin.projects.metrics import EXPORT_COLUMNS
from gaoxin.projects.models import Project
from gaoxin.projects.stages import Carrier

# What a row of the list shows (projects/_project_results.html): a page reads these columns,
# not every column of a project, its industry and its officer (a third of the page's ORM time).
PAGE_FIELDS = (
    "name",
    "investor_name",
    "expected_above_scale",
    "carrier",
    "stage",
    "stage_on",
    "fixed_asset_investment",
    "expected_annual_output",
    "industry",
    "industry__name",
    "industry__short_name",
    "officer",
    "officer__name",
    "officer__username",
)


@login_required
@require_GET
def project_list(request: AuthedRequest) -> HttpResponse:
    require_roles(request.user, STAFF_ROLES)
    form = ProjectFilterForm(request.GET, zone_ids=working_zone_ids(request.user))
    queryset = filtered(form, partial(selectors.project_search, request.user), Project)
    return render_list(
        request,
        form,
        queryset,
        template="projects/project_list.html",
        fragment="projects/_project_results.html",
        export=Export(EXPORT_COLUMNS, "项目清单"),
        default_sort="-updated",
        page_rows=lambda rows: rows.only(*PAGE_FIELDS),
        extra=lambda page: {"overdue": selectors.overdue_counts([p.pk for p in page.object_list])},
    )


# The board's two paths, in the order of the switch.
BOARD_PATHS = (Carrier.SPACE, Carrier.LAND)


@login_required
@require_GET
def project_board(request: AuthedRequest) -> HttpResponse:
    """One path at a time (`?path=space|land`), its stages in order in one row; `?stage=` is
    the column a phone opens from the strip of counts (a wide screen shows them all)."""
    require_roles(request.user, STAFF_ROLES)
    asked = scope_from_request(request)
    scope = asked.scope
    as_of = scope.as_of if scope is not None else None
    carrier = request.GET.get("path")
    if carrier not in BOARD_PATHS:
        carrier = Carrier.SPACE
    columns = (
        selectors.board(list(scope.zone_ids), scope.as_of, carrier) if scope is not None else []
    )
    for column in columns:
        # Each count opens its records in the board's scope, as every figure does.
        column["url"] = metric_url(column["metric"].key, as_of=as_of, zone_code=asked.zone_code)
    stage_keys = [str(c["stage"]) for c in columns]
    open_stage = request.GET.get("stage")
    if open_stage not in stage_keys:
        # A phone opens the first column with projects in it until a stage is tapped.
        open_stage = next((str(c["stage"]) for c in columns if c["count"]), None)
    # The scope asked for (zone, day) is kept by every switch and strip link.
    kept = {k: v for k in ("zone", "as_of") if (v := request.GET.get(k))}
    return render(
        request,
        "projects/project_board.html",
        {
            "columns": columns,
            "scope_form": asked.form,
            "scope": scope,
            "as_of": as_of,
            "is_today": scope is not None and scope.as_of == timezone.localdate(),
            "total": sum(c["count"] for c in columns),
            "carrier": carrier,
            "paths": [
                {
                    "carrier": path,
                    "label": Carrier(path).label,
                    "stages": " → ".join(str(stages.short_label(s)) for s in stages.path_of(path)),
                    "query": urlencode({**kept, "path": path}),
                    "current": path == carrier,
                }
                for path in BOARD_PATHS
            ],
            "open_stage": open_stage,
            "path_query": urlencode({**kept, "path": carrier}),
            "keep": [("path", carrier)],
        },
        status=asked.status,
    )


@login_required
@require_GET
def project_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    project = selectors.project_get_for_user(request.user, pk)
    can_write = role_of(request.user) in WRITERS
    changes = list(project.stage_changes.select_related("by").order_by("on", "pk"))
    advance_form = AdvanceForm(project=project) if can_write else None
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "changes": changes,
            "path": _path_progress(project, changes),
            "can_write": can_write,
            "advance_form": advance_form,
            "missing": advance_form.missing() if advance_form else [],
            "approvals": project.approvals.select_related("department").order_by("order", "pk"),
            "blockers": project.blockers.select_related("department", "owner").order_by(
                "status", "due_on", "pk"
            ),
            "service_records": project.service_records.select_related("recorded_by")
            .prefetch_related("departments", "decisions")
            .order_by("-held_on", "-pk")[:20],
            "today": timezone.localdate(),
            "panels": selectors.project_panels(project, request.user),
        },
    )


def _path_progress(project: Project, changes: list) -> list[dict]:
    """The project's path with, for each stage, the day it was (last) entered."""
    entered = {}
    for change in changes:
        entered[change.to_stage] = change.on
    current = stages.position(project.stage, project.carrier)
    return [
        {
            "stage": stage,
            "label": stage.label,
            "on": entered.get(stage),
            "done": index < current,
            "current": stage == project.stage,
        }
        for index, stage in enumerate(stages.path_of(project.carrier))
    ]


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request: AuthedRequest) -> HttpResponse:
    require_roles(request.user, WRITERS)
    zone = zone_for_new_record(request)
    if zone is None:
        return redirect("projects:list")
    form = ProjectCreateForm(
        request.POST or None,
        zone_id=zone.pk,
        initial={"officer": request.user.pk, "carrier": "space"},
    )
    saved = save_and_redirect(
        request,
        form,
        lambda data: services.project_create(zone=zone, by=request.user, **form.details()),
        message=_("%(name)s was added."),
    )
    return saved or render(request, "projects/project_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    project = selectors.project_get_for_user(request.user, pk, write=True)
    form = ProjectForm(request.POST or None, instance=project, zone_id=project.zone_id)
    saved = save_and_redirect(
        request,
        form,
        lambda data: services.project_update(
            project=project, by=request.user, version=data.get("version"), **form.details()
        ),
        message=_("The project was saved."),
    )
    return saved or render(
        request, "projects/project_form.html", {"form": form, "project": project}
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_advance(request: AuthedRequest, pk: int) -> HttpResponse:
    project = selectors.project_get_for_user(request.user, pk, write=True)
    if request.method == "POST" and "show" in request.POST:
        # Without JavaScript, "show what it needs" posts the chosen stage back: the form
        # for that stage, nothing recorded.
        form = AdvanceForm(
            project=project,
            target=request.POST.get("to_stage"),
            initial={k: request.POST.get(k) for k in ("on", "note") if request.POST.get(k)},
        )
        return _advance_page(request, project, form)
    form = AdvanceForm(request.POST or None, project=project, target=request.GET.get("to_stage"))
    change = save_or_show(
        request,
        form,
        lambda data: services.project_advance(project=project, by=request.user, **form.change()),
    )
    if change is not None:
        messages.success(
            request,
            _("%(project)s is now at %(stage)s.")
            % {"project": project.name, "stage": change.get_to_stage_display()},
        )
        return redirect("projects:detail", project.pk)
    return _advance_page(request, project, form)


def _advance_page(request: AuthedRequest, project: Project, form: AdvanceForm) -> HttpResponse:
    return render(
        request,
        "projects/project_advance.html",
        {"form": form, "project": project, "missing": form.missing()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_from_lead(request: AuthedRequest, lead_pk: int) -> HttpResponse:
    lead = lead_selectors.lead_get_for_user(request.user, lead_pk, write=True)
    existing = Project.objects.filter(lead=lead).first()
    if existing is not None:
        messages.info(request, _("This lead has already become a project."))
        return redirect(existing)
    form = FromLeadForm(
        request.POST or None,
        zone_id=lead.zone_id,
        initial={
            "name": _("%(company)s project") % {"company": lead.company_name},
            "industry": lead.industry_id,
            "planned_investment": lead.expected_investment,
            "officer": lead.officer_id,
        },
    )
    saved = save_and_redirect(
        request,
        form,
        lambda data: services.project_create_from_lead(lead=lead, by=request.user, **data),
        message=_("The lead was signed and %(name)s created."),
    )
    return saved or render(request, "projects/project_from_lead.html", {"form": form, "lead": lead})
