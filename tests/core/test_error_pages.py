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


# --- refusals in the site's frame: what happened and where to go ------------------------------


def _nav_links(page: str) -> bool:
    return 'class="mainnav"' in page and 'class="refusal-links"' in page


def test_a_refused_page_is_framed_with_the_users_own_pages(client_as) -> None:
    """The enterprise user following a link to the dashboard: the site's frame with their
    navigation, a word on what happened, their home, and the pages their role opens."""
    response = client_as("enterprise").get(reverse("dashboard:index"))
    assert response.status_code == 403
    page = response.content.decode()
    assert 'class="topbar"' in page and _nav_links(page)
    assert 'class="btn btn-primary" href="/"' in page  # their home
    assert f'href="{reverse("campaigns:list")}"' in page  # a page they may open
    assert f'href="{reverse("dashboard:index")}"' not in page  # not the one refused


@pytest.mark.parametrize("role", ["enterprise", "officer"])
def test_an_unknown_page_offers_home_and_the_users_pages(client_as, role: str) -> None:
    response = client_as(role).get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert _nav_links(page) and 'href="/"' in page


def test_an_unknown_page_offers_a_visitor_the_login(client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert 'class="topbar topbar-plain"' in page
    assert f'href="{reverse("login")}?next=/no-such-page/"' in page
    assert 'class="mainnav"' not in page


@pytest.mark.parametrize("role", ["enterprise", None])
def test_a_form_refused_by_the_csrf_check_says_to_reload(users, role) -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    if role is not None:
        client.force_login(users[role])
    response = client.post(reverse("accounts:zone_switch" if role else "login"), {})
    assert response.status_code == 403
    page = response.content.decode()
    assert "refusal" in page and "表单已过期" in page  # the site speaks Chinese by default
    assert ('class="mainnav"' in page) == (role is not None)


def test_the_500_and_400_pages_look_like_the_site_without_context() -> None:
    from django.template import loader

    for name in ("500.html", "400.html"):
        page = loader.render_to_string(name)  # no request, no database
        assert 'class="topbar topbar-plain"' in page and 'class="footer"' in page
        assert 'href="/"' in page and "refusal" in page
