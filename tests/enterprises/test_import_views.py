"""Upload → preview → confirm in the browser, and who is refused."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from gaoxin.enterprises.models import Enterprise
from tests.enterprises.test_import import messy_workbook
from tests.factories import make_uscc


@pytest.fixture(autouse=True)
def _english(settings):
    """These tests read the messages' English wording (the interface defaults to Chinese)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


HEADERS = ["企业名称", "统一社会信用代码", "注册资本"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path: Path) -> Path:
    settings.VAR_DIR = tmp_path
    return tmp_path


def upload_file(content: bytes, name: str = "名录.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=XLSX)


def good_file() -> bytes:
    return messy_workbook(
        [
            ["珠海甲科技有限公司", make_uscc(910001), "1,200万"],
            ["珠海乙科技", make_uscc(910002), ""],
        ],
        headers=HEADERS,
    )


def test_upload_preview_confirm_writes_every_row(
    client_as, zone, _var_dir, django_capture_on_commit_callbacks
) -> None:
    client = client_as("officer")
    page = client.get("/enterprises/import/")
    assert page.status_code == 200
    assert "主园区" in page.content.decode()

    preview = client.post("/enterprises/import/", {"file": upload_file(good_file())})
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "珠海甲科技有限公司" in html
    assert 'action="/enterprises/import/confirm/"' in html
    assert not Enterprise.objects.filter(uscc=make_uscc(910001)).exists(), "preview writes nothing"
    token = preview.context["token"]
    stored = list((_var_dir / "imports").iterdir())
    assert [p.name for p in stored] == [f"{token}.xlsx"]

    with django_capture_on_commit_callbacks(execute=True):  # the job runs once committed
        done = client.post("/enterprises/import/confirm/", {"token": token})
    assert done.status_code == 302 and done["Location"].startswith("/jobs/")
    assert (
        Enterprise.objects.filter(
            zone=zone, uscc__in=[make_uscc(910001), make_uscc(910002)]
        ).count()
        == 2
    )
    assert list((_var_dir / "imports").iterdir()) == [], "the upload is deleted after confirm"
    # Confirming twice does nothing more: it goes to the same job.
    again = client.post("/enterprises/import/confirm/", {"token": token})
    assert again.status_code == 302
    assert again["Location"] == done["Location"]
    assert Enterprise.objects.filter(zone=zone).count() == 3  # with the standing enterprise


def test_preview_shows_every_problem_and_no_confirm_button(client_as, _var_dir) -> None:
    bad = messy_workbook(
        [["甲", make_uscc(910011), "很多钱"], ["", "91440400ABC", ""]], headers=HEADERS
    )
    preview = client_as("officer").post("/enterprises/import/", {"file": upload_file(bad)})
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "confirm/" not in html
    assert "Row 5 · 注册资本" in html or "第5行" in html
    assert "import-bad-cell" in html
    assert preview.context["result"].counts == {"rows": 2, "good": 0, "bad": 2}
    assert not (_var_dir / "imports").exists() or not list((_var_dir / "imports").iterdir())


def test_confirm_with_a_forged_token_writes_nothing(client_as) -> None:
    client = client_as("officer")
    client.post("/enterprises/import/", {"file": upload_file(good_file())})
    response = client.post("/enterprises/import/confirm/", {"token": "../../etc/passwd"})
    assert response.status_code == 302
    assert not Enterprise.objects.filter(uscc=make_uscc(910001)).exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("名录.xls", b"\xd0\xcf\x11\xe0old", "not an .xlsx file"),
        ("名录.csv", b"a,b", "not an .xlsx file"),
        ("名录.xlsx", b"just text", "not an Excel workbook"),
    ],
)
def test_non_xlsx_is_refused(client_as, name: str, content: bytes, message: str) -> None:
    response = client_as("officer").post(
        "/enterprises/import/", {"file": upload_file(content, name)}
    )
    assert response.status_code == 200
    assert message in response.content.decode()


def test_too_large_is_refused(client_as, monkeypatch) -> None:
    from gaoxin.enterprises import import_views

    monkeypatch.setattr(import_views, "MAX_UPLOAD_BYTES", 100)
    response = client_as("officer").post("/enterprises/import/", {"file": upload_file(good_file())})
    assert "at most" in response.content.decode()


def test_user_of_several_zones_must_pick_one(client_as, users, other_zone) -> None:
    officer = users["officer"]
    officer.zones.add(other_zone)
    client = client_as("officer")
    page = client.get("/enterprises/import/")
    assert "zone switcher" in page.content.decode()
    response = client.post("/enterprises/import/", {"file": upload_file(good_file())})
    assert "zone switcher" in response.content.decode()
    assert "token" not in (response.context or {}) or not response.context.get("token")
    # After picking a zone in the switcher, the upload works.
    session = client.session
    session["zone_id"] = other_zone.pk
    session.save()
    preview = client.post("/enterprises/import/", {"file": upload_file(good_file())})
    assert preview.context["zone"] == other_zone


@pytest.mark.parametrize("role", ["leader", "department", "enterprise"])
def test_readers_cannot_upload(client_as, role: str) -> None:
    response = client_as(role).post("/enterprises/import/", {"file": upload_file(good_file())})
    assert response.status_code == 403
    assert not Enterprise.objects.filter(uscc=make_uscc(910001)).exists()


def test_outsider_imports_into_his_own_zone(
    client_as, other_zone, zone, django_capture_on_commit_callbacks
) -> None:
    client = client_as("outsider")
    preview = client.post("/enterprises/import/", {"file": upload_file(good_file())})
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/enterprises/import/confirm/", {"token": preview.context["token"]})
    assert Enterprise.objects.get(uscc=make_uscc(910001)).zone == other_zone


def test_template_download(client_as) -> None:
    from python_calamine import CalamineWorkbook

    response = client_as("officer").get("/enterprises/import/template/")
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    grid = (
        CalamineWorkbook.from_filelike(io.BytesIO(response.content))
        .get_sheet_by_index(0)
        .to_python()
    )
    assert grid[1][:2] == ["企业名称*", "统一社会信用代码*"]
