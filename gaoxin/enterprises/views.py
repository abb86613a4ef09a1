"""The enterprise registry pages: the list (search, filters, sort, export), the 一企一档 detail,
editing, and designations."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods

from gaoxin.accounts.models import User
from gaoxin.core.access import WRITERS, require_roles, role_of, working_zone_ids
from gaoxin.core.errors import DomainError
from gaoxin.core.forms import flash_errors, form_page, save_and_redirect
from gaoxin.core.http import AuthedRequest
from gaoxin.core.lists import Export, filtered, render_list
from gaoxin.core.periods import in_force_on
from gaoxin.core.roles import STAFF_ROLES, Role
from gaoxin.core.zones import zone_for_new_record
from gaoxin.enterprises import selectors, services
from gaoxin.enterprises.forms import (
    ContactForm,
    DesignationForm,
    EnterpriseFilterForm,
    EnterpriseForm,
    ExitForm,
    ReturnForm,
    RevokeForm,
    ScaleEnterForm,
    ScaleLeaveForm,
)
from gaoxin.enterprises.metrics import EXPIRING_DAYS, EXPORT_COLUMNS
from gaoxin.enterprises.models import Enterprise, EnterpriseExit


def _profile(data: dict) -> dict:
    """The enterprise form's data as the services take it."""
    fields = dict(data)
    return {**fields, "industries": fields.pop("industries"), "segments": fields.pop("segments")}


# The fields the list's rows show.
PAGE_FIELDS = (
    "pk",
    "name",
    "short_name",
    "uscc",
    "founded_on",
    "registered_capital",
    "employees",
    "is_above_scale",
    "status",
    "settled_on",
)


@login_required
@require_GET
def enterprise_list(request: AuthedRequest) -> HttpResponse:
    if role_of(request.user) == Role.ENTERPRISE:
        return redirect("enterprises:detail", request.user.enterprise_id)
    require_roles(request.user, STAFF_ROLES)
    form = EnterpriseFilterForm(request.GET, zone_ids=working_zone_ids(request.user))
    queryset = filtered(form, partial(selectors.enterprise_search, request.user), Enterprise)
    return render_list(
        request,
        form,
        queryset,
        template="enterprises/enterprise_list.html",
        fragment="enterprises/_enterprise_results.html",
        export=Export(EXPORT_COLUMNS, "企业名录"),
        page_rows=lambda rows: rows.only(*PAGE_FIELDS),
        extra=lambda page: {
            "industries": selectors.industries_of(page.object_list),
            "designations": selectors.current_designations_of(page.object_list),
        },
    )


@login_required
@require_GET
def enterprise_mine(request: AuthedRequest) -> HttpResponse:
    """我的企业: an enterprise user's own enterprise page (the navigation's link to it)."""
    require_roles(request.user, {Role.ENTERPRISE})
    return redirect("enterprises:detail", request.user.enterprise_id)


@login_required
@require_GET
def enterprise_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    enterprise = selectors.enterprise_get_for_user(request.user, pk)
    today = timezone.localdate()
    designations = list(enterprise.designations.order_by("-granted_on"))
    current = set(enterprise.designations.filter(in_force_on(today)).values_list("pk", flat=True))
    role = role_of(request.user)
    return render(
        request,
        "enterprises/enterprise_detail.html",
        {
            "enterprise": enterprise,
            "industries": enterprise.industries.all(),
            "segments": enterprise.segments.select_related("industry"),
            "designations": designations,
            "current_ids": current,
            "memberships": enterprise.alliance_memberships.select_related("alliance"),
            "standing": selectors.standing_history(enterprise),
            **_panels(enterprise, request.user),
            "can_write": role in WRITERS,
            "can_edit_contact": role in WRITERS or (role == Role.ENTERPRISE),
            "designation_form": DesignationForm() if role in WRITERS else None,
            # The projects app sits above this one: its records are read through the reverse
            # relation, for staff only (an enterprise account sees its profile, not the pipeline).
            "projects": enterprise.projects.order_by("-stage_on")[:20]
            if role in STAFF_ROLES
            else None,
            # Awards (campaigns app, above this one): an enterprise sees its own once publicly
            # announced (公示), not while the zone is still deciding them.
            "enterprise_awards": (
                enterprise.awards.select_related("batch")
                if role != Role.ENTERPRISE
                else enterprise.awards.select_related("batch").filter(
                    status__in=["announced", "paid"]
                )
            ).order_by("-pk")[:20],
        },
    )


