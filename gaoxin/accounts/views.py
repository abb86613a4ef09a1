"""Login, the home inbox, the profile and the zone switch."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gaoxin.accounts.forms import LoginForm
from gaoxin.accounts.selectors import login_events_of
from gaoxin.accounts.services import working_zone_set
from gaoxin.core import inbox
from gaoxin.core.errors import DomainError
from gaoxin.core.ids import parse_id


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/home.html",
        {
            "sections": inbox.sections_for(request.user),
            "recent_logins": login_events_of(request.user, limit=5),
        },
    )


@login_required
@require_GET
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/profile.html",
        {
            "profile": user,
            "zones": user.zones.all(),
            "logins": login_events_of(user, limit=20),
        },
    )


@login_required
@require_POST
def zone_switch(request: HttpRequest) -> HttpResponse:
    raw = request.POST.get("zone_id", "")
    try:
        zone_id = parse_id(raw) if raw else None
        if raw and zone_id is None:
            raise ValueError(raw)
        working_zone_set(request=request, user=request.user, zone_id=zone_id)
    except (ValueError, DomainError):
        messages.error(request, _("You do not belong to that zone."))
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    return HttpResponseRedirect(target)
