from django.contrib import admin

from gaoxin.economy.models import FigureValue, ImportBatch, Indicator, ZoneEconomySettings


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("order", "code", "name", "unit", "nature", "industrial_only", "is_active")
    list_editable = ("is_active",)


@admin.register(ZoneEconomySettings)
class ZoneEconomySettingsAdmin(admin.ModelAdmin):
    list_display = ("zone", "precedence", "report_deadline_day")


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ("zone", "source", "year", "month", "file_name", "rows", "created_at")
    readonly_fields = [f.name for f in ImportBatch._meta.fields]


@admin.register(FigureValue)
class FigureValueAdmin(admin.ModelAdmin):
    list_display = ("enterprise", "indicator", "year", "month", "source", "amount", "in_effect")
    list_filter = ("source", "in_effect", "year")
    raw_id_fields = ("enterprise", "batch")
    readonly_fields = [f.name for f in FigureValue._meta.fields]
