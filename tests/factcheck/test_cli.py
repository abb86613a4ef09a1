"""`gaoxin factcheck FILE --zone CODE [--as-of DATE] [--json]`: the figures as a table or as
JSON, exit 1 when one disagrees and 0 when none does, exit 2 with a message on stderr for a
file, zone or day it cannot use. The engine is page_fakes' stand-in."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command

from gaoxin.factcheck import services
from gaoxin.factcheck.management.commands.factcheck import Command
from tests.factcheck.page_docs import make_docx
from tests.factcheck.page_fakes import SAMPLE, SIGNED, fake_check

AGREEING = "截至2023年6月30日，产业新空间入驻项目126个，累计完成投资32.48亿元。"


@pytest.fixture
def calls(monkeypatch) -> list[tuple]:
    asked: list[tuple] = []

    def check(text, zone_ids, as_of=None):
        asked.append((text, list(zone_ids), as_of))
        return fake_check(text, zone_ids, as_of)

    monkeypatch.setattr(services, "check", check)
    return asked


def _run(*args: str) -> tuple[int, str, str]:
    """What the shell sees: the exit code, stdout and stderr."""
    out, err = StringIO(), StringIO()
    command = Command(stdout=out, stderr=err)
    try:
        command.run_from_argv(["gaoxin", "factcheck", *args])
    except SystemExit as exit:
        return int(exit.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_a_disagreeing_figure_exits_1_and_the_json_says_which(tmp_path, zone, calls) -> None:
    path = tmp_path / "report.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    code, out, _err = _run(str(path), "--zone", zone.code, "--json")
    assert code == 1
    assert calls == [(SAMPLE, [zone.pk], None)]
    data = json.loads(out)
    assert data["as_of"] == "2023-06-30" and data["said_day"] == "2023-06-30"
    assert data["counts"] == {"agrees": 2, "disagrees": 2, "unrecognised": 1}
    figures = {figure["text"]: figure for figure in data["figures"]}
    signed = figures["96个"]
    assert signed["verdict"] == "disagrees" and signed["key"] == SIGNED
    assert signed["now"] == {"value": 97, "shown": "97个", "agrees": False}
    assert signed["then"] == {"value": 96, "shown": "96个", "agrees": True}
    assert signed["revised"] is True and signed["shown"] == "97个"
    assert [c["label"] for c in figures["65个"]["candidates"]] == ["产业空间已注册项目", "注册企业"]
    assert figures["32.48亿元"]["now"]["value"] == 3248123456
    assert figures["约85%"]["verdict"] == "unrecognised" and figures["约85%"]["key"] is None


def test_an_agreeing_docx_exits_0_with_a_table(tmp_path, zone, calls) -> None:
    path = tmp_path / "报告.docx"
    path.write_bytes(make_docx([[(AGREEING, False)]]))
    code, out, _err = _run(str(path), "--zone", zone.code, "--as-of", "2023-07-01")
    assert code == 0
    assert calls[0][2] == dt.date(2023, 7, 1)
    lines = out.splitlines()
    assert lines[0].startswith("截至 2023年7月1日")
    assert any("126个" in line and "✓" in line for line in lines)
    assert len([line for line in lines if "✓" in line]) == 2


@pytest.mark.parametrize(
    ("name", "content", "args", "message"),
    [
        ("report.txt", SAMPLE.encode(), ["--zone", "nowhere"], "no zone with code 'nowhere'"),
        ("report.txt", SAMPLE.encode(), ["--as-of", "2023-13-01"], "--as-of '2023-13-01'"),
        ("report.txt", SAMPLE.encode(), ["--as-of", "2999-01-01"], "--as-of '2999-01-01'"),
        ("report.pdf", b"%PDF-1.4", [], "give a .txt or a .docx file"),
        ("report.docx", b"PK\x03\x04 broken", [], "not a Word document"),
        ("report.txt", b"\xff\xfe\x00\xd8 binary", [], "not a text file"),
    ],
)
def test_what_cannot_be_used_exits_2_with_a_message(
    tmp_path, zone, calls, name, content, args, message
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    if "--zone" not in args:
        args = [*args, "--zone", zone.code]
    code, out, err = _run(str(path), *args)
    assert code == 2
    assert message in err and out == ""
    assert calls == []


def test_a_missing_file_exits_2(tmp_path, zone, calls) -> None:
    code, _out, err = _run(str(tmp_path / "gone.txt"), "--zone", zone.code)
    assert code == 2 and "no such file" in err


def test_call_command_raises_for_the_exit_code(tmp_path, zone, calls) -> None:
    path = tmp_path / "report.txt"
    path.write_text(SAMPLE, encoding="gb18030")  # as Chinese Windows saves it
    with pytest.raises(SystemExit) as exit:
        call_command("factcheck", str(path), zone=zone.code, stdout=StringIO())
    assert exit.value.code == 1
    assert calls[0][0] == SAMPLE
