"""/economy/dispatch/: the projects under way in a month (项目调度) and one project's month."""

from django.urls import path

from gaoxin.economy.dispatch import views

urlpatterns = [
    path("", views.dispatch_list, name="dispatch_list"),
    path("<int:pk>/<str:period>/", views.dispatch_fill, name="dispatch_fill"),
]
