from django.urls import path

from gaoxin.jobs import calendar_views as views

app_name = "calendar"

urlpatterns = [
    path("", views.calendar_year, name="year"),
    path("holidays/new/", views.calendar_period_new, name="period_new"),
    path("days/new/", views.calendar_day_new, name="day_new"),
    path("days/<int:pk>/delete/", views.calendar_day_delete, name="day_delete"),
]
