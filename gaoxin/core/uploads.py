"""An uploaded .xlsx between its preview and its confirmation, shared by the imports'
pages (enterprises, the statistics sheet): the upload form's checks (name, size, that it is
a workbook), the file kept under VAR_DIR/imports (never under the web root) with a random
name only this user's session knows, and deleted once confirmed or replaced; and the one
zone an import goes into (the user's working zone)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core.access import working_zone_ids, zone_model
from gaoxin.core.http import AuthedRequest

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
XLSX_ACCEPT = ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class XlsxUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": XLSX_ACCEPT}),
    )

    def __init__(self, *args: Any, max_bytes: int = MAX_UPLOAD_BYTES, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(
                _("%(name)s is not an .xlsx file. Save the sheet as Excel workbook (.xlsx).")
                % {"name": upload.name}
            )
        if upload.size > self.max_bytes:
            raise forms.ValidationError(
                _("The file is %(size).1f MB; at most %(limit)d MB can be imported at once.")
                % {"size": upload.size / 1024 / 1024, "limit": self.max_bytes // 1024 // 1024}
            )
        head = upload.read(4)
        upload.seek(0)
        if head != b"PK\x03\x04":
            raise forms.ValidationError(
                _("%(name)s is not an Excel workbook (.xlsx), though its name says so.")
                % {"name": upload.name}
            )
        return upload


# The documents an application can carry (a certificate scan, an audit report, a patent list):
# each kind by its name's ending and the bytes every such file starts with, so that a renamed
# executable or HTML page is refused whatever its name says.
DOCUMENT_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
}
DOCUMENT_ACCEPT = ",".join(DOCUMENT_SIGNATURES)


def check_document(upload: Any, *, max_bytes: int = MAX_UPLOAD_BYTES) -> None:
    """The checks of XlsxUploadForm (name, size, the file's first bytes) for any of the
    DOCUMENT_SIGNATURES kinds; a ValidationError saying what to do otherwise."""
    name = upload.name or ""
    ending = Path(name.lower()).suffix
    signatures = DOCUMENT_SIGNATURES.get(ending)
    if signatures is None:
        raise forms.ValidationError(
            _(
                "%(name)s cannot be attached: attach a PDF, a picture (.jpg, .png), "
                "a Word (.docx) or an Excel (.xlsx) file."
            )
            % {"name": name}
        )
    if upload.size > max_bytes:
        raise forms.ValidationError(
            _("The file is %(size).1f MB; at most %(limit)d MB can be attached.")
            % {"size": upload.size / 1024 / 1024, "limit": max_bytes // 1024 // 1024}
        )
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(signature) for signature in signatures):
        raise forms.ValidationError(
            _("%(name)s is not the kind of file its name says (%(ending)s).")
            % {"name": name, "ending": ending}
        )


class DocumentUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File (PDF, .jpg, .png, .docx, .xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": DOCUMENT_ACCEPT}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        check_document(upload)
        return upload


def _import_dir() -> Path:
    folder = Path(settings.VAR_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _stored_path(token: str) -> Path | None:
    # The token is ours (token_hex), but never let it name a path outside the folder.
    if not token or not token.isalnum():
        return None
    return _import_dir() / f"{token}.xlsx"


class UploadGone(Exception):
    """The checked file cannot be confirmed; the message says why (upload it again)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class PendingUpload:
    """One import's checked file in the session, under `session_key`."""

    session_key: str

    def keep(self, request: HttpRequest, content: bytes, **meta: Any) -> str:
        """Store the checked file; the token the confirm form sends back."""
        self.discard(request)
        token = secrets.token_hex(16)
        path = _stored_path(token)
        assert path is not None
        path.write_bytes(content)
        request.session[self.session_key] = {"token": token, **meta}
        return token

    def discard(self, request: HttpRequest) -> None:
        pending = request.session.pop(self.session_key, None)
        if pending:
            path = _stored_path(pending.get("token", ""))
            if path is not None:
                path.unlink(missing_ok=True)

    def take(
        self, request: HttpRequest, token: str, zone_id: int | None
    ) -> tuple[dict[str, Any], Path]:
        """The pending upload's details and file, if `token` is its own and the working zone
        is the one it was checked for; UploadGone (the upload discarded) otherwise."""
        pending = request.session.get(self.session_key)
        if not pending or not secrets.compare_digest(pending.get("token", ""), token):
            raise UploadGone(
                _("There is no checked file to import (or it was replaced): upload it again.")
            )
        if zone_id is None or zone_id != pending.get("zone_id"):
            self.discard(request)
            raise UploadGone(
                _("The working zone changed since the file was checked: upload it again.")
            )
        path = _stored_path(token)
        if path is None or not path.is_file():
            self.discard(request)
            raise UploadGone(_("The checked file is gone: upload it again."))
        return dict(pending), path

    def confirmed(self, request: HttpRequest, job_id: int) -> None:
        """The checked file went to a job: its copy here is deleted, and the token remembered
        with the job, so that the same confirmation sent again (a double click, the browser's
        back button) finds that job instead of an error."""
        pending = request.session.get(self.session_key) or {}
        path = _stored_path(pending.get("token", ""))
        if path is not None:
            path.unlink(missing_ok=True)
        request.session[self.session_key] = {"token": pending.get("token", ""), "job_id": job_id}

    def job_of(self, request: HttpRequest, token: str) -> int | None:
        """The job an earlier confirmation of this token started, if any."""
        pending = request.session.get(self.session_key) or {}
        job_id = pending.get("job_id")
        if job_id is None or not token or not secrets.compare_digest(pending["token"], token):
            return None
        return int(job_id)


def upload_digest(content: bytes, **options: Any) -> str:
    """What names an import's work: the file's bytes and the options it is imported with (the
    same upload confirmed twice is one job)."""
    digest = hashlib.sha256(content)
    for name in sorted(options):
        digest.update(f"\x1f{name}={options[name]}".encode())
    return digest.hexdigest()


def job_started_message() -> str:
    """Said on a confirmed import's job page."""
    return _(
        "The import runs in the background: this page shows how far it has got. You may "
        "leave it and find it again under My jobs."
    )


def working_zone(request: AuthedRequest) -> Any:
    """The zone an import writes into: the user's one working zone, else None."""
    zone_ids = working_zone_ids(request.user)
    if len(zone_ids) != 1:
        return None
    return zone_model().objects.get(pk=zone_ids[0])


def pick_zone_message() -> str:
    return _(
        "You work in several zones: pick the zone to import into with the zone switcher at "
        "the top of the page first."
    )
