from django.contrib import admin

from gaoxin.jobs.models import CalendarDay, Channel, Delivery, Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("label", "user", "kind", "status", "created_at", "finished_at")
    list_filter = ("status", "kind")
    exclude = ("params",)
    readonly_fields = ("user", "zone", "kind", "dedupe_key", "attempts", "created_at")


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("day", "is_workday", "name", "source")
    list_filter = ("is_workday",)


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ("name", "zone", "kind", "is_active", "last_ok_at", "last_error_at")
    list_filter = ("kind", "is_active")


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("channel", "day", "purpose", "status", "attempts", "sent_at")
    list_filter = ("purpose", "status")
