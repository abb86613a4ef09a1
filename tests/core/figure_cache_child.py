"""A process of its own for tests/core/test_figure_cache_processes.py: `read ZONE` prints the
zone's enterprises.total and whether this process's cache held it; `write ZONE NAME` adds an
enterprise through the service; `setup ZONE` makes the zone. Commands come one a line on
stdin, so that a reader keeps its memory (its local cache) between reads."""

from __future__ import annotations

import json
import sys

import django

django.setup()

from django.core.cache import caches  # noqa: E402
from django.utils import timezone  # noqa: E402

from gaoxin.accounts.models import Zone  # noqa: E402
from gaoxin.core import figure_cache  # noqa: E402
from gaoxin.core.figures import Figures  # noqa: E402
from gaoxin.core.metrics import MetricScope  # noqa: E402

KEY = "enterprises.total"


def read(code: str) -> dict[str, object]:
    zone = Zone.objects.get(code=code)
    scope = figure_cache.ScopeCache([zone.pk], timezone.localdate())
    held = KEY in (caches["default"].get(scope.key) or {})
    value = Figures(MetricScope.of([zone.pk])).value(KEY)
    return {"value": int(value), "cached": held}


def write(code: str, number: str) -> dict[str, object]:
    from gaoxin.enterprises.services import enterprise_create
    from tests.factories import make_uscc

    zone = Zone.objects.get(code=code)
    enterprise_create(zone=zone, name=f"珠海进程{number}科技有限公司", uscc=make_uscc(int(number)))
    return {"written": True}


def setup(code: str) -> dict[str, object]:
    Zone.objects.get_or_create(code=code, defaults={"name": code})
    return {"zone": code}


COMMANDS = {"read": read, "write": write, "setup": setup}

for line in sys.stdin:
    command, *args = line.split()
    print(json.dumps(COMMANDS[command](*args)), flush=True)
