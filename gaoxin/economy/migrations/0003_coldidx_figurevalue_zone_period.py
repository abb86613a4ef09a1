"""The zone-first index of the figures carries each row's first month, so the twelve months'
sums (last year's months after the period's month) read the index alone (issue 19)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("economy", "0002_figurevalue_indicator_latest"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="figurevalue", name="figurevalue_zone_period"),
        migrations.AddIndex(
            model_name="figurevalue",
            index=models.Index(
                fields=[
                    "zone",
                    "indicator",
                    "year",
                    "month",
                    "in_effect",
                    "enterprise",
                    "amount",
                    "first_month",
                ],
                name="figurevalue_zone_period",
            ),
        ),
    ]
