"""The work briefing (工作简报): the page, its Word document and the figures behind it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gaoxin.core.access import require_roles
from gaoxin.core.excel import xlsx_response
from gaoxin.core.forms import RequestedScope, scope_from_request
from gaoxin.core.http import AuthedRequest
from gaoxin.core.roles import Role
from gaoxin.dashboard.briefing import render as download
from gaoxin.dashboard.briefing.compose import Briefing, compose

# Department and enterprise users work on their own records; the zone's report is for the
# administration's leaders and officers.
READERS = frozenset({Role.ADMIN, Role.LEADER, Role.OFFICER})
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _briefing(request: AuthedRequest) -> tuple[RequestedScope, Briefing | None]:
    """The scope the request asks for (zone picker and as-of date) and its briefing; None when
    the picker's input is wrong (the form then carries the errors)."""
    require_roles(request.user, READERS)
    asked = scope_from_request(request)
    if asked.scope is None:
        return asked, None
    covered = [zone for zone in asked.zones if zone.pk in asked.scope.zone_ids]
    code = covered[0].code if len(covered) == 1 else asked.zone_code
    label = "、".join(zone.name for zone in covered) or _("No zone")
    return asked, compose(asked.scope, zone_label=label, zone_code=code)


def _query(briefing: Briefing) -> str:
    params = {"as_of": briefing.as_of.isoformat()}
    if briefing.zone_code:
        params["zone"] = briefing.zone_code
    return urlencode(params)


@login_required
@require_GET
def briefing_index(request: AuthedRequest) -> HttpResponse:
    asked, briefing = _briefing(request)
    context: dict[str, Any] = {
        "form": asked.form,
        "scope": asked.scope,
        "briefing": briefing,
        "query": _query(briefing) if briefing else "",
    }
    if request.htmx:
        # htmx swaps only successful answers; the picker's errors are in the fragment.
        return render(request, "dashboard/_briefing_page.html", context)
    return render(request, "dashboard/briefing.html", context, status=asked.status)


def _download(request: AuthedRequest, respond: Callable[[Briefing], HttpResponse]) -> HttpResponse:
    """A download of the briefing asked for, or the page with the picker's errors."""
    asked, briefing = _briefing(request)
    if briefing is None:
        context = {"form": asked.form, "scope": None, "briefing": None}
        return render(request, "dashboard/briefing.html", context, status=asked.status)
    return respond(briefing)


def _docx(briefing: Briefing) -> HttpResponse:
    response = HttpResponse(download.to_docx(briefing), content_type=DOCX_CONTENT_TYPE)
    name = download.filename(briefing, "docx")
    response["Content-Disposition"] = (
        f"attachment; filename=\"{name}\"; filename*=UTF-8''{quote(name)}"
    )
    return response


def _xlsx(briefing: Briefing) -> HttpResponse:
    return xlsx_response(download.to_xlsx(briefing), download.filename(briefing, "xlsx"))


@login_required
@require_GET
def briefing_docx(request: AuthedRequest) -> HttpResponse:
    return _download(request, _docx)


@login_required
@require_GET
def briefing_xlsx(request: AuthedRequest) -> HttpResponse:
    return _download(request, _xlsx)
