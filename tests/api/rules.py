"""The rule of one API operation for tests/api/test_api_matrix.py: the status each role's
token gets, where its path ids point (`path`), what it sends (`query` for a read, `body` for a
write) and, for an operation on one record, `away`: the same call on another zone's record."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ROLES = ("anonymous", "admin", "leader", "officer", "department", "enterprise", "outsider")
Ctx = dict[str, Any]


def nothing(ctx: Ctx) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class ApiRule:
    expect: dict[str, int]
    path: Callable[[Ctx], dict[str, Any]] = nothing
    query: Callable[[Ctx], dict[str, Any]] = nothing
    body: Callable[[Ctx], Any] = nothing
    away: Callable[[Ctx], dict[str, Any]] | None = None
    # The answer to `away` where it is not 404: an administrator works in every zone and the
    # outsider in the other one.
    away_expect: dict[str, int] = field(default_factory=lambda: {"admin": 200, "outsider": 200})


def answers(status: int, **overrides: int) -> dict[str, int]:
    """`status` for every role's token, 401 for a call without one, as overridden."""
    return {"anonymous": 401, **{r: status for r in ROLES[1:]}, **overrides}


STAFF = answers(200, enterprise=403)
