"""Industry alliances (产业联盟) and their member enterprises: an alliance groups enterprises of
the registry, so it and its memberships are this app's."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from gaoxin.accounts.models import User, Zone
from gaoxin.core.access import WRITERS, get_for_user, require_roles, user_zone_ids
from gaoxin.core.concurrency import VersionedFormMixin
from gaoxin.core.forms import (
    DateInput,
    choice_field,
    form_page,
    model_choice,
    save_and_redirect,
    save_or_show,
)
from gaoxin.core.http import AuthedRequest
from gaoxin.core.roles import STAFF_ROLES
from gaoxin.enterprises import access, selectors, services
from gaoxin.enterprises.forms import AllianceForm
from gaoxin.enterprises.models import AllianceMembership, Enterprise
from gaoxin.enterprises.selectors import enterprise_list_for_user
from gaoxin.industries import selectors as industry_selectors

GET_POST = require_http_methods(["GET", "POST"])
ENTERPRISE_CHOICES_LIMIT = 500


class MembershipForm(forms.Form):
    enterprise = forms.ModelChoiceField(
        label=gettext_lazy("Enterprise"), queryset=Enterprise.objects.none(), required=False
    )
    uscc = forms.CharField(
        label=gettext_lazy("…or its unified social credit code"), max_length=30, required=False
    )
    role = forms.ChoiceField(
        label=gettext_lazy("Role"),
        choices=AllianceMembership.Role.choices,
        initial=AllianceMembership.Role.MEMBER,
    )
    joined_on = forms.DateField(
        label=gettext_lazy("Joined on"),
        widget=DateInput(),
        error_messages={"invalid": gettext_lazy("Enter a date as YYYY-MM-DD.")},
    )

    def __init__(self, *args: Any, enterprises: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.enterprises = enterprises
        model_choice(self, "enterprise").queryset = enterprises
        choice_field(self, "enterprise").choices = [("", "—")] + [
            (e.pk, e.name) for e in enterprises.order_by("name")[:ENTERPRISE_CHOICES_LIMIT]
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        code = "".join(data.get("uscc", "").split()).upper()
        if data.get("enterprise") is None and code:
            data["enterprise"] = self.enterprises.filter(uscc=code).first()
            if data["enterprise"] is None:
                self.add_error("uscc", _("No enterprise of this zone has that code."))
        elif data.get("enterprise") is None and not self.errors:
            raise forms.ValidationError(_("Choose an enterprise or enter its code."))
        return data


class EndForm(VersionedFormMixin, forms.Form):
    left_on = forms.DateField(
        label=gettext_lazy("Left on"),
        widget=DateInput(),
        error_messages={"invalid": gettext_lazy("Enter a date as YYYY-MM-DD.")},
    )


def _list_crumb() -> tuple[str, str]:
    return (reverse("alliances:list"), _("Industry alliances"))


@login_required
@require_GET
def alliance_list(request: AuthedRequest) -> HttpResponse:
    require_roles(request.user, STAFF_ROLES)
    today = timezone.localdate()
    alliances = (
        selectors.alliance_list_for_user(request.user)
        .select_related("industry", "zone")
        .annotate(
            member_count=Count(
                "memberships",
                filter=Q(memberships__left_on__isnull=True) | Q(memberships__left_on__gt=today),
            )
        )
        .order_by("zone__code", "name")
    )
    return render(
        request,
        "alliances/alliance_list.html",
        {
            "alliances": alliances,
            "may_write": _may_write(request.user),
            "show_zone": len(user_zone_ids(request.user)) > 1,
        },
    )


def _may_write(user: User) -> bool:
    from gaoxin.core.access import role_of

    return role_of(user) in WRITERS


def _zones_for(user: User) -> Any:
    return Zone.objects.filter(pk__in=user_zone_ids(user)).order_by("code")


def _alliance_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {key: data[key] for key in ("name", "industry", "founded_on", "description")}


def _form_page(request: HttpRequest, form: forms.Form, **page: Any) -> HttpResponse:
    return form_page(request, form, template="alliances/alliance_form.html", **page)


@login_required
@GET_POST
def alliance_create(request: AuthedRequest) -> HttpResponse:
    require_roles(request.user, WRITERS)
    form = AllianceForm(
        request.POST or None,
        zones=_zones_for(request.user),
        industries=industry_selectors.industry_list_for_user(request.user).order_by("name"),
    )
    saved = save_and_redirect(
        request,
        form,
        lambda data: services.alliance_create(
            zone=data["zone"], by=request.user, **_alliance_fields(data)
        ),
        message=_("The alliance %(name)s is saved."),
        to=lambda alliance: reverse("alliances:detail", args=[alliance.pk]),
    )
    return saved or _form_page(
        request,
        form,
        title=_("New industry alliance"),
        crumbs=[_list_crumb()],
        cancel=reverse("alliances:list"),
    )


@login_required
@require_GET
def alliance_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    require_roles(request.user, STAFF_ROLES)
    alliance = selectors.alliance_get_for_user(request.user, pk)
    memberships = alliance.memberships.select_related("enterprise").order_by(
        "left_on", "role", "joined_on", "pk"
    )
    return render(
        request,
        "alliances/alliance_detail.html",
        {
            "alliance": alliance,
            "memberships": memberships,
            "may_write": selectors.alliance_writable(request.user, alliance),
            "crumbs": [_list_crumb()],
        },
    )


@login_required
@GET_POST
def alliance_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    require_roles(request.user, STAFF_ROLES)
    alliance = selectors.alliance_get_for_user(request.user, pk, write=True)
    form = AllianceForm(
        request.POST or None,
        record=alliance,
        industries=industry_selectors.industry_list_for_user(request.user)
        .filter(zone=alliance.zone_id)
        .order_by("name"),
        initial={
            "name": alliance.name,
            "industry": alliance.industry_id,
            "founded_on": alliance.founded_on,
            "description": alliance.description,
        },
    )
    detail = reverse("alliances:detail", args=[alliance.pk])
    saved = save_and_redirect(
        request,
        form,
        lambda data: services.alliance_update(
            alliance=alliance,
            by=request.user,
            version=data["version"],
            **_alliance_fields(data),
        ),
        message=_("The alliance %(name)s is saved."),
        to=detail,
    )
    return saved or _form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": alliance.name},
        crumbs=[_list_crumb(), (detail, alliance.name)],
        cancel=detail,
        obj=alliance,
    )


@login_required
@GET_POST
def member_add(request: AuthedRequest, pk: int) -> HttpResponse:
    require_roles(request.user, STAFF_ROLES)
    alliance = selectors.alliance_get_for_user(request.user, pk, write=True)
    enterprises = enterprise_list_for_user(request.user).filter(
        zone=alliance.zone_id, status=Enterprise.Status.ACTIVE
    )
    form = MembershipForm(
        request.POST or None,
        enterprises=enterprises,
        initial={"joined_on": timezone.localdate()},
    )
    membership = save_or_show(
        request,
        form,
        lambda data: services.membership_add(
            alliance=alliance,
            enterprise=data["enterprise"],
            role=data["role"],
            joined_on=data["joined_on"],
            by=request.user,
        ),
    )
    detail = reverse("alliances:detail", args=[alliance.pk])
    if membership is not None:
        messages.success(
            request, _("%(name)s has joined the alliance.") % {"name": membership.enterprise.name}
        )
        return HttpResponseRedirect(detail)
    return _form_page(
        request,
        form,
        title=_("Add a member to %(name)s") % {"name": alliance.name},
        crumbs=[_list_crumb(), (detail, alliance.name)],
        cancel=detail,
    )


@login_required
@GET_POST
def member_end(request: AuthedRequest, pk: int) -> HttpResponse:
    """End a membership: a page that asks for the day and a confirmation, then the write."""
    require_roles(request.user, STAFF_ROLES)
    membership = get_for_user(
        request.user,
        AllianceMembership.objects.select_related("alliance", "enterprise"),
        pk,
        access.MEMBERSHIP,
        write=True,
    )
    alliance = membership.alliance
    detail = reverse("alliances:detail", args=[alliance.pk])
    if membership.left_on is not None:
        messages.info(request, _("This membership has already ended."))
        return HttpResponseRedirect(detail)
    form = EndForm(
        request.POST or None, record=membership, initial={"left_on": timezone.localdate()}
    )
    ended = save_or_show(
        request,
        form,
        lambda data: services.membership_end(
            membership=membership, on=data["left_on"], by=request.user, version=data["version"]
        ),
    )
    if ended is not None:
        messages.success(
            request, _("%(name)s has left the alliance.") % {"name": membership.enterprise.name}
        )
        return HttpResponseRedirect(detail)
    return render(
        request,
        "alliances/membership_end.html",
        {
            "form": form,
            "membership": membership,
            "alliance": alliance,
            "crumbs": [_list_crumb(), (detail, alliance.name)],
            "cancel": detail,
        },
        status=400 if form.is_bound and form.errors else 200,
    )
