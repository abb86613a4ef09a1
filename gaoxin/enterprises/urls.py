from django.urls import path

from gaoxin.enterprises import views

app_name = "enterprises"

urlpatterns = [
    path("", views.enterprise_list, name="list"),
    path("new/", views.enterprise_create, name="create"),
    path("mine/", views.enterprise_mine, name="mine"),
    path("designations/expiring/", views.designations_expiring, name="expiring"),
    path("designations/<int:pk>/revoke/", views.designation_revoke, name="designation_revoke"),
    path("<int:pk>/", views.enterprise_detail, name="detail"),
    path("<int:pk>/edit/", views.enterprise_edit, name="edit"),
    path("<int:pk>/contact/", views.contact_edit, name="contact"),
    path("<int:pk>/designations/", views.designation_add, name="designation_add"),
    path("<int:pk>/exit/", views.standing_change, {"action": "exit"}, name="exit"),
    path("<int:pk>/return/", views.standing_change, {"action": "return"}, name="return"),
    path(
        "<int:pk>/scale/enter/",
        views.standing_change,
        {"action": "scale_enter"},
        name="scale_enter",
    ),
    path(
        "<int:pk>/scale/leave/",
        views.standing_change,
        {"action": "scale_leave"},
        name="scale_leave",
    ),
]
