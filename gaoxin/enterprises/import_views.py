"""Importing enterprises from .xlsx in the browser: upload → preview with every row's
problems → confirm, which writes all rows or none.

Between preview and confirm the upload is kept under VAR_DIR/imports (never under the web
root) with a random name that only this user's session knows, and deleted on confirm.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gaoxin.accounts.models import Zone
from gaoxin.core.access import WRITERS, require_roles, working_zone_ids
from gaoxin.core.errors import DomainError
from gaoxin.core.excel import xlsx_response
from gaoxin.core.http import AuthedRequest
from gaoxin.enterprises.imports import (
    ImportResult,
    import_enterprises,
    read_enterprise_sheet,
    template_workbook,
)

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
SESSION_KEY = "enterprise_import"
PREVIEW_GOOD_ROWS = 500  # rows without problems shown in the preview; bad rows are all shown


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(
                _("%(name)s is not an .xlsx file. Save the sheet as Excel workbook (.xlsx).")
                % {"name": upload.name}
            )
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is %(size).1f MB; at most %(limit)d MB can be imported at once.")
                % {"size": upload.size / 1024 / 1024, "limit": MAX_UPLOAD_BYTES // 1024 // 1024}
            )
        head = upload.read(4)
        upload.seek(0)
        if head != b"PK\x03\x04":
            raise forms.ValidationError(
                _("%(name)s is not an Excel workbook (.xlsx), though its name says so.")
                % {"name": upload.name}
            )
        return upload


def _import_dir() -> Path:
    folder = Path(settings.VAR_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _stored_path(token: str) -> Path | None:
    # The token is ours (token_hex), but never let it name a path outside the folder.
    if not token or not token.isalnum():
        return None
    return _import_dir() / f"{token}.xlsx"


def _discard(request: HttpRequest) -> None:
    pending = request.session.pop(SESSION_KEY, None)
    if pending:
        path = _stored_path(pending.get("token", ""))
        if path is not None:
            path.unlink(missing_ok=True)


def _working_zone(request: AuthedRequest) -> Zone | None:
    zone_ids = working_zone_ids(request.user)
    if len(zone_ids) != 1:
        return None
    return Zone.objects.get(pk=zone_ids[0])


def _pick_zone_message() -> str:
    return _(
        "You work in several zones: pick the zone to import into with the zone switcher at "
        "the top of the page first."
    )


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: AuthedRequest) -> HttpResponse:
    require_roles(request.user, WRITERS)
    zone = _working_zone(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if zone is None:
            form.is_valid()
            form.add_error(None, _pick_zone_message())
        elif form.is_valid():
            return _preview(request, zone, form.cleaned_data["file"])
    return render(
        request,
        "enterprise_import/upload.html",
        {
            "form": form,
            "zone": zone,
            "pick_zone": _pick_zone_message() if zone is None else "",
            "max_mb": MAX_UPLOAD_BYTES // 1024 // 1024,
        },
    )


def _preview(request: HttpRequest, zone: Zone, upload: Any) -> HttpResponse:
    _discard(request)
    content = b"".join(upload.chunks())
    result = read_enterprise_sheet(zone, content)
    token = ""
    if result.ok:
        token = secrets.token_hex(16)
        path = _stored_path(token)
        assert path is not None
        path.write_bytes(content)
        request.session[SESSION_KEY] = {
            "token": token,
            "zone_id": zone.pk,
            "name": upload.name,
        }
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
    pending = request.session.get(SESSION_KEY)
    upload_url = reverse("enterprise_import:upload")
    token = request.POST.get("token", "")
    if not pending or not secrets.compare_digest(pending.get("token", ""), token):
        messages.error(
            request, _("There is no checked file to import (or it was replaced): upload it again.")
        )
        return HttpResponseRedirect(upload_url)
    zone = _working_zone(request)
    if zone is None or zone.pk != pending.get("zone_id"):
        _discard(request)
        messages.error(
            request,
            _("The working zone changed since the file was checked: upload it again."),
        )
        return HttpResponseRedirect(upload_url)
    path = _stored_path(token)
    if path is None or not path.is_file():
        _discard(request)
        messages.error(request, _("The checked file is gone: upload it again."))
        return HttpResponseRedirect(upload_url)
    try:
        result = read_enterprise_sheet(zone, path)
        created = import_enterprises(zone=zone, rows=result.rows, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(upload_url)
    finally:
        _discard(request)
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
