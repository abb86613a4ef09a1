from django.urls import path

from gaoxin.enterprises import alliance_views as views

app_name = "alliances"

urlpatterns = [
    path("", views.alliance_list, name="list"),
    path("new/", views.alliance_create, name="create"),
    path("<int:pk>/", views.alliance_detail, name="detail"),
    path("<int:pk>/edit/", views.alliance_edit, name="edit"),
    path("<int:pk>/members/new/", views.member_add, name="member_add"),
    path("members/<int:pk>/end/", views.member_end, name="member_end"),
]
