from __future__ import annotations

from collections.abc import Callable

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
