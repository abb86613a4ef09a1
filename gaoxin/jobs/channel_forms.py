"""The forms of a channel, one per kind, asking what an official has at hand: the webhook URL
企业微信 or 钉钉 shows for a group bot, a mailbox's SMTP settings, a webhook's URL. Each turns
its answers into the apprise address (channel_addresses.py) and refuses one apprise cannot use.

A saved secret (the bot's URL, a password) is never put back in the page: its field is left
empty on edit, and left empty it keeps the saved one."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from gaoxin.jobs import channel_addresses as addresses
from gaoxin.jobs.channels import address_accepted
from gaoxin.jobs.models import Channel

KEEP_HELP = _("Saved: %(tail)s. Leave empty to keep it.")


class ChannelForm(forms.Form):
    """What every kind asks: a name, and on edit whether the channel is on."""

    kind: str = ""
    secret_fields: tuple[str, ...] = ()

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("How the zone's admins know it, e.g. 督办工作群."),
    )

    def __init__(
        self,
        *args: Any,
        channel: Channel | None = None,
        zones: list[Any] | None = None,
        **kwargs: Any,
    ) -> None:
        self.channel = channel
        if channel is not None:
            kwargs.setdefault("initial", {}).update(self.initial_from(channel))
        super().__init__(*args, **kwargs)
        if channel is None:
            # A new channel's zone: one of the admin's, the working one first.
            self.fields["zone"] = forms.TypedChoiceField(
                label=_("Zone"), coerce=int, choices=[(z.pk, str(z)) for z in zones or []]
            )
            self.order_fields(["zone", "name"])
        if channel is not None:
            self.fields["is_active"] = forms.BooleanField(
                label=_("Active: gets the daily digest"), required=False
            )
            for name in self.secret_fields:
                self.fields[name].required = False
                self.fields[name].help_text = KEEP_HELP % {"tail": self.saved_tail(channel)}

    def initial_from(self, channel: Channel) -> dict[str, Any]:
        return {"name": channel.name, "is_active": channel.is_active}

    def saved_tail(self, channel: Channel) -> str:
        return addresses.masked(channel.url)

    def address(self) -> str:
        """The apprise address of the cleaned answers (a kept secret from the saved one)."""
        raise NotImplementedError

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors:
            url = self.address()
            if not address_accepted(url):
                raise forms.ValidationError(
                    _("This address cannot be used: check that it was copied whole."),
                    code="refused",
                )
            cleaned["url"] = url
        return cleaned


class WeComForm(ChannelForm):
    kind = Channel.Kind.WECOM
    secret_fields = ("webhook",)

    webhook = forms.CharField(
        label=_("Webhook address of the group bot"),
        max_length=500,
        widget=forms.TextInput(
            attrs={
                "placeholder": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…",
                "autocomplete": "off",
            }
        ),
        help_text=_(
            "In the WeCom group: ⋯ → Group bots → the bot → copy its webhook address, and "
            "paste it whole."
        ),
    )

    def clean_webhook(self) -> str:
        text: str = self.cleaned_data["webhook"].strip()
        if not text and self.channel is not None:
            return ""
        if addresses.wecom_key(text) is None:
            raise forms.ValidationError(
                _(
                    "This is not a WeCom bot's webhook address: it should look like "
                    "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…"
                ),
                code="not_wecom",
            )
        return text

    def address(self) -> str:
        text = self.cleaned_data["webhook"]
        if not text and self.channel is not None:
            return self.channel.url
        return addresses.wecom_url(addresses.wecom_key(text) or "")


class DingTalkForm(ChannelForm):
    kind = Channel.Kind.DINGTALK
    secret_fields = ("webhook", "secret")

    webhook = forms.CharField(
        label=_("Webhook address of the robot"),
        max_length=500,
        widget=forms.TextInput(
            attrs={
                "placeholder": "https://oapi.dingtalk.com/robot/send?access_token=…",
                "autocomplete": "off",
            }
        ),
        help_text=_(
            "In the DingTalk group: settings → robots → the custom robot → copy its webhook "
            "address, and paste it whole."
        ),
    )
    secret = forms.CharField(
        label=_("Signing secret (加签)"),
        max_length=200,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "placeholder": "SEC…"}),
        help_text=_(
            "Only if the robot's security setting is 加签: the secret starting with SEC. "
            "With 自定义关键词 instead, the digest's title must hold the keyword."
        ),
    )

    def clean_webhook(self) -> str:
        text: str = self.cleaned_data["webhook"].strip()
        if not text and self.channel is not None:
            return ""
        if addresses.dingtalk_token(text) is None:
            raise forms.ValidationError(
                _(
                    "This is not a DingTalk robot's webhook address: it should look like "
                    "https://oapi.dingtalk.com/robot/send?access_token=…"
                ),
                code="not_dingtalk",
            )
        return text

    def clean_secret(self) -> str:
        text: str = self.cleaned_data["secret"].strip()
        if text and not addresses.DINGTALK_TOKEN.match(text):
            raise forms.ValidationError(
                _("The signing secret has only letters and digits, e.g. SEC1a2b…"),
                code="bad_secret",
            )
        return text

    def address(self) -> str:
        saved = self.channel.url if self.channel is not None else ""
        text = self.cleaned_data["webhook"]
        token = addresses.dingtalk_token(text) if text else addresses.bot_token(saved)
        secret = self.cleaned_data["secret"] or (addresses.bot_secret(saved) if saved else "")
        return addresses.dingtalk_url(token or "", secret)


def split_addresses(text: str) -> list[str]:
    return [part for part in re.split(r"[\s,;，；、]+", text) if part]


class EmailForm(ChannelForm):
    kind = Channel.Kind.EMAIL
    secret_fields = ("password",)

    host = forms.CharField(
        label=_("SMTP server"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "smtp.example.gov.cn"}),
    )
    port = forms.IntegerField(
        label=_("Port"),
        min_value=1,
        max_value=65535,
        required=False,
        help_text=_("Empty: 587 with STARTTLS, 465 with SSL, 25 without encryption."),
    )
    security = forms.ChoiceField(
        label=_("Encryption"),
        choices=[
            (addresses.SMTP_STARTTLS, "STARTTLS"),
            (addresses.SMTP_SSL, "SSL/TLS"),
            (addresses.SMTP_PLAIN, _("None (only inside a trusted network)")),
        ],
        initial=addresses.SMTP_STARTTLS,
    )
    user = forms.CharField(label=_("User name"), max_length=200, required=False)
    password = forms.CharField(
        label=_("Password or authorisation code"),
        max_length=200,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    sender = forms.EmailField(label=_("From"), max_length=200)
    recipients = forms.CharField(
        label=_("To"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One or more addresses, separated by commas or new lines."),
    )

    def initial_from(self, channel: Channel) -> dict[str, Any]:
        box = addresses.email_settings(channel.url)
        return {
            **super().initial_from(channel),
            "host": box.host,
            "port": box.port,
            "security": box.mode,
            "user": box.user,
            "sender": box.sender,
            "recipients": "\n".join(box.recipients),
        }

    def saved_tail(self, channel: Channel) -> str:
        return "••••" if addresses.email_settings(channel.url).password else str(_("none"))

    def clean_host(self) -> str:
        host: str = self.cleaned_data["host"].strip()
        if not re.fullmatch(r"[A-Za-z0-9.-]+", host):
            raise forms.ValidationError(
                _("Give the server's name, e.g. smtp.example.gov.cn, without http:// or a port."),
                code="bad_host",
            )
        return host

    def clean_recipients(self) -> list[str]:
        found = split_addresses(self.cleaned_data["recipients"])
        bad = []
        for address in found:
            try:
                validate_email(address)
            except forms.ValidationError:
                bad.append(address)
        if bad:
            raise forms.ValidationError(
                _("Not an email address: %(bad)s"), params={"bad": "、".join(bad)}, code="bad_to"
            )
        if not found:
            raise forms.ValidationError(_("Give at least one address."), code="no_to")
        return found

    def address(self) -> str:
        data = self.cleaned_data
        password = data["password"]
        if not password and self.channel is not None and data["user"]:
            password = addresses.email_settings(self.channel.url).password
        mode = data["security"]
        return addresses.email_url(
            addresses.Mailbox(
                host=data["host"],
                port=data["port"] or addresses.SMTP_DEFAULT_PORTS[mode],
                user=data["user"].strip(),
                password=password,
                sender=data["sender"],
                recipients=data["recipients"],
                mode=mode,
            )
        )


class WebhookForm(ChannelForm):
    kind = Channel.Kind.WEBHOOK
    secret_fields = ("webhook",)

    webhook = forms.CharField(
        label=_("Webhook URL"),
        max_length=500,
        widget=forms.TextInput(attrs={"placeholder": "https://…", "autocomplete": "off"}),
        help_text=_('The digest is posted there as JSON: {"title": …, "message": …, "type": …}.'),
    )

    def clean_webhook(self) -> str:
        text: str = self.cleaned_data["webhook"].strip()
        if not text and self.channel is not None:
            return ""
        if addresses.webhook_url(text) is None:
            raise forms.ValidationError(
                _("Give a web address starting with http:// or https://."), code="not_http"
            )
        return text

    def address(self) -> str:
        text = self.cleaned_data["webhook"]
        if not text and self.channel is not None:
            return self.channel.url
        return addresses.webhook_url(text) or ""


FORMS: dict[str, type[ChannelForm]] = {
    form.kind: form for form in (WeComForm, DingTalkForm, EmailForm, WebhookForm)
}
