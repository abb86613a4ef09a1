from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

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
