from django.urls import path

from gaoxin.economy import import_views

urlpatterns = [
    path("", import_views.upload, name="import_upload"),
    path("confirm/", import_views.confirm, name="import_confirm"),
    path("<int:pk>/", import_views.batch, name="import_batch"),
]
