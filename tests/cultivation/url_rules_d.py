"""Who may open the radar index and the follow-ups: every staff role reads them; officers and
administrators take enterprises into follow-up, add service records and close follow-ups. An
enterprise account sees none of it. The outsider is an officer of another zone: the index and
the list are of his own zone; this zone's enterprise and follow-up are not found."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.test_permission_matrix import LOGIN, Rule, everyone

STAFF_ONLY = everyone(200, enterprise=403)
WRITERS_HERE = {
    "anonymous": LOGIN,
    "admin": 200,
    "leader": 403,
    "officer": 200,
    "department": 403,
    "enterprise": 403,
    "outsider": 404,
}


def _followup(ctx: dict[str, Any]) -> dict[str, int]:
    from gaoxin.cultivation.models import Followup

    officer = ctx["users"]["officer"]
    followup, _created = Followup.objects.get_or_create(
        zone=ctx["zone"],
        enterprise=ctx["db_objects"]["enterprise"],
        radar="matrix",
        closed_on=None,
        defaults={"officer": officer, "created_by": officer, "started_on": dt.date(2023, 5, 1)},
    )
    return {"pk": followup.pk}


RULES = {
    "cultivation:index": Rule(expect=STAFF_ONLY),
    "cultivation:followup_list": Rule(expect=STAFF_ONLY),
    "cultivation:followup_start": Rule(
        data=lambda ctx: {"enterprise": ctx["db_objects"]["enterprise"].pk},
        expect=WRITERS_HERE,
    ),
    "cultivation:followup_detail": Rule(
        kwargs=_followup, expect=everyone(200, enterprise=404, outsider=404)
    ),
    # An empty record: writers are sent back to the follow-up with the form's errors.
    "cultivation:followup_visit_add": Rule(
        method="post",
        kwargs=_followup,
        expect={**WRITERS_HERE, "admin": 302, "officer": 302, "enterprise": 404},
    ),
    "cultivation:followup_close": Rule(
        kwargs=_followup, expect={**WRITERS_HERE, "enterprise": 404}
    ),
}
