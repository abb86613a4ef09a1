from django.urls import path

from gaoxin.jobs import reminder_views

app_name = "reminders"

urlpatterns = [
    path("", reminder_views.notice_list, name="list"),
    path("<int:pk>/read/", reminder_views.notice_read, name="read"),
    path("read-all/", reminder_views.notice_read_all, name="read_all"),
    path("settings/", reminder_views.reminder_settings, name="settings"),
]
