"""The latest month with figures over many zones (a province's leader) by an index seek."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("economy", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="figurevalue",
            index=models.Index(
                fields=["indicator", "year", "month", "zone", "in_effect"],
                name="figurevalue_indicator_latest",
            ),
        ),
    ]
