"""0009 dates the standing of an existing database: an exit for each enterprise not operating
(from its history, else the day it was last updated), a 规上 spell for each 规上 enterprise, so
that the counts as of a day, now read from those dates, say what the flags said; back and
forth leaves one exit and one spell each."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("enterprises", "0008_exits_scale_spells_classes")]
AFTER = [("enterprises", "0009_d_standing_history")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_enterprises_get_their_exits_and_spells_and_back():
    old = _migrate(BEFORE)
    try:
        enterprise = old.get_model("enterprises", "Enterprise")
        history = old.get_model("enterprises", "HistoricalEnterprise")
        zone = old.get_model("accounts", "Zone").objects.create(code="m", name="园区")

        def make(n, **fields):
            return enterprise.objects.create(
                zone=zone, name=f"企业{n}", uscc=f"9144040000000000{n:02d}", **fields
            )

        above = make(1, settled_on=dt.date(2019, 5, 1), is_above_scale=True, above_scale_year=2021)
        above_no_year = make(2, settled_on=dt.date(2020, 2, 1), is_above_scale=True)
        moved = make(3, settled_on=dt.date(2018, 1, 1), status="moved_out")
        closed = make(4, settled_on=dt.date(2018, 1, 1), status="closed")
        active = make(5, settled_on=dt.date(2018, 1, 1))
        # The moved one's history: active, then moved out on 2024-03-05, edited since.
        for day, status in (
            (dt.datetime(2018, 1, 1, tzinfo=dt.UTC), "active"),
            (dt.datetime(2024, 3, 5, 9, tzinfo=dt.UTC), "moved_out"),
            (dt.datetime(2025, 1, 9, 9, tzinfo=dt.UTC), "moved_out"),
        ):
            history.objects.create(
                id=moved.pk,
                zone_id=zone.pk,
                name=moved.name,
                uscc=moved.uscc,
                status=status,
                created_at=moved.created_at,
                history_date=day,
                history_type="~",
            )
    finally:
        new = _migrate(AFTER)

    exits = new.get_model("enterprises", "EnterpriseExit").objects
    spells = new.get_model("enterprises", "ScaleSpell").objects
    assert {(x.enterprise_id, x.kind, x.left_on, x.returned_on) for x in exits.all()} == {
        (moved.pk, "moved_out", dt.date(2024, 3, 5), None),
        (closed.pk, "closed", timezone.localdate(closed.updated_at), None),
    }
    assert {(s.enterprise_id, s.entered_on, s.left_on, s.source) for s in spells.all()} == {
        (above.pk, dt.date(2021, 1, 1), None, "migrated"),
        (above_no_year.pk, dt.date(2020, 2, 1), None, "migrated"),
    }
    assert not exits.filter(enterprise_id=active.pk).exists()

    # Back: what 0009 wrote is gone; forth again: written once more, not twice.
    back = _migrate(BEFORE)
    assert back.get_model("enterprises", "EnterpriseExit").objects.count() == 0
    assert back.get_model("enterprises", "ScaleSpell").objects.count() == 0
    again = _migrate(AFTER)
    assert again.get_model("enterprises", "EnterpriseExit").objects.count() == 2
    assert again.get_model("enterprises", "ScaleSpell").objects.count() == 2
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
