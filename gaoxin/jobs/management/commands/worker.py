"""`gaoxin worker`: runs the background jobs and the reminders' schedule (huey's consumer).
With REDIS_URL set, any number of workers on any number of machines share the queue; without
it the queue is a SQLite file under var/ and one worker serves it."""

from __future__ import annotations

import logging
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
        # huey gives its logger a handler of its own (with the time and thread); the project's
        # root handler would print every line a second time.
        logging.getLogger("huey").propagate = False
        extra: dict[str, Any] = {}
        if not settings.REDIS_URL:
            # The SQLite queue is polled, huey backing off to 10 s when idle: a job asked for
            # after a quiet while would wait that long. A look a second costs nothing.
            extra["max_delay"] = 1.0
        call_command("run_huey", workers=workers, worker_type="thread", **extra)
