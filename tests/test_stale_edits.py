"""A colleague's edit is never silently undone, on every page that edits a record.

For each kind: two users open the same edit (or status) page, the first saves a change, the
second saves a different one from the page they opened before. The second is refused with a
message naming the first and when they saved; the first's change is kept and nothing else is
written (the record's history holds one change, not two). Driven through the real views.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django import forms
from django.utils import formats, timezone, translation

from gaoxin.core.roles import Role
from tests.factories import EnterpriseFactory, UserFactory


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def form_data(form: forms.BaseForm) -> dict[str, Any]:
    """What the browser would send back for `form` as the page showed it."""
    data: dict[str, Any] = {}
    for name, bound in form.fields.items():
        value = form[name].value()
        if isinstance(bound, forms.BooleanField):
            if value:
                data[name] = "on"
            continue
        if value is None:
            data[name] = ""
        elif isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif isinstance(value, dt.date):
            data[name] = value.isoformat()
        else:
            data[name] = str(value)
    return data


@dataclass
class Kind:
    """One edit page: how to make its record, where it is, what two users change, and
    where to read the first user's change back."""

    make: Callable[[Any], Any]
    url: Callable[[Any], str]
    first: dict[str, Any]
    second: dict[str, Any]
    kept: Callable[[Any], Any]
    roles: tuple[str, str] = ("admin", "officer")
    context_form: str = "form"
    setup: Callable[[Any], None] = field(default=lambda ctx: None)


def _enterprise_user(ctx):
    ctx.users["enterprise2"] = UserFactory(
        username="t-ent2",
        role=Role.ENTERPRISE,
        zones=[ctx.zone],
        enterprise=ctx.users["enterprise"].enterprise,
    )


KINDS: dict[str, Kind] = {
    "enterprise": Kind(
        make=lambda ctx: EnterpriseFactory(zone=ctx.zone, address="旧地址", employees=10),
        url=lambda e: f"/enterprises/{e.pk}/edit/",
        first={"address": "甲改的地址", "employees": "120"},
        second={"address": "乙改的地址"},
        kept=lambda e: (e.address, e.employees),
    ),
    "enterprise contact": Kind(
        make=lambda ctx: ctx.users["enterprise"].enterprise,
        url=lambda e: f"/enterprises/{e.pk}/contact/",
        first={"contact_person": "甲"},
        second={"contact_person": "乙"},
        kept=lambda e: e.contact_person,
        roles=("enterprise", "enterprise2"),
        setup=_enterprise_user,
    ),
}


@dataclass
class Ctx:
    zone: Any
    users: dict[str, Any]


@pytest.mark.parametrize("kind", list(KINDS), ids=list(KINDS))
def test_a_stale_form_is_refused_naming_who_and_when(kind, zone, users, client_as) -> None:
    spec = KINDS[kind]
    ctx = Ctx(zone=zone, users=users)
    spec.setup(ctx)
    record = spec.make(ctx)
    model = type(record)
    url = spec.url(record)
    first_user, second_user = (ctx.users[r] for r in spec.roles)
    clients = []
    opened = []
    for user in (first_user, second_user):
        from django.test import Client

        client = Client()
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, (kind, response.status_code)
        form = response.context[spec.context_form]
        assert "version" in form.fields, f"{kind}: the form carries no version"
        clients.append(client)
        opened.append(form_data(form))
    changes_before = record.history.count()

    response = clients[0].post(url, {**opened[0], **spec.first})
    assert response.status_code == 302, (
        kind,
        response.context and response.context[spec.context_form].errors,
    )
    stored = model.objects.get(pk=record.pk)
    kept = spec.kept(stored)
    assert stored.history.count() == changes_before + 1

    response = clients[1].post(url, {**opened[1], **spec.second})
    assert response.status_code == 200, kind
    body = response.content.decode()
    last = stored.history.first()
    when = formats.date_format(timezone.localtime(last.history_date), "Y-m-d H:i")
    assert "was changed by" in body and "Reload the page" in body
    assert (first_user.name or first_user.username) in body and when in body
    stored = model.objects.get(pk=record.pk)
    assert spec.kept(stored) == kept
    assert stored.history.count() == changes_before + 1
