"""/cultivation/: the radar index (each radar's count today, the user's follow-ups), and the
follow-ups (跟踪培育): taking an enterprise into follow-up in one step, the filterable list
with its export, one follow-up with its service records, adding one, and closing it."""

from __future__ import annotations

from functools import partial

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gaoxin.core.access import WRITERS, require_roles, role_of, user_zone_ids, working_zone_ids
from gaoxin.core.figures import Figures
from gaoxin.core.forms import save_and_redirect, save_and_return
from gaoxin.core.http import AuthedRequest
from gaoxin.core.lists import Export, filtered, render_list
from gaoxin.core.metrics import Column, MetricScope
from gaoxin.core.roles import STAFF_ROLES
from gaoxin.cultivation import followup_selectors as selectors
from gaoxin.cultivation import followups as services
from gaoxin.cultivation import radars
from gaoxin.cultivation.followup_forms import (
    FollowupCloseForm,
    FollowupFilterForm,
    FollowupStartForm,
    VisitForm,
)
from gaoxin.cultivation.models import Followup
from gaoxin.enterprises.selectors import enterprise_get_for_user

EXPORT_COLUMNS = (
    Column(gettext_lazy("Enterprise"), "enterprise.name"),
    Column(gettext_lazy("Unified social credit code"), "enterprise.uscc"),
    Column(gettext_lazy("Radar"), "radar_label"),
    Column(gettext_lazy("Officer"), "officer.display_name"),
    Column(gettext_lazy("Followed since"), "started_on"),
    Column(gettext_lazy("Target date"), "target_on"),
    Column(gettext_lazy("Last service record"), "last_visit_on"),
    Column(gettext_lazy("Closed on"), "closed_on"),
    Column(gettext_lazy("Closed because"), "get_close_reason_display"),
    Column(gettext_lazy("Closing note"), "close_note"),
)


# --- the radar index ---------------------------------------------------------------------------


@login_required
@require_GET
def index(request: AuthedRequest) -> HttpResponse:
    """Every registered radar with its count today in the working zones (the figure links to
    its records), and the follow-ups: the user's own, overdue among them, and the zones'."""
    require_roles(request.user, STAFF_ROLES)
    today = timezone.localdate()
    figures = Figures(
        MetricScope.of(working_zone_ids(request.user), today),
        allowed_zone_ids=frozenset(user_zone_ids(request.user)),
        dated_links=False,
    )
    cards = [
        {
            "radar": radar,
            "figure": figures.get(f"radar.{radar.key}"),
            "list_url": selectors.radar_list_url(radar),
        }
        for radar in radars.all_radars()
    ]
    return render(
        request,
        "cultivation/index.html",
        {
            "cards": cards,
            "today": today,
            "mine": selectors.my_followups(request.user, today),
            "open": figures.get("radar.followups.open"),
            "new_above_scale": figures.get("radar.new_above_scale"),
            "closed_above_scale": figures.get("radar.followups.closed_above_scale"),
            "can_write": role_of(request.user) in WRITERS,
        },
    )


# --- taking an enterprise into follow-up -------------------------------------------------------


def _next_url(request: AuthedRequest, default: str) -> str:
    """Where to go back to: `next` when it is a path of this site, else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@login_required
@require_http_methods(["GET", "POST"])
def followup_start(request: AuthedRequest) -> HttpResponse:
    """纳入跟踪: `?enterprise=<pk>&radar=<key>&next=<path>`; the officer defaults to the
    enterprise's liaison officer (挂点联系人), else the user."""
    require_roles(request.user, WRITERS)
    raw = request.GET.get("enterprise") or request.POST.get("enterprise")
    enterprise = enterprise_get_for_user(request.user, raw, write=True)
    back = _next_url(request, enterprise.get_absolute_url())
    form = FollowupStartForm(
        request.POST or None,
        zone_id=enterprise.zone_id,
        initial={
            "radar": request.GET.get("radar", ""),
            "officer": enterprise.liaison_officer_id or request.user.pk,
        },
    )
    saved = save_and_redirect(
        request,
        form,
        lambda data: services.followup_start(
            enterprise=enterprise,
            radar=data["radar"],
            officer=data["officer"],
            target_on=data["target_on"],
            visit=form.visit(),
            by=request.user,
        ),
        message=lambda followup: (
            _("%(name)s is followed on “%(radar)s” by %(officer)s.")
            % {
                "name": enterprise.name,
                "radar": radars.label_of(followup.radar),
                "officer": followup.officer.display_name,
            }
        ),
        to=back,
    )
    if saved is not None:
        return saved
    return render(
        request,
        "cultivation/followups/followup_start.html",
        {"form": form, "enterprise": enterprise, "back": back},
        status=400 if form.is_bound and form.errors else 200,
    )


