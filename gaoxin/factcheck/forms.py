"""数据核对's form: a pasted text or an uploaded .docx, the zone and the day it speaks of.

An uploaded document is kept (under VAR_DIR/factcheck, never under the web root, by a random
name) so that checking it again for another day, or downloading the result, does not ask for
it again: the form carries a token signed for this user naming the file. Nothing is written to
the database."""

from __future__ import annotations

import datetime as dt
import secrets
import time
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core.forms import AsOfField, choice_field
from gaoxin.core.uploads import MAX_UPLOAD_BYTES
from gaoxin.factcheck import docx

DOCX_ACCEPT = ".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MAX_TEXT = 200_000  # characters: a long report is some 20,000
KEEP_SECONDS = 8 * 60 * 60  # as long as a session
SALT = "gaoxin.factcheck.upload"


class OptionalDay(AsOfField):
    """AsOfField, but empty is None: the day is then read from the text."""

    def clean(self, value: Any) -> dt.date | None:  # type: ignore[override]
        if value in (None, ""):
            return None
        return super().clean(value)


class FactcheckForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Text of the report"),
        required=False,
        max_length=MAX_TEXT,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
    )
    file = forms.FileField(
        label=gettext_lazy("Or a Word document (.docx)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": DOCX_ACCEPT}),
    )
    kept = forms.CharField(required=False, widget=forms.HiddenInput)
    zone = forms.ChoiceField(label=gettext_lazy("Zone"), required=False)
    as_of = OptionalDay(
        label=gettext_lazy("As of"),
        help_text=gettext_lazy("Empty: the day the text names (截至…), else today."),
    )

    def __init__(self, *args: Any, zones: list[Any], user_pk: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user_pk = user_pk
        self.zones = {zone.code: zone for zone in zones}
        choice_field(self, "zone").choices = [("", _("All my zones"))] + [
            (zone.code, zone.name) for zone in zones
        ]
        self.fields["zone"].error_messages["invalid_choice"] = _("You cannot see zone %(value)s.")

    def clean_text(self) -> str:
        # Browsers send a textarea's lines with CRLF; the text is checked and marked by lines.
        return str(self.cleaned_data.get("text") or "").replace("\r\n", "\n").replace("\r", "\n")

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        name = upload.name or ""
        if not name.lower().endswith(".docx"):
            raise forms.ValidationError(
                _(
                    "%(name)s is not a Word document (.docx). Save it as .docx in Word or WPS, "
                    "or paste its text."
                )
                % {"name": name}
            )
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is %(size).1f MB; at most %(limit)d MB can be checked.")
                % {"size": upload.size / 1024 / 1024, "limit": MAX_UPLOAD_BYTES // 1024 // 1024}
            )
        content = upload.read()
        if not content.startswith(b"PK\x03\x04"):
            raise forms.ValidationError(
                _("%(name)s is not a Word document (.docx), though its name says so.")
                % {"name": name}
            )
        try:
            text = docx.read_text(content)
        except docx.Unreadable:
            raise forms.ValidationError(
                _("%(name)s cannot be read as a Word document: open it in Word, save it again.")
                % {"name": name}
            ) from None
        if not text.strip():
            raise forms.ValidationError(_("%(name)s has no text to check.") % {"name": name})
        return {"name": name, "content": content, "text": text}

    def clean(self) -> dict[str, Any]:
        super().clean()
        data: dict[str, Any] = self.cleaned_data
        text = data.get("text") or ""
        upload = data.get("file")
        if self.errors:
            return data
        if upload and text.strip():
            raise forms.ValidationError(
                _("Paste a text or upload a document, not both: clear one of them.")
            )
        if upload:
            data["source"] = upload
        elif text.strip():
            data["source"] = {"name": "", "content": None, "text": text}
            data["kept"] = ""
        elif data.get("kept"):
            kept = open_kept(data["kept"], self.user_pk)
            if kept is None:
                raise forms.ValidationError(
                    _("The document checked before is gone: upload it again.")
                )
            data["source"] = kept
        else:
            raise forms.ValidationError(_("Paste the report's text, or upload it as a .docx."))
        return data

    @property
    def zone_code(self) -> str:
        return str(self.cleaned_data.get("zone") or "")


# --- the kept document --------------------------------------------------------------------


def _folder() -> Path:
    folder = Path(settings.VAR_DIR) / "factcheck"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def keep(name: str, content: bytes, user_pk: int) -> str:
    """Store the checked document; the signed token the form carries to open it again."""
    folder = _folder()
    cutoff = time.time() - KEEP_SECONDS
    for old in folder.glob("*.docx"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = secrets.token_hex(16)
    (folder / f"{token}.docx").write_bytes(content)
    return signing.dumps({"f": token, "n": name, "u": user_pk}, salt=SALT)


def open_kept(signed: str, user_pk: int) -> dict[str, Any] | None:
    """The kept document a token names, if the token is this user's and the file is there."""
    try:
        kept = signing.loads(signed, salt=SALT, max_age=KEEP_SECONDS)
    except signing.BadSignature:
        return None
    token = str(kept.get("f", ""))
    if kept.get("u") != user_pk or not token.isalnum():
        return None
    path = _folder() / f"{token}.docx"
    if not path.is_file():
        return None
    content = path.read_bytes()
    try:
        text = docx.read_text(content)
    except docx.Unreadable:
        return None
    return {"name": str(kept.get("n", "")), "content": content, "text": text, "kept": signed}
