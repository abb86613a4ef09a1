"""An application's attachments: checked uploads while 拟申报, downloads for whoever reads the
application, removal after a confirmation, nothing changes once submitted; another
enterprise's attachments are not found."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gaoxin.campaigns import attachment_services
from gaoxin.campaigns.models import ApplicationAttachment
from gaoxin.core.errors import DomainError
from tests.factories import ApplicationFactory, CampaignFactory, EnterpriseFactory

PDF = b"%PDF-1.4\n1 0 obj\n"


@pytest.fixture
def application(zone, own_enterprise):
    return ApplicationFactory(campaign=CampaignFactory(zone=zone), enterprise=own_enterprise)


def _upload(client, application, name: str, content: bytes):
    return client.post(
        reverse("campaigns:attachment_add", args=[application.pk]),
        {"file": SimpleUploadedFile(name, content)},
    )


def test_the_enterprise_attaches_downloads_and_removes_a_document(client_as, application):
    client = client_as("enterprise")
    response = _upload(client, application, "高新技术企业证书.pdf", PDF)
    assert response.status_code == 302
    attachment = ApplicationAttachment.objects.get(application=application)
    assert (attachment.name, attachment.size) == ("高新技术企业证书.pdf", len(PDF))

    page = client.get(application.get_absolute_url()).content.decode()
    assert "高新技术企业证书.pdf" in page and 'id="attachment-form"' in page

    download = client.get(reverse("campaigns:attachment_download", args=[attachment.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]

    remove_url = reverse("campaigns:attachment_remove", args=[attachment.pk])
    assert client.get(remove_url).status_code == 200  # asks first
    assert ApplicationAttachment.objects.filter(pk=attachment.pk).exists()
    assert client.post(remove_url).status_code == 302
    assert not ApplicationAttachment.objects.filter(pk=attachment.pk).exists()
    # The removal is in the history, with who removed it.
    removed = ApplicationAttachment.history.filter(id=attachment.pk, history_type="-").get()
    assert removed.history_user.username == "t-ent"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("setup.exe", b"MZ\x90\x00"),  # not a kind an application carries
        ("证书.pdf", b"<html><script>"),  # says PDF, is not
        ("scan.png", PDF),  # says picture, is a PDF
    ],
)
def test_a_file_that_is_not_a_document_is_refused(client_as, application, name, content):
    client = client_as("enterprise")
    response = _upload(client, application, name, content)
    assert response.status_code == 302
    assert not ApplicationAttachment.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert name in page  # the message names the file


def test_nothing_is_attached_or_removed_once_submitted(application, users):
    attachment = attachment_services.attachment_add(
        application=application,
        upload=SimpleUploadedFile("a.pdf", PDF),
        by=users["enterprise"],
    )
    application.status = "submitted"
    application.save()
    with pytest.raises(DomainError):
        attachment_services.attachment_add(
            application=application,
            upload=SimpleUploadedFile("b.pdf", PDF),
            by=users["enterprise"],
        )
    with pytest.raises(DomainError):
        attachment_services.attachment_remove(attachment=attachment, by=users["enterprise"])
    assert application.attachments.count() == 1


def test_another_enterprises_attachment_is_not_found(client_as, zone, users):
    other = ApplicationFactory(
        campaign=CampaignFactory(zone=zone), enterprise=EnterpriseFactory(zone=zone)
    )
    attachment = attachment_services.attachment_add(
        application=other, upload=SimpleUploadedFile("a.pdf", PDF), by=users["officer"]
    )
    client = client_as("enterprise")
    for name in ("campaigns:attachment_download", "campaigns:attachment_remove"):
        assert client.get(reverse(name, args=[attachment.pk])).status_code == 404
    assert _upload(client, other, "b.pdf", PDF).status_code == 404
