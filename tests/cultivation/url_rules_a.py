"""Who may open the 小升规 and 应统尽统 lists: the staff of the zone (admins, leaders,
officers, department users) — each sees their working zone's enterprises; an enterprise
account may not (it would see other enterprises' revenue). The outsider, staff of another
zone, opens the page and sees his own zone's radar."""

from __future__ import annotations

from tests.test_permission_matrix import STAFF_ONLY, Rule

RULES = {
    "cultivation:scale_list": Rule(expect=STAFF_ONLY),
    "cultivation:unreported_list": Rule(expect=STAFF_ONLY),
}
