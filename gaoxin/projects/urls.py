from django.urls import path

from gaoxin.projects import views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("board/", views.project_board, name="board"),
    path("new/", views.project_create, name="create"),
    path("from-lead/<int:lead_pk>/", views.project_from_lead, name="from_lead"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/edit/", views.project_edit, name="edit"),
    path("<int:pk>/stage/", views.project_advance, name="advance"),
]
