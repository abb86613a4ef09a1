from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from gaoxin.investment.models import Lead, LeadContact


@admin.register(Lead)
class LeadAdmin(SimpleHistoryAdmin):
    list_display = (
        "company_name",
        "uscc",
        "zone",
        "industry",
        "status",
        "source",
        "officer",
        "last_activity_on",
    )
    list_filter = ("zone", "status", "source", "industry")
    search_fields = ("company_name", "uscc")
    list_select_related = ("zone", "industry", "officer")
    raw_id_fields = ("industry", "segment", "officer")
    date_hierarchy = "last_activity_on"


@admin.register(LeadContact)
class LeadContactAdmin(SimpleHistoryAdmin):
    list_display = ("lead", "kind", "on", "by")
    list_filter = ("kind", "lead__zone")
    search_fields = ("lead__company_name", "notes")
    list_select_related = ("lead", "by")
    raw_id_fields = ("lead", "by")
    date_hierarchy = "on"
