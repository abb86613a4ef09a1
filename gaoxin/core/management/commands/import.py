"""`gaoxin import WHAT FILE.xlsx [--zone CODE] [--dry-run] …`: WHAT is any importer an app
registered (core/importers.py): `enterprises`, `economy` (the statistics bureau's sheet)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gaoxin.core.importers import importers


class Command(BaseCommand):
    help = (
        "Import an .xlsx sheet: every row is checked first, and any bad row means nothing is "
        "written. " + " ".join(f"{name}: {importer.help}" for name, importer in importers().items())
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=list(importers()), help="what to import")
        parser.add_argument("file", nargs="?", help="the .xlsx file to import")
        parser.add_argument("--zone", help="zone code; may be left out when there is one zone")
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
        for importer in importers().values():
            importer.add_arguments(parser)

    def handle(self, *args: Any, what: str, **options: Any) -> None:
        importers()[what].run(self, options)
