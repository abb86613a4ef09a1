"""Who may open the API token pages (see tests/test_permission_matrix.py). Anyone signed in,
enterprise users included, keeps personal tokens; only an administrator creates service
tokens. A token is revoked only by its holder (an administrator also revokes service tokens):
anyone else gets 404, not a hint that it exists."""

from typing import Any

from gaoxin.accounts.tokens import token_create_personal
from tests.test_permission_matrix import LOGIN, Rule, everyone


def _officer_token(ctx: dict[str, Any]) -> dict[str, Any]:
    """The standing officer's personal token, made for the case (rolled back after it)."""
    token, _raw = token_create_personal(
        user=ctx["users"]["officer"], name="matrix", scopes=["enterprises:read"]
    )
    return {"pk": token.pk}


RULES = {
    "accounts:token_list": Rule(expect=everyone(200)),
    "accounts:token_create": Rule(expect=everyone(200)),
    "accounts:service_token_create": Rule(expect=everyone(403, admin=200)),
    # Nothing to show (no token was just created): back to the list.
    "accounts:token_created": Rule(expect=everyone(302)),
    "accounts:token_revoke": Rule(
        method="post",
        kwargs=_officer_token,
        data=lambda ctx: {"confirm": "1"},
        expect={**everyone(404), "anonymous": LOGIN, "officer": 302},
    ),
}
