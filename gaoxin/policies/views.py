"""The policy pages (政策) and the briefings (政策宣讲会): lists with filters, sorting and Excel
export, a record's page, adding and editing, the attachment download, and a briefing's
attendance (pick an enterprise, import a sign-in sheet, remove with a confirmation)."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gaoxin.core.access import WRITERS, require_roles, role_of, working_zone_ids
from gaoxin.core.excel import xlsx_response
from gaoxin.core.figures import Figure, Figures
from gaoxin.core.forms import save_and_redirect, save_and_return
from gaoxin.core.http import AuthedRequest
from gaoxin.core.ids import parse_id
from gaoxin.core.lists import Export, filtered, render_list
from gaoxin.core.metrics import Column, Kind, MetricScope
from gaoxin.core.roles import STAFF_ROLES
from gaoxin.core.uploads import job_started_message
from gaoxin.core.zones import zone_for_new_record
from gaoxin.policies import attendance_import, metrics, selectors, services
from gaoxin.policies.forms import (
    AttendanceForm,
    EventFilterForm,
    EventForm,
    PolicyFilterForm,
    PolicyForm,
    SigninSheetForm,
)
from gaoxin.policies.import_jobs import attendance_import_submit
from gaoxin.policies.models import Policy, PolicyEvent

# The figures atop the lists; each links to its records (/metrics/<key>/).
POLICY_FIGURES = (metrics.in_force,)
EVENT_FIGURES = (
    metrics.events,
    metrics.attending_enterprises,
    metrics.attendance_records,
)


def _figures(request: AuthedRequest, wanted: tuple[Any, ...]) -> list[Figure]:
    """The metric figures of the user's working zones today; metrics are for staff."""
    if role_of(request.user) not in STAFF_ROLES:
        return []
    figures = Figures(MetricScope.of(working_zone_ids(request.user)))
    return figures.many([metric.key for metric in wanted])


# --- policies ------------------------------------------------------------------------------


# The sheets: the figures' columns of a policy or a briefing (policies/metrics.py) and more.
POLICY_EXPORT = Export(
    (
        *metrics.POLICY_COLUMNS,
        Column(gettext_lazy("In force"), "is_active", Kind.YES_NO),
        Column(gettext_lazy("Summary"), "summary"),
        Column(gettext_lazy("Attachment"), "attachment_name"),
        Column(gettext_lazy("Zone"), "zone.name"),
    ),
    gettext_lazy("Policies"),
)
_briefing, _held_on, _place, _attendees = metrics.EVENT_COLUMNS
EVENT_EXPORT = Export(
    (
        _briefing,
        _held_on,
        _place,
        Column(gettext_lazy("Policies presented"), "policies.title", Kind.NAMES),
        Column(gettext_lazy("Enterprises attending"), "enterprises"),
        Column(gettext_lazy("People of the enterprises"), "people"),
        _attendees,
        Column(gettext_lazy("Zone"), "zone.name"),
    ),
    gettext_lazy("Policy briefings"),
)


def _list_figures(request: AuthedRequest, wanted: tuple[Any, ...]) -> Any:
    """The list context's figures: none for the results fragment."""
    return lambda page: {"figures": _figures(request, wanted) if not request.htmx else []}


@login_required
@require_GET
def policy_list(request: AuthedRequest) -> HttpResponse:
    form = PolicyFilterForm(request.GET)
    return render_list(
        request,
        form,
        filtered(form, partial(selectors.policy_search, request.user), Policy),
        template="policies/policy_list.html",
        fragment="policies/policy_results.html",
        export=POLICY_EXPORT,
        default_sort=selectors.POLICY_DEFAULT_SORT,
        page_rows=lambda rows: rows.defer("summary"),
        extra=_list_figures(request, POLICY_FIGURES),
    )


