"""What `gaoxin import WHAT FILE` can import: each app registers its importer in its
`ready()` (enterprises, the economy's statistics sheet …), so the one command in core reaches
them all without core, or any app, importing an app above it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gaoxin.core.access import zone_model


@dataclass(frozen=True)
class Importer:
    name: str  # the WHAT of `gaoxin import WHAT`
    help: str
    # Adds the importer's own options (besides FILE, --zone and --dry-run, which all share).
    add_arguments: Callable[[CommandParser], None]
    # Runs it: the command (for its stdout and stderr) and the parsed options.
    run: Callable[[BaseCommand, dict[str, Any]], None]


_IMPORTERS: dict[str, Importer] = {}


def register(importer: Importer) -> None:
    _IMPORTERS[importer.name] = importer


def importers() -> dict[str, Importer]:
    return dict(sorted(_IMPORTERS.items()))


def command_zone(code: str | None) -> Any:
    """The zone named by --zone, or the only active zone; CommandError saying which exist."""
    zone = zone_model()
    if code:
        try:
            return zone.objects.get(code=code)
        except zone.DoesNotExist:
            known = ", ".join(zone.objects.values_list("code", flat=True)) or "none"
            raise CommandError(f"no zone with code {code!r} (known: {known})") from None
    zones = list(zone.objects.filter(is_active=True)[:2])
    if len(zones) == 1:
        return zones[0]
    known = ", ".join(zone.objects.values_list("code", flat=True)) or "none"
    raise CommandError(f"say which zone with --zone CODE (known: {known})")
