from __future__ import annotations

import re
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

from gaoxin.core.access import user_zone_ids


class CurrentZoneMiddleware:
    """Puts the zone picked in the switcher (kept in the session) on `request.user`, so that
    scoping narrows lists and figures to it. A zone the user no longer belongs to is
    dropped."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            zone_id = request.session.get("zone_id")
            if zone_id is not None and zone_id not in user_zone_ids(user):
                zone_id = None
                request.session["zone_id"] = None
            user.current_zone_id = zone_id
        return self.get_response(request)


def clock() -> float:
    """Seconds since the epoch (a seam for tests)."""
    return time.time()


class SessionRenewalMiddleware:
    """Sessions end after SESSION_COOKIE_AGE idle seconds. Instead of writing the session on
    every request (a database write per page view, which serialises readers on SQLite), the
    session is renewed when its last renewal is older than SESSION_RENEW_AFTER: a session
    then ends between SESSION_COOKIE_AGE - SESSION_RENEW_AFTER and SESSION_COOKIE_AGE idle
    seconds (7 h 55 min to 8 h)."""

    KEY = "_renewed_at"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(clock())
            if now - request.session.get(self.KEY, 0) >= settings.SESSION_RENEW_AFTER:
                request.session[self.KEY] = now  # marks the session modified: saved, renewed
        return self.get_response(request)


API_PREFIX = "/api/"

# C0 control characters but tab, line feed and carriage return (which a textarea sends).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def carries_control_characters(request: HttpRequest) -> bool:
    for params in (request.GET, request.POST):
        for key, values in params.lists():
            if CONTROL_CHARACTERS.search(key) or any(CONTROL_CHARACTERS.search(v) for v in values):
                return True
    return False


class RefuseControlCharactersMiddleware:
    """Answers 400 to a request whose query string or form data carries a control character
    (NUL above all). PostgreSQL refuses NUL in text where SQLite stores it, so a `%00` in a
    search answered 500 on one and was kept on the other. Refusing at the door treats every
    form, filter and view that reads request.GET directly the same, on both databases; no one
    types a control character, so nothing a user meant is lost. (Django's CharField already
    refuses NUL; a choice, a date or a raw request.GET read did not.) Uploaded files are not
    read here: the Excel import cleans its cells itself."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if carries_control_characters(request):
            if request.path.startswith(API_PREFIX):
                # The API answers in its own shape (gaoxin/api/errors.py), never a page.
                message = _("A value carries a control character; remove it and try again.")
                return JsonResponse(
                    {"code": "invalid", "message": message, "field": None, "errors": []},
                    status=400,
                    json_dumps_params={"ensure_ascii": False},
                )
            return HttpResponseBadRequest(loader.render_to_string("400.html"))
        return self.get_response(request)
