from tests.api.rules import STAFF, ApiRule

RULES = {
    "metric_list": ApiRule(expect=STAFF),
    "metric_get": ApiRule(
        expect=STAFF,
        path=lambda ctx: {"key": "accounts.users.officer"},
    ),
}
