from django.urls import path

from gaoxin.industries import views

app_name = "industries"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("new/", views.industry_create, name="industry_create"),
    path("<int:pk>/", views.industry_map, name="map"),
    path("<int:pk>/edit/", views.industry_edit, name="industry_edit"),
    path("<int:pk>/segments/new/", views.segment_create, name="segment_create"),
    path("groups/new/", views.group_create, name="group_create"),
    path("groups/<int:pk>/edit/", views.group_edit, name="group_edit"),
    path("segments/<int:pk>/edit/", views.segment_edit, name="segment_edit"),
    path("segments/<int:pk>/strength/", views.segment_strength, name="segment_strength"),
]
