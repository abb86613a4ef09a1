"""Importing enterprises from .xlsx in the browser: upload → preview with every row's
problems → confirm, which hands the file to a background job (import_jobs.py) that checks it
again and writes all rows or none, its progress on the job's page (我的任务).

Between preview and confirm the upload is kept under VAR_DIR/imports (never under the web
root) with a random name that only this user's session knows, and deleted on confirm (the
job keeps its own copy).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gaoxin.accounts.models import Zone
from gaoxin.core.access import WRITERS, require_roles
from gaoxin.core.excel import xlsx_response
from gaoxin.core.http import AuthedRequest
from gaoxin.core.uploads import MAX_UPLOAD_BYTES as DEFAULT_MAX_UPLOAD_BYTES
from gaoxin.core.uploads import (
    PendingUpload,
    UploadGone,
    XlsxUploadForm,
    job_started_message,
    pick_zone_message,
    working_zone,
)
from gaoxin.enterprises.import_jobs import enterprise_import_submit
from gaoxin.enterprises.imports import ImportResult, read_enterprise_sheet, template_workbook

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
    """Hand the checked file to a background job (jobs/), which checks it again and writes
    it; its page shows the progress. The same confirmation sent twice finds the same job."""
    require_roles(request.user, WRITERS)
    token = request.POST.get("token", "")
    earlier = PENDING.job_of(request, token)
    if earlier is not None:
        return redirect("jobs:detail", pk=earlier)
    zone = working_zone(request)
    try:
        pending, path = PENDING.take(request, token, zone.pk if zone is not None else None)
    except UploadGone as gone:
        messages.error(request, gone.message)
        return HttpResponseRedirect(reverse("enterprise_import:upload"))
    job = enterprise_import_submit(
        user=request.user,
        zone=zone,
        content=path.read_bytes(),
        file_name=pending.get("name", "") or "import.xlsx",
    )
    PENDING.confirmed(request, job.pk)
    messages.info(request, job_started_message())
    return redirect("jobs:detail", pk=job.pk)


@login_required
@require_GET
def template(request: AuthedRequest) -> HttpResponse:
    require_roles(request.user, WRITERS)
    return xlsx_response(template_workbook(), "企业导入模板.xlsx")
