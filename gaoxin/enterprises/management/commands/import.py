"""`gaoxin import enterprises FILE.xlsx [--zone CODE] [--dry-run]` and
`gaoxin import enterprises --template FILE.xlsx`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from gaoxin.accounts.models import Zone
from gaoxin.core.errors import DomainError
from gaoxin.enterprises.imports import import_enterprises, read_enterprise_sheet, template_workbook


class Command(BaseCommand):
    help = (
        "Import enterprises from an .xlsx sheet: every row is checked first, and any bad row "
        "means nothing is written. --template FILE writes an empty template."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["enterprises"], help="what to import")
        parser.add_argument("file", nargs="?", help="the .xlsx file to import")
        parser.add_argument("--zone", help="zone code; may be left out when there is one zone")
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
        parser.add_argument("--template", metavar="FILE", help="write the template to FILE")

    def handle(
        self,
        *args: Any,
        file: str | None,
        zone: str | None,
        dry_run: bool,
        template: str | None,
        **options: Any,
    ) -> None:
        if template:
            Path(template).write_bytes(template_workbook())
            self.stdout.write(f"template written to {template}")
            return
        if not file:
            raise CommandError("give the .xlsx file to import, or --template FILE")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"no such file: {file}")
        target = _zone(zone)
        show = options.get("verbosity", 1) > 0
        with tqdm(desc="checking", unit=" rows", disable=not show, file=self.stderr) as bar:
            result = read_enterprise_sheet(target, path, progress=bar.update)
        for unit in result.units:
            self.stdout.write(f"{unit.header}: {unit.unit} ({unit.explanation})")
        if result.errors:
            for problem in result.errors:
                self.stderr.write(str(problem))
            counts = result.counts
            raise CommandError(
                f"{counts['bad']} of {counts['rows']} rows have problems "
                f"({len(result.errors)} in all); nothing was imported"
            )
        if dry_run:
            self.stdout.write(
                f"{len(result.rows)} rows are fine; nothing written (--dry-run) into {target.code}"
            )
            return
        try:
            created = import_enterprises(zone=target, rows=result.rows, by=None)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"{len(created)} enterprises imported into {target.code}")


def _zone(code: str | None) -> Zone:
    if code:
        try:
            return Zone.objects.get(code=code)
        except Zone.DoesNotExist:
            known = ", ".join(Zone.objects.values_list("code", flat=True)) or "none"
            raise CommandError(f"no zone with code {code!r} (known: {known})") from None
    zones = list(Zone.objects.filter(is_active=True)[:2])
    if len(zones) == 1:
        return zones[0]
    known = ", ".join(Zone.objects.values_list("code", flat=True)) or "none"
    raise CommandError(f"say which zone with --zone CODE (known: {known})")
