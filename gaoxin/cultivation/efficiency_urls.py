"""/cultivation/efficiency/: the 亩均效益 list, the zone's cut-offs per year, land records."""

from django.urls import URLPattern, path

from gaoxin.cultivation import efficiency_views as views

urlpatterns: list[URLPattern] = [
    path("", views.efficiency_list, name="efficiency_list"),
    path("cutoffs/", views.cutoffs_list, name="efficiency_cutoffs"),
    path("cutoffs/new/", views.cutoffs_create, name="efficiency_cutoffs_create"),
    path("cutoffs/<int:pk>/edit/", views.cutoffs_edit, name="efficiency_cutoffs_edit"),
    path("land/<int:pk>/add/", views.land_add, name="efficiency_land_add"),
    path("land/records/<int:pk>/end/", views.land_end, name="efficiency_land_end"),
]
