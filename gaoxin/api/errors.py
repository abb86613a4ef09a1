"""Every refusal of the API as one JSON shape: {"code", "message", "field", "errors"}.

`message` is in the caller's language (Accept-Language, as for the pages); `field` names the
input at fault where there is one; `errors` lists every field's problem for a refused input.
"""

from __future__ import annotations

import logging
import math
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from gaoxin.api.auth import ScopeDenied
from gaoxin.core.concurrency import StaleEdit
from gaoxin.core.errors import DomainError

logger = logging.getLogger(__name__)


class FieldError(Schema):
    field: str | None = None
    message: str


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None
    errors: list[FieldError] = []


# The answers every operation may give besides its own, in the schema.
COMMON_ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
}


def error(
    api: NinjaAPI,
    request: HttpRequest,
    status: int,
    code: str,
    message: str,
    field: str | None = None,
    errors: list[dict[str, Any]] | None = None,
) -> HttpResponse:
    body = {"code": code, "message": message, "field": field, "errors": errors or []}
    return api.create_response(request, body, status=status)


def _problem(item: dict[str, Any]) -> str:
    """A pydantic error in the caller's language: the common kinds translated, the rest as
    pydantic words them."""
    kind = item.get("type", "")
    ctx = item.get("ctx") or {}
    known = {
        "missing": _("This field is required."),
        "int_parsing": _("Enter a whole number."),
        "int_type": _("Enter a whole number."),
        "float_parsing": _("Enter a number."),
        "decimal_parsing": _("Enter a number."),
        "bool_parsing": _("Enter true or false."),
        "date_from_datetime_parsing": _("Enter a date as YYYY-MM-DD."),
        "date_parsing": _("Enter a date as YYYY-MM-DD."),
        "string_type": _("Enter text."),
        "json_invalid": _("The body is not valid JSON."),
        "extra_forbidden": _("This field is not known."),
    }
    if kind in known:
        return known[kind]
    if kind in {"literal_error", "enum"}:
        return _("Choose one of: %(choices)s.") % {"choices": ctx.get("expected", "")}
    if kind == "string_too_long":
        return _("At most %(max)s characters.") % {"max": ctx.get("max_length")}
    if kind in {"greater_than_equal", "greater_than"}:
        return _("Must be at least %(min)s.") % {"min": ctx.get("ge", ctx.get("gt"))}
    if kind in {"less_than_equal", "less_than"}:
        return _("Must be at most %(max)s.") % {"max": ctx.get("le", ctx.get("lt"))}
    return str(item.get("msg", _("Not a valid value.")))


def _field_of(item: dict[str, Any]) -> str | None:
    # ninja's locations start with where the value came from ("body", "query", "path") and
    # the operation's parameter name; what follows is the field the caller sent.
    loc = [str(part) for part in item.get("loc", ())]
    if loc and loc[0] in {"body", "query", "path", "header", "cookie", "form"}:
        loc = loc[1:]
        if len(loc) > 1 and loc[0] in {"payload", "filters", "data", "body"}:
            loc = loc[1:]
    return ".".join(loc) or None


def install(api: NinjaAPI) -> None:
    def on_validation(request: HttpRequest, exc: Any) -> HttpResponse:
        errors = [{"field": _field_of(e), "message": _problem(e)} for e in exc.errors]
        first: dict[str, Any] = (
            errors[0] if errors else {"field": None, "message": _("Not a valid value.")}
        )
        message = f"{first['field']}: {first['message']}" if first["field"] else first["message"]
        return error(api, request, 422, "invalid", message, first["field"], errors)

    def on_domain(request: HttpRequest, exc: Any) -> HttpResponse:
        if isinstance(exc, StaleEdit):
            return error(api, request, 409, "conflict", exc.message, exc.field or "version")
        field = exc.field
        return error(api, request, 400, "refused", exc.message, field)

    def on_http(request: HttpRequest, exc: Any) -> HttpResponse:
        if isinstance(exc, Throttled):
            response = error(
                api,
                request,
                429,
                "rate_limited",
                _("Too many calls with this token; try again in %(seconds)d seconds.")
                % {"seconds": math.ceil(exc.wait or 1)},
            )
            response["Retry-After"] = str(max(1, math.ceil(exc.wait or 1)))
            return response
        if isinstance(exc, AuthenticationError):
            return error(
                api,
                request,
                401,
                "unauthenticated",
                _("Send a live API token: Authorization: Bearer gx_…"),
            )
        if isinstance(exc, ScopeDenied):
            return error(api, request, 403, "scope", exc.message)
        if exc.status_code == 400:
            return error(api, request, 400, "invalid", _("The request could not be read."))
        return error(api, request, exc.status_code, "error", str(exc))

    def on_404(request: HttpRequest, exc: Any) -> HttpResponse:
        return error(api, request, 404, "not_found", _("Not found, or not in your zones."))

    def on_403(request: HttpRequest, exc: Any) -> HttpResponse:
        return error(api, request, 403, "forbidden", _("Your role may not do this."))

    def on_error(request: HttpRequest, exc: Any) -> HttpResponse:
        logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
        return error(
            api, request, 500, "server_error", _("Something went wrong on our side; it is logged.")
        )

    api.add_exception_handler(Exception, on_error)
    api.add_exception_handler(Http404, on_404)
    api.add_exception_handler(PermissionDenied, on_403)
    api.add_exception_handler(DomainError, on_domain)
    api.add_exception_handler(HttpError, on_http)
    api.add_exception_handler(ValidationError, on_validation)
