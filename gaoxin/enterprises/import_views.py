"""Importing enterprises from .xlsx in the browser: upload → preview with every row's
problems → confirm, which writes all rows or none.

Between preview and confirm the upload is kept under VAR_DIR/imports (never under the web
root) with a random name that only this user's session knows, and deleted on confirm.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gaoxin.accounts.models import Zone
from gaoxin.core.access import WRITERS, require_roles
from gaoxin.core.errors import DomainError
from gaoxin.core.excel import xlsx_response
from gaoxin.core.http import AuthedRequest
from gaoxin.core.uploads import MAX_UPLOAD_BYTES as DEFAULT_MAX_UPLOAD_BYTES
from gaoxin.core.uploads import (
    PendingUpload,
    UploadGone,
    XlsxUploadForm,
    pick_zone_message,
    working_zone,
)
from gaoxin.enterprises.imports import (
    ImportResult,
    import_enterprises,
    read_enterprise_sheet,
    template_workbook,
)

MAX_UPLOAD_BYTES = DEFAULT_MAX_UPLOAD_BYTES
PENDING = PendingUpload("enterprise_import")
PREVIEW_GOOD_ROWS = 500  # rows without problems shown in the preview; bad rows are all shown


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: AuthedRequest) -> HttpResponse:
    require_roles(request.user, WRITERS)
    zone = working_zone(request)
    form = XlsxUploadForm(request.POST or None, request.FILES or None, max_bytes=MAX_UPLOAD_BYTES)
    if request.method == "POST":
        if zone is None:
            form.is_valid()
            form.add_error(None, pick_zone_message())
        elif form.is_valid():
            return _preview(request, zone, form.cleaned_data["file"])
    return render(
        request,
        "enterprise_import/upload.html",
        {
            "form": form,
            "zone": zone,
            "pick_zone": pick_zone_message() if zone is None else "",
            "max_mb": MAX_UPLOAD_BYTES // 1024 // 1024,
        },
    )


def _preview(request: HttpRequest, zone: Zone, upload: Any) -> HttpResponse:
    PENDING.discard(request)
    content = b"".join(upload.chunks())
    result = read_enterprise_sheet(zone, content)
    token = ""
    if result.ok:
        token = PENDING.keep(request, content, zone_id=zone.pk, name=upload.name)
    return render(
        request,
        "enterprise_import/preview.html",
        {
            "zone": zone,
            "file_name": upload.name,
            "result": result,
            "table": _preview_rows(result),
            "hidden_rows": max(0, result.counts["good"] - PREVIEW_GOOD_ROWS),
            "token": token,
        },
    )


def _preview_rows(result: ImportResult) -> list[dict[str, Any]]:
    table = []
    good_shown = 0
    for row in result.rows:
        if not row.problems:
            good_shown += 1
            if good_shown > PREVIEW_GOOD_ROWS:
                continue
        bad = row.bad_columns
        table.append(
            {
                "row": row.row,
                "cells": [
                    {"text": text, "bad": header in bad}
                    for text, header in zip(row.cells, result.headers, strict=True)
                ],
                "problems": row.problems,
            }
        )
    return table


@login_required
@require_POST
def confirm(request: AuthedRequest) -> HttpResponse:
    require_roles(request.user, WRITERS)
    upload_url = reverse("enterprise_import:upload")
    zone = working_zone(request)
    try:
        _pending, path = PENDING.take(
            request, request.POST.get("token", ""), zone.pk if zone is not None else None
        )
    except UploadGone as gone:
        messages.error(request, gone.message)
        return HttpResponseRedirect(upload_url)
    try:
        result = read_enterprise_sheet(zone, path)
        created = import_enterprises(zone=zone, rows=result.rows, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(upload_url)
    finally:
        PENDING.discard(request)
    messages.success(
        request,
        _("%(n)d enterprises were imported into %(zone)s.") % {"n": len(created), "zone": zone},
    )
    try:
        target = reverse("enterprises:list")
    except NoReverseMatch:
        target = "/"
    return HttpResponseRedirect(target)


@login_required
@require_GET
def template(request: AuthedRequest) -> HttpResponse:
    require_roles(request.user, WRITERS)
    return xlsx_response(template_workbook(), "企业导入模板.xlsx")
