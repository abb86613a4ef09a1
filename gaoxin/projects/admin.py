"""The Django admin for administrators: chiefly the approval templates (审批事项模板), which
have no page of their own. Projects are changed through their pages, where the rules apply."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from gaoxin.core.admin import ReadOnlyAdmin
from gaoxin.projects.models import (
    Approval,
    ApprovalTemplate,
    ApprovalTemplateItem,
    Blocker,
    Project,
    ServiceRecord,
    StageChange,
)


class ApprovalTemplateItemInline(admin.TabularInline):
    model = ApprovalTemplateItem
    extra = 1
    fields = ("order", "name", "department", "expected_days")


@admin.register(ApprovalTemplate)
class ApprovalTemplateAdmin(SimpleHistoryAdmin):
    list_display = ("name", "zone", "is_active")
    list_filter = ("zone", "is_active")
    inlines = [ApprovalTemplateItemInline]


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = ("name", "zone", "stage", "stage_on", "carrier", "officer")
    list_filter = ("zone", "stage", "carrier")
    search_fields = ("name", "investor_name")


@admin.register(StageChange)
class StageChangeAdmin(ReadOnlyAdmin):
    list_display = ("project", "from_stage", "to_stage", "kind", "on", "by")
    list_filter = ("to_stage", "kind")


@admin.register(Approval)
class ApprovalAdmin(ReadOnlyAdmin):
    list_display = ("name", "project", "department", "status", "due_on", "done_on")
    list_filter = ("status", "department")


@admin.register(Blocker)
class BlockerAdmin(ReadOnlyAdmin):
    list_display = ("description", "project", "department", "status", "due_on")
    list_filter = ("status", "department")


@admin.register(ServiceRecord)
class ServiceRecordAdmin(ReadOnlyAdmin):
    list_display = ("project", "kind", "held_on", "recorded_by")
    list_filter = ("kind",)
