"""The statistics bureau's sheet in the browser: upload (period, source, file) → preview with
every problem by row, the notices and a sample of good rows → confirm, which writes all rows
or none in a background job (import_jobs.py, its progress on the job's page) → the import's
page, linking to the figures. The upload between preview and confirm is kept as the
enterprise import keeps its own (core/uploads.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gaoxin.accounts.models import Zone
from gaoxin.core.access import WRITERS, require_roles, working_zone_ids
from gaoxin.core.errors import DomainError
from gaoxin.core.excel_read import sheet_height
from gaoxin.core.http import AuthedRequest
from gaoxin.core.ids import parse_id
from gaoxin.core.uploads import (
    MAX_UPLOAD_BYTES,
    PendingUpload,
    UploadGone,
    XlsxUploadForm,
    job_started_message,
    pick_zone_message,
    working_zone,
)
from gaoxin.economy.import_jobs import (
    checked_preview,
    preview_sample,
    statistics_check_submit,
    statistics_import_submit,
)
from gaoxin.economy.imports import read_statistics_sheet
from gaoxin.economy.models import ImportBatch, Indicator, Source
from gaoxin.economy.periods import Period
from gaoxin.jobs.selectors import job_get_for_user, job_input

PENDING = PendingUpload("economy_import")
SOURCES = (Source.BUREAU, Source.TAX, Source.IMPORT)


class StatisticsUploadForm(XlsxUploadForm):
    period = forms.CharField(
        label=gettext_lazy("Period"),
        max_length=20,
        help_text=gettext_lazy("A month as 2023-06; 1–2月 as 2023-01~02."),
    )
    source = forms.ChoiceField(
        label=gettext_lazy("Source"),
        choices=[(s.value, s.label) for s in SOURCES],
        initial=Source.BUREAU.value,
    )
    field_order = ["period", "source", "file"]

    def clean_period(self) -> Period:
        try:
            return Period.parse(self.cleaned_data["period"])
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from None


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: AuthedRequest) -> HttpResponse:
    require_roles(request.user, WRITERS)
    zone = working_zone(request)
    form = StatisticsUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if zone is None:
            form.is_valid()
            form.add_error(None, pick_zone_message())
        elif form.is_valid():
            return _preview(request, zone, form.cleaned_data)
    return render(
        request,
        "economy/import/upload.html",
        {
            "form": form,
            "zone": zone,
            "pick_zone": pick_zone_message() if zone is None else "",
            "max_mb": MAX_UPLOAD_BYTES // 1024 // 1024,
            "indicators": Indicator.objects.filter(is_active=True),
            "batches": ImportBatch.objects.filter(zone=zone).select_related("created_by")[:10]
            if zone is not None
            else [],
        },
    )


def _preview(request: AuthedRequest, zone: Zone, data: dict[str, Any]) -> HttpResponse:
    PENDING.discard(request)
    upload, period, source = data["file"], data["period"], data["source"]
    content = b"".join(upload.chunks())
    if sheet_height(content) > settings.GAOXIN_IMPORT_JOB_ROWS:
        # Too long to check inside the request: a job checks it, and its page links to the
        # preview (checked below).
        job = statistics_check_submit(
            user=request.user,
            zone=zone,
            content=content,
            file_name=upload.name,
            period=period.key,
            source=source,
        )
        messages.info(request, _("The sheet is large: it is checked in the background first."))
        return redirect("jobs:detail", pk=job.pk)
    sheet = read_statistics_sheet(zone, content, period, source=source)
    token = ""
    if sheet.ok:
        token = PENDING.keep(
            request, content, zone_id=zone.pk, name=upload.name, period=period.key, source=source
        )
    return render(
        request,
        "economy/import/preview.html",
        {
            "zone": zone,
            "file_name": upload.name,
            "sheet": sheet,
            "error_count": len(sheet.errors),
            "source_label": Source(source).label,
            "sample": preview_sample(sheet),
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
        "economy/import/preview.html",
        {
            **preview,
            "zone": job.zone,
            "file_name": job.params.get("file_name", ""),
            "checked_job": job.pk,
            "zone_changed": zone is None or zone.pk != job.zone_id,
        },
    )


@login_required
@require_POST
def confirm(request: AuthedRequest) -> HttpResponse:
    """Hand the checked sheet to a background job (import_jobs.py), which checks it again and
    writes it; its page shows the progress and links to the import's page. The same
    confirmation sent twice finds the same job."""
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
        return HttpResponseRedirect(reverse("economy:import_upload"))
    job = statistics_import_submit(
        user=request.user,
        zone=zone,
        content=path.read_bytes(),
        file_name=pending.get("name", "") or "import.xlsx",
        period=pending["period"],
        source=pending["source"],
        accept_revisions=request.POST.get("accept_revisions") == "on",
    )
    PENDING.confirmed(request, job.pk)
    messages.info(request, job_started_message())
    return redirect("jobs:detail", pk=job.pk)


def _confirm_checked(request: AuthedRequest, checked_id: str) -> HttpResponse:
    """Import the sheet a job checked: its input goes to the import's job (the same sheet
    confirmed twice with the same choice is the one job)."""
    pk = parse_id(checked_id)
    job = job_get_for_user(request.user, pk) if pk is not None else None
    preview = checked_preview(job) if job is not None else None
    upload_url = reverse("economy:import_upload")
    if job is None or preview is None or not preview["sheet"]["ok"]:
        messages.error(request, _("This file was not checked without problems: upload it again."))
        return HttpResponseRedirect(upload_url)
    zone = working_zone(request)
    if zone is None or zone.pk != job.zone_id:
        messages.error(
            request, _("The working zone changed since the file was checked: upload it again.")
        )
        return HttpResponseRedirect(upload_url)
    imported = statistics_import_submit(
        user=request.user,
        zone=zone,
        content=job_input(job),
        file_name=job.params.get("file_name", "") or "import.xlsx",
        period=job.params["period"],
        source=job.params["source"],
        accept_revisions=request.POST.get("accept_revisions") == "on",
    )
    messages.info(request, job_started_message())
    return redirect("jobs:detail", pk=imported.pk)


@login_required
@require_GET
def batch(request: AuthedRequest, pk: int) -> HttpResponse:
    require_roles(request.user, WRITERS)
    found = (
        ImportBatch.objects.filter(pk=pk, zone_id__in=working_zone_ids(request.user))
        .select_related("created_by", "zone")
        .first()
    )
    if found is None:
        raise Http404
    indicator_ids = found.values.values_list("indicator_id", flat=True).distinct()
    indicators = Indicator.objects.filter(pk__in=indicator_ids)
    return render(
        request,
        "economy/import/batch.html",
        {
            "batch": found,
            "figures": found.values.count(),
            "links": [
                (indicator, f"economy.ytd.{indicator.code}", f"economy.month.{indicator.code}")
                for indicator in indicators
            ],
        },
    )
