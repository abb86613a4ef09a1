from __future__ import annotations

from gaoxin.core.access import WRITERS, AccessRule

SPACE = AccessRule(zone_field="zone_id", write_roles=WRITERS)
