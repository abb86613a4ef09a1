"""Who may open the reminders' pages (see tests/test_permission_matrix.py): every signed-in
user has their own; a notice is marked read only by its user (404 for anyone else)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.test_permission_matrix import Rule, everyone


def _officers_notice(ctx: dict[str, Any]) -> dict[str, Any]:
    from gaoxin.jobs.models import Notice

    notice = Notice.objects.create(
        user=ctx["users"]["officer"],
        zone=ctx["zone"],
        kind="blocker_overdue",
        key="blocker:1",
        day=dt.date(2026, 11, 30),
        title="储能电池项目 · 供电线路未接入",
    )
    return {"pk": notice.pk}


RULES = {
    "reminders:list": Rule(expect=everyone(200)),
    "reminders:settings": Rule(expect=everyone(200)),
    "reminders:read_all": Rule(method="post", expect=everyone(302)),
    "reminders:read": Rule(
        method="post",
        kwargs=_officers_notice,
        expect=everyone(404, officer=302),
    ),
}
