from django.db import migrations


def load_rules(apps, schema_editor):
    from gaoxin.cultivation.rules import load

    load(apps.get_model("cultivation", "ScaleThreshold"), apps.get_model("cultivation", "DesignationCriteria"))


def unload(apps, schema_editor):
    apps.get_model("cultivation", "ScaleThreshold").objects.all().delete()
    apps.get_model("cultivation", "DesignationCriteria").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("cultivation", "0001_initial")]

    operations = [migrations.RunPython(load_rules, unload)]
