"""Campaigns, applications and awards, moved here from the policies app (policies 0007).

The tables exist already, with their rows, under the names the models keep (`db_table`):
this migration only tells Django the models are here now (state operations, no database
operation), and moves their content types, so that the permissions, the admin's log and
anything else pointing at a content type follow the models instead of going stale.
"""

import django.db.models.deletion
import gaoxin.core.bounds
import simple_history.models
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


# The moved models, by their content type's name (model_name), historical ones included.
MOVED = (
    "campaign",
    "application",
    "applicationchange",
    "awardbatch",
    "award",
    "historicalcampaign",
    "historicalapplication",
    "historicalapplicationchange",
    "historicalawardbatch",
    "historicalaward",
)


def _relabel(apps, schema_editor, source, target):
    """Give the moved models' content types the label of the app they are in now. A type the
    target app has already (it cannot have one before this migration, which moves them) is left
    alone rather than merged: `remove_stale_contenttypes` would then show the duplicate."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    have = set(
        ContentType.objects.using(db)
        .filter(app_label=target, model__in=MOVED)
        .values_list("model", flat=True)
    )
    ContentType.objects.using(db).filter(app_label=source, model__in=MOVED).exclude(
        model__in=have
    ).update(app_label=target)


def forwards(apps, schema_editor):
    _relabel(apps, schema_editor, "policies", "campaigns")


def backwards(apps, schema_editor):
    _relabel(apps, schema_editor, "campaigns", "policies")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0004_alter_historicaldepartment_history_change_reason_and_more'),
        ('enterprises', '0006_alter_historicalalliancemembership_history_change_reason_and_more'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('policies', '0007_campaigns_move_out'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='AwardBatch',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                        ('name', models.CharField(max_length=200, verbose_name='name')),
                        ('code', models.SlugField(blank=True, help_text='A short stable name for figures and links, e.g. 2023-zjtx-1.', max_length=40, verbose_name='code')),
                        ('announced_on', models.DateField(blank=True, null=True, verbose_name='publicly announced on (公示)')),
                        ('notes', models.TextField(blank=True, verbose_name='notes')),
                        ('policy', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='award_batches', to='policies.policy', verbose_name='policy')),
                        ('zone', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='award_batches', to='accounts.zone', verbose_name='zone')),
                    ],
                    options={
                        'verbose_name': 'award batch',
                        'verbose_name_plural': 'award batches',
                        'db_table': 'policies_awardbatch',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='Award',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                        ('amount', gaoxin.core.bounds.MoneyField(decimal_places=2, max_digits=16, verbose_name='amount (yuan)')),
                        ('reason', models.CharField(help_text='The designation or policy clause the award is for.', max_length=200, verbose_name='reason')),
                        ('status', models.CharField(choices=[('proposed', 'Proposed (拟奖励)'), ('announced', 'Publicly announced (公示)'), ('paid', 'Paid (已拨付)'), ('withdrawn', 'Withdrawn (撤回)')], default='proposed', max_length=10, verbose_name='status')),
                        ('paid_on', models.DateField(blank=True, null=True, verbose_name='paid on')),
                        ('designation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='awards', to='enterprises.designation', verbose_name='designation')),
                        ('enterprise', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='awards', to='enterprises.enterprise', verbose_name='enterprise')),
                        ('batch', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='awards', to='campaigns.awardbatch', verbose_name='batch')),
                    ],
                    options={
                        'verbose_name': 'award',
                        'verbose_name_plural': 'awards',
                        'db_table': 'policies_award',
                        'ordering': ['batch', 'enterprise__name'],
                    },
                ),
                migrations.CreateModel(
                    name='Campaign',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                        ('name', models.CharField(max_length=200, verbose_name='name')),
                        ('code', models.SlugField(blank=True, help_text='A short stable name for figures and links, e.g. 2022-gd-zjtx.', max_length=40, verbose_name='code')),
                        ('designation_kind', models.CharField(blank=True, choices=[('high_tech', 'High-tech enterprise (高新技术企业)'), ('tech_sme', 'Technology-based SME (科技型中小企业)'), ('innovative_sme', 'Innovative SME (创新型中小企业)'), ('specialised_sme', 'Provincial specialised SME (省级专精特新中小企业)'), ('little_giant', "National 'little giant' (国家级专精特新“小巨人”企业)")], max_length=20, verbose_name='designation it leads to')),
                        ('designation_level', models.CharField(blank=True, choices=[('national', 'National'), ('provincial', 'Provincial'), ('municipal', 'Municipal'), ('district', 'District')], max_length=12, verbose_name='designation level')),
                        ('validity_years', gaoxin.core.bounds.SmallCountField(default=3, upper=50, verbose_name='years the designation is valid')),
                        ('opens_on', models.DateField(verbose_name='opens on')),
                        ('closes_on', models.DateField(verbose_name='closes on')),
                        ('eligibility', models.TextField(blank=True, verbose_name='eligibility notes')),
                        ('policy', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='campaigns', to='policies.policy', verbose_name='policy')),
                        ('zone', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='campaigns', to='accounts.zone', verbose_name='zone')),
                    ],
                    options={
                        'verbose_name': 'application campaign',
                        'verbose_name_plural': 'application campaigns',
                        'db_table': 'policies_campaign',
                        'ordering': ['-opens_on', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='Application',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                        ('status', models.CharField(choices=[('draft', 'Preparing (拟申报)'), ('submitted', 'Submitted (已提交)'), ('zone_review', 'Zone review (区级审核)'), ('recommended', 'Recommended upward (推荐上报)'), ('approved', 'Approved (认定通过)'), ('rejected', 'Not approved (未通过)')], default='draft', max_length=12, verbose_name='status')),
                        ('status_on', models.DateField(verbose_name='status since')),
                        ('contact_person', models.CharField(blank=True, max_length=50, verbose_name='contact person')),
                        ('contact_phone', models.CharField(blank=True, max_length=30, verbose_name='contact phone')),
                        ('statement', models.TextField(blank=True, help_text='What the enterprise says of itself against the eligibility notes.', verbose_name='application statement')),
                        ('review_note', models.TextField(blank=True, verbose_name='review note')),
                        ('designation', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='application', to='enterprises.designation', verbose_name='designation granted')),
                        ('enterprise', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='applications', to='enterprises.enterprise', verbose_name='enterprise')),
                        ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='applications', to='campaigns.campaign', verbose_name='campaign')),
                    ],
                    options={
                        'verbose_name': 'application',
                        'verbose_name_plural': 'applications',
                        'db_table': 'policies_application',
                        'ordering': ['campaign', 'enterprise__name'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalApplication',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created at')),
                        ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                        ('status', models.CharField(choices=[('draft', 'Preparing (拟申报)'), ('submitted', 'Submitted (已提交)'), ('zone_review', 'Zone review (区级审核)'), ('recommended', 'Recommended upward (推荐上报)'), ('approved', 'Approved (认定通过)'), ('rejected', 'Not approved (未通过)')], default='draft', max_length=12, verbose_name='status')),
                        ('status_on', models.DateField(verbose_name='status since')),
                        ('contact_person', models.CharField(blank=True, max_length=50, verbose_name='contact person')),
                        ('contact_phone', models.CharField(blank=True, max_length=30, verbose_name='contact phone')),
                        ('statement', models.TextField(blank=True, help_text='What the enterprise says of itself against the eligibility notes.', verbose_name='application statement')),
                        ('review_note', models.TextField(blank=True, verbose_name='review note')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.TextField(null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('campaign', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='campaigns.campaign', verbose_name='campaign')),
                        ('designation', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='enterprises.designation', verbose_name='designation granted')),
                        ('enterprise', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='enterprises.enterprise', verbose_name='enterprise')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical application',
                        'verbose_name_plural': 'historical applications',
                        'db_table': 'policies_historicalapplication',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalApplicationChange',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created at')),
                        ('from_status', models.CharField(blank=True, choices=[('draft', 'Preparing (拟申报)'), ('submitted', 'Submitted (已提交)'), ('zone_review', 'Zone review (区级审核)'), ('recommended', 'Recommended upward (推荐上报)'), ('approved', 'Approved (认定通过)'), ('rejected', 'Not approved (未通过)')], max_length=12, verbose_name='from')),
                        ('to_status', models.CharField(choices=[('draft', 'Preparing (拟申报)'), ('submitted', 'Submitted (已提交)'), ('zone_review', 'Zone review (区级审核)'), ('recommended', 'Recommended upward (推荐上报)'), ('approved', 'Approved (认定通过)'), ('rejected', 'Not approved (未通过)')], max_length=12, verbose_name='to')),
                        ('on', models.DateField(verbose_name='date')),
                        ('note', models.TextField(blank=True, verbose_name='note')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.TextField(null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('application', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='campaigns.application', verbose_name='application')),
                        ('by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical application status change',
                        'verbose_name_plural': 'historical application status changes',
                        'db_table': 'policies_historicalapplicationchange',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalAward',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created at')),
                        ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                        ('amount', gaoxin.core.bounds.MoneyField(decimal_places=2, max_digits=16, verbose_name='amount (yuan)')),
                        ('reason', models.CharField(help_text='The designation or policy clause the award is for.', max_length=200, verbose_name='reason')),
                        ('status', models.CharField(choices=[('proposed', 'Proposed (拟奖励)'), ('announced', 'Publicly announced (公示)'), ('paid', 'Paid (已拨付)'), ('withdrawn', 'Withdrawn (撤回)')], default='proposed', max_length=10, verbose_name='status')),
                        ('paid_on', models.DateField(blank=True, null=True, verbose_name='paid on')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.TextField(null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('batch', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='campaigns.awardbatch', verbose_name='batch')),
                        ('designation', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='enterprises.designation', verbose_name='designation')),
                        ('enterprise', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='enterprises.enterprise', verbose_name='enterprise')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical award',
                        'verbose_name_plural': 'historical awards',
                        'db_table': 'policies_historicalaward',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalAwardBatch',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created at')),
                        ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                        ('name', models.CharField(max_length=200, verbose_name='name')),
                        ('code', models.SlugField(blank=True, help_text='A short stable name for figures and links, e.g. 2023-zjtx-1.', max_length=40, verbose_name='code')),
                        ('announced_on', models.DateField(blank=True, null=True, verbose_name='publicly announced on (公示)')),
                        ('notes', models.TextField(blank=True, verbose_name='notes')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.TextField(null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('policy', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='policies.policy', verbose_name='policy')),
                        ('zone', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='accounts.zone', verbose_name='zone')),
                    ],
                    options={
                        'verbose_name': 'historical award batch',
                        'verbose_name_plural': 'historical award batches',
                        'db_table': 'policies_historicalawardbatch',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalCampaign',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created at')),
                        ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                        ('name', models.CharField(max_length=200, verbose_name='name')),
                        ('code', models.SlugField(blank=True, help_text='A short stable name for figures and links, e.g. 2022-gd-zjtx.', max_length=40, verbose_name='code')),
                        ('designation_kind', models.CharField(blank=True, choices=[('high_tech', 'High-tech enterprise (高新技术企业)'), ('tech_sme', 'Technology-based SME (科技型中小企业)'), ('innovative_sme', 'Innovative SME (创新型中小企业)'), ('specialised_sme', 'Provincial specialised SME (省级专精特新中小企业)'), ('little_giant', "National 'little giant' (国家级专精特新“小巨人”企业)")], max_length=20, verbose_name='designation it leads to')),
                        ('designation_level', models.CharField(blank=True, choices=[('national', 'National'), ('provincial', 'Provincial'), ('municipal', 'Municipal'), ('district', 'District')], max_length=12, verbose_name='designation level')),
                        ('validity_years', gaoxin.core.bounds.SmallCountField(default=3, upper=50, verbose_name='years the designation is valid')),
                        ('opens_on', models.DateField(verbose_name='opens on')),
                        ('closes_on', models.DateField(verbose_name='closes on')),
                        ('eligibility', models.TextField(blank=True, verbose_name='eligibility notes')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.TextField(null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('policy', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='policies.policy', verbose_name='policy')),
                        ('zone', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='accounts.zone', verbose_name='zone')),
                    ],
                    options={
                        'verbose_name': 'historical application campaign',
                        'verbose_name_plural': 'historical application campaigns',
                        'db_table': 'policies_historicalcampaign',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='ApplicationChange',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('from_status', models.CharField(blank=True, choices=[('draft', 'Preparing (拟申报)'), ('submitted', 'Submitted (已提交)'), ('zone_review', 'Zone review (区级审核)'), ('recommended', 'Recommended upward (推荐上报)'), ('approved', 'Approved (认定通过)'), ('rejected', 'Not approved (未通过)')], max_length=12, verbose_name='from')),
                        ('to_status', models.CharField(choices=[('draft', 'Preparing (拟申报)'), ('submitted', 'Submitted (已提交)'), ('zone_review', 'Zone review (区级审核)'), ('recommended', 'Recommended upward (推荐上报)'), ('approved', 'Approved (认定通过)'), ('rejected', 'Not approved (未通过)')], max_length=12, verbose_name='to')),
                        ('on', models.DateField(verbose_name='date')),
                        ('note', models.TextField(blank=True, verbose_name='note')),
                        ('application', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='changes', to='campaigns.application', verbose_name='application')),
                        ('by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                    ],
                    options={
                        'verbose_name': 'application status change',
                        'verbose_name_plural': 'application status changes',
                        'db_table': 'policies_applicationchange',
                        'ordering': ['application', 'on', 'pk'],
                        'indexes': [models.Index(fields=['to_status', 'on'], name='appchange_to_on')],
                    },
                ),
                migrations.AddConstraint(
                    model_name='awardbatch',
                    constraint=models.UniqueConstraint(condition=models.Q(('code', ''), _negated=True), fields=('zone', 'code'), name='awardbatch_unique_code'),
                ),
                migrations.AddIndex(
                    model_name='award',
                    index=models.Index(fields=['batch', 'status'], name='award_batch_status'),
                ),
                migrations.AddConstraint(
                    model_name='award',
                    constraint=models.CheckConstraint(condition=models.Q(('amount__gt', 0)), name='award_amount_positive'),
                ),
                migrations.AddConstraint(
                    model_name='award',
                    constraint=models.CheckConstraint(condition=models.Q(('amount__isnull', True), models.Q(('amount__gte', 0), ('amount__lte', Decimal('999999999999.99'))), _connector='OR'), name='award_amount_range'),
                ),
                migrations.AddConstraint(
                    model_name='award',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'paid'), ('paid_on__isnull', False)), models.Q(models.Q(('status', 'paid'), _negated=True), ('paid_on__isnull', True)), _connector='OR'), name='award_paid_has_date'),
                ),
                migrations.AddConstraint(
                    model_name='award',
                    constraint=models.UniqueConstraint(condition=models.Q(('status', 'withdrawn'), _negated=True), fields=('batch', 'enterprise', 'reason'), name='award_once_per_reason'),
                ),
                migrations.AddConstraint(
                    model_name='award',
                    constraint=models.UniqueConstraint(condition=models.Q(models.Q(('status', 'withdrawn'), _negated=True), ('designation__isnull', False)), fields=('batch', 'enterprise', 'designation'), name='award_once_per_designation'),
                ),
                migrations.AddConstraint(
                    model_name='campaign',
                    constraint=models.CheckConstraint(condition=models.Q(('closes_on__gte', models.F('opens_on'))), name='campaign_closes_after_opening'),
                ),
                migrations.AddConstraint(
                    model_name='campaign',
                    constraint=models.CheckConstraint(condition=models.Q(('validity_years__isnull', True), models.Q(('validity_years__gte', 0), ('validity_years__lte', 50)), _connector='OR'), name='campaign_validity_years_range'),
                ),
                migrations.AddConstraint(
                    model_name='campaign',
                    constraint=models.CheckConstraint(condition=models.Q(('designation_kind', ''), models.Q(('designation_level', ''), _negated=True), _connector='OR'), name='campaign_designation_has_level'),
                ),
                migrations.AddConstraint(
                    model_name='campaign',
                    constraint=models.UniqueConstraint(condition=models.Q(('code', ''), _negated=True), fields=('zone', 'code'), name='campaign_unique_code'),
                ),
                migrations.AddIndex(
                    model_name='application',
                    index=models.Index(fields=['campaign', 'status'], name='application_campaign_status'),
                ),
                migrations.AddConstraint(
                    model_name='application',
                    constraint=models.UniqueConstraint(fields=('campaign', 'enterprise'), name='application_one_per_enterprise'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
