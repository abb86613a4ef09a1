"""Policies and briefings are changed through their pages, where the rules apply; the admin
shows them to administrators. Action plans are kept here."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from gaoxin.core.admin import ReadOnlyAdmin
from gaoxin.policies.models import ActionPlan, PlanTarget, Policy, PolicyEvent


@admin.register(Policy)
class PolicyAdmin(ReadOnlyAdmin):
    list_display = ("title", "document_no", "issuer", "issued_on", "zone")
    search_fields = ("title", "document_no")


@admin.register(PolicyEvent)
class PolicyEventAdmin(ReadOnlyAdmin):
    list_display = ("title", "held_on", "place", "zone")


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
