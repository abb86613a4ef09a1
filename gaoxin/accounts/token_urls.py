"""/accounts/tokens/: API tokens (personal and service), included from accounts/urls.py."""

from django.urls import path

from gaoxin.accounts import token_views

urlpatterns = [
    path("", token_views.token_list, name="token_list"),
    path("new/", token_views.token_create, name="token_create"),
    path("service/new/", token_views.service_token_create, name="service_token_create"),
    path("created/", token_views.token_created, name="token_created"),
    path("<int:pk>/revoke/", token_views.token_revoke_view, name="token_revoke"),
]
