"""Two-factor sign-in through django-otp: required of administrators and leaders of a zone that
turns it on, optional for everyone else; recovery codes; the factor in the login history."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import unquote

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from gaoxin.accounts.models import LoginEvent
from tests.factories import PASSWORD

IP = "10.0.0.21"


def _password_login(username: str) -> Client:
    client = Client(REMOTE_ADDR=IP)
    response = client.post(
        "/accounts/login/", {"username": username, "password": PASSWORD, "next": "/dashboard/"}
    )
    assert response.status_code == 302
    return client


def _code(device: TOTPDevice) -> str:
    """The code the app shows now, made with django-otp's own TOTP from the device's key."""
    device.refresh_from_db()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _enrolled(user, *, recovery: list[str] = ()) -> TOTPDevice:
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    if recovery:
        static = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
        for token in recovery:
            StaticToken.objects.create(device=static, token=token)
    return device


@pytest.fixture
def strict_zone(zone):
    zone.require_two_factor = True
    zone.save()
    return zone


def test_an_admin_of_a_zone_that_requires_it_needs_a_valid_code_before_any_page(
    users, strict_zone
) -> None:
    device = _enrolled(users["admin"])
    client = _password_login("t-admin")
    blocked = client.get("/dashboard/")
    assert blocked.status_code == 302
    assert blocked["Location"].startswith("/accounts/two-factor/?next=")
    assert unquote(blocked["Location"]).endswith("next=/dashboard/")
    assert client.get("/admin/").status_code == 302  # the admin site is behind it too

    page = client.get(blocked["Location"])
    assert page.status_code == 200 and "登录动态码" in page.content.decode()
    done = client.post(
        "/accounts/two-factor/", {"code": _code(device), "next": "/dashboard/"}, REMOTE_ADDR=IP
    )
    assert done.status_code == 302 and done["Location"] == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200
    kinds = list(LoginEvent.objects.order_by("at", "pk").values_list("kind", "factor"))
    assert kinds == [("code-asked", ""), ("login", "totp")]


def test_a_wrong_code_is_refused_with_a_message_and_counted(users, strict_zone) -> None:
    device = _enrolled(users["leader"])
    client = _password_login("t-leader")
    wrong = f"{(int(_code(device)) + 1) % 1_000_000:06d}"
    response = client.post("/accounts/two-factor/", {"code": wrong})
    assert response.status_code == 200
    assert "动态码不正确" in response.content.decode()
    assert client.get("/dashboard/").status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    assert LoginEvent.objects.filter(kind="code-failed", user=users["leader"]).count() == 1

    # Straight after a failure django-otp's throttle refuses even the right code, and says
    # how long to wait.
    throttled = client.post("/accounts/two-factor/", {"code": _code(device)})
    body = throttled.content.decode()
    assert "连续输错" in body and "秒后再试" in body
    assert client.get("/dashboard/").status_code == 302


def test_the_right_code_after_the_wait_is_accepted(users, strict_zone) -> None:
    device = _enrolled(users["leader"])
    client = _password_login("t-leader")
    wrong = f"{(int(_code(device)) + 1) % 1_000_000:06d}"
    assert client.post("/accounts/two-factor/", {"code": wrong}).status_code == 200
    device.refresh_from_db()
    device.throttling_failure_timestamp -= timedelta(seconds=2)  # the 1 s wait has passed
    device.save()
    assert client.post("/accounts/two-factor/", {"code": _code(device)}).status_code == 302
    assert client.get("/dashboard/").status_code == 200


def test_a_recovery_code_works_once_only(users, strict_zone) -> None:
    _enrolled(users["leader"], recovery=["abcd2345", "efgh6723"])
    first = _password_login("t-leader")
    assert first.post("/accounts/two-factor/", {"code": "ABCD 2345"}).status_code == 302
    assert first.get("/dashboard/").status_code == 200
    assert LoginEvent.objects.filter(kind="login").get().factor == "recovery"

    again = _password_login("t-leader")
    refused = again.post("/accounts/two-factor/", {"code": "abcd2345"})
    assert refused.status_code == 200 and "动态码不正确" in refused.content.decode()
    assert again.get("/dashboard/").status_code == 302
    assert StaticToken.objects.filter(device__user=users["leader"]).count() == 1


def test_an_officer_is_not_asked_and_logs_in_with_the_password_alone(users, strict_zone) -> None:
    client = _password_login("t-officer")
    assert client.get("/dashboard/").status_code == 200
    event = LoginEvent.objects.get(kind="login")
    assert (event.user, event.factor) == (users["officer"], "password")


def test_no_zone_requires_it_by_default_so_admins_log_in_with_the_password(users) -> None:
    client = _password_login("t-admin")
    assert client.get("/dashboard/").status_code == 200


def test_every_admin_when_the_site_wide_setting_is_on(users, settings) -> None:
    settings.GAOXIN_REQUIRE_2FA_ADMINS = True
    admin = _password_login("t-admin")
    assert admin.get("/dashboard/")["Location"].startswith("/accounts/two-factor/enrol/")
    leader = _password_login("t-leader")  # leaders only where their zone asks
    assert leader.get("/dashboard/").status_code == 200


def test_an_admin_without_a_device_enrols_end_to_end(users, strict_zone) -> None:
    client = _password_login("t-admin")
    to_enrol = client.get("/dashboard/")
    assert to_enrol["Location"].startswith("/accounts/two-factor/enrol/?next=")
    page = client.get(to_enrol["Location"])
    body = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in body and "<path" in body and "<script" not in body.split("<svg")[1][:200]
    device = TOTPDevice.objects.get(user=users["admin"])
    assert not device.confirmed
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', body).group(1)
    assert secret.replace(" ", "") in device.config_url

    wrong = client.post("/accounts/two-factor/enrol/", {"code": "12345x"})
    assert "动态码不正确" in wrong.content.decode()
    assert client.get("/dashboard/").status_code == 302

    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    shown = client.post(
        "/accounts/two-factor/enrol/", {"code": _code(device), "next": "/dashboard/"}
    )
    assert shown.status_code == 200
    assert shown["Cache-Control"].startswith("max-age=0") or "no-store" in shown["Cache-Control"]
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", shown.content.decode())
    assert len(codes) == 10 and len(set(codes)) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/dashboard/").status_code == 200  # verified by the first code
    assert LoginEvent.objects.filter(kind="login").get().factor == "totp"

    # The codes work (once) on a later sign-in.
    later = _password_login("t-admin")
    assert later.post("/accounts/two-factor/", {"code": codes[3]}).status_code == 302
    assert later.get("/dashboard/").status_code == 200


def test_recovery_codes_are_renewed_from_the_profile_and_the_old_ones_void(
    users, strict_zone
) -> None:
    device = _enrolled(users["leader"], recovery=["abcd2345"])
    client = _password_login("t-leader")
    client.post("/accounts/two-factor/", {"code": _code(device)})
    profile = client.get("/accounts/profile/").content.decode()
    assert "剩余恢复码" in profile and "主园区" in profile
    renewed = client.post("/accounts/two-factor/recovery-codes/")
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", renewed.content.decode())
    assert len(codes) == 10
    assert not StaticToken.objects.filter(token="abcd2345").exists()
    assert StaticToken.objects.filter(device__user=users["leader"]).count() == 10


def test_an_officer_may_enrol_from_the_profile_and_is_then_asked(users) -> None:
    client = _password_login("t-officer")
    profile = client.get("/accounts/profile/").content.decode()
    assert "/accounts/two-factor/enrol/" in profile
    client.get("/accounts/two-factor/enrol/")
    device = TOTPDevice.objects.get(user=users["officer"])
    shown = client.post("/accounts/two-factor/enrol/", {"code": _code(device)})
    assert shown.status_code == 200
    assert client.get("/dashboard/").status_code == 200
    # No second "login" for the enrolment: the officer was already signed in.
    assert LoginEvent.objects.filter(kind="login").count() == 1

    # At the next sign-in the officer has a device, so is asked for its code.
    again = _password_login("t-officer")
    assert again.get("/dashboard/")["Location"].startswith("/accounts/two-factor/?next=")


def test_the_zone_setting_is_editable_in_the_admin_and_shown_on_the_profile(
    users, zone, client_as
) -> None:
    admin = client_as("admin")
    form = admin.get(f"/admin/accounts/zone/{zone.pk}/change/").content.decode()
    assert 'name="require_two_factor"' in form
    leader = client_as("leader")
    assert "否，可自愿启用" in leader.get("/accounts/profile/").content.decode()


def test_the_sign_in_record_shows_the_factor_of_each_login(users, strict_zone) -> None:
    device = _enrolled(users["leader"])
    client = _password_login("t-leader")
    client.post("/accounts/two-factor/", {"code": _code(device)})
    body = client.get("/accounts/profile/").content.decode()
    assert "登录 · 身份验证器动态码" in body
    assert "密码正确，待输入动态码" in body
    officer = _password_login("t-officer")
    assert "登录 · 仅密码" in officer.get("/").content.decode()


def test_an_htmx_request_before_the_code_is_sent_to_the_code_page_whole(users, strict_zone) -> None:
    _enrolled(users["leader"])
    client = _password_login("t-leader")
    response = client.get("/dashboard/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith("/accounts/two-factor/?next=")


def test_a_zone_turning_it_on_reaches_sessions_already_open_at_the_next_recheck(
    users, zone, settings
) -> None:
    client = _password_login("t-leader")
    assert client.get("/dashboard/").status_code == 200
    zone.require_two_factor = True
    zone.save()
    assert client.get("/dashboard/").status_code == 200  # known for this session a while
    settings.GAOXIN_2FA_RECHECK_SECONDS = 0
    assert client.get("/dashboard/")["Location"].startswith("/accounts/two-factor/enrol/")
