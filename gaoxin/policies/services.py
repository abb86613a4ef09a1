"""Writes to policies, briefings (政策宣讲会) and their attendance. Each runs in one transaction;
django-simple-history records the acting user in the same transaction.

A policy's attachment is checked here, not only in the form: its real type is read from its
bytes (filetype), never from the name or the browser's content type, and must agree with the
file name's extension. Files are stored under MEDIA_ROOT, which no URL serves; a login-checked
view hands them out. Replacing an attachment keeps the old file, which the history still names.
"""

from __future__ import annotations

import datetime as dt
import secrets
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

import filetype
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gaoxin.accounts.models import User, Zone
from gaoxin.core.concurrency import lock_for_write
from gaoxin.core.errors import DomainError, refuse_unknown_fields
from gaoxin.core.excel_read import Problem
from gaoxin.core.history import save_recorded
from gaoxin.core.text import clean
from gaoxin.enterprises.models import Enterprise
from gaoxin.policies.attendance_import import (
    AttendanceImportResult,
    SigninRow,
    check_signin_rows,
)
from gaoxin.policies.models import PEOPLE_MAX, EventAttendance, Policy, PolicyEvent

# What a policy document may be: the type read from the bytes → the extensions its name may
# carry, and the content type it is served with.
ACCEPTED_TYPES = {
    "pdf": (("pdf",), "application/pdf"),
    "docx": (
        ("docx",),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "doc": (("doc",), "application/msword"),
}
ACCEPTED_EXTENSIONS = tuple(ext for exts, _mime in ACCEPTED_TYPES.values() for ext in exts)
POLICY_FIELDS = ("title", "document_no", "issuer", "issued_on", "kind", "summary", "is_active")
EVENT_FIELDS = ("title", "held_on", "place", "attendee_count", "notes")


# --- attachments ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedAttachment:
    upload: Any
    original_name: str  # as the user's computer named it, for the download
    extension: str
    content_type: str


def _original_name(raw: str) -> str:
    """The file's own name, without any folder a browser may have sent along."""
    name = PureWindowsPath(PurePosixPath(raw or "").name).name
    # Kept as the user wrote it (full-width brackets and all), minus control characters.
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    limit = Policy._meta.get_field("attachment_name").max_length or 200
    if len(name) > limit:
        stem, dot, ext = name.rpartition(".")
        name = f"{stem[: limit - len(ext) - 1]}.{ext}" if dot else name[:limit]
    return name


def file_size(n: int) -> str:
    """A size as people say it: 20 MB, 1.5 MB, 900 KB."""
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.1f}".removesuffix(".0") + " MB"
    return f"{max(1, round(n / 1024))} KB"


