from django.urls import path

from gaoxin.economy import import_views

urlpatterns = [
    path("", import_views.upload, name="import_upload"),
    path("confirm/", import_views.confirm, name="import_confirm"),
    path("checked/<int:pk>/", import_views.checked, name="import_checked"),
    path("<int:pk>/", import_views.batch, name="import_batch"),
]
