from django.urls import path

from gaoxin.enterprises import import_views

app_name = "enterprise_import"

urlpatterns = [
    path("", import_views.upload, name="upload"),
    path("confirm/", import_views.confirm, name="confirm"),
    path("checked/<int:pk>/", import_views.checked, name="checked"),
    path("template/", import_views.template, name="template"),
]
