"""`gaoxin generate`: fill new zones with synthetic data for load tests (see demo/generate.py)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gaoxin.demo.generate import GenerateError, generate
from gaoxin.demo.synthetic.economy import MONTHS as ECONOMY_MONTHS


class Command(BaseCommand):
    help = (
        "Fill new zones with realistic synthetic enterprises, projects, spaces, leads and "
        "campaigns through bulk inserts (no change history). Refuses if the zones exist."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--enterprises", type=int, default=100_000)
        parser.add_argument("--projects", type=int, default=20_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--zones", type=int, default=3)
        parser.add_argument("--prefix", default="gen")
        parser.add_argument(
            "--economy-months",
            type=int,
            default=ECONOMY_MONTHS,
            help="months of the economy's figures (0: none; a province's would take hours)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            counts = generate(
                enterprises=options["enterprises"],
                projects=options["projects"],
                seed=options["seed"],
                zones=options["zones"],
                prefix=options["prefix"],
                economy_months=options["economy_months"],
                progress=options["verbosity"] > 0,
            )
        except GenerateError as exc:
            raise CommandError(str(exc)) from exc
        width = max(map(len, counts), default=0)
        for label, count in counts.items():
            self.stdout.write(f"  {label:<{width}}  {count:>9,}")
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"Generated {sum(counts.values()):,} rows in {elapsed:.1f} s.")
        )
