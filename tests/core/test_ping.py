"""The signed-in ping bench/throughput.py measures as the framework's ceiling."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse


@pytest.mark.django_db
def test_ping_answers_a_signed_in_user_with_almost_nothing(client: Client, users) -> None:
    client.force_login(users["officer"])
    response = client.get(reverse("core:ping"))
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_ping_sends_a_stranger_to_the_login_page(client: Client) -> None:
    response = client.get(reverse("core:ping"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_ping_only_reads(client: Client, users) -> None:
    client.force_login(users["officer"])
    assert client.post(reverse("core:ping")).status_code == 405


@pytest.mark.django_db
def test_ping_answers_head_as_uptime_monitors_ask(client: Client, users) -> None:
    client.force_login(users["officer"])
    response = client.head(reverse("core:ping"))
    assert response.status_code == 200
    assert response.content == b""