def check_attachment(upload: Any) -> CheckedAttachment:
    """The upload if it is a PDF or Word document within the size limit, else DomainError
    saying what is wrong."""
    name = _original_name(getattr(upload, "name", "") or "")
    limit = settings.GAOXIN_UPLOAD_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is None:
        raise DomainError(_("The attachment cannot be read."), field="attachment")
    if size == 0:
        raise DomainError(_("The file %(name)s is empty.") % {"name": name}, field="attachment")
    if size > limit:
        raise DomainError(
            _("The file %(name)s is %(size)s; an attachment may be at most %(limit)s.")
            % {"name": name, "size": file_size(size), "limit": file_size(limit)},
            field="attachment",
        )
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    if extension not in ACCEPTED_EXTENSIONS:
        raise DomainError(
            _("%(name)s is not a PDF or Word document: attach a .pdf, .docx or .doc file.")
            % {"name": name},
            field="attachment",
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    found = kind.extension if kind is not None else ""
    if found not in ACCEPTED_TYPES:
        raise DomainError(
            _(
                "%(name)s is named like a document but its content is not a PDF or Word "
                "document; it was refused."
            )
            % {"name": name},
            field="attachment",
        )
    extensions, content_type = ACCEPTED_TYPES[found]
    problem = _inner_problem(upload, found)
    if problem:
        raise DomainError(
            _("%(name)s was refused: %(problem)s") % {"name": name, "problem": problem},
            field="attachment",
        )
    if extension not in extensions:
        raise DomainError(
            _(
                "%(name)s is named .%(named)s but its content is a .%(found)s file: rename it "
                "to .%(found)s or attach the right file."
            )
            % {"name": name, "named": extension, "found": found},
            field="attachment",
        )
    return CheckedAttachment(upload, name, found, content_type)


# Entries a Word document never holds, which a disguised archive would.
_RISKY_SUFFIXES = (
    ".exe",
    ".dll",
    ".bat",
    ".cmd",
    ".com",
    ".scr",
    ".msi",
    ".js",
    ".vbs",
    ".ps1",
    ".sh",
    ".jar",
    ".lnk",
    ".hta",
)
# PDF actions that run something when the file is opened.
_RISKY_PDF_NAMES = (b"/JavaScript", b"/JS ", b"/JS(", b"/Launch", b"/EmbeddedFile")


def _inner_problem(upload: Any, kind: str) -> str:
    """Look past the first bytes: a .docx must be a Word package and nothing else; a PDF
    must end like one and carry no scripts or launch actions. Returns what is wrong, or ""."""
    import zipfile

    upload.seek(0)
    try:
        if kind == "docx":
            try:
                with zipfile.ZipFile(upload) as package:
                    names = package.namelist()
            except zipfile.BadZipFile:
                return _("the Word package is damaged.")
            if "[Content_Types].xml" not in names or "word/document.xml" not in names:
                return _("it is not a Word document inside.")
            if any(n.lower().endswith(_RISKY_SUFFIXES) for n in names) or any(
                "vbaproject" in n.lower() for n in names
            ):
                return _("it carries programs or macros.")
        elif kind == "pdf":
            data = upload.read()
            if b"%%EOF" not in data[-2048:]:
                return _("the PDF is incomplete or damaged.")
            if b"<script" in data[:4096].lower() or b"<html" in data[:4096].lower():
                return _("it is a web page, not a PDF.")
            if any(marker in data for marker in _RISKY_PDF_NAMES):
                return _("the PDF carries scripts, launch actions or embedded files.")
    finally:
        upload.seek(0)
    return ""


def _store_attachment(policy: Policy, checked: CheckedAttachment) -> None:
    """Save the file under a random name (the original name is kept apart for the download);
    the file it replaces stays on disk, named by the history."""
    policy.attachment.save(
        f"{secrets.token_hex(12)}.{checked.extension}", checked.upload, save=False
    )
    policy.attachment_name = checked.original_name
    policy.attachment_type = checked.content_type


def _delete_stored(name: str | None) -> None:
    if name:
        Policy._meta.get_field("attachment").storage.delete(name)


# --- policies ------------------------------------------------------------------------------


def _check_policy_fields(fields: dict[str, Any]) -> None:
    refuse_unknown_fields(fields, POLICY_FIELDS, "policy")
    for key in ("title", "issuer", "document_no"):
        if key in fields:
            fields[key] = clean(fields[key])
    if "title" in fields and not fields["title"]:
        raise DomainError(_("The title is required."), field="title")
    if "issuer" in fields and not fields["issuer"]:
        raise DomainError(_("The issuer is required."), field="issuer")
    if "kind" in fields and fields["kind"] not in Policy.Kind.values:
        raise DomainError(_("Pick a kind of policy from the list."), field="kind")
    if "summary" in fields:
        fields["summary"] = (fields["summary"] or "").strip()


def _save_policy(policy: Policy, checked: CheckedAttachment | None, by: User) -> Policy:
    stored: str | None = ""
    if checked is not None:
        _store_attachment(policy, checked)
        stored = policy.attachment.name
    policy._history_user = by
    try:
        policy.save()
    except Exception:
        _delete_stored(stored)  # the row was not written: the new file has no owner
        raise
    return policy


@transaction.atomic
def policy_create(
    *,
    zone: Zone,
    by: User,
    title: str,
    issuer: str,
    issued_on: dt.date,
    attachment: Any = None,
    **fields: Any,
) -> Policy:
    fields = {"title": title, "issuer": issuer, "issued_on": issued_on, **fields}
    _check_policy_fields(fields)
    checked = check_attachment(attachment) if attachment else None
    policy = Policy(zone=zone, **fields)
    return _save_policy(policy, checked, by)


@transaction.atomic
def policy_update(
    *, policy: Policy, by: User, attachment: Any = None, version: int | None = None, **fields: Any
) -> Policy:
    """Change a policy; a new attachment replaces the current one (the old file is kept). A
    form older than the stored policy (`version`) is refused."""
    _check_policy_fields(fields)
    policy = lock_for_write(policy, version)
    checked = check_attachment(attachment) if attachment else None
    for key, value in fields.items():
        setattr(policy, key, value)
    return _save_policy(policy, checked, by)


# --- briefings -----------------------------------------------------------------------------


def _check_event_fields(fields: dict[str, Any]) -> None:
    refuse_unknown_fields(fields, EVENT_FIELDS, "briefing")
    for key in ("title", "place"):
        if key in fields:
            fields[key] = clean(fields[key])
    if "title" in fields and not fields["title"]:
        raise DomainError(_("The title is required."), field="title")
    if "notes" in fields:
        fields["notes"] = (fields["notes"] or "").strip()


def _check_event_policies(zone_id: int, policies: Iterable[Policy]) -> list[Policy]:
    policies = list(policies)
    if any(p.zone_id != zone_id for p in policies):
        raise DomainError(
            _("A policy of another zone cannot be presented at this briefing."), field="policies"
        )
    return policies


@transaction.atomic
def event_create(
    *,
    zone: Zone,
    by: User,
    title: str,
    held_on: dt.date,
    policies: Iterable[Policy] = (),
    **fields: Any,
) -> PolicyEvent:
    fields = {"title": title, "held_on": held_on, **fields}
    _check_event_fields(fields)
    chosen = _check_event_policies(zone.pk, policies)
    event = PolicyEvent(zone=zone, **fields)
    save_recorded(event, by)
    event.policies.set(chosen)
    return event


@transaction.atomic
def event_update(
    *,
    event: PolicyEvent,
    by: User,
    policies: Iterable[Policy] | None = None,
    version: int | None = None,
    **fields: Any,
) -> PolicyEvent:
    """Change a briefing; a form older than the stored one (`version`) is refused."""
    _check_event_fields(fields)
    event = lock_for_write(event, version)
    chosen = _check_event_policies(event.zone_id, policies) if policies is not None else None
    for key, value in fields.items():
        setattr(event, key, value)
    save_recorded(event, by)
    if chosen is not None:
        event.policies.set(chosen)
    return event


# --- attendance ----------------------------------------------------------------------------


def _check_people(people: int | None) -> int:
    if people is None or people < 1:
        raise DomainError(_("At least one person must have attended."), field="people")
    if people > PEOPLE_MAX:
        raise DomainError(
            _("%(n)d people is more than one enterprise can send (at most %(max)d).")
            % {"n": people, "max": PEOPLE_MAX},
            field="people",
        )
    return people


@transaction.atomic
def attendance_add(
    *, event: PolicyEvent, enterprise: Enterprise, by: User, people: int = 1
) -> EventAttendance:
    """Record that an enterprise of the briefing's zone attended, once per briefing."""
    if enterprise.zone_id != event.zone_id:
        raise DomainError(
            _("%(name)s belongs to another zone than this briefing.") % {"name": enterprise.name},
            field="enterprise",
        )
    _check_people(people)
    if EventAttendance.objects.filter(event=event, enterprise=enterprise).exists():
        raise DomainError(
            _("%(name)s is already recorded as attending this briefing.")
            % {"name": enterprise.name},
            field="enterprise",
        )
    attendance = EventAttendance(event=event, enterprise=enterprise, people=people)
    attendance._history_user = by
    try:
        with transaction.atomic():
            attendance.save()
    except IntegrityError:  # recorded by someone else in the meantime
        raise DomainError(
            _("%(name)s is already recorded as attending this briefing.")
            % {"name": enterprise.name},
            field="enterprise",
        ) from None
    return attendance


@transaction.atomic
def attendance_remove(*, attendance: EventAttendance, by: User) -> None:
    """Take an enterprise off a briefing's attendance (a correction); the history keeps the
    row and who removed it."""
    attendance._history_user = by
    attendance.delete()


@transaction.atomic
def attendance_import(
    *,
    event: PolicyEvent,
    rows: Sequence[SigninRow],
    by: User,
    headers: dict[str, str] | None = None,
    checked: Callable[[int], object] | None = None,
    written: Callable[[int], None] | None = None,
) -> AttendanceImportResult:
    """Record the enterprises of a sign-in sheet (签到表) read by
    `attendance_import.read_signin_sheet`. Every row is checked against the registry first;
    if any row is bad the result lists every problem and nothing is written. `checked(1)`
    hears of each row checked and `written(n)` how many rows are written so far, when given
    (a background job's progress)."""
    result = check_signin_rows(event, rows, headers=headers, progress=checked)
    if not result.ok:
        return result
    created = []
    for row in result.rows:
        attendance = EventAttendance(event=event, enterprise=row.enterprise, people=row.people)
        attendance._history_user = by
        created.append(attendance)
    try:
        with transaction.atomic():
            for count, attendance in enumerate(created, start=1):
                attendance.save()
                if written is not None:
                    written(count)
    except IntegrityError:
        result.file_problems.append(
            Problem(
                None,
                "",
                _("Someone recorded attendance of this briefing meanwhile: import again."),
            )
        )
        return result
    result.created = len(created)
    return result
