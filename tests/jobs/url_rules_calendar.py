"""Who may open the working-day calendar (see tests/test_permission_matrix.py): the staff read
it, enterprise users do not; only an administrator enters or takes away days. The day to take
away is entered by the rule itself (in the case's own transaction); the writes are tried
by every role in tests/jobs/test_calendar_views.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.test_permission_matrix import LOGIN, Rule, everyone

STAFF_READ = everyone(200, enterprise=403)
ADMIN_ONLY = {**everyone(403, admin=200), "anonymous": LOGIN}


def _entered_day(ctx: dict[str, Any]) -> dict[str, Any]:
    from gaoxin.jobs.models import CalendarDay

    row, _created = CalendarDay.objects.get_or_create(
        day=dt.date(2027, 10, 1),
        defaults={"is_workday": False, "name": "国庆节", "source": "国办发明电〔2026〕1号"},
    )
    return {"pk": row.pk}


RULES = {
    "calendar:year": Rule(expect=STAFF_READ),
    "calendar:period_new": Rule(expect=ADMIN_ONLY),
    "calendar:day_new": Rule(expect=ADMIN_ONLY),
    "calendar:day_delete": Rule(kwargs=_entered_day, expect=ADMIN_ONLY),
}
