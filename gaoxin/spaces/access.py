from __future__ import annotations

from gaoxin.core.access import WRITERS, Policy

SPACE = Policy(zone_field="zone_id", write_roles=WRITERS)
