from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from gaoxin.industries.models import ChainSegment, Industry, IndustryGroup


@admin.register(IndustryGroup)
class IndustryGroupAdmin(SimpleHistoryAdmin):
    list_display = ("name", "zone", "order")
    list_filter = ("zone",)
    search_fields = ("name",)


@admin.register(Industry)
class IndustryAdmin(SimpleHistoryAdmin):
    list_display = ("name", "short_name", "group", "zone", "is_key", "weak_max", "order")
    list_filter = ("zone", "group", "is_key")
    search_fields = ("name", "short_name")
    list_select_related = ("group", "zone")


@admin.register(ChainSegment)
class ChainSegmentAdmin(SimpleHistoryAdmin):
    list_display = ("name", "industry", "position", "parent", "strength_override", "order")
    list_filter = ("industry__zone", "industry", "position", "strength_override")
    search_fields = ("name",)
    list_select_related = ("industry", "parent")
    raw_id_fields = ("parent",)
