"""The login audit trail. Django tells of logins only through signals, so these receivers
are the one place that listens; they only record."""

from __future__ import annotations

import logging
from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from gaoxin.accounts.models import User
from gaoxin.accounts.services import lockout_record, login_event_record

log = logging.getLogger(__name__)


class _AxesRequest(HttpRequest):
    # Marked by _locked_out so that _login_failed does not record the same attempt twice.
    _gaoxin_lockout_recorded: bool


@receiver(user_logged_in)
def _logged_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    from gaoxin.accounts.middleware import second_factor_note
    from gaoxin.accounts.selectors import second_factor_step

    if request is not None and getattr(request, "session", None) is not None:
        step = second_factor_note(request, user)
    else:
        step = second_factor_step(user)
    if step is not None:
        # The password was right; the login is recorded once the code is given.
        login_event_record(
            kind="code-asked", username=user.get_username(), user=user, request=request
        )
    else:
        name = user.get_username()
        login_event_record(
            kind="login", username=name, user=user, request=request, factor="password"
        )


@receiver(user_logged_out)
def _logged_out(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        login_event_record(kind="logout", username=user.get_username(), user=user, request=request)


@receiver(user_login_failed)
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Axes' own receiver (its app comes first in INSTALLED_APPS, so it runs first) has already
    # sent user_locked_out if this failure locks or was refused by a lockout; that was recorded.
    if getattr(request, "_gaoxin_lockout_recorded", False):
        return
    login_event_record(
        kind="failed",
        username=str(credentials.get("username", ""))[:150],
        user=None,
        request=request,
    )


@receiver(user_locked_out)
def _locked_out(
    sender: Any, request: _AxesRequest, username: str | None, ip_address: str | None, **kwargs: Any
) -> None:
    event = lockout_record(request=request, username=username, ip_address=ip_address)
    request._gaoxin_lockout_recorded = True
    until = event.until.isoformat(timespec="seconds") if event.until else "-"
    if event.kind == "locked":
        log.warning("login locked: user %r from %s until %s", username, ip_address, until)
    else:
        log.warning(
            "login refused while locked: user %r from %s, locked until %s",
            username,
            ip_address,
            until,
        )
