"""Hostile cells at the import boundary: control characters (Excel's _x0000_), a 10,000-character
cell, a 40-digit count, an amount no zone can have. Each is cleaned or becomes a row problem,
never a crash, the same on SQLite and PostgreSQL (run this file with DATABASE_URL set too)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from gaoxin.core.bounds import COUNT_MAX, MONEY_MAX
from gaoxin.enterprises.imports import read_enterprise_sheet
from gaoxin.enterprises.models import Enterprise
from tests.enterprises.test_import import messy_workbook
from tests.factories import make_uscc

HEADERS = ["企业名称", "统一社会信用代码", "地址", "法定代表人", "从业人员", "注册资本"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What an attacker (or a careless export) puts in a cell: NUL and other C0/C1 controls as
# raw characters (xlsxwriter writes them as _x0000_ …) and as literal escape text.
HOSTILE_NAME = "珠海\x00甲\x1f科技\x7f有限\x9b公司"
HOSTILE_ADDRESS = "唐家湾_x0000_镇\x0b1号_x001F_"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path: Path) -> Path:
    settings.VAR_DIR = tmp_path
    return tmp_path


def hostile_file() -> bytes:
    return messy_workbook(
        [
            [HOSTILE_NAME, make_uscc(930001), HOSTILE_ADDRESS, "张\x00三", "1\x0020", "500万"],
            ["珠海乙科技有限公司", " " + make_uscc(930002) + "\x00", "", "", "", ""],
        ],
        headers=HEADERS,
    )


def assert_stored_clean(zone) -> None:
    first = Enterprise.objects.get(zone=zone, uscc=make_uscc(930001))
    assert first.name == "珠海甲科技有限公司"
    assert first.address == "唐家湾镇1号"
    assert first.legal_representative == "张三"
    assert first.employees == 120
    assert Enterprise.objects.filter(zone=zone, uscc=make_uscc(930002)).exists()
    for enterprise in Enterprise.objects.filter(zone=zone):
        for value in (enterprise.name, enterprise.address, enterprise.legal_representative):
            assert value.isprintable(), repr(value)


def test_control_characters_never_reach_the_database_through_the_page(
    client_as, zone, django_capture_on_commit_callbacks
) -> None:
    client = client_as("officer")
    upload = SimpleUploadedFile("名录.xlsx", hostile_file(), content_type=XLSX)
    preview = client.post("/enterprises/import/", {"file": upload})
    assert preview.status_code == 200
    assert preview.context["result"].ok, preview.context["result"].errors
    assert "\x00" not in preview.content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # the import's job runs
        done = client.post("/enterprises/import/confirm/", {"token": preview.context["token"]})
    assert done.status_code == 302
    assert Enterprise.objects.filter(zone=zone).count() >= 2, "the job wrote the rows"
    assert_stored_clean(zone)


def test_control_characters_never_reach_the_database_through_the_command(zone, tmp_path) -> None:
    path = tmp_path / "名录.xlsx"
    path.write_bytes(hostile_file())
    out = io.StringIO()
    call_command("import", "enterprises", str(path), "--zone", zone.code, stdout=out)
    assert "2 enterprises imported" in out.getvalue()
    assert_stored_clean(zone)


def problems_of(zone, row: list[object]) -> list[str]:
    result = read_enterprise_sheet(zone, messy_workbook([row], headers=HEADERS))
    return [f"{p.column}: {p.message}" for p in result.errors]


@pytest.mark.parametrize("column", [0, 2, 3])
def test_a_ten_thousand_character_cell_is_a_row_problem(zone, column: int) -> None:
    row: list[object] = ["珠海甲科技有限公司", make_uscc(930011), "", "", "", ""]
    row[column] = "长" * 10_000
    problems = problems_of(zone, row)
    assert len(problems) == 1
    assert "10000 characters long" in problems[0]
    assert len(problems[0]) < 200, "the message does not quote the whole cell back"


@pytest.mark.parametrize(
    ("column", "value"),
    [(1, "9" * 10_000), (4, "1" * 10_000), (5, "1" * 10_000)],
)
def test_a_ten_thousand_character_code_count_or_amount_is_a_row_problem(
    zone, column: int, value: str
) -> None:
    row: list[object] = ["珠海甲科技有限公司", make_uscc(930012), "", "", "", ""]
    row[column] = value
    problems = problems_of(zone, row)
    assert len(problems) == 1
    assert problems[0].startswith(HEADERS[column])
    assert len(problems[0]) < 300, "the message does not quote the whole cell back"


@pytest.mark.parametrize("value", ["1" * 40, float("1" * 40), COUNT_MAX + 1, "-" + "9" * 40])
def test_a_forty_digit_head_count_is_a_row_problem(zone, value: object) -> None:
    problems = problems_of(zone, ["珠海甲科技有限公司", make_uscc(930013), "", "", value, ""])
    assert len(problems) == 1
    assert problems[0].startswith("从业人员: ")
    assert f"{COUNT_MAX:,}" in problems[0] or "negative" in problems[0]


@pytest.mark.parametrize("value", ["12000亿", "10000亿", 1_000_000_000_000, "9" * 40])
def test_an_amount_no_zone_can_have_is_a_row_problem_naming_the_limit(zone, value) -> None:
    problems = problems_of(zone, ["珠海甲科技有限公司", make_uscc(930014), "", "", "", value])
    assert len(problems) == 1
    assert problems[0].startswith("注册资本: ")
    assert "1万亿元" in problems[0]


def test_the_largest_amount_allowed_is_stored_exactly(zone, tmp_path) -> None:
    path = tmp_path / "名录.xlsx"
    path.write_bytes(
        messy_workbook(
            [["珠海甲科技有限公司", make_uscc(930015), "", "", "", str(MONEY_MAX)]],
            headers=HEADERS,
        )
    )
    call_command("import", "enterprises", str(path), "--zone", zone.code, stdout=io.StringIO())
    stored = Enterprise.objects.get(uscc=make_uscc(930015))
    stored.refresh_from_db()
    assert stored.registered_capital == MONEY_MAX


def test_a_hostile_row_makes_the_command_write_nothing(zone, tmp_path) -> None:
    path = tmp_path / "名录.xlsx"
    path.write_bytes(
        messy_workbook(
            [
                ["珠海甲科技有限公司", make_uscc(930021), "", "", "", ""],
                ["珠海乙科技有限公司", make_uscc(930022), "", "", "1" * 40, ""],
            ],
            headers=HEADERS,
        )
    )
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import", "enterprises", str(path), "--zone", zone.code, stderr=io.StringIO())
    assert not Enterprise.objects.filter(uscc__in=[make_uscc(930021), make_uscc(930022)]).exists()


def nul_name_file() -> bytes:
    """The case reported: a NUL only in a name, which the old reader passed on to the database
    (SQLite stored it; PostgreSQL refused it: a 500 on confirm, a traceback from the command)."""
    return messy_workbook([["珠海_x0000_丙\x00科技", make_uscc(930031)]], headers=HEADERS[:2])


def test_a_nul_in_a_name_is_removed_on_confirm(
    client_as, zone, django_capture_on_commit_callbacks
) -> None:
    client = client_as("officer")
    upload = SimpleUploadedFile("名录.xlsx", nul_name_file(), content_type=XLSX)
    preview = client.post("/enterprises/import/", {"file": upload})
    with django_capture_on_commit_callbacks(execute=True):  # the import's job runs
        done = client.post("/enterprises/import/confirm/", {"token": preview.context["token"]})
    assert done.status_code == 302
    assert Enterprise.objects.get(uscc=make_uscc(930031)).name == "珠海丙科技"


def test_a_nul_in_a_name_is_removed_by_the_command(zone, tmp_path) -> None:
    path = tmp_path / "名录.xlsx"
    path.write_bytes(nul_name_file())
    call_command("import", "enterprises", str(path), "--zone", zone.code, stdout=io.StringIO())
    assert Enterprise.objects.get(uscc=make_uscc(930031)).name == "珠海丙科技"


@pytest.mark.parametrize(
    "header", ["所属产业", "产业链环节", "成立日期", "邮箱", "是否规上", "规上年份"]
)
def test_a_ten_thousand_character_cell_anywhere_gives_a_short_row_problem(zone, header) -> None:
    sheet = messy_workbook(
        [["珠海甲科技有限公司", make_uscc(930041), "长" * 10_000]],
        headers=["企业名称", "统一社会信用代码", header],
    )
    problems = [str(p) for p in read_enterprise_sheet(zone, sheet).errors]
    assert problems
    assert all(len(p) < 400 for p in problems), [len(p) for p in problems]
