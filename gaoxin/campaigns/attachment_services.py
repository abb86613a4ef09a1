"""Attaching documents to an application and removing them. Both only while the application is
拟申报 (a submitted application is what the zone reviews: its documents stay as they were) and
only by someone who may change the application (its enterprise's users, the zone's officers).
The row's history (simple-history) records who added or removed which file; the removed file
itself is deleted from disk, as nobody outside the draft ever saw it."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from gaoxin.accounts.models import User
from gaoxin.campaigns.models import Application, ApplicationAttachment, ApplicationStatus
from gaoxin.core.errors import DomainError
from gaoxin.core.history import save_recorded

# More than this is a folder, not an application's supporting documents.
ATTACHMENTS_MAX = 20


def _check_draft(application: Application) -> None:
    if application.status != ApplicationStatus.DRAFT:
        raise DomainError(
            _("The application was submitted: its attachments can no longer be changed.")
        )


def attachment_add(*, application: Application, upload: Any, by: User) -> ApplicationAttachment:
    """Keep a checked upload (core.uploads.check_document) as the application's attachment."""
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        _check_draft(application)
        if application.attachments.count() >= ATTACHMENTS_MAX:
            raise DomainError(
                _("An application carries at most %(n)d attachments: remove one first.")
                % {"n": ATTACHMENTS_MAX}
            )
        attachment = ApplicationAttachment(
            application=application,
            name=(upload.name or "")[-200:],
            size=upload.size,
            uploaded_by=by,
        )
        attachment.file.save(upload.name or "file", upload, save=False)
        try:
            save_recorded(attachment, by, reason=_("Attached"))
        except Exception:
            attachment.file.delete(save=False)
            raise
    return attachment


def attachment_remove(*, attachment: ApplicationAttachment, by: User) -> None:
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=attachment.application_id)
        _check_draft(application)
        # simple-history reads who deleted the row from this attribute (core.history).
        attachment._history_user = by
        stored = attachment.file
        attachment.delete()
        # The file goes once the row is gone for good (not if the transaction rolls back).
        transaction.on_commit(lambda: stored.delete(save=False))
