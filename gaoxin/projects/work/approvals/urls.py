from django.urls import path

from gaoxin.projects.work.approvals import views

app_name = "approvals"

urlpatterns = [
    path("", views.approval_list, name="list"),
    path("templates/", views.approval_templates, name="templates"),
    path("apply/<int:project_pk>/", views.approval_apply, name="apply"),
    path("add/<int:project_pk>/", views.approval_add, name="add"),
    path("<int:pk>/", views.approval_edit, name="edit"),
    path("<int:pk>/documents/", views.approval_documents, name="documents"),
]
