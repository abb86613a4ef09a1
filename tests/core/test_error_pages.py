"""Errors answer plain pages: a control character in a request is a 400, a failure a 500 page
that prints no setting (the traceback goes to the log), in development as in production."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from django.urls import reverse

from gaoxin.core.middleware import CONTROL_CHARACTERS


@pytest.mark.parametrize("value", ["\x00", "储能\x00", "\x1b[31m", "\x08"])
@pytest.mark.parametrize(
    ("method", "name"),
    [("get", "enterprises:list"), ("get", "projects:list"), ("post", "projects:create")],
)
def test_a_control_character_is_refused_with_a_400(
    client_as, method: str, name: str, value: str
) -> None:
    response = getattr(client_as("officer"), method)(reverse(name), {"q": value, "name": value})
    assert response.status_code == 400
    assert "control character" in response.content.decode() or "控制字符" in (
        response.content.decode()
    )


def test_a_nul_in_a_field_name_is_refused(client_as) -> None:
    response = client_as("officer").get(reverse("enterprises:list"), {"q\x00": "x"})
    assert response.status_code == 400


def test_tabs_and_line_breaks_pass(client_as) -> None:
    assert not CONTROL_CHARACTERS.search("一\t二\r\n三")
    response = client_as("officer").get(reverse("enterprises:list"), {"q": "储能\t"})
    assert response.status_code == 200


def test_an_unknown_page_answers_the_404_page(client_as) -> None:
    response = client_as("officer").get("/no-such-page/")
    assert response.status_code == 404
    assert 'class="topbar"' in response.content.decode()  # the site's own page, not Django's


RAISING = textwrap.dedent(
    """
    import django
    django.setup()
    from django.test import Client
    from django.urls import path
    import gaoxin.urls

    def boom(request):
        raise RuntimeError("boom for the log")

    gaoxin.urls.urlpatterns.append(path("boom/", boom))
    response = Client(raise_request_exception=False).get("/boom/", HTTP_HOST="127.0.0.1")
    print(response.status_code)
    print(response.content.decode())
    """
)


def test_development_500_page_prints_no_setting_and_logs_the_traceback(tmp_path) -> None:
    database_url = f"sqlite:///{tmp_path}/secret-database-name.sqlite3"
    secret = "development-secret-key-that-must-never-be-shown-0123456789"
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "gaoxin.settings",
            "GAOXIN_ENV": "development",
            "GAOXIN_VAR_DIR": str(tmp_path),
            "DATABASE_URL": database_url,
            "SECRET_KEY": secret,
        }
    )
    result = subprocess.run(
        [sys.executable, "-c", RAISING], env=env, capture_output=True, text=True, timeout=120
    )
    status, _, page = result.stdout.partition("\n")
    assert status == "500", result.stdout + result.stderr
    assert "secret-database-name" not in page and secret not in page
    assert "DATABASE_URL" not in page and "Traceback" not in page
    assert "系统出错了" in page  # the site's plain page, in Chinese
    assert "Traceback" in result.stderr and "boom for the log" in result.stderr
