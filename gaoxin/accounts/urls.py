from django.urls import path

from gaoxin.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/profile/", views.profile, name="profile"),
    path("zone/", views.zone_switch, name="zone_switch"),
]
