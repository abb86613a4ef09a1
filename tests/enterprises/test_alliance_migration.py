"""The industry alliance moved from the industries app to the enterprises app without touching
its tables: a database from before the move keeps every alliance, its history and its
memberships, and its content type (with the permissions hanging on it) is relabelled."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("industries", "0003_alter_historicalalliance_history_change_reason_and_more"),
    ("enterprises", "0006_alter_historicalalliancemembership_history_change_reason_and_more"),
]


def _migrate(targets):
    """Migrate the two apps to `targets`; the models as they stand then, the other apps' at
    their latest (as the database has them), leaving out an app whose latest needs a later
    migration of the two (it is unmigrated with them)."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    graph = executor.loader.graph
    moved = {app for app, _ in targets}
    reached = {node for target in targets for node in graph.forwards_plan(target)}
    others = [
        leaf
        for leaf in graph.leaf_nodes()
        if leaf[0] not in moved
        and all(node in reached for node in graph.forwards_plan(leaf) if node[0] in moved)
    ]
    return executor.loader.project_state([*targets, *others]).apps


def _latest():
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    return [leaf for leaf in leaves if leaf[0] in ("industries", "enterprises")]


def _as_migrated():
    """Put back the catalogues the migrations load (a transactional test before this one may
    have flushed them): going back deletes their rows before dropping their tables, which
    PostgreSQL refused while the foreign-key checks of the deletion were still pending."""
    from gaoxin.economy import catalogue
    from gaoxin.economy.models import Indicator
    from gaoxin.industries import national
    from gaoxin.industries.models import NationalIndustry

    if not Indicator.objects.exists():
        catalogue.load(Indicator)
    if not NationalIndustry.objects.exists():
        national.load(NationalIndustry)
    assert Indicator.objects.exists() and NationalIndustry.objects.filter(parent__isnull=False)


@pytest.mark.django_db(transaction=True)
def test_an_existing_database_keeps_its_alliances_through_the_move():
    _as_migrated()
    old = _migrate(BEFORE)
    try:
        content_type = old.get_model("contenttypes", "ContentType")
        old_type = content_type.objects.get_or_create(app_label="industries", model="alliance")[0]
        content_type.objects.filter(app_label="enterprises", model="alliance").delete()
        zone = old.get_model("accounts", "Zone").objects.create(code="z", name="园区")
        alliance = old.get_model("industries", "Alliance").objects.create(
            zone=zone, name="新型储能产业联盟", founded_on=dt.date(2022, 5, 1)
        )
        old.get_model("industries", "HistoricalAlliance").objects.create(
            id=alliance.pk,
            name=alliance.name,
            zone_id=zone.pk,
            created_at=alliance.created_at,
            history_date=alliance.created_at,
            history_type="+",
        )
        enterprise = old.get_model("enterprises", "Enterprise").objects.create(
            zone=zone, name="珠海储能科技有限公司", uscc="91440400MA4UH2XQ2R"
        )
        membership = old.get_model("enterprises", "AllianceMembership").objects.create(
            alliance=alliance, enterprise=enterprise, role="chair", joined_on=dt.date(2022, 5, 1)
        )
    finally:
        new = _migrate(_latest())

    moved = new.get_model("enterprises", "Alliance").objects.get()
    assert (moved.pk, moved.name, moved.founded_on) == (
        alliance.pk,
        "新型储能产业联盟",
        dt.date(2022, 5, 1),
    )
    assert new.get_model("enterprises", "HistoricalAlliance").objects.get().name == moved.name
    kept = new.get_model("enterprises", "AllianceMembership").objects.get()
    assert (kept.pk, kept.alliance_id, kept.role) == (membership.pk, moved.pk, "chair")
    relabelled = new.get_model("contenttypes", "ContentType").objects.get(pk=old_type.pk)
    assert (relabelled.app_label, relabelled.model) == ("enterprises", "alliance")
