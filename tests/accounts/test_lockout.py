"""A lockout is recorded as a lockout: who, from where, until when; an attempt refused while
the account is locked is recorded as such, not as one more failed login."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.test import Client
from django.utils import timezone

from gaoxin.accounts.models import LoginEvent
from tests.factories import PASSWORD

IP = "10.0.0.9"


def _login(client: Client, username: str, password: str, ip: str = IP):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def _fail_until_locked(client: Client, username: str = "t-leader"):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, username, "wrong").status_code == 200
    return _login(client, username, "wrong")


def test_the_failure_that_locks_writes_a_locked_event_with_its_end(users) -> None:
    before = timezone.now()
    locked = _fail_until_locked(Client())
    after = timezone.now()
    assert locked.status_code == settings.AXES_HTTP_RESPONSE_CODE
    events = list(LoginEvent.objects.order_by("at", "pk"))
    assert [e.kind for e in events] == ["failed"] * settings.AXES_FAILURE_LIMIT + ["locked"]
    lock = events[-1]
    assert (lock.username, lock.ip_address, lock.user) == ("t-leader", IP, users["leader"])
    assert before + settings.AXES_COOLOFF_TIME <= lock.until <= after + settings.AXES_COOLOFF_TIME


def test_an_attempt_during_the_lockout_is_refused_and_recorded_as_such(users) -> None:
    client = Client()
    _fail_until_locked(client)
    refused = _login(client, "t-leader", PASSWORD)  # the right password, still refused
    assert refused.status_code == settings.AXES_HTTP_RESPONSE_CODE
    assert "_auth_user_id" not in client.session
    latest = LoginEvent.objects.order_by("-at", "-pk").first()
    assert latest.kind == LoginEvent.Kind.REFUSED_WHILE_LOCKED
    assert (latest.username, latest.ip_address) == ("t-leader", IP)
    assert latest.until is not None and latest.until > timezone.now()
    kinds = list(LoginEvent.objects.values_list("kind", flat=True))
    assert kinds.count("failed") == settings.AXES_FAILURE_LIMIT
    assert kinds.count("login") == 0


def test_a_lockout_and_a_refusal_reach_the_server_log(users, caplog) -> None:
    client = Client()
    with caplog.at_level(logging.WARNING, logger="gaoxin.accounts"):
        _fail_until_locked(client)
        _login(client, "t-leader", PASSWORD)
    records = [r for r in caplog.records if r.name == "gaoxin.accounts.receivers"]
    assert len(records) == 2
    locked, refused = records
    assert locked.levelno == logging.WARNING
    for record in records:
        message = record.getMessage()
        assert "t-leader" in message and IP in message
    lock_event = LoginEvent.objects.get(kind="locked")
    assert lock_event.until.isoformat(timespec="seconds") in locked.getMessage()
    assert "refused" in refused.getMessage()


def test_the_profile_lists_lockouts_in_the_sign_in_record(users) -> None:
    client = Client()
    _fail_until_locked(client)
    _login(client, "t-leader", PASSWORD)
    until = LoginEvent.objects.get(kind="locked").until
    viewer = Client()
    viewer.force_login(users["leader"])
    body = viewer.get("/accounts/profile/").content.decode()
    assert "已锁定" in body and "锁定期间被拒" in body
    local_until = timezone.localtime(until) + timedelta(0)
    assert local_until.strftime("%Y-%m-%d %H:%M") in body


def test_a_refusal_is_told_apart_when_axes_does_not_extend_the_lockout(users, settings) -> None:
    """With AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT off, axes counts no failure for a
    refused attempt; the refusal is still recorded as such, and the end stays put."""
    settings.AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
    client = Client()
    _fail_until_locked(client)
    assert _login(client, "t-leader", PASSWORD).status_code == settings.AXES_HTTP_RESPONSE_CODE
    locked = LoginEvent.objects.get(kind="locked")
    refused = LoginEvent.objects.get(kind="refused-while-locked")
    assert refused.until == locked.until
    assert LoginEvent.objects.filter(kind="failed").count() == settings.AXES_FAILURE_LIMIT
