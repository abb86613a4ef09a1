from django.urls import path

from gaoxin.core import views

app_name = "core"

urlpatterns = [
    path("ping/", views.ping, name="ping"),
    path("metrics/", views.metric_index, name="metric_index"),
    path("metrics/<str:key>/", views.metric_detail, name="metric_detail"),
]
