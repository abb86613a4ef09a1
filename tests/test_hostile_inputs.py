"""Every URL of the URL map, walked with hostile values in every query parameter and form
field: no answer may be a 500, and no request may raise.

The pages and their kwargs come from the permission matrix's rules (tests/test_permission_matrix.py
and tests/*/url_rules*.py). Each URL is tried by one role that may change it (the first of
officer, admin, department, leader whose rule lets it in) and by the enterprise role when its
rule lets that in; every other role the rule lets in sends the query parameters only (the GET
parts below), since each role reads its lists and figures through its own scoping. A page's
fields are found by GETting it and reading its forms.

Per URL and role:
- one GET with every query parameter (the page's GET forms, its loose inputs and KNOWN_QUERY)
  set to the same hostile value, for each value of HOSTILE (of FEW on a page without filters);
- for each POST form on the page (and the rule's own POST data), one POST with every field set
  to the same hostile value, for each value;
- for each field of each form, one request per value of a short list for its kind (numbers:
  huge, fractional, negative, "²"; dates: 0001-01-01, 10000-01-01; choices and hidden ids:
  "²", 40 digits; text: 600 characters) with the other fields filled plausibly, so a value
  that only hurts once the rest of the form is valid (a money bound) is reached; after a POST
  that saved, the page it leads to is opened (a stored value may fail only when read back).
Free-text filters get no per-field requests (the every-query ones cover them). About 3,000
requests in all; derived deterministically from the pages, so a run is repeatable.

Run: `pytest tests/test_hostile_inputs.py` (SQLite) and with
`DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db>` (PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from tests.factories import make_uscc
from tests.test_permission_matrix import (
    RULES,
    Rule,
    request_objects,  # noqa: F401 - the fixture
)

HUGE = "99999999999999999999"
LONG = "长" * 10_000
FORTY_DIGITS = "9" * 40

# Every field (or every query parameter) at once set to one of these.
HOSTILE: tuple[str, ...] = (
    HUGE,
    "99999999999999.99",
    "1e400",
    "-99999999999999.99",
    "²",
    "①",
    "٣",
    "名称\x00",
    LONG,
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "",
    FORTY_DIGITS,
)

# A page without a filter form reads few query parameters (a picked record, a return path):
# it gets the values that break an id or a day, not the whole list.
FEW: tuple[str, ...] = (HUGE, "²", "٣", FORTY_DIGITS, "0001-01-01", "名称\x00", "")

# One field at a time, the rest filled plausibly, by the kind of field: what a form may accept
# and then fail to store or read back. (NUL and the rest are refused at the door; the
# every-field requests above check that.)
NUMBER = (HUGE, "99999999999999.99", "-99999999999999.99", "²")
DATE = ("0001-01-01", "10000-01-01")
ID = ("²", FORTY_DIGITS)
TEXT = ("说明" * 300,)  # longer than any column, and than the history's old 100 characters
PER_FIELD: dict[str, tuple[str, ...]] = {
    "number": NUMBER,
    "date": DATE,
    "month": DATE,
    "select": ID,
    "select-multiple": ID,
    "hidden": ID,
    "checkbox": ID,
    "radio": ID,
    "text": TEXT,
    "textarea": TEXT,
}

# Query parameters views read without a form on the page (from links, htmx and pickers); the
# every-query requests send them all at once, so each name costs nothing.
KNOWN_QUERY = (
    *("page", "sort", "zone", "as_of", "q", "export", "status", "stage", "industry"),
    *("segment", "parent", "position", "policy", "enterprise", "project", "pipeline"),
    *("department", "officer", "action", "campaign", "lead", "next"),
)

WRITERS = ("officer", "admin", "department", "leader")
ENTERING = {200, 302}


@dataclass
class Form:
    method: str
    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name -> default values
    kinds: dict[str, str] = field(default_factory=dict)  # name -> input type / select / textarea
    options: dict[str, list[str]] = field(default_factory=dict)
    required: set[str] = field(default_factory=set)


class FormReader(HTMLParser):
    """The forms of a page: their method, action, field names, defaults and options. Inputs
    outside any form (htmx filters) are collected as a GET form."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.loose = Form("get", "")
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def _target(self) -> Form:
        return self._form if self._form is not None else self.loose

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = Form(a.get("method", "get").lower(), a.get("action", ""))
            self.forms.append(self._form)
            return
        name = a.get("name")
        if name and "required" in a:
            self._target().required.add(name)
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "file", "reset"):
                return
            form = self._target()
            form.kinds.setdefault(name, kind)
            values = form.fields.setdefault(name, [])
            if kind in ("checkbox", "radio"):
                form.options.setdefault(name, []).append(a.get("value", "on"))
                if "checked" in a:
                    values.append(a.get("value", "on"))
            else:
                values.append(a.get("value", ""))
        elif tag == "select" and name:
            form = self._target()
            form.kinds[name] = "select-multiple" if "multiple" in a else "select"
            form.fields.setdefault(name, [])
            form.options.setdefault(name, [])
            self._select = name
        elif tag == "option" and self._select is not None:
            form = self._target()
            value = a.get("value", "")
            form.options[self._select].append(value)
            if "selected" in a:
                form.fields[self._select].append(value)
        elif tag == "textarea" and name:
            form = self._target()
            form.kinds[name] = "textarea"
            form.fields[name] = [""]
            self._textarea = name

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._target().fields[self._textarea][0] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


