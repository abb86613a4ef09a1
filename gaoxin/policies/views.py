"""The policy pages (政策) and the briefings (政策宣讲会): lists with filters, sorting and Excel
export, a record's page, adding and editing, the attachment download, and a briefing's
attendance (pick an enterprise, import a sign-in sheet, remove with a confirmation)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gaoxin.core.access import WRITERS, require_roles, role_of, working_zone_ids
from gaoxin.core.excel import write_workbook, xlsx_response
from gaoxin.core.figures import Figure, Figures
from gaoxin.core.forms import save_or_show
from gaoxin.core.http import AuthedRequest
from gaoxin.core.ids import parse_id
from gaoxin.core.metrics import MetricScope
from gaoxin.core.pagination import capped_count, lookahead_page, query_without_page
from gaoxin.core.roles import STAFF_ROLES
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


@login_required
@require_GET
def policy_list(request: AuthedRequest) -> HttpResponse:
    form = PolicyFilterForm(request.GET)
    if form.is_valid():
        queryset = selectors.policy_search(request.user, **form.search_arguments())
        sort = form.cleaned_data.get("sort") or selectors.POLICY_DEFAULT_SORT
    else:
        queryset = Policy.objects.none()
        sort = selectors.POLICY_DEFAULT_SORT
    if request.GET.get("export") == "xlsx":
        return _export_policies(queryset)
    page = lookahead_page(request, queryset.defer("summary"))
    total, more = capped_count(queryset, page)
    context = {
        "form": form,
        "page": page,
        "total": total,
        "more": more,
        "query": query_without_page(request),
        "sort": sort,
        "can_write": role_of(request.user) in WRITERS,
        "figures": _figures(request, POLICY_FIGURES) if not request.htmx else [],
    }
    template = "policies/policy_results.html" if request.htmx else "policies/policy_list.html"
    return render(request, template, context)


def _export_policies(queryset: Any) -> HttpResponse:
    headers = [
        _("Title"),
        _("Document number"),
        _("Issuer"),
        _("Issued on"),
        _("Kind"),
        _("In force"),
        _("Summary"),
        _("Attachment"),
        _("Zone"),
    ]
    rows = queryset.select_related("zone")[: settings.GAOXIN_EXPORT_MAX_ROWS]
    yes, no = _("Yes"), _("No")

    def lines() -> Iterator[list[Any]]:
        for p in rows.iterator(chunk_size=2000):
            yield [
                p.title,
                p.document_no,
                p.issuer,
                p.issued_on,
                p.get_kind_display(),
                yes if p.is_active else no,
                p.summary,
                p.attachment_name,
                p.zone.name,
            ]

    today = timezone.localdate()
    title = _("Policies")
    return xlsx_response(
        write_workbook(headers, lines(), title=f"{title} {today}"),
        f"{title}-{today:%Y%m%d}.xlsx",
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
    policy = save_or_show(
        request,
        form,
        lambda data: services.policy_create(zone=zone, by=request.user, **_policy_fields(data)),
    )
    if policy is not None:
        messages.success(request, _("The policy %(title)s was added.") % {"title": policy.title})
        return redirect(policy)
    return render(request, "policies/policy_form.html", {"form": form, "zone": zone})


@login_required
@require_http_methods(["GET", "POST"])
def policy_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    policy = selectors.policy_get_for_user(request.user, pk, write=True)
    form = PolicyForm(request.POST or None, request.FILES or None, instance=policy)
    # The form writes its values onto the instance it was given; the service gets a fresh
    # copy, so a refusal leaves the page showing the policy as it is stored.
    saved = save_or_show(
        request,
        form,
        lambda data: services.policy_update(
            policy=selectors.policy_get_for_user(request.user, pk, write=True),
            by=request.user,
            version=form.opened_version,
            **_policy_fields(form.details()),
        ),
    )
    if saved is not None:
        messages.success(request, _("The policy was saved."))
        return redirect(saved)
    return render(request, "policies/policy_form.html", {"form": form, "policy": policy})


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
    if form.is_valid():
        queryset = selectors.event_search(request.user, **form.search_arguments())
        sort = form.cleaned_data.get("sort") or selectors.EVENT_DEFAULT_SORT
    else:
        queryset = PolicyEvent.objects.none()
        sort = selectors.EVENT_DEFAULT_SORT
    if request.GET.get("export") == "xlsx":
        return _export_events(queryset)
    page = lookahead_page(request, queryset.defer("notes"))
    total, more = capped_count(queryset, page)
    context = {
        "form": form,
        "page": page,
        "total": total,
        "more": more,
        "attendance": selectors.attendance_figures_of(page.object_list),
        "presented": selectors.policies_of(page.object_list),
        "query": query_without_page(request),
        "sort": sort,
        "can_write": role_of(request.user) in WRITERS,
        "figures": _figures(request, EVENT_FIGURES) if not request.htmx else [],
    }
    template = "policies/event_results.html" if request.htmx else "policies/event_list.html"
    return render(request, template, context)


def _export_events(queryset: Any) -> HttpResponse:
    from django.db.models import Count, Sum

    headers = [
        _("Briefing"),
        _("Held on"),
        _("Place"),
        _("Policies presented"),
        _("Enterprises attending"),
        _("People of the enterprises"),
        _("Attendees (people)"),
        _("Zone"),
    ]
    rows = (
        queryset.select_related("zone")
        .prefetch_related("policies")
        .annotate(enterprises=Count("attendances"), people=Sum("attendances__people"))[
            : settings.GAOXIN_EXPORT_MAX_ROWS
        ]
    )

    def lines() -> Iterator[list[Any]]:
        for e in rows.iterator(chunk_size=2000):
            yield [
                e.title,
                e.held_on,
                e.place,
                "、".join(p.title for p in e.policies.all()),
                e.enterprises,
                e.people or 0,
                e.attendee_count,
                e.zone.name,
            ]

    today = timezone.localdate()
    title = _("Policy briefings")
    return xlsx_response(
        write_workbook(headers, lines(), title=f"{title} {today}"),
        f"{title}-{today:%Y%m%d}.xlsx",
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
    event = save_or_show(
        request,
        form,
        lambda data: services.event_create(zone=zone, by=request.user, **data),
    )
    if event is not None:
        messages.success(request, _("The briefing %(title)s was added.") % {"title": event.title})
        return redirect(event)
    return render(request, "policies/event_form.html", {"form": form, "zone": zone})


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    event = selectors.event_get_for_user(request.user, pk, write=True)
    form = EventForm(request.POST or None, instance=event, zone_id=event.zone_id)
    saved = save_or_show(
        request,
        form,
        lambda data: services.event_update(
            event=selectors.event_get_for_user(request.user, pk, write=True),
            by=request.user,
            version=form.opened_version,
            **form.details(),
        ),
    )
    if saved is not None:
        messages.success(request, _("The briefing was saved."))
        return redirect(saved)
    return render(request, "policies/event_form.html", {"form": form, "event": event})


# --- attendance ----------------------------------------------------------------------------


@login_required
@require_POST
def attendance_add(request: AuthedRequest, pk: int) -> HttpResponse:
    event = selectors.event_get_for_user(request.user, pk, write=True)
    form = AttendanceForm(request.POST, event=event)
    saved = save_or_show(
        request,
        form,
        lambda data: services.attendance_add(
            event=event, enterprise=data["enterprise"], people=data["people"], by=request.user
        ),
    )
    if saved is not None:
        messages.success(
            request,
            _("%(name)s was recorded as attending.") % {"name": saved.enterprise.name},
        )
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else str(error))
    return redirect(event)


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
    """Upload a sign-in sheet: every row is checked; one bad row and nothing is written, with
    every bad row listed."""
    event = selectors.event_get_for_user(request.user, pk, write=True)
    form = SigninSheetForm(request.POST or None, request.FILES or None)
    result = None
    status = 200
    if request.method == "POST" and form.is_valid():
        content = b"".join(form.cleaned_data["file"].chunks())
        sheet = attendance_import.read_signin_sheet(content)
        if sheet.problems:
            result = attendance_import.AttendanceImportResult(file_problems=sheet.problems)
        else:
            result = services.attendance_import(
                event=event, rows=sheet.rows, by=request.user, headers=sheet.headers
            )
        if result.ok:
            messages.success(
                request,
                _("%(n)d enterprises were recorded as attending.") % {"n": result.created},
            )
            return redirect(event)
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
