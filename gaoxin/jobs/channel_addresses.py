"""A channel's address: what an official has (the bot's webhook URL as 企业微信 or 钉钉 shows it,
a mailbox's SMTP settings, a webhook URL) turned into the apprise URL that is stored, read back
for the edit form, and shown with its secret masked.

The stored URL is built here and only here, so reading it back needs no more than urllib."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

WECOM_WEBHOOK = re.compile(
    r"^https?://qyapi\.weixin\.qq\.com/cgi-bin/webhook/send/?\?(?:.*&)?key=(?P<key>[A-Za-z0-9_-]+)",
    re.I,
)
DINGTALK_WEBHOOK = re.compile(
    r"^https?://oapi\.dingtalk\.com/robot/send/?\?(?:.*&)?access_token=(?P<token>[A-Za-z0-9]+)",
    re.I,
)
BOT_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
DINGTALK_TOKEN = re.compile(r"^[A-Za-z0-9]+$")

# How an SMTP connection is secured, as apprise's `mode=` names it.
SMTP_STARTTLS = "starttls"
SMTP_SSL = "ssl"
SMTP_PLAIN = "insecure"
SMTP_MODES = (SMTP_STARTTLS, SMTP_SSL, SMTP_PLAIN)
SMTP_DEFAULT_PORTS = {SMTP_STARTTLS: 587, SMTP_SSL: 465, SMTP_PLAIN: 25}


def wecom_key(text: str) -> str | None:
    """The bot's key from the webhook URL 企业微信 shows (or the key alone); None when it is
    neither."""
    text = text.strip()
    match = WECOM_WEBHOOK.match(text)
    if match:
        return match.group("key")
    if text.startswith("wecombot://"):
        text = text.removeprefix("wecombot://").strip("/")
    return text if BOT_KEY.match(text) else None


def dingtalk_token(text: str) -> str | None:
    """The robot's access_token from the webhook URL 钉钉 shows (or the token alone)."""
    text = text.strip()
    match = DINGTALK_WEBHOOK.match(text)
    if match:
        return match.group("token")
    return text if DINGTALK_TOKEN.match(text) else None


def wecom_url(key: str) -> str:
    return f"wecombot://{key}/"


def dingtalk_url(token: str, secret: str = "") -> str:
    return f"dingtalk://{secret}@{token}/" if secret else f"dingtalk://{token}/"


@dataclass
class Mailbox:
    """An SMTP server and the message's sender and recipients."""

    host: str
    port: int
    user: str = ""
    password: str = ""
    sender: str = ""
    recipients: list[str] = field(default_factory=list)
    mode: str = SMTP_STARTTLS


def email_url(box: Mailbox) -> str:
    scheme = "mailto" if box.mode == SMTP_PLAIN else "mailtos"
    login = ""
    if box.user:
        login = quote(box.user, safe="")
        if box.password:
            login += ":" + quote(box.password, safe="")
        login += "@"
    query = urlencode(
        {
            "smtp": box.host,
            "from": box.sender,
            "to": ",".join(box.recipients),
            "mode": box.mode,
        }
    )
    return f"{scheme}://{login}{box.host}:{box.port}/?{query}"


def email_settings(url: str) -> Mailbox:
    """The mailbox of an address built by `email_url`."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    mode = query.get("mode", SMTP_STARTTLS)
    return Mailbox(
        host=query.get("smtp") or parts.hostname or "",
        port=parts.port or SMTP_DEFAULT_PORTS.get(mode, 587),
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        sender=query.get("from", ""),
        recipients=[to for to in query.get("to", "").split(",") if to],
        mode=mode,
    )


def webhook_url(text: str) -> str | None:
    """The apprise address of a JSON webhook (http:// or https://); its query's parameters are
    kept as apprise's `-name=value` (sent back on the query string). None for anything else."""
    parts = urlsplit(text.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    scheme = "jsons" if parts.scheme == "https" else "json"
    query = urlencode([(f"-{name}", value) for name, value in parse_qsl(parts.query)])
    return f"{scheme}://{parts.netloc}{parts.path or '/'}" + (f"?{query}" if query else "")


def webhook_plain(url: str) -> str:
    """The http(s) URL an address of `webhook_url` posts to."""
    parts = urlsplit(url)
    scheme = "https" if parts.scheme == "jsons" else "http"
    query = urlencode([(name.removeprefix("-"), value) for name, value in parse_qsl(parts.query)])
    return f"{scheme}://{parts.netloc}{parts.path}" + (f"?{query}" if query else "")


def bot_token(url: str) -> str:
    """The key or token of a bot's address, as written (urlsplit lowercases a hostname)."""
    return urlsplit(url).netloc.rpartition("@")[2]


def bot_secret(url: str) -> str:
    """The signing secret of a 钉钉 robot's address ("" without one)."""
    return unquote(urlsplit(url).username or "")


def tail(secret: str) -> str:
    """The last characters of a secret, enough for an admin to tell two apart."""
    return f"••••{secret[-4:]}" if len(secret) > 8 else "••••"


def secrets_of(url: str) -> list[str]:
    """The parts of an address that must not be shown: keys, tokens, passwords, query values."""
    parts = urlsplit(url)
    found = [parts.password or "", unquote(parts.password or "")]
    if parts.scheme in ("wecombot", "dingtalk"):
        found += [bot_token(url), parts.username or ""]
    if parts.scheme in ("json", "jsons"):
        found += [parts.username or ""]
        found += [value for _name, value in parse_qsl(parts.query)]
    return sorted({s for s in found if len(s) >= 3}, key=len, reverse=True)


def redact(text: str, url: str) -> str:
    """`text` (an error apprise logged) without the address's secrets."""
    for secret in secrets_of(url):
        text = text.replace(secret, "••••")
    return re.sub(r"(key|access_token|token|sign|secret)=[^&\s'\"]+", r"\1=••••", text)


def masked(url: str) -> str:
    """The address as the channel list shows it: where it goes, never the whole secret."""
    parts = urlsplit(url)
    scheme = parts.scheme
    if scheme == "wecombot":
        return f"qyapi.weixin.qq.com · key {tail(bot_token(url))}"
    if scheme == "dingtalk":
        token = bot_token(url)
        signed = " · SEC••••" if parts.username else ""
        return f"oapi.dingtalk.com · access_token {tail(token)}{signed}"
    if scheme in ("mailto", "mailtos"):
        box = email_settings(url)
        login = f"{box.user}@" if box.user else ""
        return f"{login}{box.host}:{box.port} → {', '.join(box.recipients)}"
    if scheme in ("json", "jsons"):
        plain = urlsplit(webhook_plain(url))
        host = plain.hostname or ""
        port = f":{plain.port}" if plain.port else ""
        query = "&".join(f"{name}=••••" for name, _value in parse_qsl(plain.query))
        return f"{plain.scheme}://{host}{port}{plain.path}" + (f"?{query}" if query else "")
    return f"{scheme}://••••"
