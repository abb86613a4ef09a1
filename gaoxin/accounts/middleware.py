"""django-otp's middleware, which marks the signed-in user as verified by a second factor or
not, with the gate that follows from it: a user who must give a second factor (or has chosen
to have one) reaches no page before doing so, only the code and enrolment pages and logout."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp.middleware import OTPMiddleware

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


class TwoFactorMiddleware(OTPMiddleware):
    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_BEFORE_SECOND_FACTOR:
            return None
        from gaoxin.accounts.selectors import second_factor_step

        step = second_factor_step(user)
        if step is None:
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
