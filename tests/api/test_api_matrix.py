"""Every operation of the API, tried by every role's token, by a token without the operation's
scope, and on another zone's records. An operation added without a rule (tests/api/
api_rules*.py) fails here, as a page without a rule fails tests/test_permission_matrix.py."""

from __future__ import annotations

import copy
import importlib
import pkgutil
import re
from collections.abc import Iterator
from typing import Any

import pytest

from gaoxin.api.main import api
from tests.api.conftest import ApiClient, make_token
from tests.api.rules import ROLES, ApiRule

RULES: dict[str, ApiRule] = {}


def _merge_rules() -> None:
    import tests.api

    for module in pkgutil.iter_modules(tests.api.__path__):
        if module.name.startswith("api_rules"):
            found = importlib.import_module(f"tests.api.{module.name}").RULES
            overlap = set(found) & set(RULES)
            assert not overlap, f"ruled twice: {overlap}"
            RULES.update(found)


_merge_rules()


def operations() -> dict[str, tuple[str, str, str]]:
    """operation id -> (method, path, area) for every operation of the schema."""
    schema = api.get_openapi_schema()
    found = {}
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            found[operation["operationId"]] = (method, path, operation["tags"][0])
    return found


OPERATIONS = operations()


def test_every_operation_has_a_rule() -> None:
    missing = sorted(set(OPERATIONS) - set(RULES))
    assert not missing, f"add an ApiRule in tests/api/api_rules_<area>.py for: {missing}"


def test_rules_name_real_operations() -> None:
    stale = sorted(set(RULES) - set(OPERATIONS))
    assert not stale, f"rules for operations that no longer exist: {stale}"


def test_every_operation_is_of_a_known_area() -> None:
    from gaoxin.accounts.tokens import AREA_CODES

    strays = {op: area for op, (_m, _p, area) in OPERATIONS.items() if area not in AREA_CODES}
    assert not strays, f"tag each router with its area (accounts.tokens.AREAS): {strays}"


# The rows are built once per module, as in tests/test_permission_matrix.py, with a token for
# every role and one per role that holds no scope of any area.
@pytest.fixture(scope="module")
def api_rows(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[dict[str, Any]]:
    from tests.test_permission_matrix import standing_rows

    media = tmp_path_factory.mktemp("api-matrix-media")
    with standing_rows(django_db_blocker, media) as rows:
        users = rows["users"]
        tokens = {role: make_token(users[role], rate_per_minute=6000) for role in users}
        yield {**rows, "tokens": tokens}


@pytest.fixture
def ctx(api_rows, db) -> dict[str, Any]:
    return copy.deepcopy(api_rows)


def _url(path: str, params: dict[str, Any]) -> str:
    return "/api/v1" + re.sub(r"\{(\w+)\}", lambda m: str(params[m.group(1)]), path).replace(
        "/api/v1", "", 1
    )


def _call(client: ApiClient, operation: str, ctx: dict[str, Any], *, away: bool = False) -> Any:
    method, path, _area = OPERATIONS[operation]
    rule = RULES[operation]
    params = (rule.away or rule.path)(ctx) if away else rule.path(ctx)
    url = _url(path, params)
    return client.call(method, url, rule.body(ctx) if method != "get" else rule.query(ctx))


@pytest.mark.parametrize("operation", sorted(RULES))
@pytest.mark.parametrize("role", ROLES)
def test_role_gets_expected_answer(operation: str, role: str, ctx) -> None:
    client = ApiClient(None if role == "anonymous" else ctx["tokens"][role])
    response = _call(client, operation, ctx)
    expected = RULES[operation].expect[role]
    assert response.status_code == expected, (
        f"{role} {operation}: {response.status_code} {response.content[:300]!r}, "
        f"expected {expected}"
    )
    if response.status_code >= 400:
        assert set(response.json()) >= {"code", "message", "field"}


@pytest.mark.parametrize("operation", sorted(op for op in RULES if RULES[op].away))
@pytest.mark.parametrize("role", [r for r in ROLES if r not in {"anonymous"}])
def test_other_zones_records_are_not_found(operation: str, role: str, ctx) -> None:
    """An id of another zone's record answers 404, as on the pages (an administrator, who
    works in every zone, is the exception the rule names)."""
    client = ApiClient(ctx["tokens"][role])
    response = _call(client, operation, ctx, away=True)
    expected = RULES[operation].away_expect.get(role, 404)
    assert response.status_code == expected, (
        f"{role} {operation} on another zone's record: {response.status_code}, expected {expected}"
    )


@pytest.mark.parametrize("operation", sorted(RULES))
def test_a_token_without_the_area_scope_is_refused(operation: str, ctx) -> None:
    """The officer's token holding every scope but this operation's (for a write: holding
    its area's read) is refused with 403 and code "scope", before anything is read."""
    from gaoxin.accounts.tokens import ALL_SCOPES

    method, _path, area = OPERATIONS[operation]
    if method == "get":
        scopes = [s for s in ALL_SCOPES if not s.startswith(f"{area}:")]
    else:
        scopes = [s for s in ALL_SCOPES if s != f"{area}:write"]
    client = ApiClient(make_token(ctx["users"]["officer"], scopes, name="narrow"))
    response = _call(client, operation, ctx)
    assert response.status_code == 403, response.content[:300]
    assert response.json()["code"] == "scope"
