"""The leaders' dashboard (领导驾驶舱): the zone's figures as of a day, each a link to its
records; and the small pages where admins and officers record an action plan and its targets."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from gaoxin.core.access import (
    WRITERS,
    require_roles,
    role_of,
    user_zone_ids,
)
from gaoxin.core.figures import Figures
from gaoxin.core.forms import save_and_redirect, scope_from_request
from gaoxin.core.http import AuthedRequest
from gaoxin.core.roles import Role
from gaoxin.dashboard import figures
from gaoxin.dashboard.forms import ActionPlanForm, PlanTargetForm
from gaoxin.policies import plan_selectors, plan_services

READERS = frozenset({Role.ADMIN, Role.LEADER, Role.OFFICER})


@login_required
@require_GET
def index(request: AuthedRequest) -> HttpResponse:
    require_roles(request.user, READERS)
    asked = scope_from_request(request)
    context: dict[str, Any] = {
        "form": asked.form,
        "scope": asked.scope,
        "can_write": role_of(request.user) in WRITERS,
        "pipeline_param": request.GET.get("pipeline", "space"),
    }
    scope = asked.scope
    if scope is not None:
        # The same zones as the records page the figures link to (core.views.metric_detail).
        allowed = frozenset(user_zone_ids(request.user))
        reader = Figures(scope, zone_code=asked.zone_code, allowed_zone_ids=allowed)
        context.update(figures.dashboard(reader, context["pipeline_param"]))
        context.update(
            {
                "zone_code": asked.zone_code,
                "is_today": scope.as_of == timezone.localdate(),
                "zone_names": [z.name for z in asked.zones if z.pk in scope.zone_ids],
            }
        )
    template = "dashboard/_body.html" if request.htmx else "dashboard/dashboard.html"
    return render(request, template, context, status=asked.status)


# --- action plans ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request: AuthedRequest) -> HttpResponse:
    require_roles(request.user, WRITERS)
    form = ActionPlanForm(request.POST or None, zone_ids=user_zone_ids(request.user))
    saved = save_and_redirect(
        request,
        form,
        lambda data: plan_services.action_plan_create(by=request.user, **data),
        message=_("The action plan is saved; now add its targets."),
        to=lambda plan: reverse("dashboard:target_add", args=[plan.pk]),
    )
    return saved or render(request, "dashboard/plan_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def target_add(request: AuthedRequest, pk: int) -> HttpResponse:
    require_roles(request.user, WRITERS)
    plan = plan_selectors.action_plan_get_for_user(request.user, pk, write=True)
    form = PlanTargetForm(request.POST or None)
    saved = save_and_redirect(
        request,
        form,
        lambda data: plan_services.plan_target_add(plan=plan, by=request.user, **data),
        message=_("The target is added to the plan."),
        to=reverse("dashboard:target_add", args=[plan.pk]),
    )
    if saved is not None:
        return saved
    (progress,) = plan_selectors.plan_progress(
        [plan], as_of=timezone.localdate(), allowed_zone_ids=frozenset(user_zone_ids(request.user))
    )
    return render(
        request,
        "dashboard/target_form.html",
        {"form": form, "plan": plan, "targets": progress["targets"]},
    )
