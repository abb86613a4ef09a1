from __future__ import annotations

from django.apps import AppConfig


class SlowAppConfig(AppConfig):
    name = "tests.jobs.slowapp"
    label = "jobs_slowapp"

    def ready(self) -> None:
        from gaoxin.jobs import kinds
        from tests.jobs.slowapp.kind import SLOW

        kinds.register(SLOW)
