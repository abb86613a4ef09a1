"""The registry's standing becomes dated: an existing database gets an exit for each enterprise
that is not operating (dated from its history: the day its status last changed to what it is,
else the day it was last updated) and a 规上 spell for each 规上 enterprise (entered on
1 January of the year it became 规上, else on the day it settled or was created), so that the
counts as of a day, now read from those dates, say what they said before. The covering index
of the counts follows the columns they now read."""

import datetime as dt

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


MIGRATED_NOTE = "由原状态迁移"
BATCH = 1000


def _day(moment):
    """The zone's calendar day of a moment (stored in UTC)."""
    if isinstance(moment, dt.datetime):
        return timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()
    return moment


def _left_on(history, enterprise):
    """The day the enterprise's status last became what it is: the first history row of the
    last run of rows with that status."""
    rows = history.objects.filter(id=enterprise.pk).order_by("history_date", "history_id")
    day = None
    previous = None
    for row in rows.only("status", "history_date"):
        if row.status == enterprise.status and previous != enterprise.status:
            day = _day(row.history_date)
        previous = row.status
    return day or _day(enterprise.updated_at)


def forwards(apps, schema_editor):
    enterprise_model = apps.get_model("enterprises", "Enterprise")
    history = apps.get_model("enterprises", "HistoricalEnterprise")
    exit_model = apps.get_model("enterprises", "EnterpriseExit")
    spell_model = apps.get_model("enterprises", "ScaleSpell")
    open_exits = exit_model.objects.filter(returned_on__isnull=True).values("enterprise_id")
    gone = enterprise_model.objects.exclude(status="active").exclude(pk__in=open_exits)
    exits = []
    for enterprise in gone.iterator(chunk_size=BATCH):
        left_on = _left_on(history, enterprise)
        if enterprise.settled_on and left_on < enterprise.settled_on:
            left_on = enterprise.settled_on
        exits.append(
            exit_model(
                enterprise_id=enterprise.pk,
                kind=enterprise.status,
                left_on=left_on,
                note=MIGRATED_NOTE,
            )
        )
    exit_model.objects.bulk_create(exits, batch_size=BATCH)
    open_spells = spell_model.objects.filter(left_on__isnull=True).values("enterprise_id")
    above = enterprise_model.objects.filter(is_above_scale=True).exclude(pk__in=open_spells)
    spells = []
    for enterprise in above.only("pk", "above_scale_year", "settled_on", "created_at").iterator(
        chunk_size=BATCH
    ):
        entered = (
            dt.date(enterprise.above_scale_year, 1, 1)
            if enterprise.above_scale_year
            else enterprise.settled_on or _day(enterprise.created_at)
        )
        spells.append(
            spell_model(enterprise_id=enterprise.pk, entered_on=entered, source="migrated")
        )
        if len(spells) >= BATCH:
            spell_model.objects.bulk_create(spells)
            spells = []
    spell_model.objects.bulk_create(spells)


def backwards(apps, schema_editor):
    """Remove what `forwards` wrote (the flags and statuses were never changed)."""
    apps.get_model("enterprises", "ScaleSpell").objects.filter(source="migrated").delete()
    apps.get_model("enterprises", "EnterpriseExit").objects.filter(
        note=MIGRATED_NOTE, returned_on__isnull=True
    ).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_alter_historicaldepartment_history_change_reason_and_more'),
        ('enterprises', '0008_exits_scale_spells_classes'),
        ('industries', '0005_nationalindustry'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='enterprise',
            name='enterprise_zone_standing',
        ),
        migrations.AddIndex(
            model_name='enterprise',
            index=models.Index(fields=['zone', 'settled_on', 'created_at'], include=('id',), name='enterprise_zone_standing'),
        ),
        migrations.RunPython(forwards, backwards),
    ]