PLAUSIBLE = {
    "date": "2023-04-01",
    "number": "1",
    "email": "probe@example.com",
    "url": "https://example.com/",
    "tel": "13800000000",
    "month": "2023-04",
}


def plausible(form: Form) -> dict[str, Any]:
    """The form as a user would send it: its defaults, and something sensible in every empty
    required field (the first real option of a select, a date, a number, a word)."""
    data: dict[str, Any] = {}
    for name, values in form.fields.items():
        if name == "csrfmiddlewaretoken":
            continue
        kind = form.kinds.get(name, "text")
        real = [v for v in values if v != ""]
        if real:
            data[name] = real if kind == "select-multiple" else real[0]
        elif name not in form.required:
            continue
        elif name == "uscc":
            data[name] = make_uscc(987_654)
        elif kind in ("select", "select-multiple"):
            options = [o for o in form.options.get(name, []) if o]
            if options:
                data[name] = options[0] if kind == "select" else options[:1]
        elif kind in ("checkbox", "radio"):
            continue
        elif kind == "hidden":
            data[name] = ""
        else:
            data[name] = PLAUSIBLE.get(kind, "测试")
    return data


def read_forms(html: str) -> tuple[list[Form], Form]:
    reader = FormReader()
    reader.feed(html)
    return reader.forms, reader.loose


def roles_for(rule: Rule) -> list[tuple[str, bool]]:
    """(role, reads only) pairs: the writer and the enterprise role send everything; every
    other role the rule lets in sends the query parameters (each role's lists and figures are
    read through its own scoping)."""
    writer = next((r for r in WRITERS if rule.expect.get(r) in ENTERING), None)
    roles = [(writer, False)] if writer else []
    if rule.expect.get("enterprise") in ENTERING:
        roles.append(("enterprise", False))
    readers = [
        (r, True) for r in (*WRITERS, "outsider") if r != writer and rule.expect.get(r) in ENTERING
    ]
    return roles + readers if roles or readers else [("anonymous", False)]


# Forms of the page shell (on every page) that end the walk's session or move it elsewhere:
# walked as their own URLs only.
SHELL = {"logout", "set_language", "accounts:zone_switch"}


def own_path(action: str, page: str, walking: str) -> str | None:
    """The path a form posts to, if it is one of ours and not a shell form of another page."""
    path = urlsplit(action).path or page
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.view_name in SHELL and match.view_name != walking:
        return None
    return path


@dataclass
class Walk:
    client: Client
    role: str
    name: str
    failures: list[str] = field(default_factory=list)
    requests: int = 0

    def send(self, method: str, path: str, data: dict[str, Any], what: str) -> None:
        """Send one request; after a write that succeeded, open the page it leads to, where a
        stored hostile value shows (a figure that no longer fits its field when read back)."""
        location = self._send(method, path, data, what)
        if method == "post" and location:
            self._send("get", location, {}, f"after POST {path} {what}")

    def _send(self, method: str, path: str, data: dict[str, Any], what: str) -> str | None:
        self.requests += 1
        try:
            # A savepoint per request: a database error inside a view must not poison the rest.
            with transaction.atomic():
                response = getattr(self.client, method)(path, data=data)
        except Exception as error:
            self.failures.append(
                f"{self.name} as {self.role}: {method.upper()} {path} {what}: raised "
                f"{type(error).__name__}: {str(error)[:160]}"
            )
            return None
        if response.status_code >= 500:
            where = f"{self.name} as {self.role}: {method.upper()} {path}"
            self.failures.append(f"{where} {what}: {response.status_code}")
        if response.status_code == 302:
            target = urlsplit(response["Location"]).path
            try:
                resolve(target)
            except Resolver404:
                return None
            if "login" not in target:
                return target
        return None


