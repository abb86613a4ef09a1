"""Who sees and changes leads: staff of the zone read them (department users too, since
departments help attract investment); officers and administrators change them. Enterprise
users never see leads."""

from __future__ import annotations

from gaoxin.core.access import WRITERS, AccessRule

LEAD = AccessRule(zone_field="zone_id", write_roles=WRITERS)
LEAD_CONTACT = AccessRule(zone_field="lead__zone_id", write_roles=WRITERS)
