"""The top bar's count of unread reminders (督办提醒): one query, run only when the page's
layout shows it (a fragment for htmx never does)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def reminders(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from gaoxin.jobs.reminder_selectors import unread_count

    return {"unread_reminders": lambda: unread_count(user)}