@login_required
@require_GET
def policy_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    policy = selectors.policy_get_for_user(request.user, pk)
    return render(
        request,
        "policies/policy_detail.html",
        {
            "policy": policy,
            "events": selectors.events_presenting(policy)[:50],
            "can_write": selectors.policy_writable(request.user, policy),
        },
    )


def _policy_fields(data: dict[str, Any]) -> dict[str, Any]:
    fields = dict(data)
    fields["attachment"] = fields.get("attachment") or None
    return fields


@login_required
@require_http_methods(["GET", "POST"])
def policy_create(request: AuthedRequest) -> HttpResponse:
    require_roles(request.user, WRITERS)
    zone = zone_for_new_record(request)
    if zone is None:
        return redirect("policies:list")
    form = PolicyForm(request.POST or None, request.FILES or None)
    saved = save_and_redirect(
        request,
        form,
        lambda data: services.policy_create(zone=zone, by=request.user, **_policy_fields(data)),
        message=lambda policy: _("The policy %(title)s was added.") % {"title": policy.title},
    )
    return saved or render(request, "policies/policy_form.html", {"form": form, "zone": zone})


@login_required
@require_http_methods(["GET", "POST"])
def policy_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    policy = selectors.policy_get_for_user(request.user, pk, write=True)
    form = PolicyForm(request.POST or None, request.FILES or None, instance=policy)
    # The form writes its values onto the instance it was given; the service gets a fresh
    # copy, so a refusal leaves the page showing the policy as it is stored.
    saved = save_and_redirect(
        request,
        form,
        lambda data: services.policy_update(
            policy=selectors.policy_get_for_user(request.user, pk, write=True),
            by=request.user,
            version=form.opened_version,
            **_policy_fields(form.details()),
        ),
        message=_("The policy was saved."),
    )
    return saved or render(request, "policies/policy_form.html", {"form": form, "policy": policy})


