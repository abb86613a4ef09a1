"""A channel's address: built from what an official pastes, read back for the edit form, and
shown with its secret masked."""

from __future__ import annotations

import dataclasses

import apprise
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gaoxin.jobs import channel_addresses as addresses


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a-91f6_7b2c", "693a-91f6_7b2c"),
        ("  https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc123  ", "abc123"),
        ("http://qyapi.weixin.qq.com/cgi-bin/webhook/send?debug=1&key=abc123", "abc123"),
        ("abc123", "abc123"),
        ("https://oapi.dingtalk.com/robot/send?access_token=abc123", None),
        ("https://evil.example/cgi-bin/webhook/send?key=abc123", None),
        ("key=abc 123", None),
    ],
)
def test_wecom_key_is_read_from_the_webhook_address(text: str, key: str | None) -> None:
    assert addresses.wecom_key(text) == key


@pytest.mark.parametrize(
    ("text", "token"),
    [
        ("https://oapi.dingtalk.com/robot/send?access_token=5a2b0cd7e1f0", "5a2b0cd7e1f0"),
        ("5a2b0cd7e1f0", "5a2b0cd7e1f0"),
        ("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc", None),
        ("https://oapi.dingtalk.com/robot/send?access_token=", None),
    ],
)
def test_dingtalk_token_is_read_from_the_webhook_address(text: str, token: str | None) -> None:
    assert addresses.dingtalk_token(text) == token


def test_every_kind_builds_an_address_apprise_accepts() -> None:
    built = [
        addresses.wecom_url("abc123"),
        addresses.dingtalk_url("abc123", "SECabc"),
        addresses.email_url(
            addresses.Mailbox(
                host="smtp.qq.com",
                port=465,
                user="a@qq.com",
                password="x:y/z",
                sender="a@qq.com",
                recipients=["b@qq.com"],
                mode="ssl",
            )
        ),
        addresses.webhook_url("https://hooks.zone.gov.cn/notify?token=s3cr3t"),
    ]
    for url in built:
        assert url and apprise.Apprise().add(url), url


def test_a_webhooks_query_is_kept_and_masked() -> None:
    url = addresses.webhook_url("https://hooks.zone.gov.cn/notify?token=s3cr3t")
    assert url == "jsons://hooks.zone.gov.cn/notify?-token=s3cr3t"
    assert addresses.webhook_plain(url) == "https://hooks.zone.gov.cn/notify?token=s3cr3t"
    assert addresses.masked(url) == "https://hooks.zone.gov.cn/notify?token=••••"


text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(user=text, password=text, recipients=st.lists(st.emails(), min_size=1, max_size=3))
def test_a_mailbox_reads_back_as_it_was_saved_and_never_shows_its_password(
    user: str, password: str, recipients: list[str]
) -> None:
    box = addresses.Mailbox(
        host="smtp.zone.gov.cn",
        port=465,
        user=user,
        password=password if user else "",
        sender="duban@zone.gov.cn",
        recipients=recipients,
        mode=addresses.SMTP_SSL,
    )
    url = addresses.email_url(box)

    assert addresses.email_settings(url) == box
    # What the list shows does not depend on the password at all.
    other = addresses.email_url(dataclasses.replace(box, password="another-one"))
    assert addresses.masked(url) == addresses.masked(other)


@settings(deadline=None)
@given(key=st.from_regex(r"[A-Za-z0-9_-]{12,40}", fullmatch=True))
def test_a_bots_key_is_never_shown_whole(key: str) -> None:
    url = addresses.wecom_url(key)
    assert key not in addresses.masked(url)
    assert key not in addresses.redact(f"Socket Exception: /send?key={key} refused", url)
