"""The .docx side of 数据核对: the text read from a document (paragraphs and table cells, one a
line) and the checked document, each figure highlighted by verdict with a comment carrying the
records' value, its formatting kept when the figure sat inside a longer run."""

from __future__ import annotations

import io

import pytest
from docx import Document

from gaoxin.factcheck import docx
from gaoxin.factcheck.present import AUTHOR
from tests.factcheck.page_docs import anchored, make_docx
from tests.factcheck.page_fakes import SAMPLE, fake_check

FIRST, SECOND = SAMPLE.split("\n")

COLOURS = {"agrees": "green", "disagrees": "red", "unrecognised": "lightGray"}


def test_the_text_is_the_paragraphs_and_the_cells_in_order() -> None:
    content = make_docx(
        [[("截至2023年6月30日，", False), ("入驻项目126个", True)]], ["签约96个", "备注"]
    )
    assert docx.read_text(content) == "截至2023年6月30日，入驻项目126个\n签约96个\n备注"


def test_what_is_not_a_docx_is_unreadable() -> None:
    with pytest.raises(docx.Unreadable):
        docx.read_text(b"PK\x03\x04 not really a zip")


def test_a_pasted_text_becomes_a_document_with_every_figure_marked() -> None:
    report = fake_check(SAMPLE, [1])
    content = docx.annotate(report)
    assert docx.read_text(content) == SAMPLE  # the text itself is unchanged
    anchors = anchored(content)
    by_text = {anchor["text"]: anchor for anchor in anchors}
    assert sorted(by_text) == sorted(f.mention.text for f in report.findings)
    for finding in report.findings:
        anchor = by_text[finding.mention.text]
        assert set(anchor["highlights"]) == {COLOURS[finding.verdict.value]}
        assert anchor["author"] == AUTHOR
    # The comment carries what the records say and how the text should read.
    assert "97个" in by_text["96个"]["comment"]
    assert "96个" in by_text["96个"]["comment"]  # the value on the report's day
    assert "70个" in by_text["65个"]["comment"]
    assert "注册企业" in by_text["65个"]["comment"]  # the other candidate


def test_an_uploaded_document_is_annotated_in_place_keeping_its_formatting() -> None:
    # "96个" sits inside a longer bold run; "126个" spans two runs.
    source = make_docx(
        [
            [
                ("截至2023年6月30日，产业新空间入驻项目12", False),
                ("6个，其中已签约96个、已注册65个。", True),
            ],
            [(SECOND, False)],
        ]
    )
    text = docx.read_text(source)
    assert text == SAMPLE
    content = docx.annotate(fake_check(text, [1]), source)
    assert docx.read_text(content) == SAMPLE
    by_text = {anchor["text"]: anchor for anchor in anchored(content)}
    assert by_text["126个"]["bold"] == [False, True]
    assert by_text["96个"]["bold"] == [True]
    assert set(by_text["96个"]["highlights"]) == {"red"}
    # The bold run was cut around the figures; what is between them is still bold and unmarked.
    paragraph = Document(io.BytesIO(content)).paragraphs[0]
    between = [run for run in paragraph.runs if run.text == "、已注册"]
    assert between and between[0].bold and between[0].font.highlight_color is None
