"""Word documents for 数据核对: the text of an uploaded .docx (its body's paragraphs and its
tables' cells, one line each, in the order they stand), and the checked document: each figure
in its own runs (the run it sat in split at the figure's edges, keeping that run's formatting),
highlighted by verdict, with a comment carrying the record's value and how it should read.

The text read and the document annotated walk the same paragraphs the same way, so a figure's
offsets in the text (`Mention.at`) find its paragraph and its place in it."""

from __future__ import annotations

import copy
import io
import zipfile
from collections.abc import Iterator
from typing import Any

from docx import Document
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.hyperlink import Hyperlink
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from gaoxin.factcheck.present import AUTHOR, rows
from gaoxin.factcheck.types import Report, Verdict

HIGHLIGHTS = {
    Verdict.AGREES: WD_COLOR_INDEX.BRIGHT_GREEN,
    Verdict.DISAGREES: WD_COLOR_INDEX.RED,
    Verdict.UNRECOGNISED: WD_COLOR_INDEX.GRAY_25,
}


class Unreadable(Exception):
    """The bytes are not a Word document python-docx can open."""


def _open(content: bytes) -> Any:
    try:
        return Document(io.BytesIO(content))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise Unreadable(str(error)) from error
    except Exception as error:  # python-docx's own PackageNotFoundError, lxml's XMLSyntaxError
        raise Unreadable(str(error)) from error


def _paragraphs(document: Any) -> Iterator[Paragraph]:
    """Every paragraph with text a reader sees, in order: the body's, and each table cell's
    (a merged cell once)."""
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            yield block
        elif isinstance(block, Table):
            yield from _table_paragraphs(block)


def _table_paragraphs(table: Table) -> Iterator[Paragraph]:
    seen: set[int] = set()
    for row in table.rows:
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            for block in cell.iter_inner_content():
                if isinstance(block, Paragraph):
                    yield block
                else:
                    yield from _table_paragraphs(block)


def _runs(paragraph: Paragraph) -> list[Run]:
    runs: list[Run] = []
    for item in paragraph.iter_inner_content():
        if isinstance(item, Hyperlink):
            runs.extend(item.runs)
        else:
            runs.append(item)
    return runs


def _text(paragraph: Paragraph) -> str:
    return "".join(run.text for run in _runs(paragraph))


def read_text(content: bytes) -> str:
    """The document's text, one paragraph a line (Unreadable if it is not a .docx)."""
    document = _open(content)
    return "\n".join(_text(paragraph) for paragraph in _paragraphs(document))


def _split(run: Run, at: int) -> None:
    """Cut the run in two at `at` characters; both halves keep its formatting."""
    text = run.text
    twin = copy.deepcopy(run._r)
    run._r.addnext(twin)
    run.text = text[:at]
    Run(twin, run._parent).text = text[at:]


def _isolate(paragraph: Paragraph, start: int, end: int) -> list[Run]:
    """The runs that hold exactly paragraph-text[start:end], splitting runs at the edges."""
    for edge in (start, end):
        offset = 0
        for run in _runs(paragraph):
            length = len(run.text)
            if offset < edge < offset + length:
                _split(run, edge - offset)
                break
            offset += length
    inside: list[Run] = []
    offset = 0
    for run in _runs(paragraph):
        length = len(run.text)
        if length and offset >= start and offset + length <= end:
            inside.append(run)
        offset += length
    return inside


def _new_document(text: str) -> Any:
    document = Document()
    style = document.styles["Normal"]
    # Word picks the East Asian font separately; without it Chinese falls back unevenly.
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")
    for line in text.split("\n"):
        document.add_paragraph(line)
    return document


def annotate(report: Report, source: bytes | None = None) -> bytes:
    """The checked document: `source` (the uploaded .docx the report's text was read from), or
    a new document of the text, with every figure highlighted and commented."""
    document = _open(source) if source is not None else _new_document(report.prepared.original)
    paragraphs = list(_paragraphs(document))
    starts: list[int] = []
    offset = 0
    for paragraph in paragraphs:
        starts.append(offset)
        offset += len(_text(paragraph)) + 1
    for row in rows(report):
        start, end = row.finding.mention.at
        index = _paragraph_at(starts, start)
        if index is None:
            continue
        base = starts[index]
        runs = _isolate(paragraphs[index], start - base, end - base)
        if not runs:
            continue
        for run in runs:
            run.font.highlight_color = HIGHLIGHTS[row.finding.verdict]
        document.add_comment(
            runs, text=f"[{row.number}] {row.summary}", author=AUTHOR, initials="GX"
        )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _paragraph_at(starts: list[int], offset: int) -> int | None:
    index = None
    for i, start in enumerate(starts):
        if start <= offset:
            index = i
        else:
            break
    return index
