"""The login audit trail. Django tells of logins only through signals, so these receivers
are the one place that listens; they only record."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from gaoxin.accounts.services import login_event_record


@receiver(user_logged_in)
def _logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    login_event_record(kind="login", username=user.get_username(), user=user, request=request)


@receiver(user_logged_out)
def _logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:
        login_event_record(kind="logout", username=user.get_username(), user=user, request=request)


@receiver(user_login_failed)
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    login_event_record(
        kind="failed",
        username=str(credentials.get("username", ""))[:150],
        user=None,
        request=request,
    )
