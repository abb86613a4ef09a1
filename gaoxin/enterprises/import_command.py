"""`gaoxin import enterprises FILE.xlsx [--zone CODE] [--dry-run]` and
`gaoxin import enterprises --template FILE.xlsx` (registered in EnterprisesConfig.ready)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from gaoxin.core.errors import DomainError
from gaoxin.core.importers import Importer, command_zone
from gaoxin.enterprises.imports import import_enterprises, read_enterprise_sheet, template_workbook


def add_arguments(parser: CommandParser) -> None:
    parser.add_argument(
        "--template", metavar="FILE", help="enterprises: write the empty template to FILE"
    )


def run(command: BaseCommand, options: dict[str, Any]) -> None:
    file: str | None = options.get("file")
    template: str | None = options.get("template")
    if template:
        Path(template).write_bytes(template_workbook())
        command.stdout.write(f"template written to {template}")
        return
    if not file:
        raise CommandError("give the .xlsx file to import, or --template FILE")
    path = Path(file)
    if not path.is_file():
        raise CommandError(f"no such file: {file}")
    target = command_zone(options.get("zone"))
    show = options.get("verbosity", 1) > 0
    with tqdm(desc="checking", unit=" rows", disable=not show, file=command.stderr) as bar:
        result = read_enterprise_sheet(target, path, progress=bar.update)
    for unit in result.units:
        command.stdout.write(f"{unit.header}: {unit.unit} ({unit.explanation})")
    if result.errors:
        for problem in result.errors:
            command.stderr.write(str(problem))
        counts = result.counts
        raise CommandError(
            f"{counts['bad']} of {counts['rows']} rows have problems "
            f"({len(result.errors)} in all); nothing was imported"
        )
    if options.get("dry_run"):
        command.stdout.write(
            f"{len(result.rows)} rows are fine; nothing written (--dry-run) into {target.code}"
        )
        return
    try:
        created = import_enterprises(zone=target, rows=result.rows, by=None)
    except DomainError as exc:
        raise CommandError(exc.message) from None
    command.stdout.write(f"{len(created)} enterprises imported into {target.code}")


IMPORTER = Importer(
    name="enterprises",
    help="enterprises from the import template (--template FILE writes it).",
    add_arguments=add_arguments,
    run=run,
)
