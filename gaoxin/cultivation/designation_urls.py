from django.urls import URLPattern, path

from gaoxin.cultivation import designation_views as views

urlpatterns: list[URLPattern] = [
    path(
        "high-tech/",
        views.candidate_list,
        {"radar_key": "high_tech"},
        name="high_tech_list",
    ),
    path(
        "specialised/",
        views.candidate_list,
        {"radar_key": "specialised"},
        name="specialised_list",
    ),
    # The rules of every radar (规上 thresholds, designation criteria): here, since the
    # namespace's other prefixes belong to other parts.
    path("rules/", views.rules_page, name="rules"),
]
