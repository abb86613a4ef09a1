"""Who may import the statistics sheet: admins and officers, into their working zone. The
outsider is an officer of another zone, so he may open the upload page (he would import into
his own zone) but not an import of this zone."""

from __future__ import annotations

from typing import Any

from tests.test_permission_matrix import LOGIN, Rule

WRITERS_ONLY = {
    "anonymous": LOGIN,
    "admin": 200,
    "leader": 403,
    "officer": 200,
    "department": 403,
    "enterprise": 403,
    "outsider": 200,
}


def _batch(ctx: dict[str, Any]) -> dict[str, int]:
    from gaoxin.economy.models import ImportBatch

    batch, _created = ImportBatch.objects.get_or_create(
        zone=ctx["zone"], source="bureau", year=2023, month=6, first_month=6, file_name="矩阵.xlsx"
    )
    return {"pk": batch.pk}


RULES = {
    "economy:import_upload": Rule(expect=WRITERS_ONLY),
    # Nothing is pending in the session: writers are sent back to the upload page.
    "economy:import_confirm": Rule(
        method="post", expect={**WRITERS_ONLY, "admin": 302, "officer": 302, "outsider": 302}
    ),
    "economy:import_batch": Rule(expect={**WRITERS_ONLY, "outsider": 404}, kwargs=_batch),
    # A large sheet's preview, checked by a job: no such job of theirs, so writers get 404.
    "economy:import_checked": Rule(
        kwargs=lambda ctx: {"pk": 999_999},
        expect={**WRITERS_ONLY, "admin": 404, "officer": 404, "outsider": 404},
    ),
}
