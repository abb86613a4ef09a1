"""Policies, campaigns and awards are changed through their pages, where the rules apply; the
admin shows them to administrators."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from gaoxin.core.admin import ReadOnlyAdmin
from gaoxin.policies.models import (
    ActionPlan,
    Application,
    Award,
    AwardBatch,
    Campaign,
    PlanTarget,
    Policy,
    PolicyEvent,
)


@admin.register(Policy)
class PolicyAdmin(ReadOnlyAdmin):
    list_display = ("title", "document_no", "issuer", "issued_on", "zone")
    search_fields = ("title", "document_no")


@admin.register(PolicyEvent)
class PolicyEventAdmin(ReadOnlyAdmin):
    list_display = ("title", "held_on", "place", "zone")


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ("name", "opens_on", "closes_on", "zone")


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ("enterprise", "campaign", "status", "status_on")
    list_filter = ("status",)


@admin.register(AwardBatch)
class AwardBatchAdmin(ReadOnlyAdmin):
    list_display = ("name", "announced_on", "zone")


@admin.register(Award)
class AwardAdmin(ReadOnlyAdmin):
    list_display = ("enterprise", "batch", "amount", "status", "paid_on")
    list_filter = ("status",)


class PlanTargetInline(admin.TabularInline):
    model = PlanTarget
    extra = 1
    fields = (
        "order",
        "label",
        "metric_key",
        "baseline_value",
        "baseline_on",
        "target_value",
        "target_year",
    )


@admin.register(ActionPlan)
class ActionPlanAdmin(SimpleHistoryAdmin):
    """Plans and their targets are kept by the administrators; the dashboard shows progress."""

    list_display = ("title", "zone", "adopted_on")
    inlines = [PlanTargetInline]