# --- the list ----------------------------------------------------------------------------------


@login_required
@require_GET
def followup_list(request: AuthedRequest) -> HttpResponse:
    require_roles(request.user, STAFF_ROLES)
    form = FollowupFilterForm(request.GET, zone_ids=working_zone_ids(request.user))
    today = timezone.localdate()
    queryset = filtered(form, partial(selectors.followup_search, request.user), Followup)
    return render_list(
        request,
        form,
        queryset,
        template="cultivation/followups/followup_list.html",
        fragment="cultivation/followups/_followup_results.html",
        export=Export(EXPORT_COLUMNS, gettext_lazy("Follow-ups")),
        default_sort="target",
        extra=lambda page: {
            "late": {
                f.pk
                for f in page.object_list
                if f.closed_on is None and f.target_on and f.target_on < today
            },
        },
    )


# --- one follow-up -----------------------------------------------------------------------------


def _detail(request: AuthedRequest, followup: Followup) -> HttpResponse:
    can_write = followup.closed_on is None and selectors.followup_can_write(request.user, followup)
    today = timezone.localdate()
    return render(
        request,
        "cultivation/followups/followup_detail.html",
        {
            "followup": followup,
            "radar": radars.radar(followup.radar),
            "radar_label": radars.label_of(followup.radar),
            "visits": followup.visits.select_related("recorded_by").order_by("-held_on", "-pk"),
            "late": followup.closed_on is None
            and followup.target_on is not None
            and followup.target_on < today,
            "can_write": can_write,
            "visit_form": VisitForm() if can_write else None,
        },
    )


@login_required
@require_GET
def followup_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.followup_get_for_user(request.user, pk))


@login_required
@require_POST
def visit_add(request: AuthedRequest, pk: int) -> HttpResponse:
    followup = selectors.followup_get_for_user(request.user, pk, write=True)
    form = VisitForm(request.POST)
    return save_and_return(
        request,
        form,
        lambda data: services.visit_add(
            followup=followup,
            kind=data["visit_kind"],
            held_on=data["visit_held_on"],
            minutes=data["visit_minutes"],
            by=request.user,
        ),
        message=_("The service record was added."),
        to=reverse("cultivation:followup_detail", args=[followup.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def followup_close(request: AuthedRequest, pk: int) -> HttpResponse:
    """The confirmation step: what closing means, then the reason, the day and a note."""
    followup = selectors.followup_get_for_user(request.user, pk, write=True)
    detail = reverse("cultivation:followup_detail", args=[followup.pk])
    if followup.closed_on is not None:
        return redirect(detail)
    form = FollowupCloseForm(
        request.POST or None, record=followup, initial={"on": timezone.localdate()}
    )
    saved = save_and_redirect(
        request,
        form,
        lambda data: services.followup_close(
            followup=followup,
            by=request.user,
            version=form.opened_version,
            **form.details(),
        ),
        message=_("The follow-up is closed."),
        to=detail,
    )
    if saved is not None:
        return saved
    return render(
        request,
        "cultivation/followups/followup_close.html",
        {"form": form, "followup": followup, "radar_label": radars.label_of(followup.radar)},
        status=400 if form.is_bound and form.errors else 200,
    )
