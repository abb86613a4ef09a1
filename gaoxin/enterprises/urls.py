from django.urls import path

from gaoxin.enterprises import views

app_name = "enterprises"

urlpatterns = [
    path("", views.enterprise_list, name="list"),
    path("new/", views.enterprise_create, name="create"),
    path("designations/expiring/", views.designations_expiring, name="expiring"),
    path("designations/<int:pk>/revoke/", views.designation_revoke, name="designation_revoke"),
    path("<int:pk>/", views.enterprise_detail, name="detail"),
    path("<int:pk>/edit/", views.enterprise_edit, name="edit"),
    path("<int:pk>/contact/", views.contact_edit, name="contact"),
    path("<int:pk>/designations/", views.designation_add, name="designation_add"),
]
