"""The industry alliance now belongs to the enterprises app (see its 0007): it leaves this app's
model state; its tables stay as they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0007_alliance_moves_here"),
        ("industries", "0003_alter_historicalalliance_history_change_reason_and_more"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="historicalalliance",
                    name="history_user",
                ),
                migrations.RemoveField(
                    model_name="historicalalliance",
                    name="industry",
                ),
                migrations.RemoveField(
                    model_name="historicalalliance",
                    name="zone",
                ),
                migrations.DeleteModel(
                    name="Alliance",
                ),
                migrations.DeleteModel(
                    name="HistoricalAlliance",
                ),
            ],
            database_operations=[],
        ),
    ]
