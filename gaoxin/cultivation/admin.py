from django.contrib import admin

from gaoxin.cultivation.models import (
    DesignationCriteria,
    EfficiencyCutoffs,
    Followup,
    LandRecord,
    ScaleThreshold,
)


@admin.register(ScaleThreshold)
class ScaleThresholdAdmin(admin.ModelAdmin):
    list_display = ("name", "section", "divisions", "effective_from", "min_revenue", "combine")
    list_filter = ("section",)


@admin.register(DesignationCriteria)
class DesignationCriteriaAdmin(admin.ModelAdmin):
    list_display = ("kind", "effective_from", "confirmed", "document")
    list_filter = ("kind", "confirmed")


@admin.register(EfficiencyCutoffs)
class EfficiencyCutoffsAdmin(admin.ModelAdmin):
    list_display = ("zone", "year", "tax_a", "tax_b", "tax_c")


@admin.register(LandRecord)
class LandRecordAdmin(admin.ModelAdmin):
    list_display = ("enterprise", "area", "source", "valid_from", "valid_until")
    raw_id_fields = ("enterprise",)


@admin.register(Followup)
class FollowupAdmin(admin.ModelAdmin):
    list_display = ("enterprise", "radar", "officer", "started_on", "closed_on", "close_reason")
    raw_id_fields = ("enterprise",)
