"""django-otp's middleware, which marks the signed-in user as verified by a second factor or
not, with the gate that follows from it: a user who must give a second factor (or has chosen
to have one) reaches no page before doing so, only the code and enrolment pages and logout."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp.middleware import OTPMiddleware

if TYPE_CHECKING:
    from gaoxin.accounts.models import User

# The pages a signed-in but not yet verified user may open.
OPEN_BEFORE_SECOND_FACTOR = frozenset(
    {
        "login",
        "logout",
        "set_language",
        "admin:logout",
        "accounts:two_factor_verify",
        "accounts:two_factor_enrol",
    }
)


SESSION_KEY = "gaoxin_second_factor"


def second_factor_note(request: HttpRequest, user: User) -> str | None:
    """Work out what this user's session needs (see selectors.second_factor_step) and keep it
    in the session with the time, so that pages cost no query for it."""
    from gaoxin.accounts.selectors import second_factor_step

    step = second_factor_step(user)
    request.session[SESSION_KEY] = {"step": step, "at": int(time.time())}
    return step


def _second_factor_step(request: HttpRequest, user: User) -> str | None:
    """The step noted at login, worked out again once it is older than
    GAOXIN_2FA_RECHECK_SECONDS (a zone may have turned two-factor on meanwhile)."""
    noted = request.session.get(SESSION_KEY)
    if isinstance(noted, dict) and time.time() - noted.get("at", 0) < (
        settings.GAOXIN_2FA_RECHECK_SECONDS
    ):
        return noted.get("step")
    return second_factor_note(request, user)


class TwoFactorMiddleware(OTPMiddleware):
    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated:
            return None
        step = _second_factor_step(request, user)
        if step is None or user.is_verified():
            return None
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_BEFORE_SECOND_FACTOR:
            return None
        target = reverse(
            "accounts:two_factor_verify" if step == "verify" else "accounts:two_factor_enrol"
        )
        target += "?" + urlencode({"next": request.get_full_path()})
        if getattr(request, "htmx", False):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return HttpResponseRedirect(target)
