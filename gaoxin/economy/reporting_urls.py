"""/economy/reports/: the zone's self-reporting status, an enterprise's months and the form of
one month, the zone's economy settings."""

from django.urls import path

from gaoxin.economy.reporting import views

urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("mine/", views.report_mine, name="report_mine"),
    path("settings/", views.economy_settings, name="settings"),
    path("enterprise/<int:pk>/", views.report_enterprise, name="report_enterprise"),
    path("enterprise/<int:pk>/<str:period>/", views.report_fill, name="report_fill"),
]
