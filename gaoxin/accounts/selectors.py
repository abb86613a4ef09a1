from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from gaoxin.accounts.models import LoginEvent


def login_events_of(user: Any, *, limit: int = 20) -> QuerySet[LoginEvent]:
    return LoginEvent.objects.filter(user=user).order_by("-at")[:limit]
