from django.urls import path

from gaoxin.campaigns import attachment_views, views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_create, name="create"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/edit/", views.campaign_edit, name="edit"),
    path("<int:pk>/apply/", views.campaign_apply, name="apply"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/change/", views.application_change, name="application_change"),
    path(
        "applications/<int:pk>/attachments/",
        attachment_views.attachment_add,
        name="attachment_add",
    ),
    path("attachments/<int:pk>/", attachment_views.attachment_download, name="attachment_download"),
    path(
        "attachments/<int:pk>/remove/",
        attachment_views.attachment_remove,
        name="attachment_remove",
    ),
]
