"""Who sees and changes policy work.

Policies and briefings (政策宣讲会) are read by every role of the zone, enterprise users
included (they read policies to apply); officers and administrators change them. Campaigns,
applications and awards have their rules in gaoxin/campaigns/access.py.
"""

from __future__ import annotations

from gaoxin.core.access import WRITERS, AccessRule
from gaoxin.core.roles import ALL_ROLES

# Enterprise users read the policies and briefings of their own enterprise's zone: the
# enterprise lookup goes through the zone's enterprises (one match at most, no duplicates).
POLICY = AccessRule(
    zone_field="zone_id",
    read_roles=ALL_ROLES,
    write_roles=WRITERS,
    enterprise_field="zone__enterprises",
)
POLICY_EVENT = AccessRule(
    zone_field="zone_id",
    read_roles=ALL_ROLES,
    write_roles=WRITERS,
    enterprise_field="zone__enterprises",
)
# Attendance rows are the officers' bookkeeping of a briefing: staff read, writers change.
EVENT_ATTENDANCE = AccessRule(zone_field="event__zone_id", write_roles=WRITERS)

# Action plans: staff of the zone read them; officers and administrators keep them.
ACTION_PLAN = AccessRule(zone_field="zone_id", write_roles=WRITERS)
