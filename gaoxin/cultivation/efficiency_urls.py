from django.urls import URLPattern, path

urlpatterns: list[URLPattern] = []

__all__ = ["path", "urlpatterns"]
