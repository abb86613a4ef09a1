"""Mounted under /projects/<int:project_pk>/service-records/: every view takes project_pk."""

from django.urls import path

from gaoxin.projects.work.service_records import views

app_name = "service_records"

urlpatterns = [
    path("new/", views.service_record_create, name="create"),
    path("<int:pk>/", views.service_record_detail, name="detail"),
]
