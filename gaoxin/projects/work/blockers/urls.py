from django.urls import path

from gaoxin.projects.work.blockers import views

app_name = "blockers"

urlpatterns = [
    path("", views.blocker_list, name="list"),
    path("new/<int:project_pk>/", views.blocker_create, name="create"),
    path("<int:pk>/", views.blocker_detail, name="detail"),
    path("<int:pk>/status/", views.blocker_status, name="status"),
    path("<int:pk>/reassign/", views.blocker_reassign, name="reassign"),
]
