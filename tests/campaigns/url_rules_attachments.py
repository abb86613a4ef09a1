"""Who may attach documents to an application, download and remove them (see
tests/test_permission_matrix.py): whoever may change the application (its enterprise's users,
the zone's officers and the administrator) attaches and removes; whoever may read it
downloads; nobody outside the zone even learns that the attachment exists."""

from django.core.files.base import ContentFile

from tests.test_permission_matrix import Rule

ANSWERS_WRITE = {
    "anonymous": 302,
    "admin": 200,
    "leader": 403,
    "officer": 200,
    "department": 403,
    "enterprise": 200,
    "outsider": 404,
}


def _attachment(ctx):
    """An attachment of the standing enterprise user's own (draft) application."""
    from gaoxin.campaigns.models import ApplicationAttachment

    application = ctx["db_objects"]["own_application"]
    attachment = ApplicationAttachment(
        application=application, name="证书.pdf", size=9, uploaded_by=ctx["users"]["enterprise"]
    )
    attachment.file.save("证书.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    return {"pk": attachment.pk}


RULES = {
    # No file sent: back to the application page with the form's error (302).
    "campaigns:attachment_add": Rule(
        method="post",
        kwargs=lambda ctx: {"pk": ctx["db_objects"]["own_application"].pk},
        expect={**ANSWERS_WRITE, "admin": 302, "officer": 302, "enterprise": 302},
    ),
    "campaigns:attachment_download": Rule(
        kwargs=_attachment,
        expect={**ANSWERS_WRITE, "leader": 200, "department": 200},
    ),
    # GET asks to confirm the removal.
    "campaigns:attachment_remove": Rule(kwargs=_attachment, expect=ANSWERS_WRITE),
}
