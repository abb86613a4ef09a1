"""API test helpers: a client calling with a role's token (all scopes unless told)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pytest
from django.test import Client

from gaoxin.accounts.tokens import ALL_SCOPES, token_create_personal


class ApiClient:
    """Django's test client with the token's Authorization header on every call; bodies are
    sent as JSON."""

    def __init__(self, raw: str | None, language: str = "zh-hans") -> None:
        self.client = Client()
        self.headers: dict[str, str] = {"Accept-Language": language}
        if raw is not None:
            self.headers["Authorization"] = f"Bearer {raw}"
        self.raw = raw

    def call(self, method: str, path: str, data: Any = None, **params: Any) -> Any:
        kwargs: dict[str, Any] = {"headers": self.headers}
        if method.lower() in {"get", "head", "delete"}:
            kwargs["data"] = {**(data or {}), **params}
        else:
            kwargs["data"] = data if data is not None else {}
            kwargs["content_type"] = "application/json"
        return getattr(self.client, method.lower())(path, **kwargs)

    def get(self, path: str, **params: Any) -> Any:
        return self.call("get", path, **params)

    def post(self, path: str, data: Any = None) -> Any:
        return self.call("post", path, data)

    def patch(self, path: str, data: Any = None) -> Any:
        return self.call("patch", path, data)

    def put(self, path: str, data: Any = None) -> Any:
        return self.call("put", path, data)


def make_token(user: Any, scopes: Iterable[str] = ALL_SCOPES, **kwargs: Any) -> str:
    _token, raw = token_create_personal(
        user=user, name=kwargs.pop("name", f"tests {user.username}"), scopes=scopes, **kwargs
    )
    return raw


@pytest.fixture
def api_as(users) -> Callable[..., ApiClient]:
    """api_as("officer") calls with a token of the standing officer holding every scope;
    api_as("officer", scopes=["enterprises:read"]) with those only; api_as(None) with none."""

    def make(role: str | None, scopes: Iterable[str] = ALL_SCOPES, **kwargs: Any) -> ApiClient:
        if role is None:
            return ApiClient(None)
        return ApiClient(make_token(users[role], scopes, **kwargs))

    return make
