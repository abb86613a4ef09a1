"""Campaigns and awards left the policies app without touching a table: a database made before
the move (policies 0006) migrates with every row kept, relations, history rows, content types
and their permissions included."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.apps.registry import Apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from gaoxin.campaigns.models import (
    Application,
    ApplicationChange,
    ApplicationStatus,
    Award,
    AwardBatch,
    AwardStatus,
    Campaign,
)
from tests.factories import DesignationFactory, EnterpriseFactory, PolicyFactory, UserFactory

BEFORE = [("policies", "0006_alter_historicalactionplan_history_change_reason_and_more")]
MOVED = (Campaign, Application, ApplicationChange, AwardBatch, Award)

pytestmark = pytest.mark.django_db(transaction=True)


def _migrate(targets: list[tuple[str, str]] | None = None) -> Apps:
    """Migrates the test database to `targets` (the latest migrations when None) and returns
    the models as they were then."""
    executor = MigrationExecutor(connection)
    targets = targets or list(executor.loader.graph.leaf_nodes())
    executor.migrate(targets)
    ContentType.objects.clear_cache()
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.fixture
def before_the_move(transactional_db: None) -> Iterator[Apps]:
    """The models of a database from before the move; the database goes forward again
    afterwards whatever the test did, so the tests after this one find it whole."""
    try:
        yield _migrate(BEFORE)
    finally:
        _migrate()


def _history(old: Apps, name: str, row: Any, by: Any) -> Any:
    """A history row of `row` as simple-history writes it (the migration state's models have
    no signals to write one)."""
    model = old.get_model("policies", f"Historical{name}")
    copied = {
        field.attname: getattr(row, field.attname)
        for field in model._meta.concrete_fields
        if hasattr(row, field.attname) and field.attname != "id"
    }
    return model.objects.create(
        id=row.pk,
        history_date=timezone.now(),
        history_type="+",
        history_user_id=by.pk,
        **copied,
    )


def test_an_existing_database_keeps_every_row(before_the_move: Apps) -> None:
    old = before_the_move
    user = UserFactory()
    policy = PolicyFactory()
    enterprise = EnterpriseFactory(zone=policy.zone)
    designation = DesignationFactory(enterprise=enterprise)
    # The content types as the policies app had them, and a permission hanging on one.
    types = {
        model._meta.model_name: ContentType.objects.get(
            app_label="policies", model=model._meta.model_name
        ).pk
        for model in MOVED
    }
    permission = Permission.objects.get(codename="change_award").pk

    campaign = old.get_model("policies", "Campaign").objects.create(
        zone_id=policy.zone_id,
        policy_id=policy.pk,
        name="2022年广东省专精特新中小企业申报",
        code="2022-gd-zjtx",
        designation_kind="specialised_sme",
        designation_level="provincial",
        opens_on=dt.date(2022, 3, 1),
        closes_on=dt.date(2022, 4, 30),
    )
    application = old.get_model("policies", "Application").objects.create(
        campaign_id=campaign.pk,
        enterprise_id=enterprise.pk,
        status="approved",
        status_on=dt.date(2022, 9, 1),
        designation_id=designation.pk,
    )
    change = old.get_model("policies", "ApplicationChange").objects.create(
        application_id=application.pk,
        from_status="recommended",
        to_status="approved",
        on=dt.date(2022, 9, 1),
        by_id=user.pk,
        note="省厅公示",
    )
    batch = old.get_model("policies", "AwardBatch").objects.create(
        zone_id=policy.zone_id, policy_id=policy.pk, name="第一批奖励资金", code="2023-zjtx-1"
    )
    award = old.get_model("policies", "Award").objects.create(
        batch_id=batch.pk,
        enterprise_id=enterprise.pk,
        amount=Decimal("200000.00"),
        reason="省级专精特新认定奖励",
        designation_id=designation.pk,
        status="paid",
        paid_on=dt.date(2023, 6, 30),
    )
    for name, row in [
        ("Campaign", campaign),
        ("Application", application),
        ("ApplicationChange", change),
        ("AwardBatch", batch),
        ("Award", award),
    ]:
        _history(old, name, row, user)

    _migrate()

    moved = Campaign.objects.get(pk=campaign.pk)
    assert (moved.name, moved.code, moved.policy_id) == (campaign.name, "2022-gd-zjtx", policy.pk)
    kept = Application.objects.get(pk=application.pk)
    assert (kept.campaign, kept.enterprise_id, kept.designation_id) == (
        moved,
        enterprise.pk,
        designation.pk,
    )
    assert kept.status == ApplicationStatus.APPROVED
    assert list(kept.changes.values_list("pk", "to_status", "by_id", "note")) == [
        (change.pk, "approved", user.pk, "省厅公示")
    ]
    kept_award = Award.objects.select_related("batch").get(pk=award.pk)
    assert (kept_award.batch.code, kept_award.amount, kept_award.status) == (
        "2023-zjtx-1",
        Decimal("200000.00"),
        AwardStatus.PAID,
    )
    assert kept_award.paid_on == dt.date(2023, 6, 30)
    # The reverse relations of the models below still reach the moved rows.
    assert list(policy.campaigns.all()) == [moved]
    assert list(enterprise.awards.all()) == [kept_award]
    # Each record's history came along, with who wrote it.
    for model, row in [
        (Campaign, moved),
        (Application, kept),
        (ApplicationChange, change),
        (AwardBatch, batch),
        (Award, kept_award),
    ]:
        history = model.history.filter(id=row.pk)  # type: ignore[attr-defined]
        assert list(history.values_list("history_user_id", flat=True)) == [user.pk], model
    # The content types moved with the models, keeping their rows (and so the permissions).
    assert {
        model._meta.model_name: ContentType.objects.get_for_model(model).pk for model in MOVED
    } == types
    assert Permission.objects.get(pk=permission).content_type.app_label == "campaigns"
    assert not ContentType.objects.filter(app_label="policies", model__in=list(types)).exists()


def test_the_moved_models_keep_their_tables() -> None:
    """What makes the move free: the tables (history tables too) keep their names."""
    tables = {model._meta.db_table for model in MOVED} | {
        model.history.model._meta.db_table  # type: ignore[attr-defined]
        for model in MOVED
    }
    assert tables == {
        f"policies_{prefix}{model._meta.model_name}"
        for model in MOVED
        for prefix in ("", "historical")
    }
