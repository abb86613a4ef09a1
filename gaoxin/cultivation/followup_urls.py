"""The radar index and the follow-ups' pages, under /cultivation/."""

from django.urls import URLPattern, path

from gaoxin.cultivation import followup_views as views

urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("followups/", views.followup_list, name="followup_list"),
    path("followups/start/", views.followup_start, name="followup_start"),
    path("followups/<int:pk>/", views.followup_detail, name="followup_detail"),
    path("followups/<int:pk>/visits/", views.visit_add, name="followup_visit_add"),
    path("followups/<int:pk>/close/", views.followup_close, name="followup_close"),
]
