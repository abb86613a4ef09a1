"""The work briefing (工作简报): the page, its Word document and the figures behind it."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gaoxin.core.access import require_roles, user_zones, working_zone_ids
from gaoxin.core.excel import xlsx_response
from gaoxin.core.forms import ScopeForm
from gaoxin.core.metrics import MetricScope
from gaoxin.core.roles import Role
from gaoxin.dashboard import briefing as writer

# Department and enterprise users work on their own records; the zone's report is for the
# administration's leaders and officers.
READERS = frozenset({Role.ADMIN, Role.LEADER, Role.OFFICER})
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _briefing(request: HttpRequest) -> tuple[ScopeForm, writer.Briefing | None]:
    """The scope the request asks for (zone picker and as-of date) and its briefing; None when
    the picker's input is wrong (the form then carries the errors)."""
    require_roles(request.user, READERS)
    zones = user_zones(request.user)
    form = ScopeForm(request.GET or None, zones=zones)
    if request.GET and not form.is_valid():
        return form, None
    data = form.cleaned_data if request.GET else {}
    code = data.get("zone") or ""
    zone_ids = [form.zones[code].pk] if code else working_zone_ids(request.user)
    covered = [zone for zone in zones if zone.pk in zone_ids]
    if len(covered) == 1:
        code = covered[0].code
    label = "、".join(zone.name for zone in covered) or _("No zone")
    scope = MetricScope.of(zone_ids, data.get("as_of") or timezone.localdate())
    return form, writer.compose(scope, zone_label=label, zone_code=code)


def _query(briefing: writer.Briefing) -> str:
    params = {"as_of": briefing.as_of.isoformat()}
    if briefing.zone_code:
        params["zone"] = briefing.zone_code
    return urlencode(params)


@login_required
@require_GET
def briefing_index(request: HttpRequest) -> HttpResponse:
    form, briefing = _briefing(request)
    context: dict[str, Any] = {
        "form": form,
        "briefing": briefing,
        "query": _query(briefing) if briefing else "",
    }
    if request.htmx:
        # htmx swaps only successful answers; the picker's errors are in the fragment.
        return render(request, "dashboard/_briefing_page.html", context)
    return render(request, "dashboard/briefing.html", context, status=200 if briefing else 400)


def _refused(request: HttpRequest, form: ScopeForm) -> HttpResponse:
    return render(request, "dashboard/briefing.html", {"form": form, "briefing": None}, status=400)


@login_required
@require_GET
def briefing_docx(request: HttpRequest) -> HttpResponse:
    form, briefing = _briefing(request)
    if briefing is None:
        return _refused(request, form)
    response = HttpResponse(writer.to_docx(briefing), content_type=DOCX_CONTENT_TYPE)
    name = writer.filename(briefing, "docx")
    response["Content-Disposition"] = (
        f"attachment; filename=\"{name}\"; filename*=UTF-8''{quote(name)}"
    )
    return response


@login_required
@require_GET
def briefing_xlsx(request: HttpRequest) -> HttpResponse:
    form, briefing = _briefing(request)
    if briefing is None:
        return _refused(request, form)
    return xlsx_response(writer.to_xlsx(briefing), writer.filename(briefing, "xlsx"))
