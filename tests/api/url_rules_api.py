from tests.test_permission_matrix import ROLES, Rule

RULES = {
    # An unknown path under /api/ answers the API's JSON 404 to everyone, signed in or not.
    "api_not_found": Rule(
        kwargs=lambda ctx: {"rest": "v1/no-such-thing"}, expect={r: 404 for r in ROLES}
    ),
}
