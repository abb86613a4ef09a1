"""Who calls the API: a bearer token, checked for the router's area (read for GET, write for
anything else); the call then runs as the token's user, narrowed to the token's zones."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer

from gaoxin.accounts.tokens import allows, token_authenticate

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ScopeDenied(HttpError):
    def __init__(self, message: str) -> None:
        super().__init__(403, message)


class TokenAuth(HttpBearer):
    """The bearer token of one area's router ("enterprises", "projects", ...)."""

    def __init__(self, area: str) -> None:
        super().__init__()
        self.area = area

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = token_authenticate(token.strip())
        if found is None:
            return None
        write = request.method not in SAFE_METHODS
        if not allows(found, self.area, write=write):
            raise ScopeDenied(
                _("This token may not %(mode)s “%(area)s”: its scopes are %(scopes)s.")
                % {
                    "mode": _("write") if write else _("read"),
                    "area": self.area,
                    "scopes": ", ".join(found.scopes),
                }
            )
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]  # read by api/history.py
        return found
