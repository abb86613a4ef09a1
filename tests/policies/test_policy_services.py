"""Policies: the services, and the check of an attachment by its bytes."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from gaoxin.core.errors import DomainError
from gaoxin.policies import services
from gaoxin.policies.models import Policy

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def docx_bytes() -> bytes:
    """The start of a Word 2007+ document: a zip whose first entries are the OOXML parts."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def doc_bytes() -> bytes:
    """The start of a Word 97-2003 document (OLE compound file with Word's marker)."""
    head = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    return head + b"\xec\xa5\xc1\x00" + b"\x00" * 600


def upload(name: str, content: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploaded files go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


def create(zone, users, **overrides):
    fields = {
        "zone": zone,
        "by": users["officer"],
        "title": "关于促进软信及互联网业纾困发展的若干措施",
        "document_no": "珠高管〔2023〕5号",
        "issuer": "珠海高新区管委会",
        "issued_on": dt.date(2023, 3, 1),
        "kind": Policy.Kind.RELIEF,
        "summary": "纾困措施",
    } | overrides
    return services.policy_create(**fields)


def test_create_records_who_and_keeps_the_fields(zone, users) -> None:
    policy = create(zone, users, title="  关于  促进产业发展的措施 ")
    assert policy.title == "关于 促进产业发展的措施"
    assert policy.history.first().history_user == users["officer"]
    assert not policy.attachment


def test_a_pdf_is_stored_under_a_random_name_with_its_own_name_kept(zone, users) -> None:
    policy = create(zone, users, attachment=upload("纾困措施（正式稿）.pdf", PDF))
    assert policy.attachment_name == "纾困措施（正式稿）.pdf"
    assert policy.attachment_type == "application/pdf"
    assert policy.attachment.name.startswith("policies/")
    assert "纾困" not in policy.attachment.name
    assert default_storage.open(policy.attachment.name).read() == PDF


@pytest.mark.parametrize(
    ("name", "content", "expected_type"),
    [
        ("细则.docx", docx_bytes(), "application/vnd.openxmlformats-officedocument"),
        ("细则.DOC", doc_bytes(), "application/msword"),
    ],
)
def test_word_documents_pass(zone, users, name, content, expected_type) -> None:
    policy = create(zone, users, attachment=upload(name, content, "application/octet-stream"))
    assert policy.attachment_type.startswith(expected_type)


def test_an_exe_renamed_pdf_is_refused_whatever_the_browser_says(zone, users) -> None:
    with pytest.raises(DomainError, match="not a PDF or Word document") as info:
        create(zone, users, attachment=upload("通知.pdf", EXE, "application/pdf"))
    assert info.value.field == "attachment"
    assert not Policy.objects.exists()


def test_an_extension_that_disagrees_with_the_content_is_refused(zone, users) -> None:
    with pytest.raises(DomainError, match=r"named \.docx but its content is a \.pdf"):
        create(zone, users, attachment=upload("通知.docx", PDF))
    assert not Policy.objects.exists()


def test_other_kinds_of_file_are_refused_by_name(zone, users) -> None:
    with pytest.raises(DomainError, match=r"attach a \.pdf, \.docx or \.doc file"):
        create(zone, users, attachment=upload("setup.exe", EXE))


def test_an_oversized_file_is_refused(zone, users, settings) -> None:
    settings.GAOXIN_UPLOAD_MAX_BYTES = 1024
    with pytest.raises(DomainError, match="is 2 KB; an attachment may be at most 1 KB"):
        create(zone, users, attachment=upload("大文件.pdf", PDF + b"0" * 2000))
    assert not Policy.objects.exists()


def test_an_empty_file_is_refused(zone, users) -> None:
    with pytest.raises(DomainError, match="empty"):
        create(zone, users, attachment=upload("空.pdf", b""))


def test_a_path_sent_by_the_browser_is_dropped_from_the_name(zone, users) -> None:
    policy = create(zone, users, attachment=upload("C:\\Users\\张三\\桌面\\通知.pdf", PDF))
    assert policy.attachment_name == "通知.pdf"


def test_replacing_the_attachment_keeps_the_old_file(zone, users) -> None:
    policy = create(zone, users, attachment=upload("初稿.pdf", PDF))
    old = policy.attachment.name
    services.policy_update(
        policy=policy, by=users["officer"], attachment=upload("定稿.pdf", PDF + b"% final")
    )
    policy.refresh_from_db()
    assert policy.attachment.name != old
    assert policy.attachment_name == "定稿.pdf"
    assert default_storage.exists(old)
    assert {h.attachment for h in policy.history.all()} >= {old, policy.attachment.name}


def test_a_refused_update_changes_nothing(zone, users) -> None:
    policy = create(zone, users, attachment=upload("初稿.pdf", PDF))
    fresh = Policy.objects.get(pk=policy.pk)
    with pytest.raises(DomainError):
        services.policy_update(
            policy=fresh, by=users["officer"], title="新标题", attachment=upload("x.pdf", EXE)
        )
    policy.refresh_from_db()
    assert policy.title == "关于促进软信及互联网业纾困发展的若干措施"
    assert policy.attachment_name == "初稿.pdf"
    assert policy.history.count() == 1


def test_update_without_a_file_keeps_the_attachment(zone, users) -> None:
    policy = create(zone, users, attachment=upload("初稿.pdf", PDF))
    services.policy_update(policy=policy, by=users["admin"], is_active=False)
    policy.refresh_from_db()
    assert not policy.is_active
    assert policy.attachment_name == "初稿.pdf"
    assert policy.history.first().history_user == users["admin"]


@pytest.mark.parametrize(
    ("field", "value"), [("title", "  "), ("issuer", ""), ("kind", "nonsense")]
)
def test_required_fields_are_refused_with_the_field_named(zone, users, field, value) -> None:
    with pytest.raises(DomainError) as info:
        create(zone, users, **{field: value})
    assert info.value.field == field
    assert not Policy.objects.exists()


@pytest.mark.parametrize(
    ("n", "shown"), [(20 * 1024 * 1024, "20 MB"), (1536 * 1024, "1.5 MB"), (900 * 1024, "900 KB")]
)
def test_sizes_are_said_plainly(n, shown) -> None:
    assert services.file_size(n) == shown


def test_the_form_says_what_is_wrong_with_the_attachment(zone) -> None:
    from gaoxin.policies.forms import PolicyForm

    form = PolicyForm(
        {"title": "通知", "issuer": "管委会", "issued_on": "2023-03-01", "kind": "industry"},
        {"attachment": upload("通知.pdf", EXE)},
    )
    assert not form.is_valid()
    assert "not a PDF or Word document" in form.errors["attachment"][0]


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for entry, data in entries.items():
            package.writestr(entry, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name, content, reason",
    [
        (
            "通知.docx",
            _zip({"word/readme.txt": b"x", "setup.exe": b"MZ", "[Content_Types].xml": b"<x/>"}),
            "not a Word document inside",
        ),
        (
            "通知.docx",
            _zip(
                {
                    "[Content_Types].xml": b"<x/>",
                    "word/document.xml": b"<w/>",
                    "word/run.bat": b"@echo off",
                }
            ),
            "programs or macros",
        ),
        ("通知.pdf", b"%PDF-1.4\n<html><script>alert(1)</script>\n%%EOF\n", "web page"),
        ("通知.pdf", b"%PDF-1.4\n1 0 obj << /OpenAction << /S /JavaScript >> >>\n%%EOF", "scripts"),
        ("通知.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n", "incomplete"),
    ],
)
def test_disguised_files_are_refused_by_what_is_inside(zone, users, name, content, reason) -> None:
    with pytest.raises(DomainError, match=reason):
        create(zone, users, attachment=upload(name, content))
    assert not Policy.objects.exists()
