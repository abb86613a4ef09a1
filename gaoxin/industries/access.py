"""Who sees and changes the industry system: every staff role of the zone reads it;
administrators build it; officers also judge segment strength."""

from __future__ import annotations

from gaoxin.core.access import WRITERS, AccessRule
from gaoxin.core.roles import Role

ADMINS = frozenset({Role.ADMIN})

INDUSTRY_GROUP = AccessRule(zone_field="zone_id", write_roles=ADMINS)
INDUSTRY = AccessRule(zone_field="zone_id", write_roles=ADMINS)
SEGMENT = AccessRule(zone_field="industry__zone_id", write_roles=ADMINS)
# Setting a segment's strength by hand is an officer's judgement (with a reason).
SEGMENT_STRENGTH = AccessRule(zone_field="industry__zone_id", write_roles=WRITERS)
