"""`gaoxin demo`: load the seed scenario (idempotent) and print the demo logins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gaoxin.demo import scenario


class Command(BaseCommand):
    help = "Load the demo scenario (running it again changes nothing) and print the logins."

    def handle(self, *args: Any, **options: Any) -> None:
        scenario.load()
        self.stdout.write(self.style.SUCCESS("Demo scenario loaded."))
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {scenario.DEMO_PASSWORD}):")
        for login in scenario.DEMO_LOGINS:
            self.stdout.write(f"  {login.username:<11} {login.role:<11} {login.name}  {login.note}")
