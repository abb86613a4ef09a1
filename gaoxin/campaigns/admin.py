"""Campaigns and awards are changed through their pages, where the rules apply; the admin shows
them to administrators."""

from django.contrib import admin

from gaoxin.campaigns.models import Application, Award, AwardBatch, Campaign
from gaoxin.core.admin import ReadOnlyAdmin


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ("name", "opens_on", "closes_on", "zone")


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ("enterprise", "campaign", "status", "status_on")
    list_filter = ("status",)


@admin.register(AwardBatch)
class AwardBatchAdmin(ReadOnlyAdmin):
    list_display = ("name", "announced_on", "zone")


@admin.register(Award)
class AwardAdmin(ReadOnlyAdmin):
    list_display = ("enterprise", "batch", "amount", "status", "paid_on")
    list_filter = ("status",)
