"""Word documents for the page's and the documents' tests, and how to read back what the
checked document marks: each comment's anchored text and the highlight of the runs under it."""

from __future__ import annotations

import io

from docx import Document
from docx.oxml.ns import qn


def make_docx(paragraphs: list[list[tuple[str, bool]]], table: list[str] | None = None) -> bytes:
    """A document of paragraphs, each a list of (text, bold) runs; and a one-row table."""
    document = Document()
    for runs in paragraphs:
        paragraph = document.add_paragraph()
        for text, bold in runs:
            paragraph.add_run(text).bold = bold
    if table:
        grid = document.add_table(rows=1, cols=len(table))
        for cell, text in zip(grid.rows[0].cells, table, strict=True):
            cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def anchored(content: bytes) -> list[dict]:
    """Every comment of the document: its text, its author, the text it is anchored on and the
    highlight colours (w:highlight values) and boldness of the runs it covers."""
    document = Document(io.BytesIO(content))
    texts = {str(c.comment_id): (c.text, c.author) for c in document.comments}
    found: dict[str, dict] = {}
    open_ids: set[str] = set()
    for element in document.element.body.iter():
        if element.tag == qn("w:commentRangeStart"):
            open_ids.add(element.get(qn("w:id")))
            found.setdefault(element.get(qn("w:id")), {"text": "", "highlights": [], "bold": []})
        elif element.tag == qn("w:commentRangeEnd"):
            open_ids.discard(element.get(qn("w:id")))
        elif element.tag == qn("w:r") and open_ids:
            text = "".join(t.text or "" for t in element.iter(qn("w:t")))
            highlight = element.find(f"{qn('w:rPr')}/{qn('w:highlight')}")
            weight = element.find(f"{qn('w:rPr')}/{qn('w:b')}")
            bold = weight is not None and weight.get(qn("w:val")) not in ("0", "false")
            for comment_id in open_ids:
                found[comment_id]["text"] += text
                found[comment_id]["highlights"].append(
                    None if highlight is None else highlight.get(qn("w:val"))
                )
                found[comment_id]["bold"].append(bold)
    return [
        {**anchor, "comment": texts[cid][0], "author": texts[cid][1]}
        for cid, anchor in found.items()
    ]
