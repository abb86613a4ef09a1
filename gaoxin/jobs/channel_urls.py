from django.urls import path

from gaoxin.jobs import channel_views as views

app_name = "channels"

urlpatterns = [
    path("", views.channel_list, name="list"),
    path("add/<str:kind>/", views.channel_add, name="add"),
    path("<int:pk>/", views.channel_detail, name="detail"),
    path("<int:pk>/edit/", views.channel_edit, name="edit"),
    path("<int:pk>/delete/", views.channel_delete, name="delete"),
    path("<int:pk>/test/", views.channel_test, name="test"),
    path("<int:pk>/active/", views.channel_active, name="active"),
]
