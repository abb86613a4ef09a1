app_name = "factcheck"

urlpatterns: list = []  # the page: views.py (issue 17, being built)
