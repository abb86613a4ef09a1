"""API 令牌 pages: a user's personal access tokens, an administrator's service tokens, the
token shown once, and revocation.

The token's text exists only in the response that shows it: the create view keeps it in the
session for the one redirect (so that reloading the form's answer cannot post it twice), and
the page it redirects to takes it out of the session before rendering. Reloading that page
finds nothing and says the token is not shown again."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from gaoxin.accounts.models import ApiToken
from gaoxin.accounts.token_forms import PersonalTokenForm, ServiceTokenForm, TokenForm
from gaoxin.accounts.tokens import (
    scope_choices,
    token_create_personal,
    token_create_service,
    token_get_for_user,
    token_list_for_user,
    token_revoke,
)
from gaoxin.core.access import require_roles, role_of
from gaoxin.core.forms import save_or_show
from gaoxin.core.http import AuthedRequest
from gaoxin.core.roles import Role

# The session key holding a new token's text between its creation and the page showing it.
SHOWN_ONCE = "gaoxin.api_token_once"


def _api_root() -> str:
    return reverse("api:api-root")


@dataclass(frozen=True)
class TokenRow:
    """A token as the list shows it: its scopes and zones by name, and its state."""

    token: ApiToken
    scopes: list[str]
    zones: list[str]
    state: str  # "active", "expired" or "revoked"


def _rows(tokens: list[ApiToken]) -> list[TokenRow]:
    labels = dict(scope_choices())
    now = timezone.now()
    return [
        TokenRow(
            token=token,
            scopes=[labels.get(scope, scope) for scope in token.scopes],
            zones=[zone.name for zone in token.zones.all()],
            state=(
                "revoked"
                if token.revoked_at is not None
                else "expired"
                if token.expires_at <= now
                else "active"
            ),
        )
        for token in tokens
    ]


@login_required
@require_GET
def token_list(request: AuthedRequest) -> HttpResponse:
    """My personal tokens; an administrator also the service tokens of their zones."""
    tokens = list(token_list_for_user(request.user).select_related("user__department"))
    return render(
        request,
        "accounts/token_list.html",
        {
            "personal": _rows([t for t in tokens if t.kind == ApiToken.Kind.PERSONAL]),
            "service": _rows([t for t in tokens if t.kind == ApiToken.Kind.SERVICE]),
            "is_admin": role_of(request.user) == Role.ADMIN,
            "docs_url": _api_root() + "docs",
        },
    )


def _form_page(request: AuthedRequest, form: TokenForm, title: str) -> HttpResponse:
    return render(
        request,
        "accounts/token_form.html",
        {
            "form": form,
            "title": title,
            "crumbs": [
                (reverse("accounts:profile"), _("My account")),
                (reverse("accounts:token_list"), _("API tokens")),
            ],
            "cancel": reverse("accounts:token_list"),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _show_once(request: AuthedRequest, created: tuple[ApiToken, str] | None) -> HttpResponse | None:
    if created is None:
        return None
    token, raw = created
    request.session[SHOWN_ONCE] = {"pk": token.pk, "raw": raw}
    return redirect("accounts:token_created")


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def token_create(request: AuthedRequest) -> HttpResponse:
    form = PersonalTokenForm(request.POST or None, user=request.user)

    def write(data: dict[str, Any]) -> tuple[ApiToken, str]:
        return token_create_personal(
            user=request.user,
            name=data["name"],
            scopes=data["scopes"],
            zones=list(data["zones"]),
            expires_on=data["expires_on"],
            rate_per_minute=data["rate_per_minute"],
        )

    done = _show_once(request, save_or_show(request, form, write))
    return done or _form_page(request, form, _("New personal access token"))


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def service_token_create(request: AuthedRequest) -> HttpResponse:
    require_roles(request.user, {Role.ADMIN})
    form = ServiceTokenForm(request.POST or None, user=request.user)

    def write(data: dict[str, Any]) -> tuple[ApiToken, str]:
        return token_create_service(
            by=request.user,
            name=data["name"],
            role=data["role"],
            department=data["department"],
            scopes=data["scopes"],
            zones=list(data["zones"]),
            expires_on=data["expires_on"],
            rate_per_minute=data["rate_per_minute"],
        )

    done = _show_once(request, save_or_show(request, form, write))
    return done or _form_page(request, form, _("New service token"))


@login_required
@never_cache
@require_GET
def token_created(request: AuthedRequest) -> HttpResponse:
    """The new token's text, once: taken out of the session here, so a reload shows nothing."""
    held = request.session.pop(SHOWN_ONCE, None)
    token = None
    if isinstance(held, dict):
        try:
            token = token_get_for_user(request.user, held.get("pk"))
        except Http404:  # not the user's, or gone
            token = None
    if token is None or not isinstance(held, dict):
        messages.info(
            request,
            _(
                "A token is shown only once, when it is created. Revoke a lost one and create "
                "a new one."
            ),
        )
        return redirect("accounts:token_list")
    raw = str(held["raw"])
    return render(
        request,
        "accounts/token_created.html",
        {
            "token": token,
            "raw": raw,
            "example_url": request.build_absolute_uri(_api_root() + "enterprises/"),
            "docs_url": _api_root() + "docs",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Revoke a token: a page asks for the confirmation, then the write. Someone else's
    personal token, or a service token for anyone but an administrator of its zones: 404."""
    token = token_get_for_user(request.user, pk)
    if request.method == "POST" and request.POST.get("confirm") == "1":
        if token.revoked_at is None:
            token_revoke(token=token, by=request.user)
            messages.success(
                request,
                _("The token %(name)s was revoked: it no longer works.") % {"name": token.name},
            )
        return redirect("accounts:token_list")
    return render(request, "accounts/token_revoke.html", {"token": token})
