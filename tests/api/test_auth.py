"""API tokens: stored hashed, refused when expired, revoked or of an inactive user, narrowed to
their zones, rate-limited per token, and refusals in the caller's language."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.utils import timezone

from gaoxin.accounts.models import ApiToken
from gaoxin.accounts.tokens import (
    ALL_SCOPES,
    token_authenticate,
    token_create_personal,
    token_create_service,
    token_revoke,
)
from gaoxin.api import throttle
from gaoxin.core.errors import DomainError
from gaoxin.core.roles import Role
from tests.api.conftest import ApiClient, make_token
from tests.factories import EnterpriseFactory

LIST = "/api/v1/enterprises/"


def test_only_the_digest_is_stored(users) -> None:
    token, raw = token_create_personal(user=users["officer"], name="脚本", scopes=ALL_SCOPES)
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert raw.startswith("gx_") and raw.startswith(stored.prefix)
    assert len(stored.prefix) < len(raw) - 30
    columns = [str(v) for v in ApiToken.objects.filter(pk=token.pk).values().get().values()]
    assert raw not in columns


@pytest.mark.parametrize(
    "header",
    ["", "Bearer ", "Bearer gx_not-a-token", "Basic dXNlcjpwYXNz", "Token gx_x"],
)
def test_a_call_without_a_live_token_is_401(header: str, users) -> None:
    client = ApiClient(None)
    if header:
        client.headers["Authorization"] = header
    response = client.get(LIST)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_expired_revoked_and_inactive_tokens_are_refused(users, zone) -> None:
    EnterpriseFactory(zone=zone)
    raw = make_token(users["officer"])
    assert ApiClient(raw).get(LIST).status_code == 200

    token = ApiToken.objects.get(digest=hashlib.sha256(raw.encode()).hexdigest())
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(1))
    assert ApiClient(raw).get(LIST).status_code == 401

    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() + dt.timedelta(1))
    assert ApiClient(raw).get(LIST).status_code == 200
    users["officer"].is_active = False
    users["officer"].save()
    assert ApiClient(raw).get(LIST).status_code == 401

    users["officer"].is_active = True
    users["officer"].save()
    token_revoke(token=token, by=users["officer"])
    assert ApiClient(raw).get(LIST).status_code == 401


def test_a_token_sees_only_its_zones(users, zone, other_zone) -> None:
    """An administrator works in every zone; a token of theirs for one zone sees that zone."""
    here = EnterpriseFactory(zone=zone)
    there = EnterpriseFactory(zone=other_zone)
    admin = users["admin"]
    everywhere = ApiClient(make_token(admin, name="all"))
    ids = {row["id"] for row in everywhere.get(LIST).json()["results"]}
    assert {here.pk, there.pk} <= ids

    one_zone = ApiClient(make_token(admin, zones=[other_zone], name="one"))
    ids = {row["id"] for row in one_zone.get(LIST).json()["results"]}
    assert there.pk in ids and here.pk not in ids
    assert one_zone.get(f"{LIST}{here.pk}").status_code == 404
    assert one_zone.get(f"{LIST}{there.pk}").status_code == 200


def test_a_token_cannot_name_a_zone_that_is_not_the_users(users, other_zone) -> None:
    with pytest.raises(DomainError) as refused:
        token_create_personal(
            user=users["officer"], name="x", scopes=ALL_SCOPES, zones=[other_zone]
        )
    assert refused.value.field == "zones"
    assert not ApiToken.objects.filter(user=users["officer"]).exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"scopes": []}, "scopes"),
        ({"scopes": ["enterprises:delete"]}, "scopes"),
        ({"expires_on": dt.date(2000, 1, 1)}, "expires_on"),
        ({"expires_on": dt.date.today() + dt.timedelta(days=400)}, "expires_on"),
        ({"name": "   "}, "name"),
        ({"rate_per_minute": 0}, "rate_per_minute"),
    ],
)
def test_a_bad_token_request_names_its_field_and_writes_nothing(users, kwargs, field) -> None:
    arguments = {"user": users["officer"], "name": "脚本", "scopes": ALL_SCOPES, **kwargs}
    with pytest.raises(DomainError) as refused:
        token_create_personal(**arguments)
    assert refused.value.field == field
    assert not ApiToken.objects.exists()


def test_last_use_is_written_at_most_once_a_minute(users) -> None:
    raw = make_token(users["officer"])
    token = ApiToken.objects.get(digest=hashlib.sha256(raw.encode()).hexdigest())
    assert token.last_used_at is None
    ApiClient(raw).get(LIST)
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None

    recent = timezone.now() - dt.timedelta(seconds=30)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=recent)
    ApiClient(raw).get(LIST)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == recent

    old = timezone.now() - dt.timedelta(minutes=2)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=old)
    ApiClient(raw).get(LIST)
    assert ApiToken.objects.get(pk=token.pk).last_used_at > old


def test_over_its_rate_a_token_gets_429_with_retry_after(users, monkeypatch) -> None:
    now = [1_800_000_010.0]  # 10 s into a minute
    monkeypatch.setattr(throttle, "clock", lambda: now[0])
    client = ApiClient(make_token(users["officer"], rate_per_minute=3))
    assert [client.get(LIST).status_code for _ in range(3)] == [200, 200, 200]

    refused = client.get(LIST)
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    assert refused["Retry-After"] == "50"

    # another token of the same user has its own count
    assert ApiClient(make_token(users["officer"], name="other")).get(LIST).status_code == 200

    now[0] += 50  # the next minute
    assert client.get(LIST).status_code == 200


def test_refusals_speak_the_callers_language(users) -> None:
    raw = make_token(users["officer"])
    chinese = ApiClient(raw).get(LIST, industry="abc").json()
    english = ApiClient(raw, language="en").get(LIST, industry="abc").json()
    assert chinese["field"] == english["field"] == "industry"
    assert chinese["code"] == english["code"] == "invalid"
    assert english["message"] == "industry: Enter a whole number."
    assert chinese["message"] != english["message"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in chinese["message"])


def test_control_characters_are_refused_as_json(users) -> None:
    client = ApiClient(make_token(users["officer"]))
    in_query = client.get(LIST, q="a\x00b")
    assert in_query.status_code == 400
    assert in_query["Content-Type"].startswith("application/json")
    assert in_query.json()["code"] == "invalid"


def test_out_of_range_ids_are_invalid_not_errors(users) -> None:
    client = ApiClient(make_token(users["officer"]))
    for bad in ("0", "-1", "99999999999999999999999", "abc"):
        response = client.get(f"{LIST}{bad}")
        assert response.status_code == 422, (bad, response.content)
        assert response.json()["field"] == "enterprise_id"


def test_a_made_up_cursor_is_invalid_not_an_error(users) -> None:
    import base64

    client = ApiClient(make_token(users["officer"]))
    for cursor in ("!!", base64.b64encode(b"p=abc").decode(), base64.b64encode(b"o=-1").decode()):
        response = client.get(LIST, cursor=cursor)
        assert response.status_code == 422, (cursor, response.content)


def test_the_cursor_walks_every_enterprise_once(users, zone) -> None:
    made = {EnterpriseFactory(zone=zone).pk for _ in range(7)}
    client = ApiClient(make_token(users["officer"]))
    seen: list[int] = []
    page = client.get(LIST, page_size=3).json()
    while True:
        seen.extend(row["id"] for row in page["results"])
        if not page["next"]:
            break
        page = client.client.get(page["next"], headers=client.headers).json()
    assert len(seen) == len(set(seen))
    assert made <= set(seen)
    assert seen == sorted(seen)


def test_a_service_token_acts_as_its_own_account(users, zone) -> None:
    here = EnterpriseFactory(zone=zone)
    token, raw = token_create_service(
        by=users["admin"],
        name="统计局数据接口",
        role=Role.LEADER,
        scopes=["enterprises:read"],
        zones=[zone],
    )
    account = token.user
    assert account.role == Role.LEADER and not account.has_usable_password()
    assert list(account.zones.all()) == [zone]
    assert token_authenticate(raw) is not None
    ids = {row["id"] for row in ApiClient(raw).get(LIST).json()["results"]}
    assert here.pk in ids
    # a leader reads but does not write, whatever the token's scopes say
    token_revoke(token=token, by=users["admin"])
    account.refresh_from_db()
    assert not account.is_active
    assert ApiClient(raw).get(LIST).status_code == 401


def test_only_an_administrator_creates_service_tokens(users, zone) -> None:
    with pytest.raises(DomainError):
        token_create_service(
            by=users["officer"], name="x", role=Role.OFFICER, scopes=ALL_SCOPES, zones=[zone]
        )
    with pytest.raises(DomainError) as refused:
        token_create_service(
            by=users["admin"], name="x", role=Role.DEPARTMENT, scopes=ALL_SCOPES, zones=[zone]
        )
    assert refused.value.field == "department"


def test_an_unknown_api_path_answers_json(users) -> None:
    response = ApiClient(make_token(users["officer"]), language="en").get("/api/v1/enterprize/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert "/api/v1/enterprize/" in response.json()["message"]


def test_the_demo_prints_a_working_token_and_revokes_the_last_one(zone) -> None:
    from gaoxin.demo.management.commands.demo import demo_api_token
    from tests.factories import UserFactory

    UserFactory(username="officer", role=Role.OFFICER, zones=[zone])
    first = demo_api_token()
    second = demo_api_token()
    assert first and second and first != second
    assert ApiClient(first).get(LIST).status_code == 401
    assert ApiClient(second).get(LIST).status_code == 200


def test_a_service_account_named_in_chinese_is_named_in_pinyin(users, zone) -> None:
    token, _raw = token_create_service(
        by=users["admin"],
        name="统计局数据接口",
        role=Role.LEADER,
        scopes=["enterprises:read"],
        zones=[zone],
    )
    assert token.user.username == "svc-tong-ji-ju-shu-ju-jie-kou"
    assert token.user.name == "统计局数据接口"


def test_a_choice_not_offered_lists_the_choices_in_the_callers_language(users) -> None:
    client = ApiClient(make_token(users["officer"]))
    body = client.get(LIST, status="gone").json()
    assert body["field"] == "status"
    assert body["message"].startswith("status: 请从以下取值中选择：")
    assert "'moved_out'" in body["message"]
