"""The API token pages: a token is shown once and only its digest kept; revoking it stops the
API answering it; an administrator's service token for a department; refusals shown on the
form with nothing written."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from gaoxin.accounts.models import ApiToken, User
from gaoxin.accounts.token_views import SHOWN_ONCE
from gaoxin.accounts.tokens import token_create_personal, token_create_service
from gaoxin.core.roles import Role
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r"gx_[A-Za-z0-9_-]{40}")


def _future(days: int = 30) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def _create(client, **data):
    payload = {
        "name": "月报脚本",
        "scopes": ["enterprises:read", "economy:write"],
        "expires_on": _future(),
        "rate_per_minute": "60",
        **data,
    }
    return client.post(reverse("accounts:token_create"), payload)


def test_a_new_token_is_shown_once_and_only_its_digest_is_kept(client_as, users, zone):
    client = client_as("officer")
    response = _create(client, zones=[zone.pk])
    # The POST answers with a redirect, never with the token itself.
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:token_created")
    assert not TOKEN.search(response.content.decode())

    page = client.get(response["Location"])
    assert page.status_code == 200
    raw = TOKEN.findall(page.content.decode())
    assert raw, "the token is shown"
    raw = raw[0]
    text = page.content.decode()
    assert f'curl -H "Authorization: Bearer {raw}" http://testserver/api/v1/enterprises/' in text
    assert "no-store" in page["Cache-Control"]

    token = ApiToken.objects.get(user=users["officer"])
    assert token.kind == ApiToken.Kind.PERSONAL
    assert token.name == "月报脚本"
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert token.prefix == raw[: len(token.prefix)]
    assert token.scopes == ["enterprises:read", "economy:write"]
    assert list(token.zones.all()) == [zone]
    assert token.rate_per_minute == 60
    assert timezone.localtime(token.expires_at).date().isoformat() == _future()
    # The raw token is nowhere in the row, nor left in the session.
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert not any(raw in str(value) for value in row.values())
    assert SHOWN_ONCE not in client.session

    # A reload shows it no more.
    again = client.get(reverse("accounts:token_created"), follow=True)
    assert raw not in again.content.decode()
    english = (
        "A token is shown only once, when it is created. Revoke a lost one and create a new one."
    )
    with translation.override("zh-hans"):
        said = translation.gettext(english)
    assert said != english
    assert [str(m) for m in again.context["messages"]] == [said]
    assert said in again.content.decode()

    # The list shows it by name and its first characters, never whole.
    listing = client.get(reverse("accounts:token_list")).content.decode()
    assert "月报脚本" in listing
    assert token.prefix in listing
    assert raw not in listing


def test_the_new_token_works_on_the_api_then_revoked_gets_401(client_as, users):
    client = client_as("officer")
    raw = TOKEN.findall(client.get(_create(client)["Location"]).content.decode())[0]
    api = client_as(None)
    auth = {"Authorization": f"Bearer {raw}"}
    assert api.get("/api/v1/enterprises/", headers=auth).status_code == 200

    token = ApiToken.objects.get(user=users["officer"])
    revoke_url = reverse("accounts:token_revoke", args=[token.pk])
    # The confirmation page first; a POST without the confirmation revokes nothing.
    confirm = client.get(revoke_url)
    assert confirm.status_code == 200
    assert 'name="confirm" value="1"' in confirm.content.decode()
    client.post(revoke_url)
    token.refresh_from_db()
    assert token.revoked_at is None

    response = client.post(revoke_url, {"confirm": "1"})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api.get("/api/v1/enterprises/", headers=auth).status_code == 401


def test_someone_elses_token_is_not_found(client_as, users):
    token, _raw = token_create_personal(
        user=users["officer"], name="officer's", scopes=["enterprises:read"]
    )
    url = reverse("accounts:token_revoke", args=[token.pk])
    for role in ("leader", "admin", "enterprise", "outsider"):
        assert client_as(role).post(url, {"confirm": "1"}).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_an_enterprise_user_keeps_a_personal_token(client_as, users):
    client = client_as("enterprise")
    response = _create(client, scopes=["enterprises:read"])
    assert response.status_code == 302
    assert ApiToken.objects.get(user=users["enterprise"]).scopes == ["enterprises:read"]


def test_admin_creates_a_service_token_for_a_department(client_as, users, zone):
    department = users["department"].department
    client = client_as("admin")
    response = client.post(
        reverse("accounts:service_token_create"),
        {
            "name": "审批系统",
            "role": Role.DEPARTMENT,
            "department": department.pk,
            "zones": [zone.pk],
            "scopes": ["projects:write"],
            "expires_on": _future(),
            "rate_per_minute": "300",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(response["Location"]).content.decode()
    raw = TOKEN.findall(page)[0]

    token = ApiToken.objects.get(kind=ApiToken.Kind.SERVICE)
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert token.created_by == users["admin"]
    assert token.rate_per_minute == 300
    account = token.user
    assert account.role == Role.DEPARTMENT
    assert account.department == department
    assert not account.has_usable_password()
    assert list(account.zones.all()) == [zone]

    # The administrator's list shows it with its account, role, department and creator.
    listing = client.get(reverse("accounts:token_list")).content.decode()
    assert "审批系统" in listing
    assert account.username in listing
    assert department.name in listing
    assert users["admin"].display_name in listing

    # ...and revokes it: its account is switched off with it.
    client.post(reverse("accounts:token_revoke", args=[token.pk]), {"confirm": "1"})
    token.refresh_from_db()
    account.refresh_from_db()
    assert token.revoked_at is not None
    assert not account.is_active


def test_only_an_administrator_creates_service_tokens(client_as, users, zone):
    users_before = User.objects.count()
    for role in ("leader", "officer", "department", "enterprise"):
        response = client_as(role).post(
            reverse("accounts:service_token_create"),
            {
                "name": "x",
                "role": Role.LEADER,
                "zones": [zone.pk],
                "scopes": ["enterprises:read"],
            },
        )
        assert response.status_code == 403
    assert not ApiToken.objects.exists()
    assert User.objects.count() == users_before
    # Nor do they see service tokens in their list.
    token_create_service(
        by=users["admin"], name="统计局", role=Role.LEADER, scopes=["economy:read"], zones=[zone]
    )
    assert "统计局" not in client_as("leader").get(reverse("accounts:token_list")).content.decode()
    assert "统计局" in client_as("admin").get(reverse("accounts:token_list")).content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"scopes": []}, "scopes", "Choose at least one scope."),
        ({"expires_on": "2001-01-01"}, "expires_on", "The expiry must be after today."),
        ({"name": "  "}, "name", "Give the token a name that says what uses it."),
        ({"rate_per_minute": "0"}, "rate_per_minute", None),
    ],
)
def test_a_refused_personal_token_says_why_and_writes_nothing(
    client_as, users, data, field, message
):
    client = client_as("officer")
    client.cookies["django_language"] = "en"
    response = _create(client, **data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == [field]
    if message:
        assert errors[field] == [message]
        assert message in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_zone_not_ones_own_is_refused(client_as, users, other_zone):
    response = _create(client_as("officer"), zones=[other_zone.pk])
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["zones"]
    assert not ApiToken.objects.exists()


def test_a_service_token_department_outside_its_zones_is_refused(
    client_as, users, zone, other_zone
):
    away_department = DepartmentFactory(zone=other_zone, name="外区住建局")
    response = client_as("admin").post(
        reverse("accounts:service_token_create"),
        {
            "name": "审批系统",
            "role": Role.DEPARTMENT,
            "department": away_department.pk,
            "zones": [zone.pk],
            "scopes": ["projects:read"],
            "expires_on": _future(),
        },
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["department"]
    assert not ApiToken.objects.exists()
    assert not User.objects.filter(username__startswith="svc-").exists()
