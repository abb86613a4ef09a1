from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "gaoxin.api"
    label = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        from gaoxin.api import history  # noqa: F401  (a write through a token names it)
