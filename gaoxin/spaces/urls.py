from django.urls import path

from gaoxin.spaces import views

app_name = "spaces"

urlpatterns = [
    path("", views.space_list, name="list"),
    path("new/", views.space_create, name="create"),
    path("<int:pk>/", views.space_detail, name="detail"),
    path("<int:pk>/edit/", views.space_edit, name="edit"),
    path("<int:pk>/status/", views.space_status, name="status"),
]
