"""Every HTML page answers with the Content-Security-Policy (django-csp, settings.py) and a nonce
of its own, and carries nothing the policy would refuse: no inline script without that nonce,
no inline event handler, no javascript: URL, no style attribute or <style> element. The pages
are those of the permission matrix, each opened by the first role allowed to (and as an htmx
fragment too), so a page added there is checked here. The browser's side of this is
tests/e2e/test_csp.py."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.test_permission_matrix import ROLES, RULES, request_objects  # noqa: F401

HEADER = "Content-Security-Policy"
FIXED_DIRECTIVES = {
    "default-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "img-src": ["'self'", "data:"],
}
NEVER = ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "http:", "https:")
DATA_BLOCK_TYPES = {"application/json", "application/ld+json"}


def parse_policy(value: str) -> dict[str, list[str]]:
    policy: dict[str, list[str]] = {}
    for part in value.split(";"):
        name, *sources = part.split()
        assert name not in policy, f"{name} given twice"
        policy[name] = sources
    return policy


def nonce_of(policy: dict[str, list[str]]) -> str:
    nonces = [s[len("'nonce-") : -1] for s in policy["script-src"] if s.startswith("'nonce-")]
    assert len(nonces) == 1, policy["script-src"]
    return nonces[0]


class InlineCode(HTMLParser):
    """What in a page the policy would refuse, given the page's nonce."""

    def __init__(self, nonce: str | None) -> None:
        super().__init__()
        self.nonce = nonce
        self.refused: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        where = self.get_starttag_text() or tag
        for name, value in attrs:
            if name.startswith("on"):
                self.refused.append(f"inline handler {name}: {where}")
            if name == "style":
                self.refused.append(f"style attribute: {where}")
            if name in ("href", "src", "action", "formaction") and (
                value or ""
            ).strip().lower().startswith("javascript:"):
                self.refused.append(f"javascript: URL: {where}")
        if tag == "style":
            self.refused.append(f"<style> element: {where}")
        if tag == "link" and "stylesheet" in (attributes.get("rel") or ""):
            self._same_origin(attributes.get("href"), where)
        if tag == "script":
            if attributes.get("src") is not None:
                self._same_origin(attributes["src"], where)
            elif (attributes.get("type") or "").lower() not in DATA_BLOCK_TYPES and (
                self.nonce is None or attributes.get("nonce") != self.nonce
            ):
                self.refused.append(f"inline script without the page's nonce: {where}")

    def _same_origin(self, url: str | None, where: str) -> None:
        if not url or not url.startswith("/") or url.startswith("//"):
            self.refused.append(f"not from this site: {where}")


def assert_page_is_covered(response: Any, *, fragment: bool = False) -> str | None:
    assert HEADER in response, f"no {HEADER} header"
    policy = parse_policy(response[HEADER])
    for name, sources in FIXED_DIRECTIVES.items():
        assert policy[name] == sources, (name, policy.get(name))
    assert policy["script-src"][0] == "'self'"
    assert policy["style-src"][0] == "'self'"
    for name, sources in policy.items():
        assert not set(sources) & set(NEVER), (name, sources)
    nonce = None if fragment else nonce_of(policy)
    parser = InlineCode(nonce)
    parser.feed(response.content.decode())
    assert not parser.refused, "\n".join(parser.refused)
    # The headers the README lists beside it.
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    return nonce


def _html_get_rules() -> list[str]:
    return sorted(name for name, rule in RULES.items() if rule.method == "get")


@pytest.mark.django_db
def test_every_html_page_carries_the_policy_and_a_nonce_of_its_own(
    users,
    zone,
    client_as,
    request_objects,  # noqa: F811 (the permission matrix's fixture)
) -> None:
    ctx = {"users": users, "zone": zone, "db_objects": request_objects}
    nonces: list[str] = []
    pages = 0
    for name in _html_get_rules():
        rule = RULES[name]
        role = next((r for r in ROLES if rule.expect.get(r) == 200), None)
        if role is None:
            continue
        # Each rule makes the records its URL needs; undo them before the next rule's.
        with transaction.atomic():
            client: Client = client_as(None if role == "anonymous" else role)
            url = reverse(name, kwargs=rule.kwargs(ctx)) + rule.query
            data = rule.data(ctx)
            for fragment in (False, True):
                headers = {"HX-Request": "true"} if fragment else {}
                response = client.get(url, data=data, headers=headers)
                assert response.status_code == 200, (role, url, fragment)
                if not response["Content-Type"].startswith("text/html"):
                    continue
                full_page = b"<html" in response.content[:200].lower()
                try:
                    nonce = assert_page_is_covered(response, fragment=not full_page)
                except AssertionError as error:
                    raise AssertionError(f"{role} GET {url} (htmx: {fragment}): {error}") from error
                if nonce:
                    nonces.append(nonce)
                pages += 1
            transaction.set_rollback(True)
    assert pages > 40  # the walk did reach the site
    assert len(set(nonces)) == len(nonces), "a nonce was used twice"


def test_the_nonce_is_fresh_on_every_request(client) -> None:
    first, second = client.get("/accounts/login/"), client.get("/accounts/login/")
    nonces = [assert_page_is_covered(first), assert_page_is_covered(second)]
    assert None not in nonces and nonces[0] != nonces[1]
    for response, nonce in zip((first, second), nonces, strict=True):
        assert f'nonce="{nonce}"' in response.content.decode()


def test_the_checker_refuses_what_the_browser_would(client) -> None:
    """The page checker above is itself checked: each kind of inline code it must catch."""
    nonce = "abc"
    samples = {
        "<script>alert(1)</script>": "inline script",
        '<script nonce="other">alert(1)</script>': "inline script",
        '<button onclick="x()">': "inline handler",
        '<a href=" JavaScript:x()">': "javascript:",
        '<div style="color:red">': "style attribute",
        "<style>p{}</style>": "<style>",
        '<script src="https://cdn.example.com/x.js"></script>': "not from this site",
        '<script src="//cdn.example.com/x.js"></script>': "not from this site",
    }
    for html, reason in samples.items():
        parser = InlineCode(nonce)
        parser.feed(html)
        assert len(parser.refused) == 1 and reason in parser.refused[0], (html, parser.refused)
    allowed = (
        '<script nonce="abc">ok()</script><script src="/static/x.js"></script>'
        '<script id="d" type="application/json">{"a": 1}</script>'
    )
    parser = InlineCode(nonce)
    parser.feed(allowed)
    assert parser.refused == []
