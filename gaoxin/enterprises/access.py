"""Who sees and changes enterprises: officers edit their zone's; leaders and department users
read; an enterprise user sees, and edits the contact fields of, their own enterprise only."""

from __future__ import annotations

from gaoxin.core.access import WRITERS, AccessRule
from gaoxin.core.roles import ALL_ROLES, Role

ENTERPRISE = AccessRule(
    zone_field="zone_id", read_roles=ALL_ROLES, write_roles=WRITERS, enterprise_field="pk"
)
# The contact fields: officers, and the enterprise's own users.
ENTERPRISE_CONTACT = AccessRule(
    zone_field="zone_id",
    read_roles=ALL_ROLES,
    write_roles=WRITERS | {Role.ENTERPRISE},
    enterprise_field="pk",
)
DESIGNATION = AccessRule(
    zone_field="enterprise__zone_id",
    read_roles=ALL_ROLES,
    write_roles=WRITERS,
    enterprise_field="enterprise_id",
)
# Industry alliances: every staff role reads; officers keep them and their members.
ALLIANCE = AccessRule(zone_field="zone_id", write_roles=WRITERS)
MEMBERSHIP = AccessRule(zone_field="enterprise__zone_id", write_roles=WRITERS)
