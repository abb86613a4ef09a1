from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from gaoxin.spaces.models import Space


@admin.register(Space)
class SpaceAdmin(SimpleHistoryAdmin):
    list_display = ("name", "zone", "status", "total_floor_area", "leased_floor_area", "developer")
    readonly_fields = ("leased_floor_area",)
    list_filter = ("zone", "status")
    search_fields = ("name", "developer")
