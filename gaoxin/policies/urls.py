from django.urls import path

from gaoxin.policies import views

app_name = "policies"

urlpatterns = [
    path("", views.policy_list, name="list"),
    path("new/", views.policy_create, name="create"),
    path("<int:pk>/", views.policy_detail, name="detail"),
    path("<int:pk>/edit/", views.policy_edit, name="edit"),
    path("<int:pk>/attachment/", views.policy_attachment, name="attachment"),
    path("events/", views.event_list, name="events"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("events/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("events/<int:pk>/attendances/", views.attendance_add, name="attendance_add"),
    path(
        "events/<int:pk>/attendances/import/",
        views.attendance_import_view,
        name="attendance_import",
    ),
    path(
        "events/attendances/template/",
        views.attendance_template,
        name="attendance_template",
    ),
    path(
        "events/attendances/<int:pk>/remove/",
        views.attendance_remove,
        name="attendance_remove",
    ),
]
