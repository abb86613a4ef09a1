"""Industrial space pages: the list with totals by status, a space with its tenants, creating,
editing and dated status changes."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from gaoxin.core.access import WRITERS, require_roles, role_of, working_zone_ids
from gaoxin.core.forms import save_and_redirect, save_and_return
from gaoxin.core.http import AuthedRequest
from gaoxin.core.lists import Export, filtered, render_list
from gaoxin.core.metrics import MetricScope, registry
from gaoxin.core.pagination import LookaheadPage
from gaoxin.core.roles import STAFF_ROLES
from gaoxin.core.zones import zone_for_new_record
from gaoxin.spaces import selectors, services
from gaoxin.spaces.forms import SpaceCreateForm, SpaceFilterForm, SpaceForm, SpaceStatusForm
from gaoxin.spaces.metrics import EXPORT_COLUMNS
from gaoxin.spaces.models import Space

TENANT_LIMIT = 200


@login_required
@require_GET
def space_list(request: AuthedRequest) -> HttpResponse:
    require_roles(request.user, STAFF_ROLES)
    form = SpaceFilterForm(request.GET)
    queryset = filtered(form, partial(selectors.space_search, request.user), Space)

    def extra(page: LookaheadPage) -> dict[str, Any]:
        scope = MetricScope.of(working_zone_ids(request.user))
        return {
            "totals": selectors.totals_by_status(selectors.space_list_for_user(request.user)),
            "occupancy": registry.get("spaces.occupancy").value(scope),
            "statuses": Space.Status.choices,
        }

    return render_list(
        request,
        form,
        queryset,
        template="spaces/space_list.html",
        export=Export(EXPORT_COLUMNS, "产业空间"),
        extra=extra,
    )


@login_required
@require_GET
def space_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    space = selectors.space_get_for_user(request.user, pk)
    can_write = role_of(request.user) in WRITERS
    return render(
        request,
        "spaces/space_detail.html",
        {
            "space": space,
            **selectors.space_tenants(space, TENANT_LIMIT),
            "changes": space.status_changes.select_related("by").order_by("on", "pk"),
            "can_write": can_write,
            "status_form": SpaceStatusForm(space=space) if can_write else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def space_create(request: AuthedRequest) -> HttpResponse:
    require_roles(request.user, WRITERS)
    zone = zone_for_new_record(request)
    if zone is None:
        return redirect("spaces:list")
    form = SpaceCreateForm(request.POST or None)
    saved = save_and_redirect(
        request,
        form,
        lambda data: services.space_create(zone=zone, by=request.user, **data),
        message=_("%(name)s was added."),
    )
    return saved or render(request, "spaces/space_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def space_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    space = selectors.space_get_for_user(request.user, pk, write=True)
    form = SpaceForm(request.POST or None, instance=space)
    saved = save_and_redirect(
        request,
        form,
        lambda data: services.space_update(
            space=space, by=request.user, version=form.opened_version, **form.details()
        ),
        message=_("The space was saved."),
    )
    return saved or render(request, "spaces/space_form.html", {"form": form, "space": space})


@login_required
@require_http_methods(["POST"])
def space_status(request: AuthedRequest, pk: int) -> HttpResponse:
    space = selectors.space_get_for_user(request.user, pk, write=True)
    form = SpaceStatusForm(request.POST, space=space)
    return save_and_return(
        request,
        form,
        lambda data: services.space_set_status(space=space, by=request.user, **data),
        message=_("The status was recorded."),
        to=space,
    )
