"""`gaoxin demo`: load the seed scenario (idempotent) and print the demo logins."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from gaoxin.demo import clock, economy_data, scenario
from gaoxin.jobs.reminders import run_reminders


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"--today wants a day as YYYY-MM-DD, not {text!r}") from error


class Command(BaseCommand):
    help = (
        "Load the demo scenario, its present being today (running it again changes nothing) "
        "and print the logins."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today",
            type=_day,
            default=None,
            help="the day the scenario's present (2023-06-20) becomes, YYYY-MM-DD "
            "(default: today); only a first load uses it",
        )
        parser.add_argument(
            "--sheet",
            type=Path,
            default=None,
            help="also write the statistics bureau's sheet of the month after the last one "
            "loaded (to import by hand) to this path",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["today"]
        scenario.load(today=today)
        self.stdout.write(self.style.SUCCESS("Demo scenario loaded."))
        # The officers find the 督办 reminders of the demo's day waiting (once: a second load
        # adds nothing, and the demo zones have no channels to send a digest to).
        day = scenario.loaded_on() or today or timezone.localdate()
        notices = sum(run.notices for run in run_reminders(day=day))
        self.stdout.write(f"Reminders of {day}: {notices} notices.")
        if options["sheet"] is not None:
            # The sheet follows the day the demo was loaded on, which a second run keeps.
            with clock.running(clock.Clock(scenario.loaded_on() or timezone.localdate())):
                path = economy_data.write_sheet(economy_data.demo_zone(), options["sheet"])
                period = economy_data.sheet_period()
            self.stdout.write(f"Statistics sheet of {period.key}: {path}")
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {scenario.DEMO_PASSWORD}):")
        for login in scenario.DEMO_LOGINS:
            self.stdout.write(f"  {login.username:<11} {login.role:<11} {login.name}  {login.note}")
        raw = demo_api_token()
        if raw is not None:
            self.stdout.write("")
            self.stdout.write(f"API token of officer (every scope, {DEMO_TOKEN_DAYS} days): {raw}")
            self.stdout.write(
                f'  curl -H "Authorization: Bearer {raw}" http://127.0.0.1:8000/api/v1/enterprises/'
            )


DEMO_TOKEN_NAME = "演示脚本 demo script"
DEMO_TOKEN_DAYS = 30


def demo_api_token() -> str | None:
    """A fresh personal token of the demo officer, so that the README's curl examples run at
    once; the previous run's is revoked (a token is shown once and cannot be printed again)."""
    from gaoxin.accounts.models import ApiToken, User
    from gaoxin.accounts.tokens import ALL_SCOPES, token_create_personal, token_revoke

    officer = User.objects.filter(username="officer", is_active=True).first()
    if officer is None:
        return None
    for old in ApiToken.objects.filter(user=officer, name=DEMO_TOKEN_NAME, revoked_at__isnull=True):
        token_revoke(token=old, by=officer)
    _token, raw = token_create_personal(
        user=officer,
        name=DEMO_TOKEN_NAME,
        scopes=ALL_SCOPES,
        expires_on=timezone.localdate() + dt.timedelta(days=DEMO_TOKEN_DAYS),
    )
    return raw
