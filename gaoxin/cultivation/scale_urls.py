"""/cultivation/scale/: the 小升规 and 应统尽统 lists."""

from django.urls import URLPattern, path

from gaoxin.cultivation import scale_views

urlpatterns: list[URLPattern] = [
    path("", scale_views.scale_list, name="scale_list"),
    path("unreported/", scale_views.unreported_list, name="unreported_list"),
]
