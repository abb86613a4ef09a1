"""`gaoxin worker`: runs the background jobs and the reminders' schedule (huey's consumer).
With REDIS_URL set, any number of workers on any number of machines share the queue; without
it the queue is a SQLite file under var/ and one worker serves it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run the background jobs and the reminders (huey's consumer)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--workers",
            type=int,
            default=settings.GAOXIN_WORKER_THREADS,
            help="how many jobs run at once in this process",
        )

    def handle(self, *args: Any, workers: int, **options: Any) -> None:
        call_command("run_huey", workers=workers, worker_type="thread")
