"""`gaoxin import economy FILE.xlsx --period 2023-06 [--zone CODE] [--source bureau]
[--dry-run] [--accept-revisions]`: the statistics bureau's monthly sheet (registered in
EconomyConfig.ready)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from gaoxin.core.errors import DomainError
from gaoxin.core.importers import Importer, command_zone
from gaoxin.economy.imports import import_statistics, read_statistics_sheet
from gaoxin.economy.models import Source
from gaoxin.economy.periods import Period

SOURCES = (Source.BUREAU.value, Source.TAX.value, Source.IMPORT.value)


def add_arguments(parser: CommandParser) -> None:
    parser.add_argument(
        "--period", help="economy: the sheet's period, 2023-06 (or 2023-01~02 for 1–2月)"
    )
    parser.add_argument(
        "--source",
        default=Source.BUREAU.value,
        help=f"economy: whose figures ({', '.join(SOURCES)}; default bureau)",
    )
    parser.add_argument(
        "--accept-revisions",
        action="store_true",
        help="economy: record the bureau's revised 上年同期累计 as revisions of last year",
    )


def run(command: BaseCommand, options: dict[str, Any]) -> None:
    file: str | None = options.get("file")
    if not file:
        raise CommandError("give the .xlsx file to import")
    path = Path(file)
    if not path.is_file():
        raise CommandError(f"no such file: {file}")
    if path.suffix.lower() != ".xlsx":
        raise CommandError(f"{file} is not an .xlsx file: save the sheet as Excel workbook (.xlsx)")
    if not options.get("period"):
        raise CommandError("say which period the sheet is for: --period 2023-06 (or 2023-01~02)")
    try:
        period = Period.parse(options["period"])
    except DomainError as exc:
        raise CommandError(exc.message) from None
    source = options.get("source") or Source.BUREAU.value
    if source not in SOURCES:
        raise CommandError(f"unknown source {source!r}: one of {', '.join(SOURCES)}")
    zone = command_zone(options.get("zone"))
    show = options.get("verbosity", 1) > 0
    with tqdm(desc="checking", unit=" rows", disable=not show, file=command.stderr) as bar:
        sheet = read_statistics_sheet(zone, path, period, source=source, progress=bar.update)
    for unit in sheet.units:
        command.stdout.write(f"{unit.header}: {unit.unit} ({unit.explanation})")
    for notice in sheet.notices:
        command.stdout.write(f"notice: {notice}")
    if sheet.errors:
        for problem in sheet.errors:
            command.stderr.write(str(problem))
        counts = sheet.counts
        if sheet.file_problems:
            raise CommandError(
                "; ".join(str(p) for p in sheet.file_problems) + "; nothing was imported"
            )
        raise CommandError(
            f"{counts['bad']} of {counts['rows']} rows have problems "
            f"({len(sheet.errors)} in all); nothing was imported"
        )
    counts = sheet.counts
    if options.get("dry_run"):
        command.stdout.write(
            f"{counts['rows']} rows are fine ({counts['values']} figures of {period.label}); "
            f"nothing written (--dry-run) into {zone.code}"
        )
        return
    try:
        outcome = import_statistics(
            zone=zone,
            sheet=sheet,
            by=None,
            file_name=path.name,
            accept_revisions=options.get("accept_revisions", False),
        )
    except DomainError as exc:
        raise CommandError(exc.message) from None
    recorded = outcome.recorded
    command.stdout.write(
        f"{counts['rows']} rows imported into {zone.code} for {period.label}: "
        f"{recorded.created} figures new, {recorded.revised} revised, "
        f"{recorded.unchanged} unchanged"
    )
    if sheet.revisions:
        if outcome.revisions is not None:
            command.stdout.write(f"{len(sheet.revisions)} figures of last year revised")
        else:
            command.stdout.write(
                f"{len(sheet.revisions)} figures of last year differ from the record and were "
                "kept as recorded (--accept-revisions records them)"
            )
    if outcome.entered or outcome.left:
        command.stdout.write(f"规上: {outcome.entered} entered (入统), {outcome.left} left (退库)")


IMPORTER = Importer(
    name="economy",
    help="the statistics bureau's monthly sheet (--period required).",
    add_arguments=add_arguments,
    run=run,
)
