"""`gaoxin metrics [--zone CODE] [--as-of DATE] [--json]`: every registered figure."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gaoxin.core.access import zone_model
from gaoxin.core.forms import AsOfField
from gaoxin.core.metrics import MetricScope, Values, json_number, registry


class Command(BaseCommand):
    help = "Print every registered metric (all zones unless --zone), as of today or --as-of."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--zone", help="zone code; default: every zone")
        parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD; default: today")
        parser.add_argument("--json", action="store_true", help='print {"<key>": value, …}')

    def handle(
        self, *args: Any, zone: str | None, as_of: str | None, json: bool, **options: Any
    ) -> None:
        zones = zone_model().objects.all()
        if zone:
            zones = zones.filter(code=zone)
            if not zones.exists():
                known = ", ".join(zone_model().objects.values_list("code", flat=True)) or "none"
                raise CommandError(f"no zone with code {zone!r} (known: {known})")
        day = None
        if as_of:
            # The same day as the pages take: ISO, not in the future, not before EARLIEST_AS_OF.
            try:
                day = AsOfField().clean(as_of)
            except ValidationError as error:
                raise CommandError(f"--as-of {as_of!r}: {' '.join(error.messages)}") from None
        scope = MetricScope.of(zones.values_list("pk", flat=True), day)
        metrics = registry.expanded(scope)
        read = Values(scope)
        read.prefetch(metrics)  # siblings, and each family's members, read together
        values = {m.key: read(m) for m in metrics}
        if json:
            self.stdout.write(_dumps({k: json_number(v) for k, v in values.items()}))
            return
        width = max((len(key) for key in values), default=10)
        for m in metrics:
            self.stdout.write(f"{m.key:<{width}}  {m.format(values[m.key]):>14}  {m.label}")


def _dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
