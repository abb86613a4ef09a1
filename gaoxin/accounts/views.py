"""Login and its second factor, the home inbox, the profile and the zone switch."""

from __future__ import annotations

import re
from base64 import b32encode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gaoxin.accounts.forms import EnrolmentCodeForm, LoginForm, SecondFactorForm
from gaoxin.accounts.selectors import (
    login_events_of,
    recovery_codes_left,
    second_factor_step,
    totp_device_of,
    two_factor_reasons,
)
from gaoxin.accounts.services import (
    recovery_codes_issue,
    second_factor_verify,
    totp_enrolment_confirm,
    totp_enrolment_start,
    working_zone_set,
)
from gaoxin.core import inbox
from gaoxin.core.errors import DomainError
from gaoxin.core.forms import save_or_show
from gaoxin.core.http import AuthedRequest
from gaoxin.core.ids import parse_id


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


@login_required
@require_GET
def home(request: AuthedRequest) -> HttpResponse:
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
def profile(request: AuthedRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/profile.html",
        {
            "profile": user,
            "zones": user.zones.all(),
            "logins": login_events_of(user, limit=20),
            "two_factor_reasons": two_factor_reasons(user),
            "totp_device": totp_device_of(user),
            "recovery_codes_left": recovery_codes_left(user),
        },
    )


def _next_url(request: HttpRequest) -> str:
    """Where to go once the second factor is given: `next` if it is ours, else home."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not target or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return resolve_url(settings.LOGIN_REDIRECT_URL)
    return target


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: AuthedRequest) -> HttpResponse:
    """The second step of signing in: a code from the authenticator app or a recovery code."""
    next_url = _next_url(request)
    step = None if request.user.is_verified() else second_factor_step(request.user)
    if step is None:
        return HttpResponseRedirect(next_url)
    if step == "enrol":
        return HttpResponseRedirect(
            reverse("accounts:two_factor_enrol") + "?" + urlencode({"next": next_url})
        )
    form = SecondFactorForm(request.POST or None)
    factor = save_or_show(
        request, form, lambda data: second_factor_verify(request=request, code=data["code"])
    )
    if factor is not None:
        if factor == "recovery":
            messages.warning(
                request,
                _("You signed in with a recovery code; %(n)s are left.")
                % {"n": recovery_codes_left(request.user)},
            )
        return HttpResponseRedirect(next_url)
    return render(request, "registration/two_factor.html", {"form": form, "next": next_url})


def _qr_svg(data: str) -> str:
    """The otpauth URL as an inline SVG QR code (qrcode's SVG writer needs no Pillow); a plain
    path with no script or style, so it passes a strict Content-Security-Policy."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    svg = image.to_string(encoding="unicode")
    return re.sub(
        r'width="[^"]*" height="[^"]*"',
        'width="224" height="224" role="img" aria-label="QR"',
        svg,
        count=1,
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_enrol(request: AuthedRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code, confirm with a first code, then see the
    recovery codes once."""
    next_url = _next_url(request)
    try:
        device = totp_enrolment_start(user=request.user)
    except DomainError as error:
        messages.info(request, error.message)
        return redirect("accounts:profile")
    form = EnrolmentCodeForm(request.POST or None)
    codes = save_or_show(
        request, form, lambda data: totp_enrolment_confirm(request=request, code=data["code"])
    )
    if codes is not None:
        return _recovery_codes_page(request, codes, next_url)
    secret = b32encode(device.bin_key).decode()
    return render(
        request,
        "registration/two_factor_enrol.html",
        {
            "form": form,
            "next": next_url,
            # qrcode's own path markup, built here from our data: nothing to escape.
            "qr_svg": mark_safe(_qr_svg(device.config_url)),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "reasons": two_factor_reasons(request.user),
        },
    )


def _recovery_codes_page(request: AuthedRequest, codes: list[str], next_url: str) -> HttpResponse:
    return render(request, "registration/recovery_codes.html", {"codes": codes, "next": next_url})


@login_required
@never_cache
@require_POST
def recovery_codes_renew(request: AuthedRequest) -> HttpResponse:
    """New recovery codes from the profile; the old ones stop working."""
    try:
        codes = recovery_codes_issue(user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("accounts:profile")
    return _recovery_codes_page(request, codes, reverse("accounts:profile"))


@login_required
@require_POST
def zone_switch(request: AuthedRequest) -> HttpResponse:
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
