from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from gaoxin.accounts.views import LoginView
from gaoxin.api import views as api_views
from gaoxin.api.main import api

urlpatterns = [
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    re_path(r"^api/(?P<rest>.*)$", api_views.not_found, name="api_not_found"),
    path("industries/alliances/", include("gaoxin.enterprises.alliance_urls")),
    path("industries/", include("gaoxin.industries.urls")),
    path("enterprises/import/", include("gaoxin.enterprises.import_urls")),
    path("enterprises/", include("gaoxin.enterprises.urls")),
    path("leads/", include("gaoxin.investment.urls")),
    path(
        "projects/<int:project_pk>/service-records/",
        include("gaoxin.projects.work.service_records.urls"),
    ),
    path("projects/", include("gaoxin.projects.urls")),
    path("approvals/", include("gaoxin.projects.work.approvals.urls")),
    path("blockers/", include("gaoxin.projects.work.blockers.urls")),
    path("spaces/", include("gaoxin.spaces.urls")),
    path("policies/", include("gaoxin.policies.urls")),
    path("campaigns/", include("gaoxin.campaigns.urls")),
    path("awards/", include("gaoxin.campaigns.award_urls")),
    path("economy/", include("gaoxin.economy.urls")),
    path("cultivation/", include("gaoxin.cultivation.urls")),
    path("dashboard/", include("gaoxin.dashboard.urls")),
    path("briefing/", include("gaoxin.dashboard.briefing.urls")),
    path("factcheck/", include("gaoxin.factcheck.urls")),
    path("jobs/reminders/", include("gaoxin.jobs.reminder_urls")),
    path("jobs/calendar/", include("gaoxin.jobs.calendar_urls")),
    path("jobs/channels/", include("gaoxin.jobs.channel_urls")),
    path("jobs/", include("gaoxin.jobs.urls")),
    path("", include("gaoxin.accounts.urls")),
    path("", include("gaoxin.core.urls")),
]
