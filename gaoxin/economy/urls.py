"""/economy/: the figures, the statistics import, self-reporting and project dispatch, each
in its own module of URLs under the one namespace."""

from django.urls import include, path

app_name = "economy"

urlpatterns = [
    path("import/", include("gaoxin.economy.import_urls")),
    path("reports/", include("gaoxin.economy.reporting_urls")),
    path("dispatch/", include("gaoxin.economy.dispatch_urls")),
    path("", include("gaoxin.economy.figures_urls")),
]
