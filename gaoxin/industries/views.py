"""The industry-system pages: the overview, each industry's map, and the administrators'
pages that build the system. Thin: parse with a form, call a selector or a service, render."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from gaoxin.accounts.models import User, Zone
from gaoxin.core import charts
from gaoxin.core.access import require_roles, role_of, user_zone_ids
from gaoxin.core.forms import form_page, save_and_redirect
from gaoxin.core.http import AuthedRequest
from gaoxin.core.roles import STAFF_ROLES
from gaoxin.industries import selectors, services
from gaoxin.industries.access import ADMINS, SEGMENT_STRENGTH
from gaoxin.industries.forms import (
    IndustryForm,
    IndustryGroupForm,
    SegmentForm,
    StrengthForm,
    groups_field_queryset,
)
from gaoxin.industries.models import Strength

GET_POST = require_http_methods(["GET", "POST"])


def _form_page(request: HttpRequest, form: Form, **page: Any) -> HttpResponse:
    return form_page(request, form, template="industries/industry_form.html", **page)


def _overview_crumb() -> tuple[str, str]:
    return (reverse("industries:overview"), _("Industry system"))


# --- overview and maps --------------------------------------------------------------------


def overview_figure(industries: list[Any]) -> dict[str, Any]:
    """Each industry's chain segments by strength, stacked horizontal bars with the counts
    written in them (a bar opens the industry's map), under the names the table shows. The
    industries without segments have no bar: the page names them under the chart."""
    mapped = [industry for industry in industries if any(industry.strengths.values())]
    names = [industry.display_name for industry in mapped]
    urls = [reverse("industries:map", args=[industry.pk]) for industry in mapped]
    data = []
    for key, colour, label in (
        ("strong", charts.COLOURS["ok"], _("Strong segments (强链环节)")),
        ("weak", charts.COLOURS["warn"], _("Weak segments (弱链环节)")),
        ("missing", charts.COLOURS["danger"], _("Missing segments (缺链环节)")),
    ):
        counts = [industry.strengths[key] for industry in mapped]
        trace = charts.bars(
            label,
            names,
            counts,
            [str(n) if n else "" for n in counts],
            urls,
            colour,
            horizontal=True,
        )
        # Stacked: each part's count inside it, white on the colour.
        trace.update(
            {
                "textposition": "inside",
                "insidetextanchor": "middle",
                "textfont": {"size": charts.TEXT_SIZE, "color": "#ffffff"},
                "hovertemplate": "%{y} · " + label + ": %{x}<extra></extra>",
            }
        )
        data.append(trace)
    totals = [sum(industry.strengths.values()) for industry in mapped]
    layout = charts.layout(
        barmode="stack",
        height=charts.bar_height(len(mapped), legend=True),
        yaxis=charts.category_axis(),
        xaxis=charts.count_axis(totals, title=_("Chain segments")),
    )
    return {
        "chart": charts.present(
            {"data": data, "layout": layout}, empty=_("No chain segments recorded yet.")
        ),
        "unmapped": [industry.display_name for industry in industries if industry not in mapped],
    }


@login_required
@require_GET
def overview(request: AuthedRequest) -> HttpResponse:
    require_roles(request.user, STAFF_ROLES)
    industries = selectors.overview_industries(request.user)
    groups: list[tuple[Any, list[Any]]] = []
    for industry in industries:
        if not groups or groups[-1][0].pk != industry.group_id:
            groups.append((industry.group, []))
        groups[-1][1].append(industry)
    is_admin = _is_admin(request.user)
    return render(
        request,
        "industries/industry_overview.html",
        {
            "groups": groups,
            "industries": industries,
            "figure": overview_figure(industries),
            "is_admin": is_admin,
            "show_zone": len(user_zone_ids(request.user)) > 1,
        },
    )


def _is_admin(user: User) -> bool:
    return role_of(user) in ADMINS


@login_required
@require_GET
def industry_map(request: AuthedRequest, pk: int) -> HttpResponse:
    require_roles(request.user, STAFF_ROLES)
    industry = selectors.industry_get_for_user(request.user, pk)
    chain = selectors.industry_map(industry)
    return render(
        request,
        "industries/industry_map.html",
        {
            "industry": industry,
            "map": chain,
            "is_admin": _is_admin(request.user),
            "may_judge": role_of(request.user) in SEGMENT_STRENGTH.write_roles,
            "strengths": Strength,
        },
    )


# --- groups -------------------------------------------------------------------------------


@login_required
@GET_POST
def group_create(request: AuthedRequest) -> HttpResponse:
    require_roles(request.user, ADMINS)
    zones = Zone.objects.filter(pk__in=user_zone_ids(request.user)).order_by("code")
    form = IndustryGroupForm(request.POST or None, zones=zones)
    saved = save_and_redirect(
        request,
        form,
        lambda data: services.industry_group_create(
            zone=data["zone"], name=data["name"], order=data["order"], by=request.user
        ),
        message=_("The group %(name)s is saved."),
        to=reverse("industries:overview"),
    )
    return saved or _form_page(
        request,
        form,
        title=_("New industry group"),
        crumbs=[_overview_crumb()],
        cancel=reverse("industries:overview"),
    )


@login_required
@GET_POST
def group_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    require_roles(request.user, STAFF_ROLES)
    group = selectors.group_get_for_user(request.user, pk, write=True)
    form = IndustryGroupForm(
        request.POST or None, record=group, initial={"name": group.name, "order": group.order}
    )
    saved = save_and_redirect(
        request,
        form,
        lambda data: services.industry_group_update(
            group=group,
            name=data["name"],
            order=data["order"],
            by=request.user,
            version=data["version"],
        ),
        message=_("The group %(name)s is saved."),
        to=reverse("industries:overview"),
    )
    return saved or _form_page(
        request,
        form,
        title=_("Edit industry group %(name)s") % {"name": group.name},
        crumbs=[_overview_crumb()],
        obj=group,
        cancel=reverse("industries:overview"),
    )


# --- industries ---------------------------------------------------------------------------


@login_required
@GET_POST
def industry_create(request: AuthedRequest) -> HttpResponse:
    require_roles(request.user, ADMINS)
    groups = groups_field_queryset(selectors.group_list_for_user(request.user, write=True))
    form = IndustryForm(request.POST or None, groups=groups, initial={"weak_max": 2})
    saved = save_and_redirect(
        request,
        form,
        lambda data: services.industry_create(by=request.user, **form.details()),
        message=_("The industry %(name)s is saved."),
        to=lambda industry: reverse("industries:map", args=[industry.pk]),
    )
    return saved or _form_page(
        request,
        form,
        title=_("New industry"),
        crumbs=[_overview_crumb()],
        cancel=reverse("industries:overview"),
    )


@login_required
@GET_POST
def industry_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    require_roles(request.user, STAFF_ROLES)
    industry = selectors.industry_get_for_user(request.user, pk, write=True)
    groups = groups_field_queryset(
        selectors.group_list_for_user(request.user, write=True).filter(zone=industry.zone_id)
    )
    form = IndustryForm(
        request.POST or None,
        record=industry,
        groups=groups,
        initial=IndustryForm.initial_of(industry),
    )
    map_url = reverse("industries:map", args=[industry.pk])
    saved = save_and_redirect(
        request,
        form,
        lambda data: services.industry_update(
            industry=industry, by=request.user, version=data["version"], **form.details()
        ),
        message=_("The industry %(name)s is saved."),
        to=map_url,
    )
    return saved or _form_page(
        request,
        form,
        title=_("Edit industry %(name)s") % {"name": industry.name},
        crumbs=[_overview_crumb(), (map_url, industry.name)],
        obj=industry,
        cancel=map_url,
    )


# --- chain segments -----------------------------------------------------------------------


@login_required
@GET_POST
def segment_create(request: AuthedRequest, pk: int) -> HttpResponse:
    require_roles(request.user, STAFF_ROLES)
    industry = selectors.industry_get_for_user(request.user, pk, write=True)
    initial = {"position": request.GET.get("position", ""), "parent": request.GET.get("parent")}
    form = SegmentForm(request.POST or None, industry=industry, initial=initial)
    map_url = reverse("industries:map", args=[industry.pk])
    saved = save_and_redirect(
        request,
        form,
        lambda data: services.segment_create(industry=industry, by=request.user, **form.details()),
        message=_("The segment %(name)s is saved."),
        to=map_url,
    )
    return saved or _form_page(
        request,
        form,
        title=_("New segment of %(industry)s") % {"industry": industry.name},
        crumbs=[_overview_crumb(), (map_url, industry.name)],
        cancel=map_url,
    )


@login_required
@GET_POST
def segment_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    require_roles(request.user, STAFF_ROLES)
    segment = selectors.segment_get_for_user(request.user, pk, write=True)
    industry = segment.industry
    form = SegmentForm(
        request.POST or None,
        record=segment,
        industry=industry,
        exclude=segment,
        initial=SegmentForm.initial_of(segment),
    )
    map_url = reverse("industries:map", args=[industry.pk])
    saved = save_and_redirect(
        request,
        form,
        lambda data: services.segment_update(
            segment=segment, by=request.user, version=data["version"], **form.details()
        ),
        message=_("The segment %(name)s is saved."),
        to=map_url,
    )
    return saved or _form_page(
        request,
        form,
        title=_("Edit segment %(name)s") % {"name": segment.name},
        crumbs=[_overview_crumb(), (map_url, industry.name)],
        obj=segment,
        cancel=map_url,
    )


@login_required
@GET_POST
def segment_strength(request: AuthedRequest, pk: int) -> HttpResponse:
    """An officer sets a segment's strength by hand, or clears it, always with a reason."""
    require_roles(request.user, STAFF_ROLES)
    segment = selectors.segment_strength_get_for_user(request.user, pk)
    industry = segment.industry
    form = StrengthForm(
        request.POST or None,
        record=segment,
        initial={"strength": segment.strength_override, "reason": segment.override_reason},
    )

    def write(data: dict[str, Any]) -> Any:
        if data["strength"]:
            return services.segment_strength_set(
                segment=segment,
                strength=data["strength"],
                reason=data["reason"],
                by=request.user,
                version=data["version"],
            )
        return services.segment_strength_clear(
            segment=segment, reason=data["reason"], by=request.user, version=data["version"]
        )

    map_url = reverse("industries:map", args=[industry.pk])
    saved = save_and_redirect(
        request, form, write, message=_("The strength of %(name)s is saved."), to=map_url
    )
    if saved is not None:
        return saved
    counted = selectors.with_strength(industry.segments.filter(pk=segment.pk)).get()
    return render(
        request,
        "industries/segment_strength.html",
        {
            "form": form,
            "segment": segment,
            "industry": industry,
            "counted": counted,
            "computed_badge": selectors.BADGES[counted.computed_strength],
            "map_url": map_url,
            "crumbs": [_overview_crumb(), (map_url, industry.name)],
        },
        status=400 if form.is_bound and form.errors else 200,
    )
