"""The work briefing's downloads: the same composed text as a Word document, and every figure
it uses as a workbook (see compose.py for the text itself)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from gaoxin.core.excel import write_workbook
from gaoxin.dashboard.briefing.compose import Briefing


def to_docx(briefing: Briefing) -> bytes:
    """The briefing as a Word document: the same text, without the links."""
    from docx import Document
    from docx.oxml.ns import qn

    document = Document()
    for style_name in ("Normal", "Title", "Heading 1"):
        style = document.styles[style_name]
        # Word picks the East Asian font separately; without it Chinese falls back unevenly.
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        fonts.set(qn("w:eastAsia"), "宋体" if style_name == "Normal" else "黑体")
    document.core_properties.title = briefing.title
    document.add_heading(briefing.title, level=0)
    for section in briefing.sections:
        document.add_heading(section.heading, level=1)
        for paragraph in section.paragraphs:
            document.add_paragraph(paragraph.text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def to_xlsx(briefing: Briefing) -> bytes:
    """Every figure the text uses: key, label, value, unit, as-of, zone (and how it is shown)."""
    headers = [_("Key"), _("Figure"), _("Value"), _("Unit"), _("As of"), _("Zone"), _("Shown as")]
    rows = (
        [
            figure.key,
            str(figure.label),
            figure.value,
            figure.unit,
            briefing.as_of,
            briefing.zone_label,
            figure.shown,
        ]
        for figure in briefing.figures
    )
    return write_workbook(headers, rows, sheet_name=_("Figures"), title=briefing.title)


def filename(briefing: Briefing, extension: str) -> str:
    zone = briefing.zone_code or "all"
    return f"briefing-{zone}-{briefing.as_of:%Y%m%d}.{extension}"
