"""Campaigns, applications and awards move to the campaigns app (campaigns 0001 takes them up).

Only Django's picture of the models changes: the tables stay where they are, under the names
they have (the models keep them through `db_table`), with every row. Each model goes after
those referring to it, so that no state ever holds a relation to a model already gone.
"""

from django.db import migrations

MOVED = (
    "HistoricalApplicationChange",
    "ApplicationChange",
    "HistoricalApplication",
    "Application",
    "HistoricalAward",
    "Award",
    "HistoricalAwardBatch",
    "AwardBatch",
    "HistoricalCampaign",
    "Campaign",
)


class Migration(migrations.Migration):
    dependencies = [
        ("policies", "0006_alter_historicalactionplan_history_change_reason_and_more"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name=name) for name in MOVED],
            database_operations=[],
        ),
    ]
