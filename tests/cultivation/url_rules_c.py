"""Who may open the 亩均效益 pages: staff read the evaluation and the cut-offs; officers and
admins set cut-offs and keep land records in their zones. An enterprise account sees none of
it; the outsider (an officer of another zone) reads his own zone's list and cannot reach this
zone's records."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.test_permission_matrix import LOGIN, Rule, everyone

STAFF_ONLY = everyone(200, enterprise=403)
# A new row goes to the one working zone: an administrator (every zone) is sent to pick one.
CREATE = {**everyone(403, admin=302, officer=200, outsider=200)}
RECORD_WRITERS = {
    "anonymous": LOGIN,
    "admin": 200,
    "leader": 403,
    "officer": 200,
    "department": 403,
    "enterprise": 404,
    "outsider": 404,
}


def _cutoffs(ctx: dict[str, Any]) -> dict[str, int]:
    from gaoxin.cultivation.models import EfficiencyCutoffs

    values = {f"{m}_{c}": 1000 * (4 - i) for m in ("tax", "revenue") for i, c in enumerate("abc")}
    row, _created = EfficiencyCutoffs.objects.get_or_create(
        zone=ctx["zone"], year=2023, defaults=values
    )
    return {"pk": row.pk}


def _land_record(ctx: dict[str, Any]) -> dict[str, int]:
    from gaoxin.cultivation.models import LandRecord

    row, _created = LandRecord.objects.get_or_create(
        enterprise=ctx["db_objects"]["enterprise"],
        source="矩阵测绘报告",
        defaults={
            "area": 1000,
            "valid_from": dt.date(2020, 1, 1),
            "recorded_by": ctx["users"]["officer"],
        },
    )
    return {"pk": row.pk}


RULES = {
    "cultivation:efficiency_list": Rule(expect=STAFF_ONLY),
    "cultivation:efficiency_cutoffs": Rule(expect=STAFF_ONLY),
    "cultivation:efficiency_cutoffs_create": Rule(expect=CREATE),
    "cultivation:efficiency_cutoffs_edit": Rule(expect=RECORD_WRITERS, kwargs=_cutoffs),
    # An empty form: writers are sent back to the enterprise's page with what is missing.
    "cultivation:efficiency_land_add": Rule(
        method="post",
        kwargs=lambda ctx: {"pk": ctx["db_objects"]["enterprise"].pk},
        expect={**RECORD_WRITERS, "admin": 302, "officer": 302},
    ),
    "cultivation:efficiency_land_end": Rule(expect=RECORD_WRITERS, kwargs=_land_record),
}
