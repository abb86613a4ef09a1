"""`gaoxin remind [--day YYYY-MM-DD] [--zone CODE] [--dry-run]`: the 督办 reminders of a day
now, as the worker's morning task runs them on working days (this command runs them on any
day it is asked to). Run twice on one day, it adds only what is new and sends no second
digest."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone, translation

from gaoxin.accounts.models import Zone
from gaoxin.jobs import reminders
from gaoxin.jobs.models import Notice


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"--day wants a day as YYYY-MM-DD, not {text!r}") from error


class Command(BaseCommand):
    help = (
        "Run the day's reminders: notices to the responsible users (once per item and day) "
        "and each zone's digest to its channels (once a day)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--day", type=_day, default=None, help="the day, YYYY-MM-DD (default: today)"
        )
        parser.add_argument(
            "--zone", default=None, help="one zone's code (default: every active zone)"
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="say what is due and who would be told, and write and send nothing",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        day: dt.date = options["day"] or timezone.localdate()
        zones = self._zones(options["zone"])
        if not reminders.sources():
            raise CommandError("no reminder sources are registered")
        if options["dry_run"]:
            with translation.override("zh-hans"):
                for zone in zones:
                    self._preview(zone, day)
            return
        for run in reminders.run_reminders(day=day, zones=zones):
            self._report(run)

    def _zones(self, code: str | None) -> list[Zone]:
        if code is None:
            zones = list(Zone.objects.filter(is_active=True))
            if not zones:
                raise CommandError("there is no active zone")
            return zones
        zone = Zone.objects.filter(code=code).first()
        if zone is None:
            known = ", ".join(Zone.objects.values_list("code", flat=True)) or "none"
            raise CommandError(f"no zone with the code {code!r} (zones: {known})")
        if not zone.is_active:
            raise CommandError(f"the zone {code!r} is not active")
        return [zone]

    def _preview(self, zone: Zone, day: dt.date) -> None:
        dues = reminders.collect(zone, day)
        notices = reminders.notices_for(zone, day, dues)
        had = set(
            Notice.objects.filter(user_id__in={n.user_id for n in notices}, day=day).values_list(
                "user_id", "kind", "key"
            )
        )
        new = sum(1 for n in notices if (n.user_id, n.kind, n.key) not in had)
        self.stdout.write(
            f"{zone.name} ({zone.code}) {day}: {len(dues)} items due, "
            f"{len(notices)} notices ({new} new) [dry run: nothing written or sent]"
        )
        if dues:
            _title, body = reminders.digest_text(zone, day, dues)
            self.stdout.write(body)

    def _report(self, run: Any) -> None:
        zone = run.zone
        line = (
            f"{zone.name} ({zone.code}) {run.day}: {run.items} items due, "
            f"{run.added} new notices ({run.notices} today)"
        )
        if run.digest_error:
            self.stderr.write(f"{line}; the digest was not sent: {run.digest_error}")
            return
        if run.sent_now:
            line += f"; digest to {run.deliveries} channels"
        elif not run.items:
            line += "; nothing due, no digest"
        else:
            line += "; the digest of the day was already sent"
        self.stdout.write(line)
