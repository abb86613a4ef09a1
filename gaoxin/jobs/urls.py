from django.urls import path

from gaoxin.jobs import views

app_name = "jobs"

urlpatterns = [
    path("", views.job_list, name="list"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/download/", views.job_download, name="download"),
    path("<int:pk>/rerun/", views.job_rerun, name="rerun"),
]
