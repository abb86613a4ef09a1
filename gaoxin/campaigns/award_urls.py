from django.urls import path

from gaoxin.campaigns import award_views as views

app_name = "awards"

urlpatterns = [
    path("", views.award_list, name="list"),
    path("new/", views.award_create, name="create"),
    path("<int:pk>/", views.award_detail, name="detail"),
    path("<int:pk>/edit/", views.award_edit, name="edit"),
    path("<int:pk>/announce/", views.award_announce, name="announce"),
    path("<int:pk>/add/", views.award_add, name="award_add"),
    path("award/<int:pk>/change/", views.award_change, name="award_change"),
    path("award/<int:pk>/correct/", views.award_correct, name="award_correct"),
    path("award/<int:pk>/withdraw/", views.award_withdraw, name="award_withdraw"),
]
