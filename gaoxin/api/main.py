"""The REST API, `/api/v1/`: one NinjaAPI with a router per area (each module of this package
declares `router`), the OpenAPI schema at `/api/v1/openapi.json` and its docs at
`/api/v1/docs`, served from django-ninja's static files (no CDN)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI, Swagger
from ninja.parser import Parser
from ninja.renderers import JSONRenderer

from gaoxin.api import errors
from gaoxin.api.throttle import TokenRate
from gaoxin.core.middleware import CONTROL_CHARACTERS


class RefusingParser(Parser):
    """JSON bodies, with a control character anywhere refused as the pages refuse it in a
    form (core.middleware.RefuseControlCharactersMiddleware): PostgreSQL refuses NUL in text
    where SQLite keeps it."""

    def parse_body(self, request: HttpRequest) -> Any:
        from ninja.errors import ValidationError

        data = super().parse_body(request)
        where = _control_character_in(data, ())
        if where is not None:
            raise ValidationError(
                [{"loc": ("body", *where), "msg": "control character", "type": "control"}]
            )
        return data


class Utf8Renderer(JSONRenderer):
    """JSON with Chinese as characters, not \\u escapes: a third of the bytes, and readable
    in a terminal."""

    json_dumps_params = {"ensure_ascii": False}


def _control_character_in(value: Any, path: tuple[str, ...]) -> tuple[str, ...] | None:
    if isinstance(value, str):
        return path if CONTROL_CHARACTERS.search(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            if CONTROL_CHARACTERS.search(str(key)):
                return (*path, str(key))
            found = _control_character_in(item, (*path, str(key)))
            if found is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _control_character_in(item, (*path, str(index)))
            if found is not None:
                return found
    return None


api = NinjaAPI(
    title="Gaoxin API",
    version="1",
    description=(
        "高新区产业工作平台的接口。Authenticate with a token from 我的账号 → API 令牌 "
        "(/accounts/tokens/): `Authorization: Bearer gx_…`. Every list is cursor-paginated "
        "(`next`, `previous`); every refusal is `{code, message, field, errors}`."
    ),
    urls_namespace="api",
    docs=Swagger(settings={"persistAuthorization": True}),
    docs_url="/docs",
    openapi_url="/openapi.json",
    parser=RefusingParser(),
    renderer=Utf8Renderer(),
    throttle=[TokenRate()],
)
errors.install(api)


def _routers() -> None:
    from gaoxin.api import (
        campaigns,
        economy,
        enterprises,
        industries,
        metrics,
        projects,
        spaces,
        work,
    )

    api.add_router("/enterprises", enterprises.router)
    api.add_router("/economy", economy.router)
    api.add_router("/projects", projects.router)
    api.add_router("/approvals", work.approvals)
    api.add_router("/blockers", work.blockers)
    api.add_router("/industries", industries.router)
    api.add_router("/spaces", spaces.router)
    api.add_router("/campaigns", campaigns.router)
    api.add_router("/awards", campaigns.awards_router)
    api.add_router("/metrics", metrics.router)


_routers()