def _panels(enterprise: Enterprise, user: User) -> dict[str, list[dict[str, Any]]]:
    """The other apps' panels of the page: those that ask for it (a designation to renew) go
    above the profile, the rest below."""
    panels = selectors.enterprise_panels(enterprise, user)
    return {
        "top_panels": [p for p in panels if p.get("top")],
        "panels": [p for p in panels if not p.get("top")],
    }


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_create(request: AuthedRequest) -> HttpResponse:
    require_roles(request.user, WRITERS)
    zone = zone_for_new_record(request)
    if zone is None:
        return redirect("enterprises:list")
    form = EnterpriseForm(request.POST or None, zone_id=zone.pk)
    saved = save_and_redirect(
        request,
        form,
        lambda data: services.enterprise_create(zone=zone, by=request.user, **_profile(data)),
        message=_("%(name)s was added."),
    )
    return saved or render(request, "enterprises/enterprise_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    enterprise = selectors.enterprise_get_for_user(request.user, pk, write=True)
    form = EnterpriseForm(request.POST or None, instance=enterprise, zone_id=enterprise.zone_id)
    # The form writes its values onto the instance it was given; the service gets a fresh
    # copy, so a refusal leaves the page showing the record as it is stored.
    saved = save_and_redirect(
        request,
        form,
        lambda data: services.enterprise_update(
            enterprise=selectors.enterprise_get_for_user(request.user, pk, write=True),
            by=request.user,
            version=form.opened_version,
            **_profile(form.details()),
        ),
        message=_("The profile was saved."),
    )
    return saved or render(
        request, "enterprises/enterprise_form.html", {"form": form, "enterprise": enterprise}
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    enterprise = selectors.enterprise_contact_get_for_user(request.user, pk)
    form = ContactForm(request.POST or None, instance=enterprise)
    saved = save_and_redirect(
        request,
        form,
        lambda data: services.enterprise_contact_update(
            enterprise=selectors.enterprise_contact_get_for_user(request.user, pk),
            by=request.user,
            version=form.opened_version,
            **form.details(),
        ),
        message=_("The contact details were saved."),
    )
    return saved or render(
        request, "enterprises/contact_form.html", {"form": form, "enterprise": enterprise}
    )


@login_required
@require_http_methods(["POST"])
def designation_add(request: AuthedRequest, pk: int) -> HttpResponse:
    enterprise = selectors.enterprise_get_for_user(request.user, pk, write=True)
    form = DesignationForm(request.POST)
    if form.is_valid():
        try:
            services.designation_create(enterprise=enterprise, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The designation was recorded."))
            return redirect(enterprise)
    else:
        flash_errors(request, form)
    return redirect(enterprise)


@login_required
@require_http_methods(["GET", "POST"])
def designation_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    designation = selectors.designation_get_for_user(request.user, pk, write=True)
    form = RevokeForm(
        request.POST or None, record=designation, initial={"on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.designation_revoke(
                designation=designation,
                by=request.user,
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
                version=form.opened_version,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The designation was revoked."))
            return redirect(designation.enterprise)
    return render(
        request, "enterprises/designation_revoke.html", {"form": form, "designation": designation}
    )


@login_required
@require_GET
def designations_expiring(request: AuthedRequest) -> HttpResponse:
    require_roles(request.user, STAFF_ROLES)
    from gaoxin.core.metrics import MetricScope, registry

    scope = MetricScope.of(working_zone_ids(request.user))
    metric = registry.get("enterprises.designations.expiring")
    value, records = metric.evaluate(scope)
    return render(
        request,
        "enterprises/designations_expiring.html",
        {
            "records": records[:500],
            "value": value,
            "days": EXPIRING_DAYS,
            "metric": metric,
        },
    )


# --- standing: 迁出 / 注销, 迁回, 入统, 退库 (each dated, through its service) ------------------


@dataclass(frozen=True)
class StandingAction:
    form: type[forms.Form]
    title: Any
    message: Any
    write: Callable[[Enterprise, User, dict[str, Any]], Any]


STANDING_ACTIONS: dict[str, StandingAction] = {
    "exit": StandingAction(
        ExitForm,
        _lazy("Leaves the zone (迁出 / 注销)"),
        _lazy("The exit was recorded."),
        lambda e, by, data: services.enterprise_exit(
            enterprise=e, kind=data["kind"], on=data["left_on"], note=data["note"], by=by
        ),
    ),
    "return": StandingAction(
        ReturnForm,
        _lazy("Comes back into the zone (迁回)"),
        _lazy("The return was recorded."),
        lambda e, by, data: services.enterprise_return(enterprise=e, on=data["returned_on"], by=by),
    ),
    "scale_enter": StandingAction(
        ScaleEnterForm,
        _lazy("Enters the 规上 directory (入统)"),
        _lazy("入统 was recorded."),
        lambda e, by, data: services.scale_enter(enterprise=e, on=data["entered_on"], by=by),
    ),
    "scale_leave": StandingAction(
        ScaleLeaveForm,
        _lazy("Leaves the 规上 directory (退库)"),
        _lazy("退库 was recorded."),
        lambda e, by, data: services.scale_leave(enterprise=e, on=data["left_on"], by=by),
    ),
}


@login_required
@require_http_methods(["GET", "POST"])
def standing_change(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    """One dated change of the enterprise's standing, on a page of its own: the form says what
    is wrong (a day in the future, before it settled, a return before it left …)."""
    enterprise = selectors.enterprise_get_for_user(request.user, pk, write=True)
    step = STANDING_ACTIONS[action]
    initial: dict[str, Any] = {}
    if action == "exit" and request.GET.get("kind") in EnterpriseExit.Kind.values:
        initial["kind"] = request.GET["kind"]
    form = step.form(request.POST or None, initial=initial)
    saved = save_and_redirect(
        request,
        form,
        lambda data: step.write(enterprise, request.user, data),
        message=str(step.message),
        to=enterprise,
    )
    return saved or form_page(
        request,
        form,
        template="core/form_page.html",
        title=f"{enterprise.name} · {step.title}",
        crumbs=[
            (reverse("enterprises:list"), _("Enterprise registry")),
            (enterprise.get_absolute_url(), enterprise.name),
        ],
        cancel=enterprise.get_absolute_url(),
    )
