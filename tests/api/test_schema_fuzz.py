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
    from django.db import close_old_connections

    from tests.test_permission_matrix import standing_rows

    # schemathesis calls the WSGI application itself, not through Django's test client, so
    # the start and end of each request would close the connection that holds the test's
    # transaction (PostgreSQL: "the connection is closed"); the test client disconnects these
    # handlers too.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    with standing_rows(django_db_blocker, tmp_path_factory.mktemp("fuzz-media")) as rows:
        users = rows["users"]
        yield {role: make_token(users[role], rate_per_minute=6000) for role in users}
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
