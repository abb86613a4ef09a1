"""Who may open the economy's figures page: staff of any role read their own zones' figures
(the outsider, staff of another zone, sees its own: none of this zone's); an enterprise user is
refused — its own figures are on its reporting page."""

from tests.test_permission_matrix import Rule, everyone

RULES = {
    "economy:figures": Rule(expect=everyone(200, enterprise=403)),
}
