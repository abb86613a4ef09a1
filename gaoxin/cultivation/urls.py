"""/cultivation/: the radars, their rules, the 亩均效益 evaluation and the follow-ups, each
part in its own module of URLs under the one namespace."""

from django.urls import include, path

app_name = "cultivation"

urlpatterns = [
    path("scale/", include("gaoxin.cultivation.scale_urls")),
    path("designations/", include("gaoxin.cultivation.designation_urls")),
    path("efficiency/", include("gaoxin.cultivation.efficiency_urls")),
    path("", include("gaoxin.cultivation.followup_urls")),
]
