"""`gaoxin restore FILE [--noinput]`: the database and the uploads replaced by an archive's
(core/backup.py). The archive is checked whole before anything is written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gaoxin.core.backup import BackupError, backup_restore, database_summary, opened


class Command(BaseCommand):
    help = (
        "Replace the database and the uploaded files with those of an archive written by "
        "`gaoxin backup`; asks first when the database holds records (--noinput: does not ask)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the archive written by `gaoxin backup`")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="do not ask before replacing a database that holds records",
        )
        parser.add_argument("--database", default="default", help="database alias")

    def handle(
        self, *args: Any, file: str, interactive: bool, database: str, **options: Any
    ) -> None:
        try:
            with opened(Path(file), using=database) as archive:
                held = {k: v for k, v in database_summary(using=database).items() if v}
                if held and interactive:
                    what = ", ".join(f"{count} {name}" for name, count in held.items())
                    question = (
                        f"This database holds {what}. Restoring replaces all of it and the "
                        f"uploaded files with the archive's of {archive.manifest['created_at']}.\n"
                        "Type 'yes' to continue, or 'no' to cancel: "
                    )
                    try:
                        answer = input(question)
                    except EOFError:
                        answer = ""
                    if answer.strip().lower() != "yes":
                        raise CommandError("restore cancelled: nothing was changed")
                notes = backup_restore(archive, using=database)
        except BackupError as error:
            raise CommandError(error.message) from None
        manifest = archive.manifest
        self.stdout.write(
            f"restored {file}: {sum(manifest['counts'].values())} rows, "
            f"{len(manifest['files'])} uploaded files"
        )
        for note in notes:
            self.stdout.write(note)
