"""The page of a form refused by the CSRF check (settings.CSRF_FAILURE_VIEW). Django's own is a
bare "403 Forbidden" written for developers; this one is in the site's frame and tells the user
what to do (reload and send again). The 403, 404, 400 and 500 pages are the templates of the
same names, rendered by Django's default handlers."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.template import loader


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    # The reason ("CSRF cookie not set" …) is for developers; it is not shown.
    return HttpResponseForbidden(loader.render_to_string("403_csrf.html", request=request))
