from django.urls import path

from gaoxin.dashboard.briefing import views

app_name = "briefing"

urlpatterns = [
    path("", views.briefing_index, name="index"),
    path("briefing.docx", views.briefing_docx, name="docx"),
    path("figures.xlsx", views.briefing_xlsx, name="xlsx"),
]
