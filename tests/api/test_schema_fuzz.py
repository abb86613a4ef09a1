"""schemathesis against /api/v1/openapi.json, as an officer's token and as an enterprise
user's: every operation is called with generated input (valid and not), and no answer may be a
server error or differ from the schema (status, content type, body)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import make_token

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())

CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]
FUZZ = settings(
    max_examples=20,
    deadline=None,
    derandomize=True,  # the same cases on every run: a failure in CI is one to reproduce
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(scope="module")
def fuzz_tokens(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[dict[str, Any]]:
    """The matrix's records (so that small ids hit real ones) and a token per role."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, transaction
    from django.test import override_settings

    from tests.conftest import (
        FAST_HASHERS,
        make_other_zone,
        make_own_enterprise,
        make_users,
        make_zone,
    )
    from tests.test_permission_matrix import build_request_objects

    # schemathesis calls the real WSGI handler, which closes "old" connections around each
    # request: inside this fixture's transaction that is every PostgreSQL connection (every
    # call a server error, "the connection is closed"); SQLite's in-memory one is kept.
    # Django's test client does the same while it calls.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    media = tmp_path_factory.mktemp("fuzz-media")
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS, MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        zone, other_zone = make_zone(), make_other_zone()
        own_enterprise = make_own_enterprise(zone)
        users = make_users(zone, other_zone, own_enterprise)
        build_request_objects(users, zone, other_zone, own_enterprise)
        try:
            yield {role: make_token(users[role], rate_per_minute=6000) for role in users}
        finally:
            transaction.set_rollback(True)
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


@schema.parametrize()
@FUZZ
def test_officer_token(case, fuzz_tokens, db) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Bearer {fuzz_tokens['officer']}"}, checks=CHECKS
    )


@schema.parametrize()
@FUZZ
def test_enterprise_user_token(case, fuzz_tokens, db) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Bearer {fuzz_tokens['enterprise']}"}, checks=CHECKS
    )
