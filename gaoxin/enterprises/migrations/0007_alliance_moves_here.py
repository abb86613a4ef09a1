"""The industry alliance moves here from the industries app, beside its memberships: the model
state only. Its tables keep their names (industries_alliance, industries_historicalalliance)
and every row; the content types (and with them the permissions and admin log entries) are
relabelled to this app."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


MOVED = ("alliance", "historicalalliance")


def _relabel(apps, old: str, new: str) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if content_type.objects.filter(app_label=new, model=model).exists():
            continue  # already there (a database set up after the move)
        content_type.objects.filter(app_label=old, model=model).update(app_label=new)


def forwards(apps, schema_editor) -> None:
    _relabel(apps, "industries", "enterprises")


def backwards(apps, schema_editor) -> None:
    _relabel(apps, "enterprises", "industries")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("accounts", "0004_alter_historicaldepartment_history_change_reason_and_more"),
        ("enterprises", "0006_alter_historicalalliancemembership_history_change_reason_and_more"),
        ("industries", "0003_alter_historicalalliance_history_change_reason_and_more"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Alliance",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created at"),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(auto_now=True, verbose_name="updated at"),
                        ),
                        (
                            "version",
                            models.PositiveIntegerField(
                                default=1, editable=False, verbose_name="version"
                            ),
                        ),
                        ("name", models.CharField(max_length=100, verbose_name="name")),
                        (
                            "founded_on",
                            models.DateField(blank=True, null=True, verbose_name="founded on"),
                        ),
                        ("description", models.TextField(blank=True, verbose_name="description")),
                        (
                            "industry",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="alliances",
                                to="industries.industry",
                                verbose_name="industry",
                            ),
                        ),
                        (
                            "zone",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="alliances",
                                to="accounts.zone",
                                verbose_name="zone",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "industry alliance",
                        "verbose_name_plural": "industry alliances",
                        "db_table": "industries_alliance",
                        "ordering": ["zone", "name"],
                    },
                ),
                migrations.AlterField(
                    model_name="alliancemembership",
                    name="alliance",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="memberships",
                        to="enterprises.alliance",
                        verbose_name="alliance",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicalalliancemembership",
                    name="alliance",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="enterprises.alliance",
                        verbose_name="alliance",
                    ),
                ),
                migrations.CreateModel(
                    name="HistoricalAlliance",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(
                                blank=True, editable=False, verbose_name="created at"
                            ),
                        ),
                        (
                            "version",
                            models.PositiveIntegerField(
                                default=1, editable=False, verbose_name="version"
                            ),
                        ),
                        ("name", models.CharField(max_length=100, verbose_name="name")),
                        (
                            "founded_on",
                            models.DateField(blank=True, null=True, verbose_name="founded on"),
                        ),
                        ("description", models.TextField(blank=True, verbose_name="description")),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.TextField(null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "industry",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="industries.industry",
                                verbose_name="industry",
                            ),
                        ),
                        (
                            "zone",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="accounts.zone",
                                verbose_name="zone",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical industry alliance",
                        "verbose_name_plural": "historical industry alliances",
                        "db_table": "industries_historicalalliance",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.AddConstraint(
                    model_name="alliance",
                    constraint=models.UniqueConstraint(
                        fields=("zone", "name"), name="alliance_unique_name"
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
