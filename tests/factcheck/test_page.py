"""数据核对's page: who may open it, a pasted text and an uploaded .docx checked (marks, the
table, the day read from the text and changed by the user), a bad upload refused with the text
kept, the downloads (.xlsx and the marked .docx) from the same form, and no database writes.

The engine (services.check) is replaced by tests/factcheck/page_fakes.py's stand-in, which
answers one figure of each kind; the browser test (tests/e2e/test_factcheck.py) runs the real
one."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from gaoxin.factcheck import services
from tests.dashboard.test_briefing import AS_OF as BRIEFING_DAY
from tests.dashboard.test_briefing import world  # noqa: F401 (a fixture)
from tests.factcheck.page_docs import anchored, make_docx
from tests.factcheck.page_fakes import SAMPLE, SIGNED, fake_check
from tests.factcheck.page_texts import briefing_with_one_wrong

URL = "/factcheck/"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path) -> None:
    settings.VAR_DIR = tmp_path / "var"


@pytest.fixture
def calls(monkeypatch) -> list[tuple]:
    """The engine's stand-in, recording what it was asked."""
    asked: list[tuple] = []

    def check(text, zone_ids, as_of=None):
        asked.append((text, list(zone_ids), as_of))
        return fake_check(text, zone_ids, as_of)

    monkeypatch.setattr(services, "check", check)
    return asked


def _marks(html: str) -> dict[str, str]:
    """Each marked figure's text → its verdict class."""
    return {
        text: verdict
        for verdict, text in re.findall(r'<mark class="fc-mark fc-(\w+)"[^>]*>([^<]+)<span', html)
    }


def test_the_form_is_offered_to_officers_and_in_their_navigation(client_as, calls) -> None:
    response = client_as("officer").get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="text"' in html and 'type="file"' in html and 'name="as_of"' in html
    assert f'href="{URL}"' in html  # the navigation's entry
    assert calls == []


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_enterprise_user_is_refused(client_as, calls, method) -> None:
    response = getattr(client_as("enterprise"), method)(URL, {"text": SAMPLE})
    assert response.status_code == 403
    assert calls == []


def test_a_pasted_text_is_shown_with_every_figure_marked(client_as, users, zone, calls) -> None:
    response = client_as("officer").post(URL, {"text": SAMPLE.replace("\n", "\r\n")})
    assert response.status_code == 200
    html = response.content.decode()
    # The engine got the text with plain line ends, the officer's zone and no day.
    assert calls == [(SAMPLE, [zone.pk], None)]
    assert _marks(html) == {
        "126个": "agrees",
        "96个": "disagrees",
        "65个": "disagrees",
        "32.48亿元": "agrees",
        "约85%": "unrecognised",
    }
    # Not by colour alone: a sign, a number and the verdict in words.
    assert 'href="#fc-r2"' in html and "✗2" in html and "（不一致）" in html
    assert "2处一致" in html and "2处不一致" in html and "1处未识别" in html
    # The day used, read from the text, is in the form to change.
    assert "读自正文：截至2023年6月30日" in html
    assert 'name="as_of" value="2023-06-30"' in html
    row = re.search(r'<tr id="fc-r2".*?</tr>', html, re.S).group(0)
    assert "97个" in row and "96个" in row and "发布时正确，后经修正" in row
    assert f'href="/metrics/{SIGNED}/?as_of=2023-06-30"' in row
    ambiguous = re.search(r'<tr id="fc-r3".*?</tr>', html, re.S).group(0)
    assert "另可能是注册企业" in ambiguous and "报告日当时亦不一致" in ambiguous
    unknown = re.search(r'<tr id="fc-r5".*?</tr>', html, re.S).group(0)
    assert "fc-records" not in unknown  # nothing to link to


def test_the_user_changes_the_day_and_checks_again(client_as, calls) -> None:
    response = client_as("officer").post(URL, {"text": SAMPLE, "as_of": "2023-03-31"})
    assert response.status_code == 200
    assert calls[0][2] == dt.date(2023, 3, 31)
    html = response.content.decode()
    assert 'name="as_of" value="2023-03-31"' in html
    assert "读自正文" not in html and "正文所写日期为2023年6月30日" in html


def test_a_post_reads_little_and_writes_nothing(client_as, calls, django_assert_max_num_queries):
    client = client_as("officer")
    # 9: the top bar's count of unread reminders is one.
    with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(9):
        response = client.post(URL, {"text": SAMPLE})
    assert response.status_code == 200
    writes = [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        and "django_session" not in q["sql"]  # the login's own renewal, not the check's
    ]
    assert writes == []


def test_nothing_to_check_and_a_zone_not_theirs_are_refused(client_as, calls) -> None:
    client = client_as("officer")
    response = client.post(URL, {"text": "  "})
    assert response.status_code == 400
    assert "请粘贴报告正文" in response.content.decode()
    response = client.post(URL, {"text": SAMPLE, "zone": "away"})
    assert response.status_code == 400
    assert calls == []


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("报告.doc", b"\xd0\xcf\x11\xe0 old word", "不是 Word 文档（.docx）"),
        ("报告.docx", b"%PDF-1.4 renamed", "虽以 .docx 结尾，但不是 Word 文档"),
        ("报告.docx", b"PK\x03\x04 broken zip", "无法读取 报告.docx"),
    ],
)
def test_a_bad_upload_is_refused_and_the_pasted_text_stays(
    client_as, calls, name, content, message
) -> None:
    upload = SimpleUploadedFile(name, content, content_type=DOCX)
    response = client_as("officer").post(URL, {"text": "截至6月底，签约96个", "file": upload})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "截至6月底，签约96个</textarea>" in html
    assert calls == []