@login_required
@require_GET
def policy_attachment(request: AuthedRequest, pk: int) -> FileResponse:
    """The policy's document, for users who may read the policy (404 for anyone else)."""
    policy = selectors.policy_get_for_user(request.user, pk)
    name = policy.attachment.name
    if not name:  # a file field is empty exactly when it has no name
        raise Http404
    storage = policy.attachment.storage
    try:
        handle = storage.open(name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    filename = policy.attachment_name or name.rpartition("/")[2]
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type=policy.attachment_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- briefings -----------------------------------------------------------------------------


@login_required
@require_GET
def event_list(request: AuthedRequest) -> HttpResponse:
    form = EventFilterForm(request.GET, zone_ids=working_zone_ids(request.user))
    queryset = filtered(form, partial(selectors.event_search, request.user), PolicyEvent)
    if request.GET.get("export") == "xlsx":
        queryset = queryset.annotate(
            enterprises=Count("attendances"), people=Coalesce(Sum("attendances__people"), 0)
        )
    figures = _list_figures(request, EVENT_FIGURES)
    return render_list(
        request,
        form,
        queryset,
        template="policies/event_list.html",
        fragment="policies/event_results.html",
        export=EVENT_EXPORT,
        default_sort=selectors.EVENT_DEFAULT_SORT,
        page_rows=lambda rows: rows.defer("notes"),
        extra=lambda page: {
            "attendance": selectors.attendance_figures_of(page.object_list),
            "presented": selectors.policies_of(page.object_list),
            **figures(page),
        },
    )


@login_required
@require_GET
def event_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    event = selectors.event_get_for_user(request.user, pk)
    can_write = selectors.event_writable(request.user, event)
    staff = role_of(request.user) in STAFF_ROLES
    attendances = list(selectors.attendances_of(event)) if staff else []
    return render(
        request,
        "policies/event_detail.html",
        {
            "event": event,
            "policies": selectors.policies_presented(event),
            "attendances": attendances,
            "people": sum(a.people for a in attendances),
            "staff": staff,
            "can_write": can_write,
            "attendance_form": AttendanceForm(event=event) if can_write else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request: AuthedRequest) -> HttpResponse:
    require_roles(request.user, WRITERS)
    zone = zone_for_new_record(request)
    if zone is None:
        return redirect("policies:events")
    initial = {}
    policy_id = parse_id(request.GET.get("policy"))
    if policy_id is not None:
        initial["policies"] = [policy_id]
    form = EventForm(request.POST or None, zone_id=zone.pk, initial=initial)
    saved = save_and_redirect(
        request,
        form,
        lambda data: services.event_create(zone=zone, by=request.user, **data),
        message=lambda event: _("The briefing %(title)s was added.") % {"title": event.title},
    )
    return saved or render(request, "policies/event_form.html", {"form": form, "zone": zone})


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    event = selectors.event_get_for_user(request.user, pk, write=True)
    form = EventForm(request.POST or None, instance=event, zone_id=event.zone_id)
    saved = save_and_redirect(
        request,
        form,
        lambda data: services.event_update(
            event=selectors.event_get_for_user(request.user, pk, write=True),
            by=request.user,
            version=form.opened_version,
            **form.details(),
        ),
        message=_("The briefing was saved."),
    )
    return saved or render(request, "policies/event_form.html", {"form": form, "event": event})


# --- attendance ----------------------------------------------------------------------------


@login_required
@require_POST
def attendance_add(request: AuthedRequest, pk: int) -> HttpResponse:
    event = selectors.event_get_for_user(request.user, pk, write=True)
    form = AttendanceForm(request.POST, event=event)
    return save_and_return(
        request,
        form,
        lambda data: services.attendance_add(
            event=event, enterprise=data["enterprise"], people=data["people"], by=request.user
        ),
        message=lambda attendance: (
            _("%(name)s was recorded as attending.") % {"name": attendance.enterprise.name}
        ),
        to=event,
    )


@login_required
@require_http_methods(["GET", "POST"])
def attendance_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    """Take an enterprise off a briefing: a page asks for the confirmation, then the write."""
    attendance = selectors.attendance_get_for_user(request.user, pk, write=True)
    event = attendance.event
    if request.method == "POST" and request.POST.get("confirm") == "1":
        services.attendance_remove(attendance=attendance, by=request.user)
        messages.success(
            request,
            _("%(name)s was taken off the attendance.") % {"name": attendance.enterprise.name},
        )
        return redirect(event)
    return render(
        request,
        "policies/attendance_remove.html",
        {"attendance": attendance, "event": event},
    )


@login_required
@require_http_methods(["GET", "POST"])
def attendance_import_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Upload a sign-in sheet: every row is checked here, and one bad row lists every bad row
    with nothing written; a sheet without problems goes to a background job (import_jobs.py),
    which checks it again and writes it, and whose page shows the progress."""
    event = selectors.event_get_for_user(request.user, pk, write=True)
    form = SigninSheetForm(request.POST or None, request.FILES or None)
    result = None
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = b"".join(upload.chunks())
        sheet = attendance_import.read_signin_sheet(content)
        if sheet.problems:
            result = attendance_import.AttendanceImportResult(file_problems=sheet.problems)
        else:
            result = attendance_import.check_signin_rows(event, sheet.rows, headers=sheet.headers)
        if result.ok:
            job = attendance_import_submit(
                user=request.user, event=event, content=content, file_name=upload.name
            )
            messages.info(request, job_started_message())
            return redirect("jobs:detail", pk=job.pk)
        status = 400
    elif form.is_bound:
        status = 400
    return render(
        request,
        "policies/attendance_import.html",
        {
            "event": event,
            "form": form,
            "result": result,
            "max_size": services.file_size(settings.GAOXIN_UPLOAD_MAX_BYTES),
        },
        status=status,
    )


@login_required
@require_GET
def attendance_template(request: AuthedRequest) -> HttpResponse:
    require_roles(request.user, WRITERS)
    return xlsx_response(attendance_import.template_workbook(), "宣讲会签到表模板.xlsx")
