"""The statistics sheet in the browser: upload → preview (every problem by row, the notices)
→ confirm (all or none) → the import's page; and the CLI's clear refusals."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from gaoxin.core.formatting import WAN
from gaoxin.economy.models import FigureValue, ImportBatch
from tests.economy.bureau_sheet import bureau_workbook
from tests.factories import EnterpriseFactory, make_uscc

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path: Path) -> Path:
    settings.VAR_DIR = tmp_path
    return tmp_path


@pytest.fixture
def enterprises(zone):
    return [EnterpriseFactory(zone=zone) for _ in range(3)]


def sheet(enterprises, *, bad: bool = False) -> bytes:
    rows = [(e.uscc, e.name, "", 100 * (n + 1), "", "") for n, e in enumerate(enterprises)]
    if bad:
        rows.append((make_uscc(8), "珠海查无此企有限公司", "", 5, "", ""))
    return bureau_workbook(rows)


def upload(content: bytes, name: str = "统计局1-2月.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=XLSX)


def test_upload_preview_confirm_and_the_import_page(
    client_as, users, zone, enterprises, _var_dir, django_capture_on_commit_callbacks
) -> None:
    client = client_as("officer")
    assert client.get("/economy/import/").status_code == 200
    preview = client.post(
        "/economy/import/",
        {"period": "2023-01~02", "source": "bureau", "file": upload(sheet(enterprises))},
    )
    assert preview.status_code == 200
    html = preview.content.decode()
    assert enterprises[0].name in html and 'action="/economy/import/confirm/"' in html
    assert "2023年1–2月" in html
    assert not FigureValue.objects.exists(), "the preview writes nothing"
    token = preview.context["token"]
    with django_capture_on_commit_callbacks(execute=True):  # the job runs once committed
        confirmed = client.post("/economy/import/confirm/", {"token": token})
    assert confirmed.status_code == 302 and confirmed["Location"].startswith("/jobs/")
    batch = ImportBatch.objects.get()
    job_page = client.get(confirmed["Location"]).content.decode()
    assert "3 rows imported: 3 figures new, 0 revised, 0 unchanged." in job_page
    assert f'href="/economy/import/{batch.pk}/"' in job_page
    done = client.get(f"/economy/import/{batch.pk}/")
    assert list((_var_dir / "imports").iterdir()) == [], "the upload is deleted after confirm"
    amounts = sorted(FigureValue.objects.values_list("amount", flat=True))
    assert amounts == [100 * WAN, 200 * WAN, 300 * WAN]
    assert batch.created_by == users["officer"] and batch.file_name == "统计局1-2月.xlsx"
    assert done.status_code == 200
    assert "/metrics/economy.ytd.revenue/" in done.content.decode()


def test_a_bad_sheet_is_listed_by_row_and_cannot_be_confirmed(client_as, zone, enterprises):
    client = client_as("officer")
    preview = client.post(
        "/economy/import/",
        {"period": "2023-01~02", "source": "bureau", "file": upload(sheet(enterprises, bad=True))},
    )
    html = preview.content.decode()
    assert "Row 8 · 统一社会信用代码" in html and "Nothing can be imported" in html
    assert not preview.context["token"]
    refused = client.post("/economy/import/confirm/", {"token": "abc"})
    assert refused.status_code == 302
    assert not FigureValue.objects.exists() and not ImportBatch.objects.exists()


@pytest.mark.parametrize(
    ("period", "name", "content", "message"),
    [
        ("2023-13", "a.xlsx", None, "is not a period"),
        ("2023-06", "a.csv", b"a,b", "not an .xlsx file"),
        ("2023-06", "a.xlsx", b"just text", "not an Excel workbook"),
    ],
)
def test_the_upload_form_refuses(client_as, zone, enterprises, period, name, content, message):
    body = content if content is not None else sheet(enterprises)
    response = client_as("officer").post(
        "/economy/import/", {"period": period, "source": "bureau", "file": upload(body, name)}
    )
    assert response.status_code == 200 and message in response.content.decode()


# --- the command line ------------------------------------------------------------------------


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", "economy", *args, stdout=out, stderr=err, verbosity=0)
    return out.getvalue(), err.getvalue()


def test_the_command_imports_and_dry_runs(zone, enterprises, tmp_path):
    path = tmp_path / "统计.xlsx"
    path.write_bytes(sheet(enterprises))
    out, _err = run(str(path), "--period", "2023-01~02", "--zone", zone.code, "--dry-run")
    assert "3 rows are fine" in out and not FigureValue.objects.exists()
    out, _err = run(str(path), "--period", "2023-01~02", "--zone", zone.code)
    assert "3 figures new" in out and FigureValue.objects.count() == 3


def test_the_command_lists_problems_by_row_and_exits_non_zero(zone, enterprises, tmp_path):
    path = tmp_path / "统计.xlsx"
    path.write_bytes(sheet(enterprises, bad=True))
    with pytest.raises(CommandError, match="1 of 4 rows have problems") as caught:
        out, err = io.StringIO(), io.StringIO()
        call_command(
            "import",
            "economy",
            str(path),
            "--period",
            "2023-01~02",
            "--zone",
            zone.code,
            stdout=out,
            stderr=err,
            verbosity=0,
        )
    assert caught.value.returncode == 1
    assert "Row 8 · 统一社会信用代码" in err.getvalue()
    assert not FigureValue.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.xlsx", "--period", "2023-06"], "no such file: missing.xlsx"),
        (["{sheet}", "--period", "2023-14"], "is not a period"),
        (["{sheet}"], "--period 2023-06"),
        (["{sheet}", "--period", "2023-06", "--zone", "nowhere"], "no zone with code 'nowhere'"),
        (["{text}", "--period", "2023-06"], "not an .xlsx file"),
        (["{fake}", "--period", "2023-06"], "cannot be read as an Excel workbook"),
        (["{sheet}", "--period", "2023-06", "--source", "self"], "unknown source 'self'"),
    ],
)
def test_the_command_says_clearly_what_is_wrong(zone, enterprises, tmp_path, args, message):
    files = {
        "{sheet}": tmp_path / "s.xlsx",
        "{text}": tmp_path / "s.csv",
        "{fake}": tmp_path / "fake.xlsx",
    }
    files["{sheet}"].write_bytes(sheet(enterprises))
    files["{text}"].write_text("a,b")
    files["{fake}"].write_text("not a workbook")
    args = [str(files.get(a, a)) for a in args]
    if "--zone" not in args:
        args += ["--zone", zone.code]
    with pytest.raises(CommandError, match=message):
        run(*args)
