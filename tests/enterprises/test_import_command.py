"""`gaoxin import enterprises FILE.xlsx [--zone CODE] [--dry-run]` and `--template FILE`."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from python_calamine import CalamineWorkbook

from gaoxin.enterprises.models import Enterprise
from tests.enterprises.test_import import messy_workbook
from tests.factories import make_uscc


@pytest.fixture(autouse=True)
def _english(settings):
    """These tests read the messages' English wording (the interface defaults to Chinese)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


HEADERS = ["企业名称", "统一社会信用代码", "成立日期"]


def write(tmp_path: Path, rows: list[list[str]]) -> Path:
    path = tmp_path / "名录.xlsx"
    path.write_bytes(messy_workbook(rows, headers=HEADERS))
    return path


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_imports_every_row(zone, tmp_path) -> None:
    path = write(tmp_path, [["甲", make_uscc(920001), "2020-1-1"], ["乙", make_uscc(920002), ""]])
    out, _err = run("enterprises", str(path), "--zone", "home")
    assert "2 enterprises imported into home" in out
    assert (
        Enterprise.objects.filter(
            zone=zone, uscc__in=[make_uscc(920001), make_uscc(920002)]
        ).count()
        == 2
    )


def test_zone_may_be_left_out_when_there_is_one(zone, tmp_path) -> None:
    path = write(tmp_path, [["甲", make_uscc(920005), ""]])
    run("enterprises", str(path))
    assert Enterprise.objects.get(uscc=make_uscc(920005)).zone == zone


def test_zone_is_needed_when_there_are_several(zone, other_zone, tmp_path) -> None:
    path = write(tmp_path, [["甲", make_uscc(920006), ""]])
    with pytest.raises(CommandError, match="--zone"):
        run("enterprises", str(path))


def test_dry_run_writes_nothing(zone, tmp_path) -> None:
    path = write(tmp_path, [["甲", make_uscc(920010), ""]])
    out, _err = run("enterprises", str(path), "--zone", "home", "--dry-run")
    assert "1 rows are fine" in out
    assert not Enterprise.objects.filter(uscc=make_uscc(920010)).exists()


def test_bad_rows_are_all_listed_and_nothing_written(zone, tmp_path, capsys) -> None:
    path = write(
        tmp_path,
        [
            ["甲", make_uscc(920020), "2020-1-1"],
            ["乙", "91440400123", ""],
            ["丙", make_uscc(920022), "去年"],
        ],
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="2 of 3 rows have problems") as caught:
        call_command("import", "enterprises", str(path), "--zone", "home", stderr=err)
    assert caught.value.returncode == 1
    listed = err.getvalue()
    assert "Row 6 · 统一社会信用代码" in listed and "18 characters" in listed
    assert "Row 7 · 成立日期" in listed
    assert not Enterprise.objects.filter(uscc=make_uscc(920020)).exists()


def test_unknown_zone(zone, tmp_path) -> None:
    path = write(tmp_path, [["甲", make_uscc(920030), ""]])
    with pytest.raises(CommandError, match="no zone with code 'nowhere'"):
        run("enterprises", str(path), "--zone", "nowhere")


def test_only_enterprises_can_be_imported(tmp_path) -> None:
    with pytest.raises(CommandError):
        run("projects", "x.xlsx")


def test_template(db, tmp_path) -> None:
    target = tmp_path / "模板.xlsx"
    out, _err = run("enterprises", "--template", str(target))
    grid = CalamineWorkbook.from_path(str(target)).get_sheet_by_index(0).to_python()
    assert grid[1][0] == "企业名称*"
    assert "template written" in out
