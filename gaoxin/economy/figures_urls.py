from django.urls import URLPattern, path

from gaoxin.economy.figures import views

urlpatterns: list[URLPattern] = [
    path("", views.figures, name="figures"),
]
