"""The investment leads pages (招商线索): the list (search, filters, sort, export), a lead's
file with its contacts timeline, adding and editing leads, contacts and status changes."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gaoxin.accounts.models import Zone
from gaoxin.core.access import WRITERS, require_roles, user_zone_ids, working_zone_ids
from gaoxin.core.forms import save_and_redirect, save_and_return, save_or_show
from gaoxin.core.http import AuthedRequest
from gaoxin.core.lists import Export, filtered, render_list
from gaoxin.core.pagination import LookaheadPage
from gaoxin.core.roles import STAFF_ROLES
from gaoxin.core.zones import single_working_zone
from gaoxin.industries.models import ChainSegment
from gaoxin.investment import selectors, services
from gaoxin.investment.forms import ContactForm, LeadFilterForm, LeadForm, StatusForm
from gaoxin.investment.metrics import EXPORT_COLUMNS
from gaoxin.investment.models import OPEN_STATUSES, Lead, LeadStatus


@login_required
@require_GET
def lead_list(request: AuthedRequest) -> HttpResponse:
    require_roles(request.user, STAFF_ROLES)
    form = LeadFilterForm(request.GET, zone_ids=working_zone_ids(request.user))
    today = timezone.localdate()
    queryset = filtered(form, partial(selectors.lead_search, request.user), Lead)

    def extra(page: LookaheadPage) -> dict[str, Any]:
        # The counts by status ignore the status filter, so each one says what picking it
        # would show.
        counted = (
            selectors.lead_search(request.user, **{**form.search_arguments(), "status": ""})
            if form.is_valid()
            else Lead.objects.none()
        )
        counts = selectors.status_counts(counted)
        params = request.GET.copy()
        for key in ("status", "page", "export"):
            params.pop(key, None)
        return {
            "status_counts": [(value, label, counts[value]) for value, label in LeadStatus.choices],
            "status_query": params.urlencode(),
            "current_status": form.cleaned_data.get("status", "") if form.is_valid() else "",
        }

    return render_list(
        request,
        form,
        selectors.with_idle(queryset, today),
        template="investment/lead_list.html",
        fragment="investment/_lead_results.html",
        export=Export(EXPORT_COLUMNS, _("Investment leads")),
        default_sort=selectors.DEFAULT_SORT,
        page_rows=lambda rows: rows.select_related("industry", "segment", "officer"),
        extra=extra,
    )


@login_required
@require_GET
def lead_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    lead = selectors.lead_get_for_user(request.user, pk)
    can_write = selectors.lead_writable(request.user, lead)
    # The project made from the lead, if any (the projects app points back at the lead; the
    # reverse accessor raises an error that is also an AttributeError when there is none).
    project = getattr(lead, "project", None)
    is_open = lead.status in OPEN_STATUSES
    return render(
        request,
        "investment/lead_detail.html",
        {
            "lead": lead,
            "contacts": selectors.contacts_of(lead),
            "project": project,
            "idle": selectors.is_idle(lead, timezone.localdate()),
            "is_open": is_open,
            "can_write": can_write,
            "contact_form": ContactForm(prefix="contact") if can_write else None,
            "status_form": StatusForm(lead=lead)
            if can_write and lead.status != LeadStatus.SIGNED
            else None,
        },
    )


def _zone_for_new_lead(request: AuthedRequest, segment: ChainSegment | None) -> Zone | None:
    """The zone a new lead goes to: the one the user works in, or the segment's when the user
    came from an industry map with several zones in reach."""
    zone = single_working_zone(request.user)
    if zone is not None:
        return zone
    if segment is not None and segment.industry.zone_id in user_zone_ids(request.user):
        return segment.industry.zone
    return None


def _segment_from_query(request: AuthedRequest) -> Any:
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from gaoxin.industries.selectors import segment_get_for_user

    raw = request.GET.get("segment")
    if not raw:
        return None
    try:
        return segment_get_for_user(request.user, raw)
    except (Http404, PermissionDenied):
        return None


@login_required
@require_http_methods(["GET", "POST"])
def lead_create(request: AuthedRequest) -> HttpResponse:
    require_roles(request.user, WRITERS)
    segment = _segment_from_query(request)
    zone = _zone_for_new_lead(request, segment)
    if zone is None:
        messages.error(request, _("Pick one zone in the switcher at the top first."))
        return redirect("leads:list")
    initial: dict[str, Any] = {"officer": request.user.pk}
    if segment is not None and segment.industry.zone_id == zone.pk:
        initial.update(
            {"segment": segment.pk, "industry": segment.industry_id, "source": "chain_gap"}
        )
    form = LeadForm(request.POST or None, zone_id=zone.pk, initial=initial)
    saved = save_and_redirect(
        request,
        form,
        lambda data: services.lead_create(zone=zone, by=request.user, **data),
        message=lambda lead: _("The lead %(name)s was added.") % {"name": lead.company_name},
    )
    return saved or render(request, "investment/lead_form.html", {"form": form, "zone": zone})


@login_required
@require_http_methods(["GET", "POST"])
def lead_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    lead = selectors.lead_get_for_user(request.user, pk, write=True)
    form = LeadForm(request.POST or None, instance=lead, zone_id=lead.zone_id)
    # The form writes its values onto the instance it was given; the service gets a fresh
    # copy, so a refusal leaves the page showing the lead as it is stored.
    saved = save_and_redirect(
        request,
        form,
        lambda data: services.lead_update(
            lead=selectors.lead_get_for_user(request.user, pk, write=True),
            by=request.user,
            version=form.opened_version,
            **form.details(),
        ),
        message=_("The lead was saved."),
    )
    return saved or render(request, "investment/lead_form.html", {"form": form, "lead": lead})


@login_required
@require_POST
def contact_add(request: AuthedRequest, pk: int) -> HttpResponse:
    lead = selectors.lead_get_for_user(request.user, pk, write=True)
    form = ContactForm(request.POST, prefix="contact")
    before = lead.get_status_display()
    return save_and_return(
        request,
        form,
        lambda data: services.contact_add(lead=lead, by=request.user, **data),
        message=partial(_contact_said, before=before),
        to=lead,
    )


def _contact_said(contact: Any, *, before: str) -> str:
    """The flash after a contact: it says when the contact moved the lead's status, which
    the officer did not choose on the form."""
    after = contact.lead.get_status_display()
    if after == before:
        return _("The contact was recorded.")
    return _("The contact was recorded; the lead's status moved from %(before)s to %(after)s.") % {
        "before": before,
        "after": after,
    }


@login_required
@require_http_methods(["GET", "POST"])
def lead_status(request: AuthedRequest, pk: int) -> HttpResponse:
    """Change a lead's status. Abandoning asks for a reason, then for a confirmation."""
    lead = selectors.lead_get_for_user(request.user, pk, write=True)
    form = StatusForm(
        request.POST or None, lead=lead, initial={"status": request.GET.get("status", "")}
    )
    confirming = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["status"] == LeadStatus.ABANDONED and request.POST.get("confirm") != "1":
            confirming = True
        else:
            saved = save_or_show(
                request,
                form,
                lambda data: services.lead_set_status(
                    lead=lead,
                    by=request.user,
                    status=data["status"],
                    reason=data["reason"],
                    version=data["version"],
                ),
            )
            if saved is not None:
                messages.success(
                    request,
                    _("The lead is now at “%(status)s”.") % {"status": saved.get_status_display()},
                )
                return redirect(saved)
    return render(
        request,
        "investment/lead_status.html",
        {"lead": lead, "form": form, "confirming": confirming},
    )
