from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from gaoxin.enterprises.models import Alliance


@admin.register(Alliance)
class AllianceAdmin(SimpleHistoryAdmin):
    list_display = ("name", "zone", "industry", "founded_on")
    list_filter = ("zone",)
    search_fields = ("name",)
    list_select_related = ("zone", "industry")
