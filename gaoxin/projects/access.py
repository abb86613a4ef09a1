"""Who sees and changes projects and their work. Staff of the zone read projects; officers and
administrators change them. A department user changes only the approvals and blockers assigned
to their department. Enterprise users see none of this."""

from __future__ import annotations

from gaoxin.core.access import WRITERS, AccessRule
from gaoxin.core.roles import Role

PROJECT = AccessRule(zone_field="zone_id", write_roles=WRITERS)
STAGE_CHANGE = AccessRule(zone_field="project__zone_id", write_roles=WRITERS)
APPROVAL = AccessRule(zone_field="project__zone_id", write_roles=WRITERS | {Role.DEPARTMENT})
# What a department user may change: their own department's approvals only.
APPROVAL_WORK = AccessRule(
    zone_field="project__zone_id",
    write_roles=WRITERS | {Role.DEPARTMENT},
    department_field="department_id",
)
BLOCKER = AccessRule(zone_field="project__zone_id", write_roles=WRITERS | {Role.DEPARTMENT})
BLOCKER_WORK = AccessRule(
    zone_field="project__zone_id",
    write_roles=WRITERS | {Role.DEPARTMENT},
    department_field="department_id",
)
SERVICE_RECORD = AccessRule(zone_field="project__zone_id", write_roles=WRITERS)
APPROVAL_TEMPLATE = AccessRule(zone_field="zone_id", write_roles=frozenset({Role.ADMIN}))
