"""Who sees and changes campaigns, applications and awards.

Every role of the zone reads campaigns; enterprise users read and change their own
applications and read their own awards. Award batches are the officers' work.
"""

from __future__ import annotations

from gaoxin.core.access import WRITERS, AccessRule
from gaoxin.core.roles import ALL_ROLES, Role

CAMPAIGN = AccessRule(zone_field="zone_id", read_roles=ALL_ROLES, write_roles=WRITERS)
APPLICATION = AccessRule(
    zone_field="campaign__zone_id",
    read_roles=ALL_ROLES,
    write_roles=WRITERS | {Role.ENTERPRISE},
    enterprise_field="enterprise_id",
)
AWARD_BATCH = AccessRule(zone_field="zone_id", write_roles=WRITERS)
AWARD = AccessRule(
    zone_field="batch__zone_id",
    read_roles=ALL_ROLES,
    write_roles=WRITERS,
    enterprise_field="enterprise_id",
)