def _upload(client, **data):
    source = make_docx([[("截至2023年6月30日，产业新空间入驻项目126个，其中已签约", False),
                         ("96个", True), ("、已注册65个。", False)]],
                       ["累计完成固定资产投资32.48亿元，出租率约85%。"])  # fmt: skip
    upload = SimpleUploadedFile("上半年报告.docx", source, content_type=DOCX)
    return client.post(URL, {"text": "", "file": upload, **data})


def test_an_uploaded_document_is_checked_and_kept_for_another_day(client_as, calls) -> None:
    client = client_as("officer")
    response = _upload(client)
    assert response.status_code == 200
    html = response.content.decode()
    assert calls[0][0] == SAMPLE  # its paragraph, then its table's cell
    assert "上半年报告.docx" in html
    assert _marks(html)["96个"] == "disagrees"
    kept = re.search(r'name="kept" value="([^"]+)"', html).group(1)
    # Checked again for another day without uploading it again.
    again = client.post(URL, {"text": "", "kept": kept, "as_of": "2023-05-31"})
    assert again.status_code == 200
    assert calls[1] == (SAMPLE, calls[0][1], dt.date(2023, 5, 31))
    # Another user cannot open it.
    other = client_as("leader").post(URL, {"text": "", "kept": kept})
    assert other.status_code == 400
    assert "之前核对的文档已失效" in other.content.decode()


def test_the_table_downloads_as_a_workbook(client_as, calls) -> None:
    response = client_as("officer").post(URL, {"text": SAMPLE, "format": "xlsx"})
    assert response.status_code == 200
    assert (
        "filename*=UTF-8''%E6%95%B0%E6%8D%AE%E6%A0%B8%E5%AF%B9-20230630.xlsx"
        in response["Content-Disposition"]
    )  # 数据核对-20230630.xlsx
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = values.index(next(row for row in values if row[0] == "序号"))
    rows = values[header + 1 :]
    assert [row[1] for row in rows] == ["126个", "96个", "65个", "32.48亿元", "约85%"]
    signed = rows[1]
    assert signed[2] == "✗ 不一致" and signed[5] == "97个" and signed[6] == "97个"
    assert signed[8] == "发布时正确，后经修正"
    assert signed[9] == f"http://testserver/metrics/{SIGNED}/?as_of=2023-06-30"
    assert rows[2][4] == "注册企业"
    assert rows[4][2] == "? 未识别" and rows[4][9] is None


def test_the_pasted_text_downloads_as_a_marked_document(client_as, calls) -> None:
    response = client_as("officer").post(URL, {"text": SAMPLE, "format": "docx"})
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert ".docx" in response["Content-Disposition"]
    anchors = {anchor["text"]: anchor for anchor in anchored(response.content)}
    assert set(anchors) == {"126个", "96个", "65个", "32.48亿元", "约85%"}
    assert anchors["96个"]["highlights"] == ["red"] and "97个" in anchors["96个"]["comment"]


def test_the_uploaded_document_downloads_annotated_keeping_its_formatting(client_as, calls):
    client = client_as("officer")
    kept = re.search(r'name="kept" value="([^"]+)"', _upload(client).content.decode()).group(1)
    response = client.post(URL, {"text": "", "kept": kept, "format": "docx"})
    assert response.status_code == 200
    anchors = {anchor["text"]: anchor for anchor in anchored(response.content)}
    assert anchors["96个"]["bold"] == [True] and anchors["96个"]["highlights"] == ["red"]
    assert anchors["32.48亿元"]["highlights"] == ["green"]  # in the table's cell


# --- with the real engine ------------------------------------------------------------------


@pytest.mark.usefixtures("world")
def test_the_engine_marks_the_one_count_the_briefing_got_wrong(
    zone, client_as, django_assert_max_num_queries
) -> None:
    """The platform's own briefing, one count written 7 higher, checked by the real engine:
    that count alone is red, and links to its metric's records."""
    text, wrong, written = briefing_with_one_wrong(zone, BRIEFING_DAY)
    client = client_as("officer")
    before = _rows()
    # The engine reads each metric it names, and the records' history for the report's day.
    with django_assert_max_num_queries(120):
        response = client.post(URL, {"text": text, "as_of": BRIEFING_DAY.isoformat()})
    assert response.status_code == 200
    html = response.content.decode()
    marks = re.findall(r'<mark class="fc-mark fc-(\w+)"[^>]*>([^<]+)<span', html)
    assert [text for verdict, text in marks if verdict == "disagrees"] == [
        next(text for verdict, text in marks if text.startswith(written))
    ]
    assert sum(verdict == "agrees" for verdict, _text in marks) >= 3
    row = re.search(r'<tr id="fc-r\d+" class="fc-row-disagrees".*?</tr>', html, re.S).group(0)
    assert f'href="/metrics/{wrong.key}/?as_of={BRIEFING_DAY.isoformat()}' in row
    # The records as known then are read by rewinding inside a transaction rolled back
    # (core/rewind.py): nothing of it stays.
    assert _rows() == before


def _rows() -> dict[str, int]:
    from django.apps import apps

    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.label != "sessions.Session"
    }
