"""Importing enterprises from .xlsx in the browser: upload → preview with every row's
problems → confirm, which hands the file to a background job (import_jobs.py) that checks it
again and writes all rows or none, its progress on the job's page (我的任务).

Between preview and confirm the upload is kept under VAR_DIR/imports (never under the web
root) with a random name that only this user's session knows, and deleted on confirm (the
job keeps its own copy).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gaoxin.accounts.models import Zone
from gaoxin.core.access import WRITERS, require_roles
from gaoxin.core.excel import xlsx_response
from gaoxin.core.excel_read import sheet_height
from gaoxin.core.http import AuthedRequest
from gaoxin.core.ids import parse_id
from gaoxin.core.uploads import MAX_UPLOAD_BYTES as DEFAULT_MAX_UPLOAD_BYTES
from gaoxin.core.uploads import (
    PendingUpload,
    UploadGone,
    XlsxUploadForm,
    job_started_message,
    pick_zone_message,
    working_zone,
)
from gaoxin.enterprises.import_jobs import (
    checked_preview,
    enterprise_check_submit,
    enterprise_import_submit,
)
from gaoxin.enterprises.import_preview import PREVIEW_GOOD_ROWS, preview_table
from gaoxin.enterprises.imports import read_enterprise_sheet, template_workbook
from gaoxin.jobs.selectors import job_get_for_user, job_input

MAX_UPLOAD_BYTES = DEFAULT_MAX_UPLOAD_BYTES
PENDING = PendingUpload("enterprise_import")


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


def _preview(request: AuthedRequest, zone: Zone, upload: Any) -> HttpResponse:
    PENDING.discard(request)
    content = b"".join(upload.chunks())
    if sheet_height(content) > settings.GAOXIN_IMPORT_JOB_ROWS:
        # Too long to check inside the request: a job checks it, and its page links to the
        # preview (checked below).
        job = enterprise_check_submit(
            user=request.user, zone=zone, content=content, file_name=upload.name
        )
        messages.info(request, _("The sheet is large: it is checked in the background first."))
        return redirect("jobs:detail", pk=job.pk)
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
            "error_count": len(result.errors),
            "table": preview_table(result),
            "hidden_rows": max(0, result.counts["good"] - PREVIEW_GOOD_ROWS),
            "token": token,
        },
    )


@login_required
@require_GET
def checked(request: AuthedRequest, pk: int) -> HttpResponse:
    """The preview of a sheet a job checked (a large one), with the confirmation when it
    has no problems."""
    require_roles(request.user, WRITERS)
    job = job_get_for_user(request.user, pk)
    preview = checked_preview(job)
    if preview is None:
        raise Http404
    zone = working_zone(request)
    return render(
        request,
        "enterprise_import/preview.html",
        {
            **preview,
            "zone": job.zone,
            "file_name": job.params.get("file_name", ""),
            "error_count": preview["result"]["error_count"],
            "checked_job": job.pk,
            "zone_changed": zone is None or zone.pk != job.zone_id,
        },
    )


@login_required
@require_POST
def confirm(request: AuthedRequest) -> HttpResponse:
    """Hand the checked file to a background job (jobs/), which checks it again and writes
    it; its page shows the progress. The same confirmation sent twice finds the same job."""
    require_roles(request.user, WRITERS)
    if request.POST.get("checked"):
        return _confirm_checked(request, request.POST["checked"])
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


def _confirm_checked(request: AuthedRequest, checked_id: str) -> HttpResponse:
    """Import the file a job checked: its input goes to the import's job (the same file
    confirmed twice is the one job)."""
    pk = parse_id(checked_id)
    job = job_get_for_user(request.user, pk) if pk is not None else None
    preview = checked_preview(job) if job is not None else None
    if job is None or preview is None or not preview["result"]["ok"]:
        messages.error(request, _("This file was not checked without problems: upload it again."))
        return HttpResponseRedirect(reverse("enterprise_import:upload"))
    zone = working_zone(request)
    if zone is None or zone.pk != job.zone_id:
        messages.error(
            request, _("The working zone changed since the file was checked: upload it again.")
        )
        return HttpResponseRedirect(reverse("enterprise_import:upload"))
    imported = enterprise_import_submit(
        user=request.user,
        zone=zone,
        content=job_input(job),
        file_name=job.params.get("file_name", "") or "import.xlsx",
    )
    messages.info(request, job_started_message())
    return redirect("jobs:detail", pk=imported.pk)


@login_required
@require_GET
def template(request: AuthedRequest) -> HttpResponse:
    require_roles(request.user, WRITERS)
    return xlsx_response(template_workbook(), "企业导入模板.xlsx")
