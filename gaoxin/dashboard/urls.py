from django.urls import path

from gaoxin.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.index, name="index"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/targets/new/", views.target_add, name="target_add"),
]
