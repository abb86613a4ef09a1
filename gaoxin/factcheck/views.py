"""数据核对's page: a text (pasted or a .docx) checked figure by figure against the records, as
a marked text and a table, and as the same result in a workbook or the annotated document.

The downloads post the same form again (the text, or the kept document's token, goes with
them), so nothing is stored between the page and its downloads, and nothing at all in the
database."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gaoxin.core.access import require_roles, user_zones, zone_ids_for
from gaoxin.core.excel import xlsx_response
from gaoxin.core.http import AuthedRequest
from gaoxin.core.roles import Role
from gaoxin.factcheck import docx, forms, present, services, sheets
from gaoxin.factcheck.types import Report

# The same readers as the work briefing: the administration's leaders and officers.
READERS = frozenset({Role.ADMIN, Role.LEADER, Role.OFFICER})
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORMATS = ("xlsx", "docx")


def _zone_label(zones: list[Any], zone_ids: list[int]) -> str:
    covered = [zone for zone in zones if zone.pk in zone_ids]
    return "、".join(zone.name for zone in covered) or _("No zone")


def filename(report: Report, zone_code: str, extension: str) -> str:
    """ "数据核对-<zone>-<YYYYMMDD>.<ext>", as the other exports name theirs."""
    parts = [_("Report check"), zone_code, f"{report.as_of:%Y%m%d}"]
    return "-".join(part for part in parts if part) + f".{extension}"


def _attachment(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f"attachment; filename=\"factcheck.docx\"; filename*=UTF-8''{quote(name)}"
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def index(request: AuthedRequest) -> HttpResponse:
    require_roles(request.user, READERS)
    zones = user_zones(request.user)
    if request.method != "POST":
        form = forms.FactcheckForm(zones=zones, user_pk=request.user.pk)
        return render(request, "factcheck/index.html", {"form": form})
    bound = forms.FactcheckForm(request.POST, request.FILES, zones=zones, user_pk=request.user.pk)
    if not bound.is_valid():
        return render(request, "factcheck/index.html", {"form": bound}, status=400)
    data = bound.cleaned_data
    source = data["source"]
    code = bound.zone_code
    zone_ids = zone_ids_for(request.user, [bound.zones[code].pk] if code else None)
    report = services.check(source["text"], zone_ids, data.get("as_of"))
    asked = request.POST.get("format", "")
    label = _zone_label(zones, zone_ids)
    if asked == "xlsx":
        title = _("Report check: %(zone)s, as of %(day)s") % {
            "zone": label,
            "day": present.day_text(report.as_of),
        }
        content = sheets.to_xlsx(report, title=title, absolute=request.build_absolute_uri)
        return xlsx_response(content, filename(report, code, "xlsx"))
    if asked == "docx":
        content = docx.annotate(report, source["content"])
        return _attachment(content, DOCX_CONTENT_TYPE, filename(report, code, "docx"))
    kept = source.get("kept", "")
    if source["content"] is not None and not kept:
        kept = forms.keep(source["name"], source["content"], request.user.pk)
    # The form again as it was checked: the day used filled in, a document kept by its token.
    form = forms.FactcheckForm(
        initial={
            "text": "" if source["content"] is not None else source["text"],
            "zone": code,
            "as_of": report.as_of,
            "kept": kept,
        },
        zones=zones,
        user_pk=request.user.pk,
    )
    rows = present.rows(report)
    context = {
        "form": form,
        "report": report,
        "rows": rows,
        "paragraphs": present.paragraphs(report, rows),
        "summary": present.summary(report),
        "counts": {verdict.value: n for verdict, n in report.counts().items()},
        "day": present.day_text(report.as_of),
        "said_day": present.day_text(report.said_day) if report.said_day else "",
        "day_from_text": data.get("as_of") is None and report.said_day == report.as_of,
        "kept_name": source["name"] if source["content"] is not None else "",
        "zone_label": label,
    }
    return render(request, "factcheck/index.html", context)
