from django.urls import path  # noqa: F401

app_name = "enterprise_import"

urlpatterns: list = []
