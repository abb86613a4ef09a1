from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from gaoxin.accounts.models import Department, LoginEvent, User, Zone


@admin.register(Zone)
class ZoneAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "short_name", "is_active", "require_two_factor")
    list_editable = ("require_two_factor",)
    search_fields = ("code", "name")


@admin.register(Department)
class DepartmentAdmin(SimpleHistoryAdmin):
    list_display = ("name", "zone", "is_active")
    list_filter = ("zone", "is_active")
    search_fields = ("name",)


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    list_display = ("username", "name", "role", "department", "is_active", "last_login")
    list_filter = ("role", "is_active", "zones")
    search_fields = ("username", "name", "phone")
    filter_horizontal = ("zones",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("name", "phone", "email")}),
        (_("Role and reach"), {"fields": ("role", "zones", "department")}),
        (
            _("Status"),
            {"fields": ("is_active", "is_staff", "is_superuser", "last_login", "date_joined")},
        ),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "name",
                    "role",
                    "zones",
                    "department",
                    "password1",
                    "password2",
                ),
            },
        ),
    )


@admin.register(LoginEvent)
class LoginEventAdmin(admin.ModelAdmin):
    list_display = ("at", "kind", "factor", "username", "ip_address", "until", "user_agent")
    list_filter = ("kind", "factor")
    search_fields = ("username", "ip_address")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # the trail is written by logins only

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
