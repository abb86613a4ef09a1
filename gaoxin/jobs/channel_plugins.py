"""apprise's 企业微信 and 钉钉 bot plugins, reading the bot's answer.

Both services answer a refused message (a wrong or expired key, a 钉钉 keyword missing, a
message too long, too many messages a minute) with HTTP 200 and a JSON body such as
{"errcode": 93000, "errmsg": "invalid webhook url"}; the stock plugins look at the status alone
and count that as sent. These subclasses send exactly as the stock plugins do (their payload,
钉钉's 加签, their logging) by calling them, then read the answer: errcode 0 is sent, anything
else a failure logged as the plugins log theirs ("Failed to send WeCom Bot notification:
errcode 93000: invalid webhook url.").

The stock send() keeps its answer to itself, so the two plugin modules' `requests` is replaced,
once, by a stand-in whose post() is requests.post and also hands the answer to the send() below
that is waiting for it (a context variable: each thread its own; nobody else's call is touched).
"""

from __future__ import annotations

import contextvars
import json
from types import ModuleType
from typing import Any

import apprise
import requests
from apprise.common import NotifyType
from apprise.plugins import dingtalk, wecombot
from apprise.plugins.base import NotifyBase
from apprise.plugins.dingtalk import NotifyDingTalk
from apprise.plugins.wecombot import NotifyWeComBot

_answers: contextvars.ContextVar[list[requests.Response] | None] = contextvars.ContextVar(
    "gaoxin_bot_answers", default=None
)


class _KeepingAnswers:
    """`requests` as the plugin modules see it: the module itself, but post() also keeps its
    answer for the send() that asked for it."""

    def __getattr__(self, name: str) -> Any:
        return getattr(requests, name)

    def post(self, *args: Any, **kwargs: Any) -> requests.Response:
        response = requests.post(*args, **kwargs)
        kept = _answers.get()
        if kept is not None:
            kept.append(response)
        return response


def _keep_answers(module: ModuleType) -> None:
    if not isinstance(module.__dict__.get("requests"), _KeepingAnswers):
        module.__dict__["requests"] = _KeepingAnswers()


_keep_answers(wecombot)
_keep_answers(dingtalk)


def refusal(content: bytes) -> str:
    """Why the bot refused the message whose HTTP 200 answer is `content`; "" when it took it."""
    try:
        answer = json.loads(content)
    except ValueError:
        return f"the answer is not the bot's JSON: {content[:300]!r}"
    if not isinstance(answer, dict) or "errcode" not in answer:
        return f"the answer has no errcode: {content[:300]!r}"
    if str(answer["errcode"]) == "0":
        return ""
    return f"errcode {answer['errcode']}: {answer.get('errmsg', '')}"


class _ReadsErrcode(NotifyBase):  # type: ignore[no-untyped-call]
    """The stock send(), then the answer's errcode."""

    def send(
        self,
        body: str,
        title: str = "",
        notify_type: NotifyType = NotifyType.INFO,
        *args: Any,
        **kwargs: Any,
    ) -> bool:
        answers: list[requests.Response] = []
        token = _answers.set(answers)
        try:
            sent: bool = super().send(body, title, notify_type, *args, **kwargs)
        finally:
            _answers.reset(token)
        if not sent:  # the stock plugin logged why
            return False
        # No answer kept: an apprise that no longer posts through requests.post. Not "sent".
        why = refusal(answers[-1].content or b"") if answers else "its answer could not be read"
        if why:
            self.logger.warning(f"Failed to send {self.service_name} notification: {why}.")
            return False
        return True


class WeComBot(_ReadsErrcode, NotifyWeComBot):  # type: ignore[no-untyped-call]
    """A 企业微信 group bot (wecombot://KEY/)."""


class DingTalk(_ReadsErrcode, NotifyDingTalk):  # type: ignore[no-untyped-call]
    """A 钉钉 robot (dingtalk://[SECRET@]TOKEN/)."""


# The apprise schemes these plugins send for, and the plugin that does.
BY_SCHEME: dict[str, type[NotifyBase]] = {
    NotifyWeComBot.secure_protocol: WeComBot,
    NotifyDingTalk.secure_protocol: DingTalk,
}


def instantiate(url: str) -> NotifyBase | None:
    """The plugin for an apprise URL, as apprise.Apprise.instantiate builds it, but one of the
    plugins above for a 企业微信 or 钉钉 bot; None when the URL cannot be used."""
    scheme = url.partition("://")[0].lower()
    plugin_class = BY_SCHEME.get(scheme)
    if plugin_class is None:
        plugin: NotifyBase | None = apprise.Apprise.instantiate(url)
        return plugin
    results = plugin_class.parse_url(url)
    if not results:
        return None
    try:
        return plugin_class(**results)
    except Exception:  # apprise's own instantiate turns a refused key into None too
        return None
