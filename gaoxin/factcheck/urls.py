from django.urls import path

from gaoxin.factcheck import views

app_name = "factcheck"

urlpatterns = [
    path("", views.index, name="index"),
]
