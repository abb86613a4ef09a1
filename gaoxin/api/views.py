"""What the API answers outside its operations."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def not_found(request: HttpRequest, rest: str) -> JsonResponse:
    """A path under /api/ that names no operation (a typo in a script) answers in the API's
    shape, not with the 404 page meant for a browser."""
    message = _("No such API path: %(path)s. The operations are listed at /api/v1/docs.") % {
        "path": request.path
    }
    return JsonResponse(
        {"code": "not_found", "message": message, "field": None, "errors": []},
        status=404,
        json_dumps_params={"ensure_ascii": False},
    )
