"""`gaoxin backup FILE`: the database and the uploads in one archive (core/backup.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gaoxin.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write the database (SQLite's online backup, or pg_dump on PostgreSQL) and every "
        "uploaded file to one archive, FILE (a .tar.gz with a manifest), while the site runs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the archive to write (replaced if it exists)")
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args: Any, file: str, database: str, **options: Any) -> None:
        try:
            manifest = backup_create(Path(file), using=database)
        except BackupError as error:
            raise CommandError(error.message) from None
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            f"{file}: {manifest['engine']} database ({rows} rows in "
            f"{len(manifest['counts'])} tables, {len(manifest['migrations'])} migrations) and "
            f"{len(manifest['files'])} uploaded files"
        )
