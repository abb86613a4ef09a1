"""The zone's digest reaches each channel once a day, through apprise, to a local HTTP receiver
and a local SMTP sink; a failing channel is retried, recorded and never stops the others."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest
from apprise.plugins.dingtalk import NotifyDingTalk
from apprise.plugins.wecombot import NotifyWeComBot
from django.utils import timezone

from gaoxin.jobs import channel_addresses as addresses
from gaoxin.jobs import channels
from gaoxin.jobs.models import Channel, Delivery
from tests.jobs.channel_fixtures import HttpReceiver, SmtpSink, free_port

DAY = dt.date(2026, 11, 30)
TITLE = "督办提醒 2026-11-30：3项逾期"
BODY = "难点堵点逾期：供电线路未接入（逾期3天）\n审批即将到期：施工许可证（明天）"


@pytest.fixture(autouse=True)
def _retry_at_once(settings: Any) -> None:
    settings.GAOXIN_CHANNEL_RETRY_DELAYS = [0, 0]


def make_channel(zone: Any, name: str, kind: str, url: str, **extra: Any) -> Channel:
    return Channel.objects.create(zone=zone, name=name, kind=kind, url=url, **extra)


def webhook(
    zone: Any, receiver: HttpReceiver, name: str = "督办平台", path: str = "/hook"
) -> Channel:
    url = addresses.webhook_url(receiver.url(path))
    assert url is not None
    return make_channel(zone, name, Channel.Kind.WEBHOOK, url)


def closed_port_webhook(zone: Any, name: str = "已停用的平台") -> Channel:
    url = addresses.webhook_url(f"http://127.0.0.1:{free_port()}/gone")
    assert url is not None
    return make_channel(zone, name, Channel.Kind.WEBHOOK, url)


def test_json_webhook_gets_the_digest_once_a_day(zone, http_receiver: HttpReceiver) -> None:
    channel = webhook(zone, http_receiver)

    first = channels.send_digest(zone=zone, day=DAY, title=TITLE, body=BODY)
    again = channels.send_digest(zone=zone, day=DAY, title=TITLE, body=BODY)

    assert len(http_receiver.requests) == 1
    payload = http_receiver.requests[0].json()
    assert payload["title"] == TITLE
    assert payload["message"] == BODY
    assert [d.status for d in first] == [Delivery.Status.SENT] and again == []
    delivery = Delivery.objects.get(channel=channel, day=DAY, purpose=Delivery.Purpose.DIGEST)
    assert (delivery.status, delivery.attempts, delivery.error) == ("sent", 1, "")
    assert delivery.sent_at is not None
    channel.refresh_from_db()
    assert channel.last_ok_at == delivery.sent_at and channel.last_error == ""

    channels.send_digest(zone=zone, day=DAY + dt.timedelta(days=1), title=TITLE, body=BODY)
    assert len(http_receiver.requests) == 2


def test_wecom_bot_gets_a_text_message_with_the_digest(
    zone, http_receiver: HttpReceiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        NotifyWeComBot,
        "notify_url",
        f"http://127.0.0.1:{http_receiver.port}/cgi-bin/webhook/send?key={{key}}",
    )
    key = addresses.wecom_key(
        "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
    )
    assert key == "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
    make_channel(zone, "督办工作群", Channel.Kind.WECOM, addresses.wecom_url(key))

    channels.send_digest(zone=zone, day=DAY, title=TITLE, body=BODY)
    channels.send_digest(zone=zone, day=DAY, title=TITLE, body=BODY)

    [request] = http_receiver.requests
    assert request.path == f"/cgi-bin/webhook/send?key={key}"
    payload = request.json()
    assert payload["msgtype"] == "text"
    assert TITLE in payload["text"]["content"] and BODY in payload["text"]["content"]
    # The bot answered {"errcode":0,"errmsg":"ok"}: delivered.
    assert Delivery.objects.get(purpose=Delivery.Purpose.DIGEST).status == Delivery.Status.SENT


def test_dingtalk_robot_gets_a_signed_text_message_with_the_digest(
    zone, http_receiver: HttpReceiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        NotifyDingTalk,
        "notify_url",
        f"http://127.0.0.1:{http_receiver.port}/robot/send?access_token={{token}}",
    )
    token = addresses.dingtalk_token(
        "https://oapi.dingtalk.com/robot/send?access_token=5a2b0cd7e1f04e3a9b8c"
    )
    assert token == "5a2b0cd7e1f04e3a9b8c"
    url = addresses.dingtalk_url(token, "SECa1b2c3d4e5f6")
    make_channel(zone, "钉钉督办群", Channel.Kind.DINGTALK, url)

    channels.send_digest(zone=zone, day=DAY, title=TITLE, body=BODY)
    channels.send_digest(zone=zone, day=DAY, title=TITLE, body=BODY)

    [request] = http_receiver.requests
    assert request.path.startswith(f"/robot/send?access_token={token}&")
    assert "timestamp=" in request.path and "sign=" in request.path  # 加签
    payload = request.json()
    assert payload["msgtype"] == "text"
    assert payload["text"]["content"] == f"{TITLE}\r\n{BODY}"
    assert Delivery.objects.get(purpose=Delivery.Purpose.DIGEST).status == Delivery.Status.SENT


def test_email_arrives_once_with_its_chinese_subject(zone, smtp_sink: SmtpSink) -> None:
    url = addresses.email_url(
        addresses.Mailbox(
            host="127.0.0.1",
            port=smtp_sink.port,
            user="duban@zone.gov.cn",
            password="p@ss/word:1",
            sender="duban@zone.gov.cn",
            recipients=["leader@zone.gov.cn", "officer@zone.gov.cn"],
            mode=addresses.SMTP_PLAIN,
        )
    )
    channel = make_channel(zone, "督办邮箱", Channel.Kind.EMAIL, url)

    channels.send_digest(zone=zone, day=DAY, title=TITLE, body=BODY)
    channels.send_digest(zone=zone, day=DAY, title=TITLE, body=BODY)

    # apprise sends each recipient a message of their own: one each, once.
    assert sorted(rcpt for _sender, tos in smtp_sink.envelopes for rcpt in tos) == [
        "leader@zone.gov.cn",
        "officer@zone.gov.cn",
    ]
    for message, (mail_from, _tos) in zip(smtp_sink.messages, smtp_sink.envelopes, strict=True):
        assert message["Subject"] == TITLE
        assert mail_from == "duban@zone.gov.cn"
        text = message.get_body(preferencelist=("plain", "html"))
        assert text is not None
        assert "供电线路未接入" in text.get_content()
    assert set(smtp_sink.logins) == {("duban@zone.gov.cn", "p@ss/word:1")}
    assert Delivery.objects.get(channel=channel).status == Delivery.Status.SENT


def test_a_failing_channel_is_retried_recorded_and_does_not_stop_the_others(
    zone, http_receiver: HttpReceiver, caplog: pytest.LogCaptureFixture
) -> None:
    http_receiver.failing = {"/broken"}
    broken = webhook(zone, http_receiver, name="A 坏掉的平台", path="/broken")
    refused = closed_port_webhook(zone, name="B 已停用的平台")
    sound = webhook(zone, http_receiver, name="C 督办平台", path="/hook")

    with caplog.at_level(logging.WARNING, logger="gaoxin.jobs.channels"):
        deliveries = channels.send_digest(zone=zone, day=DAY, title=TITLE, body=BODY)

    by_channel = {d.channel_id: d for d in deliveries}
    assert len(http_receiver.on("/broken")) == 2, "tried as many times as there are waits"
    assert by_channel[broken.pk].status == "failed" and by_channel[broken.pk].attempts == 2
    assert "500" in by_channel[broken.pk].error
    assert by_channel[refused.pk].status == "failed" and by_channel[refused.pk].attempts == 2
    assert "Connection refused" in by_channel[refused.pk].error
    assert by_channel[sound.pk].status == "sent"
    assert len(http_receiver.on("/hook")) == 1
    broken.refresh_from_db()
    assert "500" in broken.last_error and broken.last_error_at is not None
    assert broken.last_ok_at is None
    logged = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any(f"channel {broken.pk} " in m and "500" in m for m in logged)
    assert any(f"channel {refused.pk} " in m and "Connection refused" in m for m in logged)


def test_a_failed_digest_is_tried_again_later_that_day_and_then_never_again(
    zone, http_receiver: HttpReceiver
) -> None:
    http_receiver.failing = {"/hook"}
    channel = webhook(zone, http_receiver)
    channels.send_digest(zone=zone, day=DAY, title=TITLE, body=BODY)
    http_receiver.failing = set()

    [retried] = channels.send_digest(zone=zone, day=DAY, title=TITLE, body=BODY)
    channels.send_digest(zone=zone, day=DAY, title=TITLE, body=BODY)

    assert [r.path for r in http_receiver.requests] == ["/hook"] * 3  # 2 failed, 1 went
    assert Delivery.objects.filter(channel=channel).count() == 1
    assert (retried.status, retried.attempts, retried.error) == ("sent", 3, "")
    channel.refresh_from_db()
    assert channel.last_ok_at is not None and channel.last_ok_at > channel.last_error_at


def test_an_exception_for_one_channel_does_not_stop_the_others(
    zone, http_receiver: HttpReceiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = webhook(zone, http_receiver, name="A 出错的平台", path="/a")
    second = webhook(zone, http_receiver, name="B 督办平台", path="/b")
    claim = channels._claim_digest

    def broken_claim(channel: Channel, *args: Any) -> Delivery | None:
        if channel.pk == first.pk:
            raise RuntimeError("database hiccup")
        return claim(channel, *args)

    monkeypatch.setattr(channels, "_claim_digest", broken_claim)
    deliveries = channels.send_digest(zone=zone, day=DAY, title=TITLE, body=BODY)

    assert [d.channel_id for d in deliveries] == [second.pk]
    assert [r.path for r in http_receiver.requests] == ["/b"]


def test_a_plugin_that_raises_is_a_failure_with_its_reason(
    zone, http_receiver: HttpReceiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    channel = webhook(zone, http_receiver)

    def explode(*args: Any, **kwargs: Any) -> None:
        raise ValueError("plugin bug")

    monkeypatch.setattr("apprise.Apprise.notify", explode)
    [delivery] = channels.send_digest(zone=zone, day=DAY, title=TITLE, body=BODY)

    assert delivery.status == "failed" and "ValueError: plugin bug" in delivery.error
    assert delivery.channel_id == channel.pk


def test_inactive_channels_and_other_zones_get_nothing(
    zone, other_zone, http_receiver: HttpReceiver
) -> None:
    url = addresses.webhook_url(http_receiver.url("/off"))
    assert url
    make_channel(zone, "停用", Channel.Kind.WEBHOOK, url, is_active=False)
    webhook(other_zone, http_receiver, path="/away")

    assert channels.send_digest(zone=zone, day=DAY, title=TITLE, body=BODY) == []
    assert http_receiver.requests == []


def test_a_digest_another_run_is_sending_is_left_to_it(zone, http_receiver: HttpReceiver) -> None:
    channel = webhook(zone, http_receiver)
    # Another run took the day's row a moment ago and has not finished.
    Delivery.objects.create(
        channel=channel,
        day=DAY,
        purpose=Delivery.Purpose.DIGEST,
        status=Delivery.Status.FAILED,
        sent_at=timezone.now(),
    )
    assert channels.send_digest(zone=zone, day=DAY, title=TITLE, body=BODY) == []
    assert http_receiver.requests == []

    # Its sender was killed long ago: this run takes it over.
    Delivery.objects.filter(channel=channel).update(sent_at=timezone.now() - dt.timedelta(hours=2))
    [delivery] = channels.send_digest(zone=zone, day=DAY, title=TITLE, body=BODY)
    assert delivery.status == "sent" and len(http_receiver.requests) == 1


def test_the_error_never_shows_the_bots_key(zone, monkeypatch: pytest.MonkeyPatch) -> None:
    port = free_port()
    monkeypatch.setattr(
        NotifyWeComBot, "notify_url", f"http://127.0.0.1:{port}/cgi-bin/webhook/send?key={{key}}"
    )
    key = "secretkey-0123456789abcdef"
    make_channel(zone, "企业微信群", Channel.Kind.WECOM, addresses.wecom_url(key))

    [delivery] = channels.send_digest(zone=zone, day=DAY, title=TITLE, body=BODY)

    assert delivery.status == "failed" and "Connection refused" in delivery.error
    assert key not in delivery.error


def test_send_test_records_a_test_delivery(zone, http_receiver: HttpReceiver) -> None:
    channel = webhook(zone, http_receiver)

    delivery = channels.send_test(channel=channel)

    assert (delivery.purpose, delivery.status, delivery.attempts) == ("test", "sent", 1)
    [request] = http_receiver.requests
    assert channel.name in request.json()["message"]
    # A test is not the day's digest: the digest still goes.
    channels.send_digest(zone=zone, day=timezone.localdate(), title=TITLE, body=BODY)
    assert len(http_receiver.requests) == 2


def test_send_test_to_a_closed_port_says_why(zone) -> None:
    channel = closed_port_webhook(zone)

    delivery = channels.send_test(channel=channel)

    assert delivery.status == "failed" and delivery.attempts == 1
    assert "Connection refused" in delivery.error
    channel.refresh_from_db()
    assert channel.last_error == delivery.error


def test_a_long_digest_is_cut_to_what_a_wecom_bot_takes(
    zone, http_receiver: HttpReceiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        NotifyWeComBot,
        "notify_url",
        f"http://127.0.0.1:{http_receiver.port}/cgi-bin/webhook/send?key={{key}}",
    )
    channel = make_channel(zone, "督办工作群", Channel.Kind.WECOM, addresses.wecom_url("abc123"))
    lines = [f"难点堵点逾期：第{n}号项目供电线路未接入（逾期{n}天）" for n in range(200)]
    body = "\n".join(lines)

    channels.send_digest(zone=zone, day=DAY, title=TITLE, body=body)

    content = http_receiver.requests[0].json()["text"]["content"]
    assert len(content.encode()) <= 2048
    assert lines[0] in content and lines[-1] not in content
    assert content.endswith("……更多事项请登录平台查看。")
    assert Delivery.objects.get(channel=channel).body == body  # the record keeps it whole


# --- A bot that answers HTTP 200 with an errcode refused the message ---------------------------


def wecom_at(receiver: HttpReceiver, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        NotifyWeComBot,
        "notify_url",
        f"http://127.0.0.1:{receiver.port}/cgi-bin/webhook/send?key={{key}}",
    )


def test_a_wecom_bot_refusing_with_an_errcode_is_a_failed_delivery(
    zone,
    http_receiver: HttpReceiver,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    wecom_at(http_receiver, monkeypatch)
    http_receiver.answer = b'{"errcode":93000,"errmsg":"invalid webhook url"}'
    key = "expired-0123456789abcdef"
    bot = make_channel(zone, "A 督办工作群", Channel.Kind.WECOM, addresses.wecom_url(key))
    platform = webhook(zone, http_receiver, name="B 督办平台", path="/hook")

    with caplog.at_level(logging.WARNING, logger="gaoxin.jobs.channels"):
        deliveries = channels.send_digest(zone=zone, day=DAY, title=TITLE, body=BODY)

    by_channel = {d.channel_id: d for d in deliveries}
    assert len(http_receiver.on("/cgi-bin/webhook/send")) == 2, "retried"
    failed = by_channel[bot.pk]
    assert (failed.status, failed.attempts) == ("failed", 2)
    assert "errcode 93000: invalid webhook url" in failed.error
    assert key not in failed.error
    bot.refresh_from_db()
    assert bot.last_error == failed.error and bot.last_error_at is not None
    assert bot.last_ok_at is None
    logged = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any(f"channel {bot.pk} " in m and "errcode 93000" in m for m in logged)
    # The webhook beside it (a plain 200 is its success) still got the digest.
    assert by_channel[platform.pk].status == "sent"
    assert len(http_receiver.on("/hook")) == 1

    # The key put right: the next run the same day delivers it, once.
    http_receiver.answer = b'{"errcode":0,"errmsg":"ok"}'
    [retried] = channels.send_digest(zone=zone, day=DAY, title=TITLE, body=BODY)
    assert (retried.channel_id, retried.status, retried.attempts) == (bot.pk, "sent", 3)
    assert channels.send_digest(zone=zone, day=DAY, title=TITLE, body=BODY) == []
    assert len(http_receiver.on("/cgi-bin/webhook/send")) == 3


def test_a_dingtalk_robot_refusing_for_its_keyword_is_a_failed_delivery(
    zone, http_receiver: HttpReceiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        NotifyDingTalk,
        "notify_url",
        f"http://127.0.0.1:{http_receiver.port}/robot/send?access_token={{token}}",
    )
    http_receiver.answer = b'{"errcode":310000,"errmsg":"keywords not in content"}'
    url = addresses.dingtalk_url("5a2b0cd7e1f04e3a9b8c", "SECa1b2c3d4e5f6")
    robot = make_channel(zone, "钉钉督办群", Channel.Kind.DINGTALK, url)

    [delivery] = channels.send_digest(zone=zone, day=DAY, title=TITLE, body=BODY)

    assert (delivery.status, delivery.attempts) == ("failed", 2)
    assert "errcode 310000: keywords not in content" in delivery.error
    assert all("sign=" in r.path for r in http_receiver.requests)  # still signed (加签)
    robot.refresh_from_db()
    assert "errcode 310000" in robot.last_error


def test_a_bots_answer_that_is_not_its_json_is_not_taken_for_delivered(
    zone, http_receiver: HttpReceiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A proxy or a captive portal answering in the bot's place.
    wecom_at(http_receiver, monkeypatch)
    http_receiver.answer = b"<html>login required</html>"
    make_channel(zone, "督办工作群", Channel.Kind.WECOM, addresses.wecom_url("abc123"))

    [delivery] = channels.send_digest(zone=zone, day=DAY, title=TITLE, body=BODY)

    assert delivery.status == "failed" and "not the bot's JSON" in delivery.error
    assert "login required" in delivery.error


def test_send_test_to_a_bot_refusing_with_an_errcode_says_so(
    zone, http_receiver: HttpReceiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    wecom_at(http_receiver, monkeypatch)
    http_receiver.answer = b'{"errcode":93000,"errmsg":"invalid webhook url"}'
    channel = make_channel(zone, "督办工作群", Channel.Kind.WECOM, addresses.wecom_url("abc123"))

    delivery = channels.send_test(channel=channel)

    assert (delivery.status, delivery.attempts) == ("failed", 1)
    assert "errcode 93000: invalid webhook url" in delivery.error
    channel.refresh_from_db()
    assert channel.last_error == delivery.error


def test_a_bots_answer_that_cannot_be_read_is_not_taken_for_delivered(
    zone, http_receiver: HttpReceiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An apprise whose plugin no longer posts through the requests it sees: the answer is
    # not kept, and "sent" would be a guess.
    import requests
    from apprise.plugins import wecombot

    wecom_at(http_receiver, monkeypatch)
    monkeypatch.setattr(wecombot, "requests", requests)
    make_channel(zone, "督办工作群", Channel.Kind.WECOM, addresses.wecom_url("abc123"))

    [delivery] = channels.send_digest(zone=zone, day=DAY, title=TITLE, body=BODY)

    assert delivery.status == "failed" and "could not be read" in delivery.error