def shown(value: str) -> str:
    return repr(value if len(value) < 30 else value[:12] + f"…({len(value)} chars)")


def walk_url(
    name: str, role: str, client: Client, ctx: dict[str, Any], *, reads_only: bool = False
) -> Walk:
    rule = RULES[name]
    walk = Walk(client, role, name)
    path = reverse(name, kwargs=rule.kwargs(ctx))
    rule_data = rule.data(ctx)

    page = client.get(path)
    forms: list[Form] = []
    loose = Form("get", "")
    if page.status_code == 200 and "html" in page.get("Content-Type", ""):
        forms, loose = read_forms(page.content.decode())
    if rule.method == "post":
        posted = Form("post", path, {k: [str(v)] for k, v in rule_data.items()})
        forms.append(posted)

    query_names = set(KNOWN_QUERY) | set(loose.fields)
    filtered = bool(loose.fields)
    for form in forms:
        if form.method == "get":
            query_names |= set(form.fields)
            filtered = True
    query_names.discard("csrfmiddlewaretoken")
    for value in HOSTILE if filtered else FEW:
        walk.send(
            "get", path, {n: value for n in sorted(query_names)}, f"every query {shown(value)}"
        )

    for form in forms:
        if form.method != "post" or reads_only:
            continue
        target = own_path(form.action, path, name)
        if target is None:
            continue
        base = plausible(form)
        names = [n for n in form.fields if n != "csrfmiddlewaretoken"]
        for value in HOSTILE:
            data = {n: value for n in names}
            walk.send("post", target, data, f"every field {shown(value)}")
        for n in names:
            kind = form.kinds.get(n, "text")
            for value in PER_FIELD.get(kind, ID):
                hostile = [value] if kind == "select-multiple" else value
                walk.send("post", target, {**base, n: hostile}, f"{n}={shown(value)}")
    for form in forms:
        if form.method != "get":
            continue
        base = plausible(form)
        for n in form.fields:
            kind = form.kinds.get(n, "text")
            if kind in ("text", "search"):
                continue  # free text in a filter: the every-query requests cover it
            for value in PER_FIELD.get(kind, ID):
                walk.send("get", path, {**base, n: value}, f"?{n}={shown(value)}")
    return walk


def _walked() -> Iterable[tuple[str, str, bool]]:
    for name in sorted(RULES):
        for role, reads_only in roles_for(RULES[name]):
            yield name, role, reads_only


@pytest.mark.parametrize(("name", "role", "reads_only"), list(_walked()))
def test_no_500_from_hostile_values(
    name: str,
    role: str,
    reads_only: bool,
    users,
    zone,
    client_as,
    request_objects,  # noqa: F811 - the fixture imported above
    record_property,
) -> None:
    ctx = {"users": users, "zone": zone, "db_objects": request_objects}
    client = client_as(None if role == "anonymous" else role)
    walk = walk_url(name, role, client, ctx, reads_only=reads_only)
    record_property("requests", walk.requests)  # the walk's size, in --junitxml reports
    assert not walk.failures, (
        f"{len(walk.failures)} of {walk.requests} requests failed:\n" + "\n".join(walk.failures)
    )


def test_form_reader_finds_fields_defaults_and_options() -> None:
    forms, loose = read_forms(
        '<input name="q" value="储能">'
        '<form method="post" action="/x/">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="t">'
        '<input name="amount" type="number" required><input name="memo">'
        '<select name="tags" multiple>'
        '<option value="1" selected>a</option><option value="2">b</option></select>'
        "<textarea name=note>hi</textarea></form>"
    )
    assert loose.fields == {"q": ["储能"]}
    (form,) = forms
    assert (form.method, form.action) == ("post", "/x/")
    assert form.kinds["tags"] == "select-multiple" and form.options["tags"] == ["1", "2"]
    assert plausible(form) == {
        "amount": "1",
        "tags": ["1"],
        "note": "hi",
    }
