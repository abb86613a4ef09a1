"""Who may open each two-factor page (see tests/test_permission_matrix.py). The standing users
have no authenticator and no zone of theirs requires one: the code page sends them on (302),
anyone signed in may set one up (200), and new recovery codes need an authenticator (302 back
to the profile with a message)."""

from tests.test_permission_matrix import Rule, everyone

RULES = {
    "accounts:two_factor_verify": Rule(expect=everyone(302)),
    "accounts:two_factor_enrol": Rule(expect=everyone(200)),
    "accounts:recovery_codes_renew": Rule(method="post", expect=everyone(302)),
}
