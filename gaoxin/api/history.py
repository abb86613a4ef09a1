"""Every write through the API shows in the record's history with the token's name.

Services save through `core.history.save_recorded`, which names the user; the token is known
only to the request. simple-history keeps the request of the current thread
(HistoryRequestMiddleware), so the history row about to be written reads the token there and
adds it to the row's reason ("API 令牌「统计局数据接口」", then the service's own reason, if any).
"""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record


def via_token(reason: str | None, token_name: str) -> str:
    label = _("API token “%(name)s”") % {"name": token_name}
    return f"{label}: {reason}" if reason else label


@receiver(pre_create_historical_record)
def _name_the_token(sender: Any, instance: Any, history_instance: Any, **kwargs: Any) -> None:
    request = getattr(HistoricalRecords.context, "request", None)
    token = getattr(request, "api_token", None)
    if token is None:
        return
    history_instance.history_change_reason = via_token(
        history_instance.history_change_reason, token.name
    )
