"""Who may open the designation radars' lists and the rules page: staff of any role (an
outsider sees his own zone's candidates); never an enterprise account."""

from __future__ import annotations

from tests.test_permission_matrix import STAFF_ONLY, Rule

RULES = {
    "cultivation:high_tech_list": Rule(expect=STAFF_ONLY),
    "cultivation:specialised_list": Rule(expect=STAFF_ONLY),
    "cultivation:rules": Rule(expect=STAFF_ONLY),
}
