"""The zone administrator's channel pages: the list with each channel's state, a form per kind
that takes what 企业微信 / 钉钉 show and refuses what cannot work, the saved secret never shown
again, the test button with its result, delete after confirmation; other roles refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from apprise.plugins.wecombot import NotifyWeComBot
from django.urls import reverse
from django.utils import timezone

from gaoxin.jobs import channel_addresses as addresses
from gaoxin.jobs import channels
from gaoxin.jobs.models import Channel, Delivery
from tests.jobs.channel_fixtures import HttpReceiver, free_port

WECOM_KEY = "693a91f6-7b2c-4bc4-97a0-0ec2a1fa5c3d"
WECOM_HOOK = f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={WECOM_KEY}"
DING_TOKEN = "5a2b0cd7e1f04e3a9b8c7d6e5f4a3b2c1d0e9f8a"
DING_HOOK = f"https://oapi.dingtalk.com/robot/send?access_token={DING_TOKEN}"
DING_SECRET = "SEC0f1e2d3c4b5a69788796a5b4c3d2e1f0"


@pytest.fixture(autouse=True)
def _retry_at_once(settings: Any) -> None:
    settings.GAOXIN_CHANNEL_RETRY_DELAYS = [0, 0]


def add(client: Any, kind: str, data: dict[str, Any], zone: Any) -> Any:
    return client.post(reverse("channels:add", args=[kind]), {"zone": zone.pk, **data})


def test_an_admin_adds_a_wecom_bot_from_the_webhook_address_it_shows(client_as, zone) -> None:
    admin = client_as("admin")

    response = add(admin, "wecom", {"name": "督办工作群", "webhook": WECOM_HOOK}, zone)

    channel = Channel.objects.get(zone=zone, name="督办工作群")
    assert response.status_code == 302
    assert response["Location"] == reverse("channels:detail", args=[channel.pk])
    assert (channel.kind, channel.url) == ("wecom", f"wecombot://{WECOM_KEY}/")
    page = admin.get(response["Location"]).content.decode()
    assert "渠道已保存" in page
    assert WECOM_KEY not in page and "••••5c3d" in page


def test_a_dingtalk_robot_keeps_its_signing_secret(client_as, zone) -> None:
    admin = client_as("admin")

    add(admin, "dingtalk", {"name": "钉钉群", "webhook": DING_HOOK, "secret": DING_SECRET}, zone)

    channel = Channel.objects.get(name="钉钉群")
    assert channel.url == f"dingtalk://{DING_SECRET}@{DING_TOKEN}/"
    listing = admin.get(reverse("channels:list")).content.decode()
    assert DING_TOKEN not in listing and DING_SECRET not in listing


def test_a_mailbox_is_saved_and_its_password_never_shown_again(client_as, zone) -> None:
    admin = client_as("admin")
    data = {
        "name": "督办邮箱",
        "host": "smtp.zone.gov.cn",
        "port": "",
        "security": "ssl",
        "user": "duban@zone.gov.cn",
        "password": "Secr3t-码",
        "sender": "duban@zone.gov.cn",
        "recipients": "leader@zone.gov.cn，officer@zone.gov.cn\nboss@zone.gov.cn",
    }

    add(admin, "email", data, zone)

    channel = Channel.objects.get(name="督办邮箱")
    box = addresses.email_settings(channel.url)
    assert (box.host, box.port, box.mode, box.password) == (
        "smtp.zone.gov.cn",
        465,
        "ssl",
        "Secr3t-码",
    )
    assert box.recipients == ["leader@zone.gov.cn", "officer@zone.gov.cn", "boss@zone.gov.cn"]
    edit = admin.get(reverse("channels:edit", args=[channel.pk])).content.decode()
    assert "Secr3t" not in edit and "smtp.zone.gov.cn" in edit

    # Saved again with the password left empty: the saved one is kept.
    admin.post(
        reverse("channels:edit", args=[channel.pk]),
        {**data, "password": "", "port": "465", "is_active": "on", "name": "督办邮箱2"},
    )
    channel.refresh_from_db()
    assert channel.name == "督办邮箱2"
    assert addresses.email_settings(channel.url).password == "Secr3t-码"


def test_editing_a_bot_keeps_its_key_when_the_address_is_left_empty(client_as, zone) -> None:
    admin = client_as("admin")
    add(admin, "wecom", {"name": "督办工作群", "webhook": WECOM_HOOK}, zone)
    channel = Channel.objects.get(name="督办工作群")

    form = admin.get(reverse("channels:edit", args=[channel.pk])).content.decode()
    admin.post(reverse("channels:edit", args=[channel.pk]), {"name": "督办群", "webhook": ""})

    assert WECOM_KEY not in form and "留空则保持不变" in form
    channel.refresh_from_db()
    assert (channel.name, channel.url, channel.is_active) == (
        "督办群",
        f"wecombot://{WECOM_KEY}/",
        False,  # the box was left unticked
    )


@pytest.mark.parametrize(
    ("kind", "data", "field", "message"),
    [
        ("wecom", {"webhook": DING_HOOK}, "webhook", "这不是企业微信群机器人的 Webhook 地址"),
        (
            "wecom",
            {"webhook": "key with spaces"},
            "webhook",
            "这不是企业微信群机器人的 Webhook 地址",
        ),
        ("dingtalk", {"webhook": WECOM_HOOK}, "webhook", "这不是钉钉机器人的 Webhook 地址"),
        (
            "dingtalk",
            {"webhook": DING_HOOK, "secret": "SEC-不对"},
            "secret",
            "加签密钥只含字母和数字",
        ),
        ("webhook", {"webhook": "ftp://files.zone.gov.cn/x"}, "webhook", "请填写以 http://"),
        (
            "email",
            {
                "host": "https://smtp.zone.gov.cn",
                "security": "ssl",
                "sender": "a@zone.gov.cn",
                "recipients": "b@zone.gov.cn",
            },
            "host",
            "请填写服务器名称",
        ),
        (
            "email",
            {
                "host": "smtp.zone.gov.cn",
                "security": "ssl",
                "sender": "a@zone.gov.cn",
                "recipients": "b@zone.gov.cn, 不是邮箱",
            },
            "recipients",
            "不是有效的邮箱地址：不是邮箱",
        ),
    ],
)
def test_the_form_refuses_what_cannot_work_and_says_why(
    client_as, zone, kind: str, data: dict[str, str], field: str, message: str
) -> None:
    response = add(client_as("admin"), kind, {"name": "新渠道", **data}, zone)

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert message in response.content.decode()
    assert not Channel.objects.filter(name="新渠道").exists()


def test_an_address_apprise_refuses_is_refused(
    client_as, zone, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("gaoxin.jobs.channel_forms.address_accepted", lambda url: False)

    response = add(client_as("admin"), "wecom", {"name": "新渠道", "webhook": WECOM_HOOK}, zone)

    assert "该地址无法使用：请检查是否完整复制" in response.content.decode()
    assert not Channel.objects.exists()


def test_a_second_channel_of_the_same_name_is_refused(client_as, zone) -> None:
    admin = client_as("admin")
    add(admin, "wecom", {"name": "督办工作群", "webhook": WECOM_HOOK}, zone)

    response = add(admin, "dingtalk", {"name": "督办工作群", "webhook": DING_HOOK}, zone)

    assert "本园区已有同名渠道" in response.content.decode()
    assert Channel.objects.count() == 1


def test_the_list_shows_each_channels_state_and_a_failure_in_red(
    client_as, zone, http_receiver: HttpReceiver, django_assert_max_num_queries
) -> None:
    good = addresses.webhook_url(http_receiver.url("/hook"))
    gone = addresses.webhook_url(f"http://127.0.0.1:{free_port()}/gone")
    assert good and gone
    Channel.objects.create(zone=zone, name="A 督办平台", kind="webhook", url=good)
    Channel.objects.create(zone=zone, name="B 旧平台", kind="webhook", url=gone)
    for n in range(20):
        Channel.objects.create(
            zone=zone, name=f"C 停用{n}", kind="webhook", url=good, is_active=False
        )
    channels.send_digest(zone=zone, day=dt.date(2026, 11, 30), title="督办提醒", body="逾期3项")

    admin = client_as("admin")
    admin.get(reverse("channels:list"))  # the session and the user, read once
    with django_assert_max_num_queries(8):
        page = admin.get(reverse("channels:list")).content.decode()

    failing_row = page[page.index("B 旧平台") :].split("</tr>")[0]
    assert 'class="channel-error"' in failing_row and "Connection refused" in failing_row
    good_row = page[page.index("A 督办平台") :].split("</tr>")[0]
    assert "channel-error" not in good_row
    assert timezone.localdate().isoformat() in good_row  # last delivered: today
    assert "已停用" in page


def test_the_channel_page_lists_its_recent_deliveries(
    client_as, zone, http_receiver: HttpReceiver
) -> None:
    http_receiver.failing = {"/hook"}
    url = addresses.webhook_url(http_receiver.url("/hook"))
    assert url
    channel = Channel.objects.create(zone=zone, name="督办平台", kind="webhook", url=url)
    channels.send_digest(zone=zone, day=dt.date(2026, 11, 30), title="督办提醒", body="逾期3项")

    page = client_as("admin").get(reverse("channels:detail", args=[channel.pk])).content.decode()

    assert "每日督办提醒" in page and "失败" in page
    assert "500" in page and 'class="badge badge-danger"' in page


def test_the_test_button_sends_at_once_and_shows_the_result(
    client_as, zone, http_receiver: HttpReceiver
) -> None:
    url = addresses.webhook_url(http_receiver.url("/hook"))
    assert url
    channel = Channel.objects.create(zone=zone, name="督办平台", kind="webhook", url=url)
    admin = client_as("admin")

    sent = admin.post(reverse("channels:test", args=[channel.pk]), follow=True)

    assert "测试消息已发送" in sent.content.decode()
    assert len(http_receiver.requests) == 1
    assert "督办平台" in http_receiver.requests[0].json()["message"]

    http_receiver.failing = {"/hook"}
    failed = admin.post(reverse("channels:test", args=[channel.pk]), follow=True)
    text = failed.content.decode()
    assert "测试消息发送失败" in text and "500" in text
    assert list(
        Delivery.objects.filter(channel=channel).values_list("purpose", "status", "attempts")
    ) == [("test", "failed", 1), ("test", "sent", 1)]


def test_the_test_button_shows_a_bots_errcode_refusal(
    client_as, zone, http_receiver: HttpReceiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        NotifyWeComBot,
        "notify_url",
        f"http://127.0.0.1:{http_receiver.port}/cgi-bin/webhook/send?key={{key}}",
    )
    # 企业微信 answers a wrong or expired key with HTTP 200 and an errcode.
    http_receiver.answer = b'{"errcode":93000,"errmsg":"invalid webhook url"}'
    channel = Channel.objects.create(
        zone=zone, name="督办工作群", kind="wecom", url=addresses.wecom_url(WECOM_KEY)
    )
    admin = client_as("admin")

    failed = admin.post(reverse("channels:test", args=[channel.pk]), follow=True)

    text = failed.content.decode()
    assert "测试消息发送失败" in text and "测试消息已发送" not in text
    assert "errcode 93000: invalid webhook url" in text
    assert len(http_receiver.requests) == 1  # the test is one try
    listing = admin.get(reverse("channels:list")).content.decode()
    row = listing[listing.index("督办工作群") :].split("</tr>")[0]
    assert 'class="channel-error"' in row and "errcode 93000" in row


def test_delete_asks_first(client_as, zone) -> None:
    channel = Channel.objects.create(
        zone=zone, name="督办平台", kind="webhook", url="json://127.0.0.1:9/hook"
    )
    admin = client_as("admin")

    confirm = admin.get(reverse("channels:delete", args=[channel.pk]))
    assert "确认删除" in confirm.content.decode()
    assert Channel.objects.filter(pk=channel.pk).exists()

    done = admin.post(reverse("channels:delete", args=[channel.pk]), follow=True)
    assert "渠道“督办平台”已删除" in done.content.decode()
    assert not Channel.objects.filter(pk=channel.pk).exists()


def test_the_switch_turns_a_channel_off_and_on(client_as, zone) -> None:
    channel = Channel.objects.create(
        zone=zone, name="督办平台", kind="webhook", url="json://127.0.0.1:9/hook"
    )
    admin = client_as("admin")

    admin.post(reverse("channels:active", args=[channel.pk]), {"active": "0"})
    channel.refresh_from_db()
    assert channel.is_active is False
    admin.post(reverse("channels:active", args=[channel.pk]), {"active": "1"})
    channel.refresh_from_db()
    assert channel.is_active is True


@pytest.mark.parametrize("role", ["leader", "officer", "department", "enterprise", "outsider"])
def test_nobody_but_an_administrator_sees_or_changes_a_channel(client_as, zone, role: str) -> None:
    channel = Channel.objects.create(
        zone=zone, name="督办平台", kind="wecom", url=f"wecombot://{WECOM_KEY}/"
    )
    client = client_as(role)

    assert client.get(reverse("channels:list")).status_code == 403
    assert client.get(reverse("channels:detail", args=[channel.pk])).status_code == 403
    edit = client.post(
        reverse("channels:edit", args=[channel.pk]), {"name": "改名", "webhook": WECOM_HOOK}
    )
    assert edit.status_code == 403
    assert client.post(reverse("channels:delete", args=[channel.pk])).status_code == 403
    channel.refresh_from_db()
    assert channel.name == "督办平台"


def test_the_list_shows_only_the_working_zones_channels(client_as, zone, other_zone, users) -> None:
    Channel.objects.create(zone=zone, name="本园区群", kind="webhook", url="json://127.0.0.1:9/a")
    Channel.objects.create(
        zone=other_zone, name="外园区群", kind="webhook", url="json://127.0.0.1:9/b"
    )
    admin = client_as("admin")
    admin.post(reverse("accounts:zone_switch"), {"zone_id": zone.pk})

    page = admin.get(reverse("channels:list")).content.decode()

    assert "本园区群" in page and "外园区群" not in page
